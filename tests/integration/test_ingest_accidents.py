"""What an export gets wrong by accident, through the real loader: personal data where it does not belong
(a padded phone, an email as a discount code, a phone in an order's tags, a file without its header) is
hashed, redacted or never quoted; an order's impossible amounts (a negative gross, a discount above the
gross) are refused naming the row and column."""

from __future__ import annotations

from project_env import drop, query

from socialroi.ingest import ingest_all

SESSIONS = "session_id,user_id,started_at,utm_source,utm_term\n"
ORDERS = "order_id,created_at,currency,gross_sales"


def test_a_phone_with_a_leading_space_is_hashed_or_redacted(env):
    drop(env, "generic/sessions/padded.csv", SESSIONS +
         's1," +1 303 555 0193",2026-06-01T10:00:00Z,newsletter," +44 20 7946 0958"\n'
         "s2,u2,2026-06-01T11:00:00Z,newsletter,spring\n")
    # the same values unpadded, alone in their file
    drop(env, "generic/sessions/plain.csv", SESSIONS + "s3,+1 303 555 0193,2026-06-01T12:00:00Z,newsletter,+44 20 7946 0958\n")
    assert ingest_all(env)["loaded"] == 2
    rows = dict(query(env, "select session_id, (user_id, utm_term) from raw.generic__sessions"))
    # the padded row comes out as the unpadded one: the id hashed (64 hex digits), the UTM redacted
    assert rows["s1"] == rows["s3"] and rows["s2"] == ("u2", "spring")
    assert len(rows["s1"][0]) == 64 and rows["s1"][1] == "redacted-phone"


def test_a_phone_inside_a_utm_is_redacted(env):
    # a campaign named after its call line: the phone goes, the words stay; a `+` between words stays
    drop(env, "generic/sessions/call.csv", SESSIONS +
         "s1,u1,2026-06-01T10:00:00Z,facebook,call +1 415 555 0130\ns2,u2,2026-06-01T11:00:00Z,facebook,summer+sale\n")
    assert ingest_all(env)["loaded"] == 1
    assert dict(query(env, "select session_id, utm_term from raw.generic__sessions")) == {
        "s1": "call redacted-phone", "s2": "summer+sale"}


def test_an_orders_free_text_is_scrubbed_and_a_negative_gross_refused(env):
    drop(env, "generic/orders/good.csv", f"{ORDERS},discount_code\n"
         "O1,2026-06-05T12:00:00Z,USD,20.00,mia@example.net\nO2,2026-06-05T13:00:00Z,USD,20.00,IG10\n")
    drop(env, "generic/orders/negative.csv", f"{ORDERS}\nO3,2026-06-05T12:00:00Z,USD,-5.00\n")
    result = ingest_all(env)
    assert result["loaded"] == 1 and result["quarantined"] == 1
    (refused,) = result["quarantined_files"]
    assert refused["file"].endswith("negative.csv")
    assert (refused["reason"]["check"], refused["reason"]["row"], refused["reason"]["column"]) == ("range", 1, "gross_sales")
    assert dict(query(env, "select order_id, discount_code from raw.generic__orders")) == {
        "O1": "redacted-email", "O2": "IG10"}


def test_a_file_without_its_header_is_refused_without_quoting_its_first_row(env):
    drop(env, "generic/orders/no_header.csv", "O1,2026-06-05T12:00:00Z,USD,20.00,bob@example.com\n")
    (refused,) = ingest_all(env)["quarantined_files"]
    reason = refused["reason"]
    assert reason["check"] == "required_columns" and "is the header missing?" in reason["message"]
    assert "bob" not in str(reason) and "example" not in str(reason)


def test_an_orders_tags_lose_the_phones_inside_them(env):
    drop(env, "shopify/admin_orders_export/orders.csv", "Name,Created at,Lineitem quantity,Lineitem price,Tags\n"
         '#1001,2026-06-05 12:00:00 +0000,1,20.00,"vip, mia@example.net, +1 303 555 0193"\n')
    assert ingest_all(env)["loaded"] == 1
    assert query(env, "select tags from raw.shopify__admin_orders_export") == [("vip, redacted-email, redacted-phone",)]


def test_a_discount_above_its_gross_is_refused_naming_the_row(env):
    drop(env, "generic/orders/o.csv", f"{ORDERS},discount\n"
         "F1,2026-06-05T12:00:00Z,USD,20.00,20.00\nF2,2026-06-05T13:00:00Z,USD,20.00,25.00\n")
    (refused,) = ingest_all(env)["quarantined_files"]
    reason = refused["reason"]
    assert (reason["check"], reason["row"], reason["column"]) == ("range", 2, "discount")
    assert "to the row's gross_sales" in reason["message"] and "25" in reason["message"]
