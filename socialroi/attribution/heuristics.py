"""Rule-based credits for one converting path: the Python reference for the SQL models.

Each function takes one journey's touches, oldest first, and returns one credit per
touch, summing to 1. Conventions follow DP6's MAM (``tests/fixtures/reference/dp6-mam``)
where it defines them; where our defaults differ, a parameter reproduces DP6:

* ``last_non_direct``: the last touch whose channel is not ``direct_channel``
  (default ``'Direct'``; DP6's test data spells it ``'direct'``). A journey with
  only direct touches gives its credit to the last touch (``fallback='last'``,
  CONTRACTS); DP6's per-touch output gives it to the *first* touch
  (``fallback='first'``), while its per-channel totals use the last.
* ``time_decay``: weight ``0.5 ** (age / half_life)``, age measured back from the
  conversion (by default the last touch). Default half-life 7 days (GA's). DP6
  (``decay_over_time=0.5, frequency=24``) halves the weight once per *whole* day:
  ``time_decay(ts, half_life_days=1, stepwise=True)``.
* ``position_based(first, last)``: one touch gets 1; two touches split the middle
  share ``1 - first - last`` equally (0.5 / 0.5 by default); longer paths give
  the middle share equally to the inner touches (DP6 and fractribution agree).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

Timestamp = datetime | float  # float: seconds since the epoch


def _check(path: Sequence[object]) -> int:
    if not path:
        raise ValueError("empty path: an order without touches is Unattributed")
    return len(path)


def first_touch(path: Sequence[str]) -> list[float]:
    """All credit to the first touch."""
    n = _check(path)
    return [1.0] + [0.0] * (n - 1)


def last_touch(path: Sequence[str]) -> list[float]:
    """All credit to the last touch."""
    n = _check(path)
    return [0.0] * (n - 1) + [1.0]


def last_non_direct(
    path: Sequence[str],
    direct_channel: str = "Direct",
    *,
    fallback: Literal["last", "first"] = "last",
) -> list[float]:
    """All credit to the last touch not in ``direct_channel`` (see module docstring)."""
    n = _check(path)
    out = [0.0] * n
    idx = [i for i, c in enumerate(path) if c != direct_channel]
    if idx:
        out[idx[-1]] = 1.0
    elif fallback == "last":
        out[-1] = 1.0
    elif fallback == "first":
        out[0] = 1.0
    else:
        raise ValueError("fallback must be 'last' or 'first'")
    return out


def linear(path: Sequence[str]) -> list[float]:
    """Equal credit to every touch."""
    n = _check(path)
    return [1.0 / n] * n


def check_position_shares(first: float, last: float) -> None:
    """The one rule for position-based shares (socialroi.settings applies it to the settings too): each
    >= 0 and ``first + last <= 1``. Raises ValueError naming the rule."""
    if first < 0 or last < 0 or 1.0 - first - last < -1e-12:
        raise ValueError("first and last must be >= 0 with first + last <= 1")


def position_based(path: Sequence[str], first: float = 0.4, last: float = 0.4) -> list[float]:
    """``first`` to the first touch, ``last`` to the last, the rest to the touches between."""
    n = _check(path)
    check_position_shares(first, last)
    middle = max(0.0, 1.0 - first - last)
    if n == 1:
        return [1.0]
    if n == 2:
        return [first + middle / 2, last + middle / 2]
    return [first] + [middle / (n - 2)] * (n - 2) + [last]


def _seconds(t: Timestamp) -> float:
    return t.timestamp() if isinstance(t, datetime) else float(t)


def time_decay(
    timestamps: Sequence[Timestamp],
    half_life_days: float = 7.0,
    *,
    conversion_time: Timestamp | None = None,
    stepwise: bool = False,
) -> list[float]:
    """Credit ``0.5 ** (age / half_life)``, normalised; ``stepwise`` floors ``age / half_life``."""
    _check(timestamps)
    if half_life_days <= 0:
        raise ValueError("half_life_days must be > 0")
    secs = [_seconds(t) for t in timestamps]
    end = _seconds(conversion_time) if conversion_time is not None else max(secs)
    periods = [(end - s) / (86400.0 * half_life_days) for s in secs]
    if stepwise:
        periods = [math.floor(p) for p in periods]
    base = min(periods)  # shift so the freshest touch has weight 1: no underflow
    weights = [0.5 ** (p - base) for p in periods]
    total = sum(weights)
    return [w / total for w in weights]
