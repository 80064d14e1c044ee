"""Property tests: every model's per-order credits lie in [0, 1] and sum to 1."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from socialroi.attribution import heuristics as h
from socialroi.attribution.fractribution import fractribution
from socialroi.attribution.markov import markov_model, per_path_credit
from socialroi.attribution.paths import TRANSFORMS, transform_path, transform_path_summary
from socialroi.attribution.shapley import coalition_rates, per_path_shapley

TOL = 1e-9
channel = st.sampled_from(["Direct", "Paid Social", "Organic Social", "Email", "Search", "X"])
path = st.lists(channel, min_size=1, max_size=8)
row = st.tuples(path, st.integers(0, 20), st.integers(0, 50))
rows = st.lists(row, min_size=1, max_size=25)


def _is_credit(values: list[float]) -> None:
    assert all(-TOL <= x <= 1 + TOL for x in values), values
    assert abs(sum(values) - 1) <= TOL, values


@settings(max_examples=60, deadline=None)
@given(rows, st.integers(1, 3))
def test_markov_credits(data: list, order: int) -> None:
    paths, conv, nulls = zip(*data, strict=True)
    result = markov_model(paths, conv, nulls, order=order)
    assert 0 <= result.p_conversion <= 1 + TOL
    assert all(0 <= e <= 1 for e in result.removal_effects.values())
    if any(result.removal_effects.values()):
        assert abs(sum(result.global_conversions.values()) - sum(conv)) <= 1e-6
    for p in paths:
        _is_credit(list(per_path_credit(p, result.removal_effects).values()))
        _is_credit(list(per_path_credit(p, result.removal_effects, count_repeats=True).values()))


@settings(max_examples=60, deadline=None)
@given(rows)
def test_shapley_credits(data: list) -> None:
    paths, conv, nulls = zip(*data, strict=True)
    rates = coalition_rates(paths, conv, nulls)
    for p in paths:
        credit = per_path_shapley(frozenset(p), rates)
        assert set(credit) == set(p)
        _is_credit(list(credit.values()))


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from(["unique", "exposure", "first", "frequency"]))
def test_fractribution_credits(data: list, transform: str) -> None:
    summary = transform_path_summary(data, transform)
    fractions = fractribution(summary)
    for p, c, _ in summary:
        if c > 0:
            _is_credit(list(fractions[p].values()))
        else:
            assert p not in fractions


@settings(max_examples=100, deadline=None)
@given(
    path,
    st.lists(st.floats(0, 90 * 86400, allow_nan=False), min_size=8, max_size=8),
    st.floats(0.01, 30),
    st.booleans(),
    st.floats(0, 0.5),
    st.floats(0, 0.5),
)
def test_heuristic_credits(
    p: list[str], ages: list[float], half_life: float, stepwise: bool, first: float, last: float
) -> None:
    end = datetime(2024, 3, 31, tzinfo=UTC)
    times = sorted(end - timedelta(seconds=a) for a in ages[: len(p)])
    for credit in (
        h.first_touch(p),
        h.last_touch(p),
        h.last_non_direct(p),
        h.last_non_direct(p, fallback="first"),
        h.linear(p),
        h.position_based(p),
        h.position_based(p, first=first, last=last),
        h.time_decay(times, half_life),
        h.time_decay(times, half_life, stepwise=stepwise, conversion_time=end),
    ):
        assert len(credit) == len(p)
        _is_credit(credit)


@given(path, st.sampled_from(TRANSFORMS), st.integers(0, 5))
def test_transforms_keep_channels(p: list[str], transform: str, steps: int) -> None:
    out = transform_path(p, transform, max_steps=steps, channel="Direct")
    assert out
    assert {c.split("(")[0] for c in out} <= set(p)


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from(["exposure", "unique", "first", "frequency"]))
def test_fit_month_credits(data: list, transform: str) -> None:
    """fit_month (what the dbt Python model calls): per raw converting path and model, credits sum
    to 1; Markov and Shapley credits depend on the channel set only, to the bit (the same set in
    another order or with repeats gets exactly the same numbers)."""
    from socialroi.attribution.fit import fit_month

    counts: dict[tuple, list[int]] = {}  # one row per distinct raw path, as int_attribution_path_counts
    for p, c, n in data:
        acc = counts.setdefault(tuple(p), [0, 0])
        acc[0] += c
        acc[1] += n
    fit = fit_month([(p, c, n) for p, (c, n) in counts.items()], transform=transform)
    per: dict[tuple, dict[str, float]] = {}
    for path, model, ch, credit in fit.path_credits:
        per.setdefault((path, model), {})
        per[(path, model)][ch] = per[(path, model)].get(ch, 0.0) + credit
    converting = {p for p, (c, _) in counts.items() if c > 0}
    assert {path for path, _ in per} == converting
    by_set: dict[tuple, dict[str, float]] = {}
    for (path, model), credits in per.items():
        _is_credit(list(credits.values()))
        if model in ("markov", "shapley"):
            key = (frozenset(path), model)
            assert by_set.setdefault(key, credits) == credits, (path, model)


def test_fit_month_merges_small_channels_into_other() -> None:
    """Beyond max_channels, the channels touching the fewest journeys are fitted as one, Other, and
    Other's credit in an order goes back, in equal parts, to the merged channels on that order's path."""
    from socialroi.attribution.fit import fit_month

    rows = [(("A",), 5, 5), (("B",), 2, 2), (("A", "C"), 1, 0), (("B", "C"), 1, 1)]
    fit = fit_month(rows, transform="exposure", max_channels=2)
    assert fit.merged == ["B", "C"]
    assert set(fit.removal_effects) == {"A", "Other"}
    credits: dict[tuple, dict[str, float]] = {}
    for path, model, ch, credit in fit.path_credits:
        credits.setdefault((path, model), {})[ch] = credit
    for model in ("markov", "shapley", "fractribution"):
        # (B, C) is (Other) once merged: all its credit is Other's, back to B and C in halves
        assert credits[(("B", "C"), model)] == {"B": 0.5, "C": 0.5}
        assert credits[(("A",), model)] == {"A": 1.0}
        assert sum(credits[(("A", "C"), model)].values()) == pytest.approx(1.0)
        assert set(credits[(("A", "C"), model)]) == {"A", "C"}
    # without the cap nothing is merged
    assert fit_month(rows, transform="exposure", max_channels=3).merged == []
