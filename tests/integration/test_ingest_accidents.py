"""What an export gets wrong by accident, through the real loader: personal data where it does not belong
(a padded phone, an email as a discount code, a phone in an order's tags, a file without its header) is
hashed, redacted or never quoted; an order's impossible amounts (a negative gross, a discount above the
gross) are refused naming the row and column."""

from __future__ import annotations

import duckdb
from project_env import project

from socialroi.ingest import ingest_all


def test_a_phone_with_a_leading_space_is_hashed_or_redacted(tmp_path):
    with project(tmp_path) as s:
        sessions = s.landing / "generic" / "sessions"
        sessions.mkdir(parents=True)
        (sessions / "padded.csv").write_text(
            "session_id,user_id,started_at,utm_source,utm_term\n"
            's1," +1 303 555 0193",2026-06-01T10:00:00Z,newsletter," +44 20 7946 0958"\n'
            "s2,u2,2026-06-01T11:00:00Z,newsletter,spring\n")
        (sessions / "plain.csv").write_text(  # the same values unpadded, alone in their file
            "session_id,user_id,started_at,utm_source,utm_term\n"
            "s3,+1 303 555 0193,2026-06-01T12:00:00Z,newsletter,+44 20 7946 0958\n")
        assert ingest_all(s)["loaded"] == 2
        con = duckdb.connect(str(s.warehouse), read_only=True)
        try:
            rows = dict(con.execute("select session_id, (user_id, utm_term) from raw.generic__sessions").fetchall())
        finally:
            con.close()
    # the padded row comes out as the unpadded one: the id hashed (64 hex digits), the UTM redacted
    assert rows["s1"] == rows["s3"] and rows["s2"] == ("u2", "spring")
    assert len(rows["s1"][0]) == 64 and rows["s1"][1] == "redacted-phone"


def test_an_orders_free_text_is_scrubbed_and_a_negative_gross_refused(tmp_path):
    with project(tmp_path) as s:
        orders = s.landing / "generic" / "orders"
        orders.mkdir(parents=True)
        (orders / "good.csv").write_text(
            "order_id,created_at,currency,gross_sales,discount_code\n"
            "O1,2026-06-05T12:00:00Z,USD,20.00,mia@example.net\n"
            "O2,2026-06-05T13:00:00Z,USD,20.00,IG10\n")
        (orders / "negative.csv").write_text(
            "order_id,created_at,currency,gross_sales\nO3,2026-06-05T12:00:00Z,USD,-5.00\n")
        result = ingest_all(s)
        assert result["loaded"] == 1 and result["quarantined"] == 1
        (refused,) = result["quarantined_files"]
        assert refused["file"].endswith("negative.csv") and "gross_sales" in str(refused) and "row 1" in str(refused)
        con = duckdb.connect(str(s.warehouse), read_only=True)
        try:
            codes = dict(con.execute("select order_id, discount_code from raw.generic__orders").fetchall())
        finally:
            con.close()
    assert codes == {"O1": "redacted-email", "O2": "IG10"}


def test_a_file_without_its_header_is_refused_without_quoting_its_first_row(tmp_path):
    with project(tmp_path) as s:
        orders = s.landing / "generic" / "orders"
        orders.mkdir(parents=True)
        (orders / "no_header.csv").write_text("O1,2026-06-05T12:00:00Z,USD,20.00,bob@example.com\n")
        (refused,) = ingest_all(s)["quarantined_files"]
    reason = refused["reason"]
    assert reason["check"] == "required_columns" and "is the header missing?" in reason["message"]
    assert "bob" not in str(reason) and "example" not in str(reason)


def test_an_orders_tags_lose_the_phones_inside_them(tmp_path):
    with project(tmp_path) as s:
        export = s.landing / "shopify" / "admin_orders_export"
        export.mkdir(parents=True)
        (export / "orders.csv").write_text(
            "Name,Created at,Lineitem quantity,Lineitem price,Tags\n"
            '#1001,2026-06-05 12:00:00 +0000,1,20.00,"vip, mia@example.net, +1 303 555 0193"\n')
        assert ingest_all(s)["loaded"] == 1
        con = duckdb.connect(str(s.warehouse), read_only=True)
        try:
            tags = con.execute("select tags from raw.shopify__admin_orders_export").fetchall()
        finally:
            con.close()
    assert tags == [("vip, redacted-email, redacted-phone",)]


def test_a_discount_above_its_gross_is_refused_naming_the_row(tmp_path):
    with project(tmp_path) as s:
        orders = s.landing / "generic" / "orders"
        orders.mkdir(parents=True)
        (orders / "o.csv").write_text("order_id,created_at,currency,gross_sales,discount\n"
                                      "F1,2026-06-05T12:00:00Z,USD,20.00,20.00\nF2,2026-06-05T13:00:00Z,USD,20.00,25.00\n")
        (refused,) = ingest_all(s)["quarantined_files"]
    reason = refused["reason"]
    assert (reason["check"], reason["row"], reason["column"]) == ("range", 2, "discount")
    assert "to the row's gross_sales" in reason["message"] and "25" in reason["message"]
