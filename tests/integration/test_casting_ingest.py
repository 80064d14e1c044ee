"""The casting defects, through the real loader: a refused value quarantines its file with a reason naming
the file, row, column and value; a good one loads exactly."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from project_env import drop, query

from socialroi import settings as _settings
from socialroi.ingest import ingest_all

HEADER = "order_id,created_at,currency,gross_sales\n"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALROI_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("SOCIALROI_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("SOCIALROI_STATE", str(tmp_path / "state"))
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "comma_shop.yml").write_text('delimiter: ";"\ndecimal: ","\nthousands: "."\n')
    monkeypatch.setenv("SOCIALROI_FEEDS", str(feeds))
    monkeypatch.setenv("SOCIALROI_SALT", "test-salt")
    return _settings.load()


def _reason(settings, rel: str, text: str) -> dict:
    drop(settings, rel, text)
    result = ingest_all(settings)
    [q] = result["quarantined_files"]
    reason = q["reason"]
    assert reason["file"] == rel, reason
    return reason


def test_a_zone_abbreviation_quarantines_its_file_naming_row_column_and_value(env):
    reason = _reason(env, "generic/orders/pdt.csv", HEADER + "o1,2026-06-30 10:00:00,USD,1.00\n"
                     "o2,2026-06-30 20:30:00 PDT,USD,2.00\n")
    assert (reason["check"], reason["row"], reason["column"], reason["found"]) == (
        "type", 2, "created_at", "2026-06-30 20:30:00 PDT")
    assert "abbreviation" in reason["message"] and "ambiguous" in reason["message"]


def test_an_iana_zone_name_is_converted_to_utc(env):
    drop(env, "generic/orders/ny.csv", HEADER + "o1,2026-06-04T10:28:33 America/New_York,USD,1.00\n")
    assert ingest_all(env)["loaded"] == 1
    assert query(env, "select created_at from raw.generic__orders") == [(datetime(2026, 6, 4, 14, 28, 33),)]


def test_a_decimal_comma_feed_refuses_a_dot_that_groups_nothing(env):
    reason = _reason(env, "generic/orders/comma_shop/june.csv",
                     "order_id;created_at;currency;gross_sales\no1;2026-06-01;EUR;1.234,56\no2;2026-06-01;EUR;12.50\n")
    assert (reason["check"], reason["row"], reason["column"], reason["found"]) == ("type", 2, "gross_sales", "12.50")
    drop(env, "generic/orders/comma_shop/june.csv",
          "order_id;created_at;currency;gross_sales\no1;2026-06-01;EUR;1.234,56\no2;2026-06-01;EUR;12,50\n")
    assert ingest_all(env)["loaded"] == 1
    assert query(env, "select order_id, gross_sales from raw.generic__orders order by 1") == [
        ("o1", Decimal("1234.56")), ("o2", Decimal("12.50"))]


def test_an_id_from_excel_in_scientific_notation_is_refused(env):
    reason = _reason(env, "generic/orders/excel.csv", HEADER + "2.03041E+15,2026-06-01,USD,1.00\n")
    assert (reason["check"], reason["row"], reason["column"], reason["found"]) == ("type", 1, "order_id", "2.03041E+15")
    assert "id in scientific notation (opened in Excel?)" in reason["message"]


def test_a_key_padded_with_a_no_break_space_is_the_same_key(env):
    drop(env, "generic/orders/a.csv", HEADER + "o1,2026-06-01 10:00:00,USD,62.0000\n")
    drop(env, "generic/orders/b.csv", HEADER + "o1\u00a0,2026-06-01 10:00:00,USD,62.000000000\n")
    assert ingest_all(env)["loaded"] == 2
    assert query(env, "select order_id, gross_sales from raw.generic__orders") == [("o1", Decimal("62"))]


def test_a_bad_time_in_a_key_is_named_with_its_value(env):
    reason = _reason(env, "generic/returns/r.csv", "order_id,processed_at,amount\no1,2026-06-01 10:00:00,1.00\n"
                     "o2,2026-06-01 25:00:00,2.00\n")
    assert (reason["check"], reason["row"], reason["column"], reason["found"]) == (
        "type", 2, "processed_at", "2026-06-01 25:00:00")
    assert json.dumps(reason)
