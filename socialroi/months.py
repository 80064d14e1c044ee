"""Calendar months as 'YYYY-MM' strings: the one place their arithmetic and validation live."""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re

MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def check(month: str) -> str:
    """`month` if it is a month like 2026-03; ValueError otherwise."""
    if not isinstance(month, str) or not MONTH_RE.fullmatch(month):
        raise ValueError(f"{month!r} is not a month like 2026-03 (YYYY-MM)")
    return month


def shift(month: str, k: int) -> str:
    """The month k months after `month` (before it for negative k)."""
    y, m = divmod(int(check(month)[:4]) * 12 + int(month[5:]) - 1 + k, 12)
    return f"{y:04d}-{m + 1:02d}"


def following(start: str, n: int) -> list[str]:
    """`start` and the n - 1 months after it."""
    return [shift(start, k) for k in range(n)]


def bounds(month: str) -> tuple[dt.date, dt.date]:
    """The month's first and last day."""
    y, m = int(check(month)[:4]), int(month[5:])
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def argument(value: str) -> str:
    """argparse `type=` for a month option: its error is the command line's usage error."""
    try:
        return check(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
