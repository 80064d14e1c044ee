"""Small helpers shared by the simulator: time, money in integer cents, deterministic tokens.

Money is carried as integer minor units (cents) everywhere inside the simulator: exact, fast, and
formatted as plain two-decimal strings on output. Rates are carried as integer micro-units (rate x 1e6),
which is exactly the 6-decimal value written to the FX files.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import numpy as np

DAY = 86_400
HOUR = 3_600
UTC = dt.UTC

SHOP_DOMAIN = "shop.example.com"
SHOP_URL = f"https://{SHOP_DOMAIN}"
SHOP_TIMEZONE = "America/New_York"
SHOP_CURRENCY = "USD"


# ---------------------------------------------------------------- months and timestamps


def parse_month(ym: str) -> int:
    """'YYYY-MM' -> months since 1970-01 (the numpy datetime64[M] integer)."""
    try:
        year, month = (int(p) for p in ym.split("-"))
    except ValueError as exc:  # pragma: no cover - message only
        raise ValueError(f"start must be 'YYYY-MM', got {ym!r}") from exc
    if not 1 <= month <= 12 or len(ym) != 7:
        raise ValueError(f"start must be 'YYYY-MM', got {ym!r}")
    return (year - 1970) * 12 + month - 1


def month_label(mi: int) -> str:
    return f"{1970 + mi // 12:04d}-{mi % 12 + 1:02d}"


def month_start_day(mi: int) -> int:
    """Days since epoch of the first day of month index `mi`."""
    return int(np.datetime64(month_label(mi), "M").astype("datetime64[D]").astype(np.int64))


def month_start_ts(mi: int) -> int:
    return month_start_day(mi) * DAY


def month_of_ts(ts: np.ndarray | int) -> np.ndarray:
    """Month index (since 1970-01) of epoch seconds, vectorised."""
    return np.asarray(ts, dtype=np.int64).astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)


_MONTH_OF_DAY: dict[int, int] = {}


def month_index(ts: int) -> int:
    """Month index (since 1970-01) of one epoch-seconds value (scalar, cached by day)."""
    day = int(ts) // DAY
    m = _MONTH_OF_DAY.get(day)
    if m is None:
        d = dt.date(1970, 1, 1) + dt.timedelta(days=day)
        m = _MONTH_OF_DAY[day] = (d.year - 1970) * 12 + d.month - 1
    return m


def month_of_day(days: np.ndarray | int) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def iso_seconds(ts: np.ndarray) -> np.ndarray:
    """Epoch seconds -> 'YYYY-MM-DDTHH:MM:SS' strings (vectorised)."""
    return np.datetime_as_string(np.asarray(ts, dtype=np.int64).astype("datetime64[s]"), unit="s")


_DAY_STR: dict[int, str] = {}


def day_str(day: int) -> str:
    """Days since epoch -> 'YYYY-MM-DD' (cached: a run touches a few hundred days)."""
    s = _DAY_STR.get(day)
    if s is None:
        s = _DAY_STR[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=int(day))).isoformat()
    return s


def ts_str(ts: int, sep: str = " ") -> str:
    """Epoch seconds -> 'YYYY-MM-DD HH:MM:SS' (UTC, or any wall clock passed as seconds)."""
    d, rest = divmod(int(ts), DAY)
    h, rest = divmod(rest, HOUR)
    m, s = divmod(rest, 60)
    return f"{day_str(d)}{sep}{h:02d}:{m:02d}:{s:02d}"


def day_date(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day))


def synced_str(ts: int, millis: int = 0) -> str:
    """A connector-style `_fivetran_synced` value: 'YYYY-MM-DD HH:MM:SS.mmm' (UTC)."""
    return f"{ts_str(ts)}.{millis % 1000:03d}"


class TzOffsets:
    """UTC offsets of one IANA zone, vectorised over epoch seconds by an hourly lookup table.

    Exact for zones whose transitions fall on whole UTC hours (all zones the simulator uses).
    """

    def __init__(self, tzname: str, lo_ts: int, hi_ts: int):
        self.tz = ZoneInfo(tzname)
        self.base = (lo_ts // HOUR - 48) * HOUR
        n = (hi_ts - self.base) // HOUR + 96
        self.table = np.array(
            [int(dt.datetime.fromtimestamp(self.base + k * HOUR, self.tz).utcoffset().total_seconds())
             for k in range(int(n))],
            dtype=np.int64,
        )

    def offset(self, ts: np.ndarray) -> np.ndarray:
        idx = (np.asarray(ts, dtype=np.int64) - self.base) // HOUR
        return self.table[np.clip(idx, 0, len(self.table) - 1)]

    def local(self, ts: np.ndarray) -> np.ndarray:
        """Local wall-clock time as epoch-like seconds (naive)."""
        ts = np.asarray(ts, dtype=np.int64)
        return ts + self.offset(ts)

    def local_day(self, ts: np.ndarray) -> np.ndarray:
        return self.local(ts) // DAY

    def offset_of(self, ts: int) -> int:
        return int(self.table[min(max((int(ts) - self.base) // HOUR, 0), len(self.table) - 1)])

    def local_str(self, ts: int) -> str:
        """'YYYY-MM-DD HH:MM:SS -0500' (Shopify admin export style)."""
        off = self.offset_of(ts)
        sign = "-" if off < 0 else "+"
        hh, mm = divmod(abs(off) // 60, 60)
        return f"{ts_str(int(ts) + off)} {sign}{hh:02d}{mm:02d}"


# ---------------------------------------------------------------- money in cents


def money(cents: int) -> str:
    """Integer cents -> plain decimal string with two decimals ('-12.30', '0.00')."""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def div_half_up(num: int, den: int) -> int:
    """round(num / den) half away from zero, for num >= 0, den > 0 (integers, exact)."""
    return (2 * num + den) // (2 * den)


def div_half_even(num: int, den: int) -> int:
    """round(num / den) half to even, for num >= 0, den > 0 (integers, exact)."""
    q, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and q % 2 == 1):
        q += 1
    return q


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split integer `total` over `weights` pro rata; largest remainders get the leftover units.

    Ties go to the earlier position, so the result is stable.
    """
    wsum = sum(weights)
    if wsum <= 0 or total == 0:
        return [0] * len(weights)
    base = [total * w // wsum for w in weights]
    rems = [total * w % wsum for w in weights]
    left = total - sum(base)
    for i in sorted(range(len(weights)), key=lambda k: (-rems[k], k))[:left]:
        base[i] += 1
    return base


# ---------------------------------------------------------------- deterministic tokens

_ALNUM = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"), dtype="<U1")
_B64URL = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), dtype="<U1")
_HEX = np.array(list("0123456789abcdef"), dtype="<U1")


def tokens(rng: np.random.Generator, n: int, length: int, alphabet: str = "alnum") -> np.ndarray:
    """`n` random strings of `length` characters, vectorised (a '<U{length}' array)."""
    chars = {"alnum": _ALNUM, "b64url": _B64URL, "hex": _HEX}[alphabet]
    if n == 0:
        return np.array([], dtype=f"<U{length}")
    idx = rng.integers(0, len(chars), size=(n, length))
    return np.ascontiguousarray(chars[idx]).view(f"<U{length}").ravel()


def fivetran_id(*parts: object) -> str:
    """A stable connector-style `_fivetran_id` (base64 of a SHA-1), derived from the row's own key."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode()).digest()
    return base64.b64encode(digest).decode()
