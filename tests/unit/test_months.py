import datetime as dt

import pytest

from socialroi import months


@pytest.mark.parametrize("month, k, expected", [
    ("2026-03", 0, "2026-03"), ("2026-03", -2, "2026-01"), ("2026-03", -3, "2025-12"),
    ("2026-01", -13, "2024-12"), ("2026-11", 2, "2027-01"), ("2026-12", 1, "2027-01"), ("2026-12", 25, "2029-01"),
])
def test_shift(month, k, expected):
    assert months.shift(month, k) == expected
    assert months.shift(expected, -k) == month


def test_following_and_bounds():
    assert months.following("2026-11", 3) == ["2026-11", "2026-12", "2027-01"]
    assert months.following("2026-11", 0) == []
    assert months.bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert months.bounds("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "2026-3", "26-03", "2026-03-01", " 2026-03", "", None])
def test_check_rejects(bad):
    with pytest.raises(ValueError, match="YYYY-MM"):
        months.check(bad)
    with pytest.raises(ValueError):
        months.shift(bad, 1)
