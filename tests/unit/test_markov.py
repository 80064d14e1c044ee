"""Markov chain: the published four-path example, solved exactly."""

import csv
from pathlib import Path

import pytest

from socialroi.attribution.markov import (
    markov_model,
    per_path_credit,
    removal_effects,
    transition_probabilities,
)
from socialroi.attribution.paths import split_path

REF = Path(__file__).parents[1] / "fixtures" / "reference" / "published-examples"


def _rows(name: str) -> list[dict[str, str]]:
    with open(REF / name, newline="") as f:
        return list(csv.DictReader(f))


def _published_paths() -> tuple[list[list[str]], list[float], list[float]]:
    rows = _rows("puzyrov2019_markov_paths.csv")
    paths = [split_path(r["path"]) for r in rows]
    return paths, [float(r["total_conversions"]) for r in rows], [float(r["total_null"]) for r in rows]


def test_published_removal_effects_and_global_conversions() -> None:
    result = markov_model(*_published_paths())
    assert result.p_conversion == pytest.approx(0.8, abs=1e-12)
    assert result.total_conversions == 4
    for row in _rows("puzyrov2019_expected_removal_effects_DERIVED.csv"):
        ch = row["channel"]
        assert result.removal_effects[ch] == pytest.approx(float(row["removal_effect"]), abs=1e-9)
        assert result.global_conversions[ch] == pytest.approx(float(row["attributed_conversions"]), abs=1e-9)
    assert removal_effects(*_published_paths()) == result.removal_effects


def test_published_transition_probabilities() -> None:
    got = transition_probabilities(*_published_paths())
    expected = {
        (r["channel_from"], r["channel_to"]): float(r["transition_probability"])
        for r in _rows("puzyrov2019_published_transition_probabilities.csv")
    }
    assert set(got) == set(expected)
    for key, p in expected.items():
        assert got[key] == pytest.approx(p, abs=1e-12)


def test_channelattribution_simulation_agrees_within_noise() -> None:
    result = markov_model(*_published_paths())
    for row in _rows("puzyrov2019_ChannelAttribution2.2.5_markov_result.csv"):
        got = result.global_conversions[row["channel_name"]]
        assert got == pytest.approx(float(row["total_conversions"]), abs=0.01)


def test_self_loops_do_not_change_removal_effects() -> None:
    paths = [["A", "A", "B"], ["B", "B"], ["A"], ["C", "A", "A"]]
    conv, nulls = [3, 1, 2, 1], [2, 4, 5, 1]
    collapsed = [[c for i, c in enumerate(p) if i == 0 or c != p[i - 1]] for p in paths]
    a = removal_effects(paths, conv, nulls)
    b = removal_effects(collapsed, conv, nulls)
    assert a.keys() == b.keys()
    for ch in a:
        assert a[ch] == pytest.approx(b[ch], abs=1e-12)


def test_order_two_and_edge_cases() -> None:
    paths, conv, nulls = _published_paths()
    re2 = removal_effects(paths, conv, nulls, order=2)
    # every path here is at most two touches long: the order-2 chain is the same graph
    assert re2 == pytest.approx({"google ads": 0.75, "mailing": 0.5})
    empty = markov_model([["A"], []], [0, 5], [3, 0])
    assert empty.p_conversion == 0 and empty.removal_effects == {"A": 0.0}
    assert empty.global_conversions == {"A": 0.0}
    with pytest.raises(ValueError):
        markov_model([["A"]], [1], [1], order=0)
    with pytest.raises(ValueError):
        markov_model([["A"]], [-1], [1])


def test_per_path_credit() -> None:
    effects = {"google ads": 0.75, "mailing": 0.5}
    assert per_path_credit(["google ads", "mailing"], effects) == pytest.approx({"google ads": 0.6, "mailing": 0.4})
    # distinct channels by default; DP6 weighs every touch
    assert per_path_credit(["a", "b", "a"], {"a": 1, "b": 1}) == {"a": 0.5, "b": 0.5}
    got = per_path_credit(["a", "b", "a"], {"a": 1, "b": 1}, count_repeats=True)
    assert got == pytest.approx({"a": 2 / 3, "b": 1 / 3})
    assert per_path_credit(["x", "y"], {}) == {"x": 0.5, "y": 0.5}
    with pytest.raises(ValueError):
        per_path_credit([], effects)
