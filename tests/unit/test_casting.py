"""The loader's cast expressions, on values: ISO times are cast as written (no trim), so a value padded
with spaces must come out as the same instant as the unpadded one, in every form the loader accepts."""

from __future__ import annotations

import duckdb
import pytest

from socialroi.ingest import contracts as C
from socialroi.ingest.casting import _time_expr, batch_problems, raw_copies, typed_select
from socialroi.ingest.reader import Dialect

ISO_FORMS = ["2026-01-05T12:00:00+02:00", "2026-01-05 10:00:00 UTC", "2026-01-05T10:00:00.000Z",
             "2026-01-05 05:00:00 -0500", "2026-01-05 12:00:00 +02:00", "2026-01-05 10:00:00 Z",
             "2026-01-05 10:00:00", "2026-01-05", "2026-01-05 10:00:00 GMT", "2026-01-05T10:00Z",
             "2026-01-05 12:00:00+02", "2026-01-05 10:00"]


def _column(source: str, table: str, name: str) -> C.Column:
    return C.get(source, table).column(name)


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin"])
@pytest.mark.parametrize("kind", ["timestamp", "date"])
def test_padded_iso_times_cast_like_unpadded(tz, kind):
    col = _column("generic", "orders", "created_at") if kind == "timestamp" else _column("fx", "rates", "date")
    assert col.type == kind
    expr = _time_expr("x", col, "iso", tz)
    con = duckdb.connect()

    def cast(value):
        return con.execute(f"select {expr} from (select ?::varchar as x)", [value]).fetchone()[0]

    for value in ISO_FORMS:
        want = cast(value)
        assert want is not None, value
        for padded in (f" {value}", f"{value} ", f"  {value}   "):
            assert cast(padded) == want, (padded, want)
    assert cast("   ") is None


def test_text_is_trimmed_only_in_the_padded_columns():
    contract = C.get("generic", "orders")
    src = {"order_id": '"order_id"', "currency": '"currency"', "discount_code": '"discount_code"'}
    con = duckdb.connect()
    con.execute("create table t as select * from (values (' A1', ' usd ', 'WINTER'), ('A2', 'EUR', '   ')) "
                "v(order_id, currency, discount_code)")

    def typed(padded):
        exprs = typed_select(contract, src, None, {}, Dialect(), "salt", padded)
        cols = ", ".join([*(f"{exprs[c]} as {c}" for c in ("order_id", "currency", "discount_code")),
                          *(f"{e} as {n}" for n, e in raw_copies(contract, src).items())])
        con.execute(f"create or replace table typed as select {cols}, row_number() over () as _row from t")
        return con.execute("select order_id, currency, discount_code from typed order by order_id").fetchall()

    def padded():
        return {p["column"] for p in batch_problems(con, "typed", contract, src) if p["check"] == "padded"}

    assert typed(set()) == [(" A1", " USD ", "WINTER"), ("A2", "EUR", "   ")]
    assert padded() == {"order_id", "currency", "discount_code"}
    assert typed({"order_id", "currency", "discount_code"}) == [("A1", "USD", "WINTER"), ("A2", "EUR", None)]
    assert padded() == set()


@pytest.mark.parametrize("rows, repeats", [
    ([("t1", "2026-01-05", None), ("t1", "2026-01-05", "ALL_ON_TWITTER")], False),
    ([("t1", "2026-01-05", None), ("t1", "2026-01-05", None)], True),  # an empty key part equals an empty one
    ([("t1", "2026-01-05", None)], False),  # the first row has nothing before it
    ([("t1", "2026-01-05", "A"), ("t2", "2026-01-05", "A"), ("t1", "2026-01-06", "A")], False),
    ([("t2", "2026-01-05", "A"), ("t1", "2026-01-05", "A"), ("t2", "2026-01-05", "A")], True),
])
def test_key_unique_within_the_file(rows, repeats):
    """The key check (a sort of the file's keys) says what a group by would: NULL parts equal, the
    first repeat named with the row it repeats."""
    contract = C.get("twitter_ads", "promoted_tweet_report")
    assert contract.key == ("promoted_tweet_id", "date", "placement")
    src = {c: f'"{c}"' for c in ("account_id", "promoted_tweet_id", "date", "placement")}
    con = duckdb.connect()
    con.execute("create table t (account_id varchar, promoted_tweet_id varchar, date varchar, placement varchar, "
                "_row bigint)")
    for i, (tweet, day, placement) in enumerate(rows, 1):
        con.execute("insert into t values ('a', ?, ?, ?, ?)", [tweet, day, placement, i])
    exprs = {**typed_select(contract, src, None, {}, Dialect(), "salt", set()), **raw_copies(contract, src)}
    con.execute("create table typed as select " + ", ".join(f"{e} as {ident}" for ident, e in exprs.items())
                + ", _row from t")
    oracle = con.execute("select count(*) from (select 1 from typed group by promoted_tweet_id, date, placement "
                         "having count(*) > 1)").fetchone()[0] > 0
    assert oracle == repeats
    found = [p for p in batch_problems(con, "typed", contract, src) if p["check"] == "key_unique"]
    assert bool(found) == repeats
    if repeats:
        assert found[0]["row"] == len(rows) and found[0]["found"] == "the key of row 1"


