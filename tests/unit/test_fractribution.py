"""Google fractribution's own unit test, reproduced: 758 paths, 1,983 customers, 4 transforms."""

import csv
from functools import cache
from pathlib import Path

import pytest

from socialroi.attribution.fractribution import channel_totals, fractribution
from socialroi.attribution.paths import join_path, split_path, transform_path, transform_path_summary

REF = Path(__file__).parents[1] / "fixtures" / "reference" / "fractribution"
CHANNELS = "A,B,C,D,E,F,G,H,I,J,K".split(",")


@cache
def _read(name: str) -> tuple[dict[str, str], ...]:
    with open(REF / name, newline="") as f:
        return tuple(csv.DictReader(f))


def _path_summary() -> list[tuple[list[str], int, int]]:
    return [
        (split_path(r["path"]), int(r["total_conversions"]), int(r["total_non_conversions"]))
        for r in _read("example_path_summary.csv")
    ]


def test_fixture_totals() -> None:
    rows = _path_summary()
    assert len(rows) == 758
    assert sum(r[1] for r in rows) == 1983
    assert sum(r[2] for r in rows) == 266697
    assert len(_read("customers.csv")) == 1983


@pytest.mark.parametrize("transform", ["unique", "exposure", "first", "frequency"])
def test_expected_customer_fits(transform: str) -> None:
    fractions = fractribution(transform_path_summary(_path_summary(), transform))
    expected = {r["customer_id"]: r for r in _read(f"expected_{transform}_fit.csv")}
    customers = _read("customers.csv")
    assert len(expected) == len(customers)
    for customer in customers:
        want = expected[customer["customer_id"]]
        path = tuple(transform_path(split_path(customer["path"]), transform))
        assert join_path(path) == want["path"]
        assert want["endpoint_datetime"] == customer["endpoint_datetime"]
        got = fractions[path]
        assert set(got) <= set(CHANNELS)
        for ch in CHANNELS:
            assert got.get(ch, 0.0) == pytest.approx(float(want[ch.lower()]), abs=1e-6)
        assert float(want["unmatched_channel"]) == 0.0
        assert sum(got.values()) == pytest.approx(1.0, abs=1e-9)


def test_algorithm_details() -> None:
    summary = [
        (("A",), 1, 9),  # p = 0.1
        (("B",), 0, 10),  # p = 0
        (("A", "B"), 3, 7),  # p = 0.3: A +0.3, B +0.2
        (("B", "A"), 1, 9),  # p = 0.1: A +0.1, B +0.0
        (("C", "D"), 1, 1),  # neither leave-one-out path seen: full marginals
        (("E", "E"), 1, 0),  # repeats add up
        (("F", "G"), 1, 999),  # counterfactuals beat the path: last touch
        (("F",), 5, 5),
        (("G",), 5, 5),
        (("H",), 0, 4),  # no conversions: no fractions
        ((), 3, 0),  # empty path: unmatched
    ]
    got = fractribution(summary)
    assert got[("A", "B")] == pytest.approx({"A": 0.6, "B": 0.4})
    assert got[("B", "A")] == {"A": 1.0, "B": 0.0}
    assert got[("C", "D")] == {"C": 0.5, "D": 0.5}
    assert got[("E", "E")] == {"E": 1.0}
    assert got[("F", "G")] == {"F": 0.0, "G": 1.0}
    assert ("H",) not in got and () not in got and ("B",) not in got
    totals = channel_totals(summary, got)
    assert totals["Unmatched_Channel"] == 3
    assert sum(totals.values()) == pytest.approx(sum(r[1] for r in summary))


def test_duplicate_paths_merge_and_frequency_names() -> None:
    got = fractribution([(("A(2)", "B(1)"), 1, 1), (("A(2)", "B(1)"), 1, 1), (("A(2)",), 1, 3)])
    assert got[("A(2)", "B(1)")] == pytest.approx({"A": 2 / 3, "B": 1 / 3})
    raw = fractribution([(("A(2)", "B(1)"), 1, 1)], strip_counts=False)
    assert set(raw[("A(2)", "B(1)")]) == {"A(2)", "B(1)"}
