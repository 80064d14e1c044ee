"""DP6 Marketing-Attribution-Models: its end-to-end test values, reproduced.

The journeys are built here with DP6's conventions (30-day window back from the
conversion, a conversion ends the journey, sessions of non-converting journeys all
kept); in production the journey building is SQL.
"""

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialroi.attribution import heuristics as h
from socialroi.attribution.markov import (
    markov_model,
    per_path_credit,
    removal_effects,
    transition_probabilities,
)
from socialroi.attribution.paths import transform_path

REF = Path(__file__).parents[1] / "fixtures" / "reference" / "dp6-mam"
EXPECTED = json.loads((REF / "expected_from_tests.json").read_text())
MULTI = "test_dataset_multiple_conversions (conversion_value='n_purchases')"


@dataclass
class Journey:
    user: str
    sessions: list[str]
    channels: list[str]
    times: list[datetime]
    converted: bool
    value: float


def build_journeys(name: str, window_days: int = 30) -> list[Journey]:
    """DP6's MAM(group_channels=True, create_journey_id_based_on_conversion=True)."""
    with open(REF / name, newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["t"] = datetime.fromisoformat(r["event_time"]).replace(tzinfo=UTC)
    rows.sort(key=lambda r: (r["user_pseudo_id"], r["t"]))
    groups: dict[tuple[str, int], list[dict]] = {}
    done: dict[str, int] = {}
    for r in rows:
        user, conv = r["user_pseudo_id"], r["is_conversion_purchase"] == "1"
        groups.setdefault((user, done.get(user, 0)), []).append(r)
        if conv:
            done[user] = done.get(user, 0) + 1
    journeys = []
    for (user, _), rs in groups.items():
        conv_times = [r["t"] for r in rs if r["is_conversion_purchase"] == "1"]
        if conv_times:
            end = max(conv_times)
            rs = [r for r in rs if end - r["t"] <= timedelta(days=window_days)]
        value = 0.0
        if conv_times:  # DP6: conversion_value=1, or the journey's sum of n_purchases
            value = sum(float(r["n_purchases"]) for r in rs) if "n_purchases" in rs[0] else 1.0
        journeys.append(
            Journey(
                user,
                [r["session_id"] for r in rs],
                [r["source_medium"] for r in rs],
                [r["t"] for r in rs],
                bool(conv_times),
                value,
            )
        )
    return journeys


def test_journeys_are_built_like_dp6() -> None:
    js = build_journeys("test_dataset.csv")
    assert [j.channels for j in js[:2]] == [["direct", "google_ads", "direct"], ["seo", "direct"]]
    assert js[0].sessions == ["2", "3", "4"] and js[1].sessions == ["5", "6"]
    assert [(js[0].times[-1] - t) / timedelta(hours=1) for t in js[0].times] == [2, 1, 0]
    assert [j.converted for j in js] == [True, False, True, True, True]
    assert [j.value for j in build_journeys("test_dataset_multiple_conversions.csv")] == [
        1,
        0,
        1,
        1,
        1,
        2,
    ]


HEURISTICS = {
    "first_click": lambda j: h.first_touch(j.channels),
    "last_click": lambda j: h.last_touch(j.channels),
    # DP6's test uses but_not_this_channel="direct"
    "last_click_non_direct": lambda j: h.last_non_direct(j.channels, "direct", fallback="first"),
    "linear": lambda j: h.linear(j.channels),
    # DP6 default: decay_over_time=0.5 per whole frequency=24 hours
    "time_decay_default": lambda j: h.time_decay(j.times, half_life_days=1, stepwise=True),
}


@pytest.mark.parametrize(
    ("dataset", "section"),
    [("test_dataset.csv", "test_dataset"), ("test_dataset_multiple_conversions.csv", MULTI)],
)
def test_heuristics(dataset: str, section: str) -> None:
    journeys = build_journeys(dataset)
    checked = 0
    for model, expected in EXPECTED[section].items():
        if model not in HEURISTICS:
            continue
        assert len(expected) == len(journeys)
        for k, j in enumerate(journeys):
            want = expected[str(k)]
            if not j.converted:  # no order, nothing to attribute: DP6 gives 0 or NaN
                assert all(x is None or x == 0 for x in want)
                continue
            got = [x * j.value for x in HEURISTICS[model](j)]
            assert got == pytest.approx(want, abs=1e-9), (model, k)
            checked += 1
    assert checked >= 4 * 4


def test_our_defaults_differ_only_where_documented() -> None:
    # all-direct journey: DP6's per-touch output credits the first touch, ours the last
    assert h.last_non_direct(["Direct", "Direct"]) == [0.0, 1.0]
    assert h.last_non_direct(["Direct", "Direct"], fallback="first") == [1.0, 0.0]
    # continuous 7-day half-life by default
    t0 = datetime(2022, 1, 1, tzinfo=UTC)
    got = h.time_decay([t0, t0 + timedelta(days=7)])
    assert got == pytest.approx([1 / 3, 2 / 3])


def _markov_input(transform: str) -> tuple[list[list[str]], list[float], list[float]]:
    js = build_journeys("test_dataset.csv")
    paths = [transform_path(j.channels, transform) for j in js]
    return paths, [float(j.converted) for j in js], [float(not j.converted) for j in js]


def test_markov_transition_matrix() -> None:
    got = transition_probabilities(*_markov_input("unique"))  # DP6 transition_to_same_state=True
    expected = {
        ("(start)", "seo"): 0.4,
        ("(start)", "direct"): 0.6,
        ("direct", "direct"): 0.2,
        ("direct", "(conversion)"): 0.4,
        ("direct", "seo"): 0.1,
        ("direct", "crm"): 0.1,
        ("direct", "google_ads"): 0.1,
        ("direct", "(null)"): 0.1,
        ("seo", "direct"): 1.0,
        ("crm", "direct"): 1.0,
        ("google_ads", "direct"): 1.0,
    }
    assert set(got) == set(expected)
    for key, p in expected.items():
        assert got[key] == pytest.approx(p, abs=1e-12)


@pytest.mark.parametrize("transform", ["unique", "exposure"])
def test_markov_removal_effects(transform: str) -> None:
    want = EXPECTED["test_dataset"]["markov_transition_to_same_state_True"]["removal_effect"]
    got = removal_effects(*_markov_input(transform))
    assert got == pytest.approx(want, abs=1e-9)


def test_markov_journey_weights() -> None:
    section = EXPECTED["test_dataset"]["markov_transition_to_same_state_True"]
    result = markov_model(*_markov_input("unique"))
    total_re = sum(section["removal_effect"].values())
    assert result.global_conversions == pytest.approx(
        {c: e / total_re * 4 for c, e in section["removal_effect"].items()}, abs=1e-9
    )
    for k, j in enumerate(build_journeys("test_dataset.csv")):
        want = section["journey_weights"][str(k)]
        if not j.converted:
            assert all(x is None for x in want)
            continue
        credit = per_path_credit(j.channels, result.removal_effects, count_repeats=True)
        per_touch = [credit[c] / j.channels.count(c) for c in j.channels]
        assert per_touch == pytest.approx(want, abs=1e-9)