@pytest.mark.parametrize(("text", "value"), [
    ("EUR 7.25", "7.25"), ("-EUR 7.25", "-7.25"), ("7.25 usd", "7.25"), ("USD-5", "-5"), ("$1,234.50", "1234.50"),
    ("abc5", None), ("12 pcs", None), ("5 kg", None), ("-", None),
])
def test_amounts_lose_only_a_known_currency_code_and_keep_their_sign(text, value):
    from decimal import Decimal

    from socialroi.ingest.casting import _number_expr

    expr = _number_expr("x", _column("generic", "orders", "gross_sales"), ".")
    got = duckdb.connect().execute(f"select {expr} from (select ?::varchar as x)", [text]).fetchone()[0]
    assert got == (Decimal(value) if value else None)


def test_duplicate_header_names_never_take_a_name_the_header_has():
    from socialroi.ingest.reader import unique_names

    names = unique_names(["Order ID", "note", "note", "note_2", "note"])
    assert len(set(names)) == 5 and names[:2] == ["order_id", "note"] and names[3] == "note_2"


def _cast_one(expr: str, value):
    return duckdb.connect().execute(f"select {expr} from (select ?::varchar as x)", [value]).fetchone()[0]


def _raise_first_of(contract, column, found, check="type", row=1):
    """The FileProblem raise_first makes of one problem on one cell."""
    from socialroi.ingest.casting import raise_first
    from socialroi.ingest.reader import FileProblem

    with pytest.raises(FileProblem) as exc:
        raise_first([{"check": check, "column": column, "row": row, "found": found,
                      "col": contract.column(column)}], contract)
    return exc.value.reason


@pytest.mark.parametrize(("text", "utc"), [
    ("2026-06-04T10:28:33 America/New_York", "2026-06-04 14:28:33"),
    ("2026-06-04 10:28:33 Europe/Berlin", "2026-06-04 08:28:33"),
    (" 2026-06-04 10:28:33 Asia/Kolkata ", "2026-06-04 04:58:33"),
    ("2026-06-04 10:28:33 Etc/GMT+5", "2026-06-04 15:28:33"),
    ("2026-06-30 20:30:00 PDT", None), ("2026-06-04 10:28:33 CEST", None), ("2026-06-04 10:28:33 EST", None),
    ("2026-06-04 10:28:33 IST", None), ("2026-06-04 10:28:33 BST", None),
    ("2026-06-04 10:28:33 nonsense-zone", None), ("2026-06-04 10:28:33 Foo/Bar", None),
    # the offsets and UTC names that worked before still do
    ("2026-06-04 10:28:33 UTC", "2026-06-04 10:28:33"), ("2026-06-04 10:28:33 GMT", "2026-06-04 10:28:33"),
    ("2026-06-04T10:28:33Z", "2026-06-04 10:28:33"), ("2026-06-04 12:28:33 +02:00", "2026-06-04 10:28:33"),
])
@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin"])
def test_a_zone_name_after_a_timestamp_is_honoured_or_refused(text, utc, tz):
    """An IANA zone name converts the wall time to UTC (whatever the feed's own zone); an abbreviation or
    an unknown word is no time (a `type` problem), never the wall time read as UTC."""
    from datetime import datetime

    expr = _time_expr("x", _column("generic", "orders", "created_at"), "iso", tz)
    assert _cast_one(expr, text) == (datetime.fromisoformat(utc) if utc else None)


