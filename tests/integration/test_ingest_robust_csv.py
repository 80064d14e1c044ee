"""CSV exports as they really arrive: mixed line endings, very long values, Excel's delimiter-only rows,
and a header with a quote left open; each loads, or is refused with a reason that quotes no data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from project_env import drop, query

from socialroi.ingest import ingest_all

H = "order_id,created_at,currency,gross_sales"


def _row(i: int) -> str:
    return f"E{i},2026-01-05 10:00:00,USD,{i}.00"


MIXED = {
    "crlf_header_lf_rows.csv": f"{H}\r\n{_row(1)}\n{_row(2)}\n",
    "lf_header_crlf_rows.csv": f"{H}\n{_row(1)}\r\n{_row(2)}\r\n",
    "crlf_one_lf_line_appended.csv": f"{H}\r\n{_row(1)}\r\n{_row(2)}\n",
    "lf_one_crlf_line_inside.csv": f"{H}\n{_row(1)}\r\n{_row(2)}\n",
    "utf16_mixed.csv": (f"{H}\r\n{_row(1)}\n{_row(2)}\n").encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(MIXED))
def test_a_csv_mixing_crlf_and_lf_line_endings_loads(env, name):
    drop(env, f"generic/orders/{name}", MIXED[name])
    result = ingest_all(env)
    assert result["loaded"] == 1, result["quarantined_files"]
    assert query(env, "select order_id, currency, gross_sales from raw.generic__orders order by 1") == [
        ("E1", "USD", Decimal(1)), ("E2", "USD", Decimal(2))]


def test_quoted_line_breaks_stay_values_with_mixed_or_single_line_endings(env):
    # Excel: rows end with CRLF, a line break inside a cell is LF; and the same with one LF row appended
    drop(env, "generic/orders/excel.csv", f"{H},discount_code\r\n{_row(1)},\"TWO\nLINES\"\r\n{_row(2)},x\r\n")
    drop(env, "generic/orders/mixed.csv", f"{H},discount_code\r\nQ1,2026-01-05 10:00:00,USD,1.00,\"A\r\nB\"\r\n"
                                           "Q2,2026-01-05 10:00:00,USD,1.00,\"C\nD\"\nQ3,2026-01-05 10:00:00,USD,1.00,y\n")
    result = ingest_all(env)
    assert result["loaded"] == 2, result["quarantined_files"]
    codes = dict(query(env, "select order_id, discount_code from raw.generic__orders"))
    assert codes["E1"] == "TWO\nLINES" and codes["E2"] == "x"
    assert codes["Q1"].replace("\r\n", "\n") == "A\nB" and codes["Q2"] == "C\nD" and codes["Q3"] == "y"


def test_a_mixed_line_ending_file_with_a_bad_row_names_its_row_and_line(env):
    drop(env, "generic/orders/bad.csv", f"{H}\r\n{_row(1)}\n{_row(2)},extra\n")
    reason = ingest_all(env)["quarantined_files"][0]["reason"]
    assert (reason["check"], reason["row"]) == ("field_count", 2), reason
    assert "(row 2, line 3)" in reason["message"], reason


def test_a_value_over_duckdbs_line_limit_loads(env):
    # a 2.5 MB landing URL (over DuckDB's default 2 MB line), quoted, with slashes and an apostrophe
    url = "https://shop.example.com/it's/?q=" + "a/" * 1_250_000
    drop(env, "generic/sessions/long.csv", "session_id,user_id,started_at,landing_url\n"
          f"S1,u1,2026-01-05 10:00:00,\"{url}\"\nS2,u2,2026-01-05 11:00:00,https://x.example/\n")
    result = ingest_all(env)
    assert result["loaded"] == 1, result["quarantined_files"]
    assert query(env, "select session_id, length(landing_url) from raw.generic__sessions order by 1") == [
        ("S1", len(url)), ("S2", len("https://x.example/"))]


BASIC_AD = "ad_id,date,account_id,impressions,inline_link_clicks,spend\n"


def test_rows_of_delimiters_only_are_skipped_like_blank_lines(env):
    # Excel's trailing rows of empty cells (`,,,,,`), one inside the data too, and one with quoted empties
    drop(env, "facebook_ads/basic_ad/excel.csv", BASIC_AD + "A1,2026-01-05,act_1,100,3,12.50\n,,,,,\n"
          "A2,2026-01-05,act_1,80,1,3.10\n,,,,,\n\"\",\"\",,,,\n,,,,,\r\n")
    result = ingest_all(env)
    assert result["loaded"] == 1, result["quarantined_files"]
    assert query(env, "select ad_id, spend from raw.facebook_ads__basic_ad order by 1") == [
        ("A1", Decimal("12.5")), ("A2", Decimal("3.1"))]
    assert query(env, "select rows from ingest.file_ledger") == [(2,)]


def test_a_row_with_one_value_among_empty_cells_is_still_checked(env):
    drop(env, "facebook_ads/basic_ad/partial.csv", BASIC_AD + "A1,2026-01-05,act_1,100,3,12.50\n,,,,,\n,,,,,9.99\n")
    reason = ingest_all(env)["quarantined_files"][0]["reason"]
    assert (reason["check"], reason["row"], reason["column"]) == ("key_not_null", 3, "ad_id"), reason
    assert "(line 4)" in reason["message"], reason


@pytest.mark.parametrize("header", [
    '"order_id,created_at,currency,gross_sales',  # the quote opened before the first name
    'order_id,created_at,"currency,gross_sales',  # inside the header
])
def test_a_header_with_a_quote_left_open_is_refused_without_quoting_the_rows(env, header):
    drop(env, "generic/orders/h.csv", f"{header}\nO1,2026-06-04T10:00:00Z,USD,10.00\n"
                                       "bob.smith@example.com,2026-06-04T10:00:00Z,USD,+1 415 555 0130\n")
    result = ingest_all(env)
    assert result["quarantined"] == 1
    reason = result["quarantined_files"][0]["reason"]
    assert (reason["check"], reason["row"]) == ("quoting", None), reason
    assert "header" in reason["message"] and "line 1" in reason["message"], reason
    kept = (env.landing / "_quarantine" / "generic" / "orders" / "h.csv.reason.json").read_text()
    for said in (json.dumps(reason), kept):
        for data in ("o1", "O1", "2026", "usd", "USD", "10_00", "10.00", "bob", "smith", "415", "555"):
            assert data not in said, (data, said)


def test_a_header_name_with_a_quoted_line_break_still_loads(env):
    drop(env, "generic/orders/wrapped.csv", 'order_id,created_at,currency,"Gross\nSales"\nW1,2026-01-05 10:00:00,USD,1.00\n')
    assert ingest_all(env)["loaded"] == 1
    assert query(env, "select order_id, gross_sales from raw.generic__orders") == [("W1", Decimal(1))]
