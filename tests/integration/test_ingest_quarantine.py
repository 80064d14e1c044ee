"""Quarantine, replacement and personal data, through the real loader.

A corpus of malformed files (tests/fixtures/malformed/, one or more per check family) lands beside valid
files: each malformed file ends in `_quarantine/` with a reason naming the check, row and column, the
valid ones load. Then: a fixed file dropped in loads; loading the same folder twice changes nothing;
re-exports replace (reports by period, entities by key, older files `superseded`); and no raw email,
phone, name or address survives in the warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from socialroi import settings as _settings
from socialroi.ingest import ingest_all

MALFORMED = Path(__file__).resolve().parents[1] / "fixtures" / "malformed"

# file in tests/fixtures/malformed -> (landing folder, expected check, row, column)
CORPUS: dict[str, tuple[str, str, int | None, str | None]] = {
    "encoding_mixed.csv": ("generic/orders", "encoding", 2, None),
    "encoding_binary.csv": ("generic/orders", "encoding", 2, None),
    "field_count_extra.csv": ("generic/orders", "field_count", 2, None),
    "field_count_truncated.csv": ("generic/orders", "field_count", 3, None),
    "quoting_unterminated.csv": ("generic/orders", "quoting", 2, None),
    "required_columns.csv": ("generic/orders", "required_columns", None, "gross_sales"),
    "type_timestamp.csv": ("generic/orders", "type", 2, "created_at"),
    "type_decimal.csv": ("generic/orders", "type", 3, "gross_sales"),
    "type_bigint.csv": ("facebook_ads/basic_ad", "type", 2, "impressions"),
    "not_null.csv": ("generic/orders", "not_null", 2, "currency"),
    "range.csv": ("generic/orders", "range", 1, "discount"),
    "currency_known.csv": ("generic/orders", "currency_known", 2, "currency"),
    "accepted_values.csv": ("generic/sessions", "accepted_values", 2, "interaction"),
    "not_future.csv": ("generic/orders", "not_future", 1, "created_at"),
    "key_unique.csv": ("generic/orders", "key_unique", 3, "order_id"),
    "key_not_null.csv": ("generic/orders", "key_not_null", 2, "order_id"),
    "not_empty_zero_bytes.csv": ("generic/orders", "not_empty", None, None),
    "not_empty_blank_lines.csv": ("generic/orders", "not_empty", None, None),
    "number_format_ambiguous.csv": ("generic/orders", "number_format", 1, "gross_sales"),
    "number_format_mixed.csv": ("generic/orders", "number_format", 2, "gross_sales"),
    "date_format_ambiguous.csv": ("generic/orders", "date_format", 1, "created_at"),
    "unknown_table.csv": ("nosuch_platform/orders", "unknown_table", None, None),
    "unknown_table_loose.csv": ("facebook_ads", "unknown_table", None, None),
    "file_format.xlsx": ("generic/orders", "file_format", None, None),
    "feed_mapping_missing.csv": ("generic/orders/no_such_feed", "feed_mapping", None, None),
    "feed_mapping_typo.csv": ("generic/orders/broken_feed", "feed_mapping", None, "gross_sale"),
    "parse_json.jsonl": ("generic/orders", "parse", None, None),
    "parse_parquet.parquet": ("generic/orders", "parse", None, None),
}

VALID = {
    "generic/orders/valid_orders.csv": (
        "order_id,created_at,currency,gross_sales,discount\n"
        "V01,2026-01-05 10:00:00,USD,10.00,1.00\nV02,2026-01-06 11:30:00,EUR,20.50,0\n"
    ),
    "facebook_ads/basic_ad/valid_basic_ad.csv": (
        "ad_id,date,account_id,impressions,inline_link_clicks,spend\n"
        "A1,2026-01-05,act_1,100,3,12.50\nA2,2026-01-05,act_1,80,1,3.10\n"
    ),
}


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALROI_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("SOCIALROI_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("SOCIALROI_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("SOCIALROI_FEEDS", str(MALFORMED / "feeds"))
    monkeypatch.setenv("SOCIALROI_SALT", "test-salt")
    return _settings.load()


def _drop(settings, rel: str, data: bytes | str, mtime: float | None = None) -> Path:
    path = settings.landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _drop_corpus(settings) -> None:
    for name, (folder, *_rest) in CORPUS.items():
        _drop(settings, f"{folder}/{name}", (MALFORMED / name).read_bytes())
    for rel, text in VALID.items():
        _drop(settings, rel, text)


def _query(settings, sql: str, params=None):
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _ledger(settings) -> list[tuple]:
    return _query(settings, "select file_path, sha256, outcome, rows, period_start, period_end, reason::varchar, "
                            "ingested_at, seq from ingest.file_ledger order by file_path, seq")


def _counts(settings) -> dict[str, int]:
    """Rows in every landing table (all stored rows) and in the current views of the tables touched."""
    counts = dict(_query(settings, "select schema_name || '.' || table_name, estimated_size from duckdb_tables() "
                                   "where schema_name = 'landing'"))
    for view in ("raw.generic__orders", "raw.facebook_ads__basic_ad"):
        counts[view] = _query(settings, f"select count(*) from {view}")[0][0]
    return counts


def test_corpus_has_one_file_per_check_family():
    assert len(CORPUS) >= 20
    families = {check for _, check, _, _ in CORPUS.values()}
    assert {"encoding", "field_count", "required_columns", "type", "not_null", "range", "currency_known",
            "accepted_values", "not_future", "key_unique", "key_not_null", "not_empty", "number_format", "date_format",
            "unknown_table", "feed_mapping"} <= families
    assert sorted(p.name for p in MALFORMED.iterdir() if p.is_file() and p.suffix != ".md") == sorted(CORPUS)


def test_malformed_files_are_quarantined_with_their_reason(env):
    _drop_corpus(env)
    result = ingest_all(env)
    assert result["loaded"] == len(VALID)
    assert result["quarantined"] == len(CORPUS)

    rows = {Path(r[0]).name: (r[1], json.loads(r[2]) if r[2] else None)
            for r in _query(env, "select file_path, outcome, reason::varchar from ingest.file_ledger")}
    for name, (folder, check, row, column) in CORPUS.items():
        outcome, reason = rows[name]
        assert outcome == "quarantined", name
        assert (reason["check"], reason["row"], reason["column"]) == (check, row, column), (name, reason)
        assert reason["message"], name
        kept = env.landing / "_quarantine" / folder / name
        assert kept.exists(), name
        assert kept.read_bytes() == (MALFORMED / name).read_bytes()
        on_disk = json.loads(kept.with_name(name + ".reason.json").read_text())
        assert on_disk["check"] == check and on_disk["sha256"]
        assert not (env.landing / folder / name).exists()

    # the valid files beside them loaded whole
    assert _query(env, "select order_id, gross_sales from raw.generic__orders order by 1") == [
        ("V01", Decimal("10")), ("V02", Decimal("20.5"))]
    assert _query(env, "select count(*), sum(spend) from raw.facebook_ads__basic_ad")[0] == (2, Decimal("15.6"))
    # nothing of a quarantined file reached the warehouse
    assert _query(env, "select count(*) from landing.generic__orders where order_id like 'M%'")[0][0] == 0


def test_fixed_file_dropped_in_loads(env):
    _drop(env, "generic/orders/currency_known.csv", (MALFORMED / "currency_known.csv").read_bytes())
    assert ingest_all(env)["quarantined"] == 1
    fixed = (MALFORMED / "currency_known.csv").read_text().replace("XYZ", "USD")
    _drop(env, "generic/orders/currency_known.csv", fixed)
    result = ingest_all(env)
    assert result["loaded"] == 1 and result["quarantined"] == 0
    assert _query(env, "select outcome from ingest.file_ledger order by seq") == [("quarantined",), ("loaded",)]
    assert _query(env, "select order_id, currency from raw.generic__orders order by 1") == [
        ("M21", "USD"), ("M22", "USD")]


def test_interaction_outside_its_accepted_values_names_file_row_column_and_value(env):
    # ' View ' (row 1) is a view; 'impression' (row 2) is not one of the generic sessions feed's values
    _drop(env, "generic/sessions/accepted_values.csv", (MALFORMED / "accepted_values.csv").read_bytes())
    assert ingest_all(env)["quarantined"] == 1
    [(path, reason)] = _query(env, "select file_path, reason::varchar from ingest.file_ledger")
    reason = json.loads(reason)
    assert path.endswith("generic/sessions/accepted_values.csv") and reason["file"] == "generic/sessions/accepted_values.csv"
    assert (reason["check"], reason["row"], reason["column"], reason["found"]) == (
        "accepted_values", 2, "interaction", "impression")
    assert reason["message"] == ("row 2 (line 3), column interaction: expected one of click, visit, view or empty, "
                                 "found 'impression'")
    assert _query(env, "select count(*) from landing.generic__sessions")[0][0] == 0
    # fixed, it loads: values lower-cased, empty stays empty
    fixed = (MALFORMED / "accepted_values.csv").read_text().replace("impression", "click")
    _drop(env, "generic/sessions/accepted_values.csv", fixed)
    assert ingest_all(env)["loaded"] == 1
    assert _query(env, "select session_id, interaction from raw.generic__sessions order by 1") == [
        ("MS1", "view"), ("MS2", "click"), ("MS3", None)]


def test_loading_the_same_folder_twice_changes_nothing(env):
    _drop_corpus(env)
    ingest_all(env)
    counts, ledger = _counts(env), _ledger(env)
    _drop_corpus(env)  # the same bytes at the same paths, again
    second = ingest_all(env)
    assert second["loaded"] == 0 and second["quarantined"] == 0
    assert second["known"] == len(CORPUS) + len(VALID)
    assert _counts(env) == counts
    assert _ledger(env) == ledger
    # the archive and the quarantine hold one copy each
    assert len([p for p in (env.landing / "_archive").rglob("*") if p.is_file()]) == len(VALID)
    assert len([p for p in (env.landing / "_quarantine").rglob("*") if p.is_file()]) == 2 * len(CORPUS)


def test_same_bytes_under_another_name_are_a_duplicate(env):
    text = VALID["generic/orders/valid_orders.csv"]
    _drop(env, "generic/orders/a.csv", text)
    ingest_all(env)
    _drop(env, "generic/orders/copy_of_a.csv", text)
    result = ingest_all(env)
    assert result["duplicate"] == 1
    assert _query(env, "select count(*) from landing.generic__orders")[0][0] == 2


BASIC_AD = "ad_id,date,account_id,impressions,inline_link_clicks,spend\n"


def test_report_reexport_replaces_the_period(env):
    first = BASIC_AD + "".join(
        f"{ad},2026-01-0{d},act_1,100,1,{d}.00\n" for d in (1, 2, 3) for ad in ("A1", "B1"))
    other_account = BASIC_AD + "C1,2026-01-02,act_2,50,1,7.00\n"
    _drop(env, "facebook_ads/basic_ad/jan_v1.csv", first, mtime=1_700_000_000)
    _drop(env, "facebook_ads/basic_ad/act_2.csv", other_account, mtime=1_700_000_000)
    ingest_all(env)
    # the re-export of days 2..3 has no B1 any more, and a corrected spend for A1
    second = BASIC_AD + "A1,2026-01-02,act_1,100,1,20.00\nA1,2026-01-03,act_1,100,1,30.00\n"
    _drop(env, "facebook_ads/basic_ad/jan_v2.csv", second, mtime=1_700_100_000)
    ingest_all(env)
    current = _query(env, "select ad_id, date::varchar, spend from raw.facebook_ads__basic_ad order by 2, 1")
    assert current == [
        ("A1", "2026-01-01", Decimal("1")), ("B1", "2026-01-01", Decimal("1")),
        ("A1", "2026-01-02", Decimal("20")), ("C1", "2026-01-02", Decimal("7")),
        ("A1", "2026-01-03", Decimal("30")),
    ]
    # v1 still has current rows (day 1): loaded; a full re-export of its period supersedes it
    outcomes = dict(_query(env, "select file_path, outcome from ingest.file_ledger"))
    assert outcomes["facebook_ads/basic_ad/jan_v1.csv"] == "loaded"
    third = BASIC_AD + "A1,2026-01-01,act_1,100,1,10.00\n"
    _drop(env, "facebook_ads/basic_ad/jan_v3.csv", third, mtime=1_700_200_000)
    result = ingest_all(env)
    outcomes = dict(_query(env, "select file_path, outcome from ingest.file_ledger"))
    assert outcomes["facebook_ads/basic_ad/jan_v1.csv"] == "superseded"
    assert outcomes["facebook_ads/basic_ad/act_2.csv"] == "loaded"  # another account: untouched
    assert result["superseded_total"] == 1
    assert _query(env, "select count(*), sum(spend) from raw.facebook_ads__basic_ad")[0] == (4, Decimal("67"))
    # nothing was deleted from the landing table: replacement is a view over all files
    assert _query(env, "select count(*) from landing.facebook_ads__basic_ad")[0][0] == 6 + 1 + 2 + 1


ORDER = "id,name,currency,created_at,total_price,_fivetran_synced\n"


def test_entity_reexport_newer_wins_and_supersedes(env):
    old = ORDER + "1,#1001,USD,2026-01-05 10:00:00,10.00,2026-01-06 00:00:00\n" \
                  "2,#1002,USD,2026-01-05 11:00:00,20.00,2026-01-06 00:00:00\n"
    newer = ORDER + "1,#1001,USD,2026-01-05 10:00:00,11.00,2026-01-07 00:00:00\n"
    # the newer export lands first and has the older file time: the export's own time decides
    _drop(env, "shopify/order/sync_2.csv", newer, mtime=1_700_000_000)
    ingest_all(env)
    _drop(env, "shopify/order/sync_1.csv", old, mtime=1_700_100_000)
    ingest_all(env)
    assert _query(env, "select id, total_price from raw.shopify__order order by 1") == [
        ("1", Decimal("11")), ("2", Decimal("20"))]
    outcomes = dict(_query(env, "select file_path, outcome from ingest.file_ledger"))
    assert outcomes == {"shopify/order/sync_2.csv": "loaded", "shopify/order/sync_1.csv": "loaded"}
    newest = ORDER + "2,#1002,USD,2026-01-05 11:00:00,21.00,2026-01-08 00:00:00\n"
    _drop(env, "shopify/order/sync_3.csv", newest)
    ingest_all(env)
    outcomes = dict(_query(env, "select file_path, outcome from ingest.file_ledger"))
    assert outcomes["shopify/order/sync_1.csv"] == "superseded"  # all its rows replaced
    assert _query(env, "select id, total_price from raw.shopify__order order by 1") == [
        ("1", Decimal("11")), ("2", Decimal("21"))]


def test_entity_rows_are_ranked_by_their_own_export_time(env):
    """A later export holding a stale row of one key (synced before another file's row of it) does not
    override the fresher row: a connector states each row's synced-at, and that decides first."""
    fresh = ORDER + "1,#1001,USD,2026-01-05 10:00:00,11.00,2026-01-07 00:00:00\n"
    later = ORDER + "1,#1001,USD,2026-01-05 10:00:00,10.00,2026-01-05 00:00:00\n" \
                    "2,#1002,USD,2026-01-05 11:00:00,20.00,2026-01-08 00:00:00\n"
    _drop(env, "shopify/order/a.csv", fresh, mtime=1_700_000_000)
    _drop(env, "shopify/order/b.csv", later, mtime=1_700_100_000)
    ingest_all(env)
    assert _query(env, "select id, total_price from raw.shopify__order order by 1") == [
        ("1", Decimal("11")), ("2", Decimal("20"))]


# ---- personal data ------------------------------------------------------------------------------

PEOPLE = [
    # email, phone, first, last, street, city, zip
    ("Jane.Doe@Example.com ", "+1 (555) 010-2030", "Janeway", "Doebrink", "12 Quillfeather Lane", "Brambleton", "90210"),
    ("marek.nowak@example.org", "+48 601 234 567", "Marek", "Nowakowski", "ul. Zielonogorska 7", "Wroclawek", "50-001"),
]


def _shopify_files() -> dict[str, str]:
    order_header = ("id,email,phone,name,currency,created_at,total_price,customer_id,"
                    "shipping_address_name,shipping_address_first_name,shipping_address_last_name,"
                    "shipping_address_address_1,shipping_address_city,shipping_address_zip,shipping_address_phone,"
                    "shipping_address_country_code,billing_address_name,billing_address_address_1,"
                    "billing_address_country_code,_fivetran_synced\n")
    orders = order_header + "".join(
        f'{i},{e},"{p}",#{1000 + i},USD,2026-01-0{i} 10:00:00,12.50,{i},"{f} {last}",{f},{last},"{s}",{c},{z},"{p}",'
        f'US,"{f} {last}","{s}",US,2026-01-09 00:00:00\n'
        for i, (e, p, f, last, s, c, z) in enumerate(PEOPLE, 1))
    customers = "id,first_name,last_name,email,phone,created_at,_fivetran_synced\n" + "".join(
        f'{i},{f},{last},{e},"{p}",2025-12-01 09:00:00,2026-01-09 00:00:00\n'
        for i, (e, p, f, last, *_rest) in enumerate(PEOPLE, 1))
    admin = ("Name,Email,Phone,Financial Status,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,"
             "Lineitem price,Billing Name,Billing Street,Billing City,Billing Zip,Billing Country,Shipping Name,"
             "Shipping Street,Shipping Phone,Shipping Country\n") + "".join(
        f'#{2000 + i},{e},"{p}",paid,USD,12.50,12.50,2026-01-0{i} 10:00:00 +0100,1,Mug,12.50,"{f} {last}","{s}",{c},'
        f'{z},US,"{f} {last}","{s}","{p}",US\n'
        for i, (e, p, f, last, s, c, z) in enumerate(PEOPLE, 1))
    sessions = "session_id,user_id,started_at,email,landing_url,order_id\n" + "".join(
        f"s{i},u{i},2026-01-0{i} 09:55:00,{e},https://shop.example.com/?utm_source=newsletter,{i}\n"
        for i, (e, *_rest) in enumerate(PEOPLE, 1))
    return {"shopify/order/orders.csv": orders, "shopify/customer/customers.csv": customers,
            "shopify/admin_orders_export/orders_export.csv": admin, "generic/sessions/sessions.csv": sessions}


def _personal_hits(con, needles: list[str]) -> list[tuple[str, str]]:
    """(schema.table.column, needle) for every stored text value that contains a needle; '#1001' is added
    as a needle that is not personal, so that a caller can prove the scan finds what is there."""
    # every stored table (the raw.* views only select from them); empty ones hold nothing to find
    columns = con.execute(
        "select c.schema_name, c.table_name, c.column_name from duckdb_columns() c "
        "join duckdb_tables() t using (schema_name, table_name) "
        "where c.data_type in ('VARCHAR', 'JSON') and t.estimated_size > 0 and not t.temporary"
    ).fetchall()
    # every text value of every table, in one scan, against every needle
    values = " union all ".join(
        f"select '{schema}.{table}.{column}' as place, lower(\"{column}\"::varchar) as v "
        f"from \"{schema}\".\"{table}\" where \"{column}\" is not null"
        for schema, table, column in columns
    )
    con.execute("create or replace temp table needles (needle varchar)")
    con.executemany("insert into needles values (lower(?))", [[n] for n in needles])
    con.execute("insert into needles values ('#1001')")
    return con.execute(f"select distinct place, needle from ({values}) join needles on contains(v, needle)").fetchall()


def test_no_personal_data_reaches_the_warehouse(env):
    for rel, text in _shopify_files().items():
        _drop(env, rel, text)
    result = ingest_all(env)
    assert result["quarantined"] == 0, result["quarantined_files"]
    assert result["loaded"] == 4

    needles = ["@"]
    for e, p, f, last, s, c, z in PEOPLE:
        digits = "".join(ch for ch in p if ch.isdigit())
        needles += [e.strip().lower(), p, digits, f, last, s, c, z, f"{f} {last}"]
    con = duckdb.connect(str(env.warehouse))
    try:
        hits = _personal_hits(con, needles)
        assert ("landing.shopify__order.name", "#1001") in hits
        hits.remove(("landing.shopify__order.name", "#1001"))
        assert hits == []
        # the hashes are there, salted, and stitch the same person across tables
        order_hashes = {r[0] for r in con.execute("select email_hash from raw.shopify__order").fetchall()}
        session_hashes = {r[0] for r in con.execute("select email_hash from raw.generic__sessions").fetchall()}
        customer_hashes = {r[0] for r in con.execute("select email_hash from raw.shopify__customer").fetchall()}
        assert order_hashes == session_hashes == customer_hashes and len(order_hashes) == 2
        assert all(h and len(h) == 64 for h in order_hashes)
        phones = con.execute("select phone_hash from raw.shopify__customer").fetchall()
        assert all(h and len(h) == 64 for (h,) in phones)
    finally:
        con.close()
    # the loaded files sit in the archive, outside the warehouse (they are the exports as received)
    assert len(list((env.landing / "_archive").rglob("*.csv"))) == 4
    shutil.rmtree(env.landing / "_archive")


ACCIDENTAL = {
    # a newsletter that puts the subscriber in the UTMs and the URL, a login id that is an email
    "generic/sessions/sessions.csv": (
        "session_id,user_id,started_at,customer_id,landing_url,referrer,utm_source,utm_medium,utm_content,utm_term,fbclid\n"
        "s1,Jane.Doe@Example.com,2026-01-03 09:55:00,C1,"
        "https://shop.example.com/p?utm_source=newsletter&email=jane.doe%40example.com&name=Janeway+Doebrink,"
        "https://mail.example.net/read?to=jane.doe@example.com,newsletter,email,jane.doe@example.com,+1 555 010 2030,\n"
        "s2,u2,2026-01-04 09:55:00,marek.nowak@example.org,https://shop.example.com/?utm_content=ad_7&phone=0601234567,"
        ",facebook,paid_social,ad_7,,\n"
        # a phone in a URL's UTM (percent-encoded, or with + for spaces), an email pasted as a click id
        "s3,u3,2026-01-04 10:55:00,,https://shop.example.com/?utm_content=%2B1%20555%20010%202030&utm_term=+1+555+010+2030,"
        ",facebook,paid_social,,,Jane.Doe@Example.com\n"
    ),
    "generic/orders/orders.csv": (
        "order_id,created_at,currency,gross_sales,customer_id,email\n"
        "O1,2026-01-03 10:00:00,USD,12.50,C1,jane.doe@example.com\n"
        "O2,2026-01-04 10:00:00,USD,20.00,marek.nowak@example.org,\n"
    ),
    "stripe/charge/charges.csv": (
        "id,amount,created,currency,metadata\n"
        'ch_1,1250,2026-01-03 10:00:00,usd,"{""order_id"": ""O1"", ""customer_email"": ""jane.doe@example.com"", '
        '""shipping_name"": ""Janeway Doebrink"", ""note"": ""gift for marek.nowak@example.org""}"\n'
    ),
    "snowplow/events/events.csv": (
        "event_id,collector_tstamp,domain_userid,user_id,page_url,page_urlpath,page_urlquery,mkt_content\n"
        "e1,2026-01-03 09:55:00,d1,jane.doe@example.com,https://shop.example.com/u/jane.doe@example.com?fname=Janeway,"
        "/u/jane.doe@example.com,fname=Janeway&utm_source=x,jane.doe%40example.com\n"
    ),
    # a stray delimiter shifts an email into the amount: refused, and the reason does not quote it
    "generic/orders/shifted.csv": (
        "order_id,created_at,currency,gross_sales\n"
        "O9,2026-01-05 10:00:00,USD,marek.nowak@example.org\n"
    ),
    "generic/orders/extra_field.csv": (
        "order_id,created_at,currency,gross_sales\n"
        "O8,2026-01-05 10:00:00,USD,1.00,Janeway Doebrink,jane.doe@example.com,+48 601 234 567\n"
    ),
}


def test_personal_data_in_free_text_is_scrubbed_at_ingest(env):
    for rel, text in ACCIDENTAL.items():
        _drop(env, rel, text)
    result = ingest_all(env)
    assert result["loaded"] == 4, result
    assert sorted(Path(q["file"]).name for q in result["quarantined_files"]) == ["extra_field.csv", "shifted.csv"]
    needles = ["@", "%40", "jane.doe", "marek.nowak", "janeway", "doebrink", "555 010", "555%20010", "555+010", "5550102030", "0601234567",
               "601 234 567"]
    con = duckdb.connect(str(env.warehouse))
    try:
        assert ("ingest.file_ledger.reason", "@") not in _personal_hits(con, ["@"])  # the refused rows too
        assert _personal_hits(con, needles) == []
        # what the scrub leaves: UTMs, the rest of the URL, the metadata's order id; an email id is hashed
        # as `pii: hash` hashes an email, so the visitor still joins the order
        row = con.execute("select user_id, landing_url, referrer, utm_content, utm_term from raw.generic__sessions "
                          "where session_id = 's1'").fetchone()
        mail_hash = con.execute("select email_hash from raw.generic__orders where order_id = 'O1'").fetchone()[0]
        assert row == (mail_hash, "https://shop.example.com/p?utm_source=newsletter&email=redacted&name=redacted",
                       "https://mail.example.net/read?to=redacted-email", "redacted-email", "redacted-phone")
        assert con.execute("select landing_url, utm_content from raw.generic__sessions where session_id = 's2'"
                           ).fetchone() == ("https://shop.example.com/?utm_content=ad_7&phone=redacted", "ad_7")
        assert con.execute("select landing_url, fbclid from raw.generic__sessions where session_id = 's3'").fetchone() == (
            "https://shop.example.com/?utm_content=redacted-phone&utm_term=redacted-phone", mail_hash)
        customers = dict(con.execute("select order_id, customer_id from raw.generic__orders").fetchall())
        session_customers = dict(con.execute("select session_id, customer_id from raw.generic__sessions").fetchall())
        assert customers["O1"] == session_customers["s1"] == "C1"
        assert customers["O2"] == session_customers["s2"] and len(customers["O2"]) == 64
        metadata = json.loads(con.execute("select metadata from raw.stripe__charge").fetchone()[0])
        assert metadata == {"order_id": "O1", "customer_email": "redacted", "shipping_name": "redacted",
                            "note": "gift for redacted-email"}
        assert con.execute("select page_urlquery, mkt_content from raw.snowplow__events").fetchone() == (
            "fname=redacted&utm_source=x", "redacted-email")
    finally:
        con.close()
    # the quarantine's reason files and the copies' names carry no personal value either
    for reason in (env.landing / "_quarantine").rglob("*.json"):
        text = reason.read_text().lower()
        assert not [n for n in needles if n in text], reason
    # and the reasons still say where to look
    reasons = {Path(q["file"]).name: q for q in result["quarantined_files"]}
    assert "row 1" in json.dumps(reasons["shifted.csv"]) and "gross_sales" in json.dumps(reasons["shifted.csv"])


def test_retry_after_a_mapping_is_written(env, tmp_path, monkeypatch):
    from socialroi.ingest import retry_quarantined

    feeds = tmp_path / "feeds"
    feeds.mkdir()
    monkeypatch.setenv("SOCIALROI_FEEDS", str(feeds))
    settings = _settings.load()
    name = "feed_mapping_missing.csv"
    _drop(settings, f"generic/orders/my_shop/{name}", (MALFORMED / name).read_bytes())
    assert ingest_all(settings)["quarantined"] == 1
    kept = settings.landing / "_quarantine" / "generic" / "orders" / "my_shop" / name
    # retried with nothing changed: the same verdict, and its reason file back beside it
    assert retry_quarantined(settings) == 1
    assert ingest_all(settings)["known"] == 1
    assert json.loads(kept.with_name(name + ".reason.json").read_text())["check"] == "feed_mapping"
    (feeds / "my_shop.yml").write_text(
        'delimiter: ";"\ndecimal: ","\ncolumns:\n  order_id: Bestellung\n'
        '  created_at: {column: Datum, format: "%d.%m.%Y"}\n  currency: {value: EUR}\n  gross_sales: Summe\n')
    assert retry_quarantined(settings) == 1
    assert ingest_all(settings)["loaded"] == 1
    assert _query(settings, "select order_id, currency, gross_sales from raw.generic__orders") == [
        ("1", "EUR", Decimal("10"))]
    assert not kept.exists()


def test_good_export_sent_again_after_a_broken_one_is_current_again(env):
    """A broken re-export replaced part of a period; re-sending the good file (same bytes) restores it."""
    good = BASIC_AD + "".join(f"A1,2026-01-0{d},act_1,100,1,{d}.00\n" for d in (1, 2, 3))
    broken = BASIC_AD + "A1,2026-01-01,act_1,100,1,1.00\nA1,2026-01-03,act_1,100,1,9.00\n"  # lost the 2nd
    _drop(env, "facebook_ads/basic_ad/jan.csv", good, mtime=1_700_000_000)
    ingest_all(env)
    _drop(env, "facebook_ads/basic_ad/jan_reexport.csv", broken, mtime=1_700_100_000)
    ingest_all(env)
    assert _query(env, "select count(*) from raw.facebook_ads__basic_ad")[0][0] == 2
    _drop(env, "facebook_ads/basic_ad/jan_fixed.csv", good, mtime=1_700_200_000)
    result = ingest_all(env)
    assert result["duplicate"] == 1 and result["loaded"] == 0
    assert _query(env, "select count(*), sum(spend) from raw.facebook_ads__basic_ad")[0] == (3, Decimal("6"))
    outcomes = dict(_query(env, "select file_path, outcome from ingest.file_ledger"))
    assert outcomes == {"facebook_ads/basic_ad/jan.csv": "loaded",
                        "facebook_ads/basic_ad/jan_reexport.csv": "superseded",
                        "facebook_ads/basic_ad/jan_fixed.csv": "duplicate"}
    # no row was stored twice
    assert _query(env, "select count(*) from landing.facebook_ads__basic_ad")[0][0] == 5


BROKEN = (MALFORMED / "currency_known.csv").read_text()  # row 2 has currency XYZ
FIXED = BROKEN.replace("XYZ", "USD")


def test_a_fixed_file_resolves_its_quarantined_copy(env):
    """The quarantine folder holds only what still waits: once a fixed file of the same path loads, the
    refused bytes move to the archive with their reason, and the ledger says what replaced them."""
    _drop(env, "generic/orders/x.csv", BROKEN)
    assert ingest_all(env)["quarantined"] == 1
    _drop(env, "generic/orders/x.csv", FIXED)
    assert ingest_all(env)["loaded"] == 1
    assert not [p for p in (env.landing / "_quarantine").rglob("*") if p.is_file()]
    (broken_sha, reason, stored), = _query(
        env, "select sha256, reason::varchar, stored_path from ingest.file_ledger where outcome = 'quarantined'")
    fixed_sha = _query(env, "select sha256 from ingest.file_ledger where outcome = 'loaded'")[0][0]
    assert json.loads(reason)["resolved_by"] == fixed_sha and json.loads(reason)["check"] == "currency_known"
    kept = Path(stored)
    assert kept.parent == env.landing / "_archive" / "generic" / "orders" and kept.read_text() == BROKEN
    assert json.loads(kept.with_name(kept.name + ".reason.json").read_text())["sha256"] == broken_sha
    # dropped in again, the broken bytes wait in quarantine again
    _drop(env, "generic/orders/x.csv", BROKEN)
    assert ingest_all(env)["known"] == 1
    assert "resolved_by" not in json.loads(_query(
        env, "select reason::varchar from ingest.file_ledger where outcome = 'quarantined'")[0][0])
    assert (env.landing / "_quarantine" / "generic" / "orders" / "x.csv").read_text() == BROKEN


def test_retry_never_overwrites_a_newer_file_of_the_same_name(env):
    from socialroi.ingest import retry_quarantined

    _drop(env, "generic/orders/x.csv", BROKEN)
    ingest_all(env)
    _drop(env, "generic/orders/x.csv", FIXED)
    assert retry_quarantined(env) == 0  # the fixed drop is not replaced by the broken copy
    assert (env.landing / "generic" / "orders" / "x.csv").read_text() == FIXED
    assert ingest_all(env)["loaded"] == 1
    assert _query(env, "select order_id, currency from raw.generic__orders order by 1") == [
        ("M21", "USD"), ("M22", "USD")]


def test_retry_puts_each_version_back_under_the_name_it_landed_with(env):
    from socialroi.ingest import retry_quarantined

    _drop(env, "generic/orders/x.csv", BROKEN)
    ingest_all(env)
    _drop(env, "generic/orders/x.csv", BROKEN.replace("XYZ", "QQQ"))
    ingest_all(env)  # a second refused version of the name: kept as x.<sha12>.csv
    assert len([p for p in (env.landing / "_quarantine").rglob("*.csv")]) == 2
    for _ in range(3):
        assert retry_quarantined(env) == 1  # one version back at a time: the other waits
        assert ingest_all(env)["known"] == 1
    assert {r[0] for r in _query(env, "select file_path from ingest.file_ledger")} == {"generic/orders/x.csv"}
    assert _query(env, "select count(*) from ingest.file_ledger")[0][0] == 2


def test_a_file_gone_before_its_turn_is_skipped_and_the_rest_load(env):
    """Another ingest (or a person) took a discovered file away: the run goes on without it."""
    from socialroi.ingest.loader import discover

    _drop(env, "generic/orders/a.csv", FIXED)
    gone = _drop(env, "generic/orders/b.csv", FIXED.replace("M2", "M3"))
    files = discover(env.landing)
    gone.unlink()
    result = ingest_all(env, files)
    assert (result["loaded"], result["vanished"]) == (1, 1)
    assert [r[0] for r in _query(env, "select file_path from ingest.file_ledger")] == ["generic/orders/a.csv"]


def test_good_export_sent_again_under_its_own_name_is_current_again(env):
    good = BASIC_AD + "".join(f"A1,2026-01-0{d},act_1,100,1,{d}.00\n" for d in (1, 2, 3))
    broken = BASIC_AD + "A1,2026-01-01,act_1,100,1,1.00\nA1,2026-01-03,act_1,100,1,9.00\n"
    _drop(env, "facebook_ads/basic_ad/jan.csv", good, mtime=1_700_000_000)
    ingest_all(env)
    _drop(env, "facebook_ads/basic_ad/jan_reexport.csv", broken, mtime=1_700_100_000)
    ingest_all(env)
    _drop(env, "facebook_ads/basic_ad/jan.csv", good, mtime=1_700_200_000)  # the same name as first sent
    assert ingest_all(env)["known"] == 1
    assert _query(env, "select count(*), sum(spend) from raw.facebook_ads__basic_ad")[0] == (3, Decimal("6"))


@pytest.mark.parametrize("runs", ["one run", "one run per file"])
def test_the_current_rows_do_not_depend_on_how_files_were_split_over_runs(env, runs):
    """a.csv (oldest), b.csv, then a copy of a.csv's bytes (newest file time): a is current either way."""
    a = BASIC_AD + "A1,2026-01-01,act_1,100,1,1.00\nA1,2026-01-02,act_1,100,1,2.00\n"
    b = BASIC_AD + "A1,2026-01-01,act_1,100,1,5.00\nA1,2026-01-02,act_1,100,1,5.00\n"
    drops = [("a.csv", a, 1_700_000_000), ("b.csv", b, 1_700_100_000), ("a_copy.csv", a, 1_700_200_000)]
    for name, text, mtime in drops:
        _drop(env, f"facebook_ads/basic_ad/{name}", text, mtime=mtime)
        if runs == "one run per file":
            ingest_all(env)
    ingest_all(env)
    assert _query(env, "select sum(spend) from raw.facebook_ads__basic_ad")[0][0] == Decimal("3")
    assert _query(env, "select file_mtime is not null from ingest.file_ledger where file_path like '%a_copy%'") == [
        (True,)]


def test_a_rows_line_counts_the_sep_line_and_quoted_line_breaks(env):
    text = ("sep=,\norder_id,created_at,currency,gross_sales,note\n"
            'M1,2026-01-05 10:00:00,USD,10.00,"two\nlines"\n\nM2,2026-01-05 10:00:00,XYZ,10.00,x\n')
    _drop(env, "generic/orders/lines.csv", text)
    assert ingest_all(env)["quarantined"] == 1
    reason = json.loads(_query(env, "select reason::varchar from ingest.file_ledger")[0][0])
    assert reason["row"] == 2 and reason["message"].startswith("row 2 (line 6), column currency")


def test_a_header_whose_suffixed_duplicate_is_taken_still_loads(env):
    _drop(env, "generic/orders/notes.csv", "order_id,created_at,currency,gross_sales,note,note,note_2\n"
                                           "N1,2026-01-05 10:00:00,USD,10.00,a,b,c\n")
    assert ingest_all(env)["loaded"] == 1


@pytest.mark.parametrize("text, row, line, check", [
    # a blank line, then a row with a field too many: the blank line is not a row, the line counts it
    ("order_id,created_at,currency,gross_sales,note\nM1,2026-01-05 10:00:00,USD,10.00,ok\n\n"
     "M2,2026-01-05 10:00:00,USD,10.00,Amelia Taylor,1533 Elm St,+1 415 555-0130\n", 2, 4, "field_count"),
    # a quoted line break in row 1; row 3 (line 6) is short
    ('order_id,created_at,currency,gross_sales,note\nM1,2026-01-05 10:00:00,USD,10.00,"Amelia Taylor\n1533 Elm St\n'
     'San Francisco"\nM2,2026-01-05 10:00:00,USD,10.00,x\nM3,Bob Smith,+1 415 555-0131\n', 3, 6, "field_count"),
    # a quote that is never closed
    ('order_id,created_at,currency,gross_sales,note\nM1,2026-01-05 10:00:00,USD,10.00,x\n'
     'M2,2026-01-05 10:00:00,USD,10.00,"Amelia Taylor, 1533 Elm St\nM3,2026-01-05 10:00:00,USD,1.00,y\n', 2, 3, "quoting"),
])
def test_an_unreadable_row_is_named_exactly_and_its_text_is_not_quoted(env, text, row, line, check):
    _drop(env, "generic/orders/broken.csv", text)
    assert ingest_all(env)["quarantined"] == 1
    reason = json.loads(_query(env, "select reason::varchar from ingest.file_ledger")[0][0])
    assert (reason["check"], reason["row"]) == (check, row), reason
    assert f"(row {row}, line {line})" in reason["message"], reason
    kept = json.loads((env.landing / "_quarantine" / "generic" / "orders" / "broken.csv.reason.json").read_text())
    for said in (json.dumps(reason), json.dumps(kept)):
        for personal in ("Amelia", "Taylor", "Elm St", "Bob", "555"):
            assert personal not in said, (personal, said)


def test_a_value_longer_than_pythons_csv_limit_does_not_stop_the_ingest(env):
    # a 200 KB landing URL in row 1, a bad time in row 2: the file is quarantined naming row 2 (line 3), the
    # file beside it loads
    _drop(env, "generic/sessions/long.csv",
          "session_id,user_id,started_at,landing_url\n"
          f"S1,u1,2026-01-05 10:00:00,https://shop.example.com/?q={'a' * 200_000}\nS2,u2,notadate,https://x.example/\n")
    _drop(env, "generic/orders/valid_orders.csv", VALID["generic/orders/valid_orders.csv"])
    result = ingest_all(env)
    assert (result["loaded"], result["quarantined"]) == (1, 1)
    reason = result["quarantined_files"][0]["reason"]
    assert (reason["row"], reason["column"]) == (2, "started_at") and "(line 3)" in reason["message"], reason


def test_an_order_re_exported_with_a_line_fewer_loses_that_line(env):
    # Shopify's admin export: one row per line item; a newer export of order #2001 with one line left
    head = "Name,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price\n"
    _drop(env, "shopify/admin_orders_export/v1.csv", head + "#2001,USD,63.00,63.00,2026-01-05 10:00:00,2,Mug,21.00\n"
          "#2001,,,,,1,Cup,21.00\n#2002,USD,5.00,5.00,2026-01-06 10:00:00,1,Pen,5.00\n", mtime=1_700_000_000)
    _drop(env, "shopify/admin_orders_export/v2.csv", head + "#2001,USD,42.00,42.00,2026-01-05 10:00:00,2,Mug,21.00\n",
          mtime=1_700_000_100)
    assert ingest_all(env)["loaded"] == 2
    assert _query(env, "select name, _line, lineitem_name, subtotal from raw.shopify__admin_orders_export order by 1, 2") == [
        ("#2001", 1, "Mug", Decimal("42")), ("#2002", 1, "Pen", Decimal("5"))]


def test_an_ads_manager_re_export_replaces_the_period_it_states(env):
    # v2 states the same period as v1 but no longer has a row for 06-03 (nothing delivered): 06-03 goes
    head = "Day,Reporting starts,Reporting ends,Account ID,Ad ID,Amount spent (USD)\n"
    _drop(env, "facebook_ads/ads_manager_export/june_v1.csv", head + "".join(
        f"2026-06-0{d},2026-06-01,2026-06-03,act_1,A1,10.00\n" for d in (1, 2, 3)), mtime=1_700_000_000)
    _drop(env, "facebook_ads/ads_manager_export/june_v2.csv", head + "".join(
        f"2026-06-0{d},2026-06-01,2026-06-03,act_1,A1,8.00\n" for d in (1, 2)), mtime=1_700_000_100)
    # a file without the stated period still covers its rows' days
    _drop(env, "facebook_ads/ads_manager_export/july.csv", "Day,Account ID,Ad ID,Amount spent (USD)\n"
          "2026-07-01,act_1,A1,5.00\n", mtime=1_700_000_200)
    assert ingest_all(env)["loaded"] == 3
    assert _query(env, "select day, spend from raw.facebook_ads__ads_manager_export order by 1") == [
        (date(2026, 6, 1), Decimal("8")), (date(2026, 6, 2), Decimal("8")), (date(2026, 7, 1), Decimal("5"))]
    assert _query(env, "select period_start, period_end from ingest.file_ledger where file_path like '%june_v2%'") == [
        (date(2026, 6, 1), date(2026, 6, 3))]


def test_an_ads_manager_export_broken_down_by_platform_loads(env):
    _drop(env, "facebook_ads/ads_manager_export/by_platform.csv",
          "Day,Account ID,Ad ID,Platform,Amount spent (USD)\n2026-06-01,act_1,A1,facebook,3.00\n"
          "2026-06-01,act_1,A1,instagram,4.00\n")
    result = ingest_all(env)
    assert result["loaded"] == 1, result["quarantined_files"]
    assert _query(env, "select placement, spend from raw.facebook_ads__ads_manager_export order by 1") == [
        ("facebook", Decimal("3")), ("instagram", Decimal("4"))]
    # the same ad, day and platform twice is still refused
    _drop(env, "facebook_ads/ads_manager_export/twice.csv",
          "Day,Account ID,Ad ID,Platform,Amount spent (USD)\n2026-06-02,act_1,A1,facebook,3.00\n"
          "2026-06-02,act_1,A1,facebook,4.00\n")
    reason = ingest_all(env)["quarantined_files"][0]["reason"]
    assert (reason["check"], reason["row"]) == ("key_unique", 2)


def test_retry_puts_the_newest_refused_version_back_first(env, tmp_path, monkeypatch):
    """Two refused versions of one name, then the mapping they lacked: the newer version loads, whatever
    its hash (the suffixed copy's name sorts after the plain one's when the hash starts with d, e or f)."""
    import hashlib
    import time

    from socialroi.ingest import retry_quarantined

    feeds = tmp_path / "feeds"
    feeds.mkdir()
    monkeypatch.setenv("SOCIALROI_FEEDS", str(feeds))
    settings = _settings.load()
    _drop(settings, "generic/orders/myshop/june.csv", "Bestellung;Summe\n1;10,00\n")
    assert ingest_all(settings)["quarantined"] == 1
    time.sleep(0.05)
    # the newer version, padded with an extra order until its hash starts with d, e or f
    newer = next(t for t in (f"Bestellung;Summe\n1;99,00\n2;5,00\n{10 + i};0,01\n" for i in range(1000))
                 if hashlib.sha256(t.encode()).hexdigest()[0] in "def")
    _drop(settings, "generic/orders/myshop/june.csv", newer)
    assert ingest_all(settings)["quarantined"] == 1
    (feeds / "myshop.yml").write_text('delimiter: ";"\ndecimal: ","\ncolumns:\n  order_id: Bestellung\n'
                                      '  created_at: {value: "2026-06-05"}\n  currency: {value: EUR}\n  gross_sales: Summe\n')
    assert retry_quarantined(settings) == 1
    assert ingest_all(settings)["loaded"] == 1
    assert _query(settings, "select order_id, gross_sales from raw.generic__orders where order_id in ('1', '2') "
                            "order by 1") == [("1", Decimal("99")), ("2", Decimal("5"))]


def test_an_fx_rate_of_zero_is_refused(env):
    _drop(env, "fx/rates/june.csv", "date,base,quote,rate\n2026-06-01,USD,EUR,0.92\n2026-06-02,USD,EUR,0\n")
    result = ingest_all(env)
    reason = result["quarantined_files"][0]["reason"]
    assert (reason["check"], reason["row"], reason["column"], reason["expected"]) == ("range", 2, "rate", "a value above 0")


def test_a_bad_date_among_us_dates_is_named_at_its_own_row(env):
    rows = "".join(f"O{i},06/{i % 28 + 1:02d}/2026 10:00,USD,1.00\n" for i in range(1, 6001)).replace(
        "O5000,06/17/2026", "O5000,06/31/2026")
    _drop(env, "generic/orders/us_dates.csv", "order_id,created_at,currency,gross_sales\n" + rows)
    reason = ingest_all(env)["quarantined_files"][0]["reason"]
    assert (reason["check"], reason["row"], reason["column"]) == ("type", 5000, "created_at"), reason
    assert "06/31/2026" in reason["found"] and "(line 5001)" in reason["message"]


def test_a_name_shifted_into_an_amount_is_not_quoted_in_the_reason(env):
    # a stray delimiter puts a customer's name and street where an amount belongs: the reason names the
    # file, row and column but quotes only the value's shape, in the ledger, the reason file and the log
    _drop(env, "generic/orders/shifted.csv", "order_id,created_at,currency,gross_sales\n"
          "O1,2026-06-01,USD,10.00\nO2,2026-06-01,USD,Jane Doe 12 Baker Street London\n")
    _drop(env, "generic/orders/placeholder.csv", "order_id,created_at,currency,gross_sales\nO3,2026-06-01,USD,N/A\n")
    result = ingest_all(env)
    reasons = {Path(q["file"]).name: q["reason"] for q in result["quarantined_files"]}
    shifted = reasons["shifted.csv"]
    assert (shifted["check"], shifted["row"], shifted["column"]) == ("type", 2, "gross_sales")
    assert shifted["found"] == "a 31-character text with words, not shown", shifted
    stored = json.dumps(reasons) + "".join(
        p.read_text() for p in (env.landing / "_quarantine").rglob("*.reason.json"))
    con = duckdb.connect(str(env.warehouse), read_only=True)
    try:
        stored += json.dumps(con.execute("select list(reason) from ingest.file_ledger").fetchone()[0])
    finally:
        con.close()
    assert "Jane" not in stored and "Baker" not in stored
    assert reasons["placeholder.csv"]["found"] == "N/A"  # a value without words is still quoted


def test_a_ga4_export_keeps_only_the_event_parameters_staging_reads(env):
    # BigQuery's export: a lead form's fields are parameters of the event, beside the page and the session
    params = [
        {"key": "ga_session_id", "value": {"int_value": 1780308000}},
        {"key": "page_location", "value": {"string_value": "https://shop.example/contact?utm_source=ig&email=jane%40x.com"}},
        {"key": "form_phone", "value": {"string_value": "+1 415 555 0130"}},
        {"key": "customer_name", "value": {"string_value": "Jane Doe"}},
        {"key": "form_message", "value": {"string_value": "call me on (415) 555-0199 please"}},
        {"key": "shipping_address", "value": {"string_value": "12 Baker Street, London"}},
    ]
    row = {"event_date": "20260601", "event_timestamp": 1780308000000000, "event_name": "generate_lead",
           "user_pseudo_id": "111.222", "event_params": params}
    _drop(env, "ga4/events_export/events_20260601.jsonl", json.dumps(row) + "\n")
    assert ingest_all(env)["quarantined"] == 0
    con = duckdb.connect(str(env.warehouse), read_only=True)
    try:
        (stored,) = con.execute("select event_params from raw.ga4__events_export").fetchone()
    finally:
        con.close()
    kept = {p["key"]: p["value"] for p in json.loads(stored)}
    assert set(kept) == {"ga_session_id", "page_location"}
    assert kept["ga_session_id"]["int_value"] == 1780308000
    assert kept["page_location"]["string_value"] == "https://shop.example/contact?utm_source=ig&email=redacted"
    for needle in ("415", "Jane", "Baker", "jane"):
        assert needle not in stored