@pytest.mark.parametrize(("found", "words"), [
    ("2026-06-30 20:30:00 PDT", ["'PDT'", "abbreviation", "ambiguous", "offset", "IANA"]),
    ("2026-06-04 10:28:33 CEST", ["'CEST'", "abbreviation", "ambiguous"]),
    ("2026-06-04 10:28:33 nonsense-zone", ["'nonsense-zone'", "unknown time zone", "IANA"]),
])
def test_a_refused_zone_is_named_in_the_message(found, words):
    reason = _raise_first_of(C.get("generic", "orders"), "created_at", found, row=7)
    assert reason["check"] == "type" and reason["row"] == 7 and reason["column"] == "created_at"
    assert reason["found"] == found and reason["message"].startswith("row 7, column created_at: ")
    for w in words:
        assert w in reason["message"], (w, reason["message"])


def test_a_bad_value_in_a_time_key_is_reported_as_its_type_with_the_value():
    """On one cell, the `type` problem (which quotes the value) wins over `key_not_null` (which cannot)."""
    from socialroi.ingest.casting import raise_first
    from socialroi.ingest.reader import FileProblem

    contract = C.get("generic", "returns")
    assert "processed_at" in contract.key
    src = {c: f'"{c}"' for c in ("order_id", "processed_at", "amount")}
    con = duckdb.connect()
    con.execute("create table t as select * from (values ('R1', '2026-06-01 10:00:00', '5.00', 1), "
                "('R2', '2026-06-31 10:00:00', '6.00', 2)) v(order_id, processed_at, amount, _row)")
    exprs = {**typed_select(contract, src, ".", {}, Dialect(), "salt", set()), **raw_copies(contract, src)}
    con.execute("create table typed as select " + ", ".join(f"{e} as {n}" for n, e in exprs.items()) + ", _row from t")
    with pytest.raises(FileProblem) as exc:
        raise_first(batch_problems(con, "typed", contract, src), contract)
    reason = exc.value.reason
    assert (reason["check"], reason["row"], reason["column"], reason["found"]) == (
        "type", 2, "processed_at", "2026-06-31 10:00:00")


def _typed_table(con, contract, src, rows, padded=()):
    cols = list(src)
    con.execute(f"create or replace table t ({', '.join(f'{c} varchar' for c in cols)}, _row bigint)")
    for i, r in enumerate(rows, 1):
        con.execute(f"insert into t values ({', '.join('?' for _ in cols)}, ?)", [*r, i])
    exprs = {**typed_select(contract, src, ".", {}, Dialect(), "salt", set(padded)), **raw_copies(contract, src)}
    con.execute("create or replace table typed as select " + ", ".join(f"{e} as {n}" for n, e in exprs.items())
                + ", _row from t")


@pytest.mark.parametrize("pad", ["o1\u00a0", "\u00a0o1", "o1\t", "\to1", " o1"])
def test_a_key_padded_with_a_no_break_space_or_a_tab_is_trimmed(pad):
    contract = C.get("generic", "orders")
    src = {c: f'"{c}"' for c in ("order_id", "created_at", "currency", "gross_sales")}
    con = duckdb.connect()
    _typed_table(con, contract, src, [(pad, "2026-06-01", "USD", "1.00")])
    found = {p["column"] for p in batch_problems(con, "typed", contract, src) if p["check"] == "padded"}
    assert found == {"order_id"}
    _typed_table(con, contract, src, [(pad, "2026-06-01", "USD", "1.00")], padded=found)
    assert con.execute("select order_id from typed").fetchall() == [("o1",)]


@pytest.mark.parametrize(("source", "table", "column", "value"), [
    ("generic", "orders", "order_id", "2.03041E+15"),  # a key
    ("facebook_ads", "basic_ad", "ad_id", "1.2021E+17"),  # a key
    ("facebook_ads", "basic_ad", "account_id", "1.2021e+17"),  # a scope
])
def test_an_id_in_scientific_notation_is_refused(source, table, column, value):
    contract = C.get(source, table)
    cols = [c.name for c in contract.columns if c.required or c.name == column]
    good = {"order_id": "o1", "created_at": "2026-06-01", "currency": "USD", "gross_sales": "1.00", "ad_id": "a1",
            "date": "2026-06-01", "account_id": "act_1"}
    src = {c: f'"{c}"' for c in cols}
    con = duckdb.connect()
    _typed_table(con, contract, src, [[good.get(c, "1") for c in cols], [value if c == column else good.get(c, "1")
                                                                        for c in cols]])
    [hit] = [p for p in batch_problems(con, "typed", contract, src) if p["check"] == "type"]
    assert (hit["row"], hit["column"], hit["found"]) == (2, column, value)
    reason = _raise_first_of(contract, column, value, row=2)
    assert "id in scientific notation (opened in Excel?)" in reason["message"]
    # an id that merely holds 'E+' is an id
    _typed_table(con, contract, src, [[("AE+7" if c == column else good.get(c, "1")) for c in cols]])
    assert not [p for p in batch_problems(con, "typed", contract, src) if p["check"] == "type"]


