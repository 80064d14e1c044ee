"""Absorbing Markov chain attribution, solved exactly.

Input: aggregated paths (one entry per distinct path) with their numbers of
conversions and of non-conversions ("nulls"). Each journey is the walk
``(start) -> c1 -> ... -> ck -> (conversion | null)``; transition counts are
summed over journeys (a path with ``v`` conversions and ``u`` nulls contributes
``v + u`` to each inner transition, ``v`` to ``ck -> (conversion)`` and ``u`` to
``ck -> (null)``) and normalised per row.

The conversion probability from ``(start)`` is the absorption probability
``x_start`` of ``(I - Q) x = r`` (``Q`` transient-to-transient, ``r``
transient-to-conversion), computed with one linear solve, never by simulation.
The *removal effect* of a channel is ``1 - P_without / P``, where ``P_without``
sends every transition into the channel (into every state containing it, for
``order > 1``) to ``(null)``, as in ChannelAttribution and DP6's MAM.

Conventions and how the peers' are reproduced:

* Self-loops (``A -> A``) do not change absorption probabilities, so at
  ``order=1`` removal effects are the same whether repeats are collapsed first
  (``exposure`` transform) or kept (DP6's ``transition_to_same_state`` True or False).
* ``global_conversions`` is ChannelAttribution's / DP6's normalisation:
  ``RE_c / sum(RE) * total conversions``.
* :func:`per_path_credit` (the per-order credit of CONTRACTS) gives each
  *distinct* channel on the path a share proportional to its removal effect
  (``count_repeats=False``, the default). DP6's per-journey "journey weights"
  weigh every *touch* by its channel's removal effect, so a channel touched twice
  weighs twice: ``count_repeats=True`` reproduces them (divide a channel's
  credit by its number of touches for DP6's per-touch list).
* ``order > 1``: the state after a touch is the tuple of the last ``order``
  channels (shorter at the start of a path), a proper memory-``order`` chain.
  ChannelAttribution's higher-order states differ at path starts; its
  ``order=1`` results (up to its simulation noise) are reproduced exactly.
* Paths with no channel, and paths with no conversions and no nulls, are left
  out of the fit (an order without touches is "Unattributed", not a channel).
  If nothing converts, every removal effect is 0 (and so are the global
  conversions); if all removal effects are 0, global conversions are 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

State = tuple[str, ...]
_START: State = ()


@dataclass(frozen=True)
class MarkovResult:
    """Fitted chain: conversion probability, removal effects, global conversions."""

    p_conversion: float
    removal_effects: dict[str, float]
    global_conversions: dict[str, float]
    total_conversions: float


def _states(path: Sequence[str], order: int) -> list[State]:
    if order == 1:
        return [(c,) for c in path]
    return [tuple(path[max(0, i - order + 1) : i + 1]) for i in range(len(path))]


def _fit(
    paths: Sequence[Sequence[str]],
    conversions: Sequence[float],
    nulls: Sequence[float],
    order: int,
) -> tuple[list[State], np.ndarray, np.ndarray, np.ndarray, list[str], float]:
    """Transition probabilities Q (transient->transient), r (->conversion), ->null."""
    if order < 1:
        raise ValueError("order must be >= 1")
    if not (len(paths) == len(conversions) == len(nulls)):
        raise ValueError("paths, conversions and nulls must have the same length")
    index: dict[State, int] = {_START: 0}
    channels: dict[str, None] = {}
    edges: dict[tuple[int, int], float] = {}
    conv = [0.0]
    null = [0.0]
    total = 0.0
    for path, v, u in zip(paths, conversions, nulls, strict=True):
        v, u = float(v), float(u)
        if v < 0 or u < 0:
            raise ValueError("conversions and nulls must be >= 0")
        if not path or v + u == 0:
            continue
        total += v
        prev = 0
        for s in _states(path, order):
            if s not in index:
                index[s] = len(index)
                conv.append(0.0)
                null.append(0.0)
            j = index[s]
            edges[(prev, j)] = edges.get((prev, j), 0.0) + v + u
            prev = j
        conv[prev] += v
        null[prev] += u
        channels.update(dict.fromkeys(path))
    n = len(index)
    counts = np.zeros((n, n))
    for (i, j), w in edges.items():
        counts[i, j] = w
    conv_arr, null_arr = np.asarray(conv), np.asarray(null)
    row = counts.sum(axis=1) + conv_arr + null_arr
    row[row == 0] = 1.0  # only (start) when there is no data
    states = sorted(index, key=index.__getitem__)
    q, r, nu = counts / row[:, None], conv_arr / row, null_arr / row
    return states, q, r, nu, sorted(channels), total


def _absorption(q: np.ndarray, r: np.ndarray, keep: np.ndarray) -> float:
    """P(conversion) from state 0 when only states in ``keep`` can be entered."""
    idx = np.flatnonzero(keep)
    qk = q[np.ix_(idx, idx)]
    x = np.linalg.solve(np.eye(len(idx)) - qk, r[idx])
    return float(x[0])


def markov_model(
    paths: Sequence[Sequence[str]],
    conversions: Sequence[float],
    nulls: Sequence[float],
    order: int = 1,
) -> MarkovResult:
    """Fit the absorbing chain; return P(conversion), removal effects, global conversions."""
    states, q, r, _, channels, total = _fit(paths, conversions, nulls, order)
    keep_all = np.ones(len(states), dtype=bool)
    p = _absorption(q, r, keep_all) if len(states) > 1 else 0.0
    effects: dict[str, float] = {}
    for c in channels:
        if p <= 0:
            effects[c] = 0.0
            continue
        keep = np.array([c not in s for s in states])
        keep[0] = True
        p_without = _absorption(q, r, keep)
        effects[c] = min(1.0, max(0.0, 1.0 - p_without / p))
    re_sum = sum(effects.values())
    glob = {c: (e / re_sum * total if re_sum > 0 else 0.0) for c, e in effects.items()}
    return MarkovResult(p, effects, glob, total)


def transition_probabilities(
    paths: Sequence[Sequence[str]],
    conversions: Sequence[float],
    nulls: Sequence[float],
    order: int = 1,
) -> dict[tuple[str, str], float]:
    """Non-zero transition probabilities ``(from, to) -> p`` of the fitted chain.

    States are named by their channel (``order > 1``: channels joined by ``','``),
    plus ``'(start)'``, ``'(conversion)'`` and ``'(null)'``.
    """
    states, q, r, nu, _, _ = _fit(paths, conversions, nulls, order)
    names = ["(start)"] + [",".join(s) for s in states[1:]]
    out: dict[tuple[str, str], float] = {}
    for i, a in enumerate(names):
        for j in np.flatnonzero(q[i]):
            out[(a, names[j])] = float(q[i, j])
        if r[i] > 0:
            out[(a, "(conversion)")] = float(r[i])
        if nu[i] > 0:
            out[(a, "(null)")] = float(nu[i])
    return out


def removal_effects(
    paths: Sequence[Sequence[str]],
    conversions: Sequence[float],
    nulls: Sequence[float],
    order: int = 1,
) -> dict[str, float]:
    """Removal effect of each channel (``1 - P(conv without it) / P(conv)``)."""
    return markov_model(paths, conversions, nulls, order).removal_effects


def per_path_credit(
    path: Sequence[str],
    removal_effects: Mapping[str, float],
    *,
    count_repeats: bool = False,
) -> dict[str, float]:
    """An order's credit per channel of its path, proportional to removal effects.

    Channels missing from ``removal_effects`` count as 0; if every weight is 0 the
    distinct channels share equally. ``count_repeats=True`` weighs each touch
    (DP6's journey weights); the default weighs each distinct channel once.
    Sums to 1.
    """
    if not path:
        raise ValueError("empty path: an order without touches is Unattributed")
    touches: dict[str, int] = {}
    for c in path:
        touches[c] = touches.get(c, 0) + 1
    weights = {
        c: max(0.0, float(removal_effects.get(c, 0.0))) * (n if count_repeats else 1) for c, n in touches.items()
    }
    total = sum(weights.values())
    if total <= 0:
        return {c: 1.0 / len(touches) for c in touches}
    return {c: w / total for c, w in weights.items()}
