"""Exact Shapley values over channel coalitions (unordered, as DP6's ``order=False``).

The game of an order whose path touched the channel set ``N`` is
``v(T) = conversion rate of the journeys whose channel set is exactly T`` for
``T`` a subset of ``N`` (0 for a set never seen, ``v(empty) = 0``). Each
channel's Shapley value is
``phi_i = sum_{S not containing i} |S|! (n-|S|-1)! / n! * (v(S + i) - v(S))``.

Complexity: all ``2**n`` subsets are enumerated (time ``O(n 2**n)``, memory
``O(2**n)``); ``max_channels`` (default 15, the CONTRACTS cap, 32,768 subsets)
guards against larger paths — merge small channels into ``Other`` upstream.

Per-order credits are the Shapley values normalised to sum 1. A Shapley value
can be negative (a channel whose presence lowers the rate); by default such
values are floored at 0 before normalising, as fractribution floors marginal
contributions, so credits stay in [0, 1] (``clip_negative=False`` keeps them
signed). If ``v(N) <= 0`` or every value is 0, the channels share equally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import factorial

import numpy as np

MAX_CHANNELS = 15


def coalition_rates(
    paths: Sequence[Sequence[str]],
    conversions: Sequence[float],
    nulls: Sequence[float],
) -> dict[frozenset[str], float]:
    """Conversion rate of each exact channel set (paths with no journeys are skipped)."""
    if not (len(paths) == len(conversions) == len(nulls)):
        raise ValueError("paths, conversions and nulls must have the same length")
    conv: dict[frozenset[str], float] = {}
    seen: dict[frozenset[str], float] = {}
    for path, v, u in zip(paths, conversions, nulls, strict=True):
        v, u = float(v), float(u)
        if v < 0 or u < 0:
            raise ValueError("conversions and nulls must be >= 0")
        if not path or v + u == 0:
            continue
        key = frozenset(path)
        conv[key] = conv.get(key, 0.0) + v
        seen[key] = seen.get(key, 0.0) + v + u
    return {k: conv[k] / seen[k] for k in conv}


def shapley_values(
    channels: frozenset[str],
    rates: Mapping[frozenset[str], float],
    *,
    max_channels: int = MAX_CHANNELS,
) -> dict[str, float]:
    """Raw (unnormalised) Shapley values of the rate game restricted to ``channels``."""
    names = sorted(channels)
    n = len(names)
    if n == 0:
        raise ValueError("empty channel set")
    if n > max_channels:
        raise ValueError(
            f"{n} channels exceed max_channels={max_channels}: exact Shapley needs 2**n "
            "subsets; merge the smallest channels into 'Other' first"
        )
    bit = {c: 1 << i for i, c in enumerate(names)}
    v = np.zeros(1 << n)
    for key, rate in rates.items():
        if key and key <= channels:
            v[sum(bit[c] for c in key)] = float(rate)
    masks = np.arange(1 << n)
    sizes = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        sizes += (masks >> i) & 1
    weight = np.array([factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)])
    out: dict[str, float] = {}
    for i, c in enumerate(names):
        without = masks[((masks >> i) & 1) == 0]
        out[c] = float(np.sum(weight[sizes[without]] * (v[without | (1 << i)] - v[without])))
    return out


def per_path_shapley(
    channels: frozenset[str],
    rates: Mapping[frozenset[str], float],
    *,
    clip_negative: bool = True,
    max_channels: int = MAX_CHANNELS,
) -> dict[str, float]:
    """An order's credit per channel: Shapley values normalised to sum 1."""
    phi = shapley_values(channels, rates, max_channels=max_channels)
    equal = {c: 1.0 / len(phi) for c in phi}
    if float(rates.get(frozenset(channels), 0.0)) <= 0:
        return equal
    if clip_negative:
        phi = {c: max(0.0, x) for c, x in phi.items()}
    total = sum(phi.values())
    if total <= 0:
        return equal
    return {c: x / total for c, x in phi.items()}