@pytest.mark.parametrize(("text", "decimal", "value"), [
    ("62.0000", ".", "62"), ("62.000000000", ".", "62"), ("62.1230", ".", "62.123"), ("-0.50000", ".", "-0.5"),
    ("62,0000", ",", "62"), ("62.0004", ".", None), ("62.0000001", ".", None), ("62,0004", ",", None),
])
def test_an_amount_may_have_more_decimal_places_only_if_they_are_zeros(text, decimal, value):
    from decimal import Decimal

    from socialroi.ingest.casting import _number_expr

    expr = _number_expr("x", _column("generic", "orders", "gross_sales"), decimal)
    assert _cast_one(expr, text) == (Decimal(value) if value else None)


def test_an_amount_with_more_decimal_places_than_it_holds_says_so():
    reason = _raise_first_of(C.get("generic", "orders"), "gross_sales", "62.0004", row=3)
    assert reason["check"] == "type" and "more than 3 decimal places" in reason["message"], reason
    assert "expected a decimal value" not in reason["message"]


@pytest.mark.parametrize(("text", "decimal", "thousands", "value"), [
    # decimal ',' (a feed mapping's `decimal: ","`): '.' groups thousands, by 3 digits only
    ("12.50", ",", None, None), ("1.2.3,4", ",", None, None), ("1.234,56", ",", None, "1234.56"),
    ("1 234,56", ",", None, "1234.56"), ("1\u00a0234,56", ",", None, "1234.56"), ("12,5", ",", None, "12.5"),
    ("-1.234.567,8", ",", None, "-1234567.8"), ("1.234", ",", None, "1234"),
    # decimal '.'
    ("12 50", ".", None, None), ("+1 303 555 0193", ".", None, None), ("1,234.56", ".", None, "1234.56"),
    ("1'234.56", ".", None, "1234.56"), ("1 234.56", ".", None, "1234.56"), ("12,34.5", ".", None, None),
    ("+12.5", ".", None, "12.5"), ("1+2", ".", None, None), ("12.5+", ".", None, None), ("(12.50)", ".", None, "-12.50"),
    ("$1,234.50", ".", None, "1234.50"), ("12,00 EUR", ",", None, "12"), ("1234.5", ".", None, "1234.5"),
    ("-0.125", ".", None, "-0.125"), ("1e3", ".", None, None),
    # the mapping's `thousands` is the only separator then
    ("1 234,56", ",", ".", None), ("1.234,56", ",", ".", "1234.56"), ("1.234,56", ",", " ", None),
    ("1,234.56", ".", "'", None), ("1'234.56", ".", "'", "1234.56"),
])
def test_thousands_separators_must_group_by_three_digits(text, decimal, thousands, value):
    from decimal import Decimal

    from socialroi.ingest.casting import _number_expr

    expr = _number_expr("x", _column("generic", "orders", "gross_sales"), decimal, thousands)
    assert _cast_one(expr, text) == (Decimal(value) if value else None)


@pytest.mark.parametrize(("text", "decimal", "value"), [
    ("+1 303 555 0193", ".", None), ("12 50", ".", None), ("1,234", ".", 1234), ("1.234", ",", 1234),
    ("1 234", ".", 1234), ("12.0", ".", 12), ("12.5", ".", None), ("0x1F", ".", None), ("1,234", None, 1234),
    ("1.234", None, 1234), ("-17", ".", -17), ("(17)", ".", -17), ("1234", ",", 1234),
])
def test_whole_numbers_group_by_three_digits_too(text, decimal, value):
    from socialroi.ingest.casting import _number_expr

    expr = _number_expr("x", C.Column("clicks", type="bigint"), decimal)
    assert _cast_one(expr, text) == value


@pytest.mark.parametrize(("text", "value"), [("1.5e-3", 0.0015), ("12,5", None), ("1,234.5", 1234.5), ("inf", float("inf"))])
def test_a_double_may_have_an_exponent(text, value):
    from socialroi.ingest.casting import _number_expr

    expr = _number_expr("x", C.Column("frequency", type="double"), ".")
    assert _cast_one(expr, text) == value
