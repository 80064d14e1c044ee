"""Exact Shapley values over channel coalitions."""

from itertools import permutations

import pytest

from socialroi.attribution.shapley import (
    coalition_rates,
    per_path_shapley,
    shapley_values,
)


def _brute_force(players: list[str], v: dict[frozenset[str], float]) -> dict[str, float]:
    """Average marginal contribution over all orderings (the definition)."""
    out = dict.fromkeys(players, 0.0)
    orders = list(permutations(players))
    for order in orders:
        seen: set[str] = set()
        for p in order:
            before = v.get(frozenset(seen), 0.0)
            seen.add(p)
            out[p] += (v.get(frozenset(seen), 0.0) - before) / len(orders)
    return out


def test_coalition_rates() -> None:
    rates = coalition_rates([["a", "b"], ["b", "a", "a"], ["a"], [], ["c"]], [1, 2, 1, 5, 0], [3, 2, 1, 0, 0])
    assert rates == {frozenset("ab"): 3 / 8, frozenset("a"): 0.5}


def test_matches_brute_force() -> None:
    rates = {
        frozenset("a"): 0.10,
        frozenset("b"): 0.05,
        frozenset("c"): 0.02,
        frozenset("ab"): 0.30,
        frozenset("bc"): 0.08,
        frozenset("abc"): 0.40,
        frozenset("abd"): 0.90,  # not a subset of abc: ignored
    }
    got = shapley_values(frozenset("abc"), rates)
    expected = _brute_force(["a", "b", "c"], rates)
    assert got == pytest.approx(expected, abs=1e-12)
    assert sum(got.values()) == pytest.approx(0.40, abs=1e-12)  # efficiency
    credit = per_path_shapley(frozenset("abc"), rates)
    assert credit == pytest.approx({k: x / 0.40 for k, x in expected.items()}, abs=1e-12)


def test_negative_values_are_floored() -> None:
    rates = {frozenset("a"): 0.5, frozenset("b"): 0.0, frozenset("ab"): 0.1}
    raw = shapley_values(frozenset("ab"), rates)
    assert raw == pytest.approx({"a": 0.3, "b": -0.2})
    assert per_path_shapley(frozenset("ab"), rates) == {"a": 1.0, "b": 0.0}
    signed = per_path_shapley(frozenset("ab"), rates, clip_negative=False)
    assert signed == pytest.approx({"a": 3.0, "b": -2.0})


def test_equal_split_and_limits() -> None:
    assert per_path_shapley(frozenset("ab"), {}) == {"a": 0.5, "b": 0.5}
    assert per_path_shapley(frozenset("a"), {frozenset("a"): 0.2}) == {"a": 1.0}
    many = frozenset(f"c{i}" for i in range(15))
    credit = per_path_shapley(many, {many: 0.1, frozenset(["c0"]): 0.05})
    assert sum(credit.values()) == pytest.approx(1.0, abs=1e-12)
    with pytest.raises(ValueError):
        per_path_shapley(frozenset(f"c{i}" for i in range(16)), {})
    with pytest.raises(ValueError):
        per_path_shapley(frozenset(), {})
