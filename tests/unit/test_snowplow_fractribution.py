"""Snowplow's dbt-snowplow-fractribution integration test, reproduced from its path summary: the
channel conversions and revenue of its shapley (fractribution) and last-touch reports, and ROAS."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from socialroi.attribution.fractribution import channel_totals, fractribution

REF = Path(__file__).parents[1] / "fixtures" / "reference" / "snowplow-fractribution"


def _read(name: str) -> list[dict[str, str]]:
    with (REF / name).open(newline="") as fh:
        return list(csv.DictReader(fh))


def _summary() -> list[tuple[tuple[str, ...], float, float, float]]:
    return [(tuple(r["transformed_path"].split(" > ")), float(r["conversions"]), float(r["non_conversions"]),
             float(r["revenue"] or 0)) for r in _read("path_summary_expected.csv")]


def _ours() -> dict[str, dict[str, tuple[float, float]]]:
    rows = _summary()
    fractions = fractribution([r[:3] for r in rows])
    conversions = channel_totals([r[:3] for r in rows], fractions)
    revenue: dict[str, float] = defaultdict(float)
    last: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for path, conv, _, rev in rows:
        for channel, share in fractions.get(path, {}).items():
            revenue[channel] += share * rev
        last[path[-1]][0] += conv
        last[path[-1]][1] += rev
    channels = {c for r in rows for c in r[0]}
    return {
        "shapley": {c: (conversions.get(c, 0.0), revenue.get(c, 0.0)) for c in channels},
        "last_touch": {c: (last[c][0], last[c][1]) for c in channels},
    }


def test_channel_attribution_matches_snowplow():
    expected = _read("channel_attribution_expected.csv")
    assert len(expected) == 12
    ours = _ours()
    for row in expected:
        conv, rev = ours[row["ATTRIBUTION_TYPE"]][row["CHANNEL"]]
        assert conv == pytest.approx(float(row["CONVERSIONS"]), abs=1e-9), row
        assert rev == pytest.approx(float(row["REVENUE"]), abs=1e-6), row
    # every channel of the paths is reported, and conversions are conserved
    assert {r["CHANNEL"] for r in expected} == set(ours["shapley"])
    assert sum(c for c, _ in ours["shapley"].values()) == pytest.approx(sum(r[1] for r in _summary()))


def test_report_table_roas_matches_snowplow():
    ours = _ours()["shapley"]
    for row in _read("report_table_expected.csv"):
        if row["ATTRIBUTION_TYPE"] != "shapley":
            continue
        _, revenue = ours[row["CHANNEL"]]
        assert revenue / float(row["SPEND"]) == pytest.approx(float(row["ROAS"]), abs=1e-10), row
