"""The loader takes exports as real tools write them: encodings, delimiters, line ends, number and date
formats, time zones, header quirks, Parquet and JSON lines; and refuses, rather than guesses, what it
cannot read unambiguously. One landing folder, one ingest, then one assertion per case.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from socialroi import settings as _settings
from socialroi.ingest import ingest_all

PROJECT = Path(__file__).resolve().parents[2]
H = "order_id,created_at,currency,gross_sales"
T10 = dt.datetime(2026, 1, 5, 10, 0)

# name -> (bytes, {order_id: (created_at UTC, gross_sales)})
LOADS: dict[str, tuple[bytes, dict[str, tuple[dt.datetime, Decimal]]]] = {
    "utf8.csv": (f"{H}\nF01,2026-01-05 10:00:00,USD,12.50\n".encode(), {"F01": (T10, Decimal("12.5"))}),
    "utf8_bom.csv": (f"\ufeff{H}\nF02,2026-01-05 10:00:00,USD,12.50\n".encode(), {"F02": (T10, Decimal("12.5"))}),
    "latin1.csv": (f"{H.replace(',', ';')};discount_code\nF03;05.01.2026 10:00;EUR;1.234,56;CAFÉ\n"
                   "F03b;06.01.2026 10:00;EUR;2,50;ÉTÉ\n".encode("latin-1"),
                   {"F03": (T10, Decimal("1234.56")), "F03b": (T10 + dt.timedelta(days=1), Decimal("2.5"))}),
    "cp1252_euro.csv": (f"{H.replace(',', ';')}\nF04;2026-01-05 10:00;EUR;€ 1.234,56\n".encode("cp1252"),
                        {"F04": (T10, Decimal("1234.56"))}),
    "utf16_bom_tab.tsv": (f"{H}\nF05,2026-01-05 10:00:00,USD,12.50\n".replace(",", "\t").encode("utf-16"),
                          {"F05": (T10, Decimal("12.5"))}),
    "utf16le_no_bom.csv": (f"{H}\nF06,2026-01-05 10:00:00,USD,12.50\n".encode("utf-16-le"),
                           {"F06": (T10, Decimal("12.5"))}),
    "semicolon.csv": (f"{H.replace(',', ';')}\nF07;2026-01-05 10:00:00;USD;12.50\n".encode(),
                      {"F07": (T10, Decimal("12.5"))}),
    "pipe.txt": (f"{H.replace(',', '|')}\nF08|2026-01-05 10:00:00|USD|12.50\n".encode(), {"F08": (T10, Decimal("12.5"))}),
    "crlf.csv": (f"{H}\r\nF09,2026-01-05 10:00:00,USD,12.50\r\n".encode(), {"F09": (T10, Decimal("12.5"))}),
    "excel_sep_line.csv": (f"sep=;\r\n{H.replace(',', ';')}\r\nF10;2026-01-05 10:00:00;EUR;12,50\r\n".encode(),
                           {"F10": (T10, Decimal("12.5"))}),
    "thousands_comma.csv": (f'{H}\nF11,2026-01-05 10:00:00,USD,"1,234.56"\nF12,2026-01-05 10:00:00,USD,$12.00\n'
                            f'F15,2026-01-05 10:00:00,USD,USD 7.25\n'.encode(),
                            {"F11": (T10, Decimal("1234.56")), "F12": (T10, Decimal("12")),
                             "F15": (T10, Decimal("7.25"))}),
    "decimal_comma.csv": (f'{H.replace(",", ";")}\nF16;2026-01-05 10:00:00;EUR;"1.234,56"\n'
                          f'F17;2026-01-05 10:00:00;EUR;€ 1.234,56\nF18;2026-01-05 10:00:00;EUR;1\u202f234,50 €\n'.encode(),
                          {"F16": (T10, Decimal("1234.56")), "F17": (T10, Decimal("1234.56")),
                           "F18": (T10, Decimal("1234.5"))}),
    "swiss.csv": (f"{H}\nF20,2026-01-05 10:00:00,CHF,1'234.50\n".encode(), {"F20": (T10, Decimal("1234.5"))}),
    "leading_zero_decimals.csv": (f"{H}\nF21,2026-01-05 10:00:00,USD,0.125\nF22,2026-01-05 10:00:00,USD,1.500\n".encode(),
                                  {"F21": (T10, Decimal("0.125")), "F22": (T10, Decimal("1.5"))}),
    "time_zones.csv": (f"{H}\nF23,2026-01-05T12:00:00+02:00,USD,1\nF24,2026-01-05 10:00:00 UTC,USD,1\n"
                       f"F25,2026-01-05T10:00:00.000Z,USD,1\nF26,2026-01-05 05:00:00 -0500,USD,1\n"
                       f"F27,2026-01-05 12:00:00 +02:00,USD,1\nF27Z,2026-01-05 10:00:00 Z,USD,1\n".encode(),
                       {k: (T10, Decimal(1)) for k in ("F23", "F24", "F25", "F26", "F27", "F27Z")}),
    "us_dates.csv": (f"{H}\nF28,01/05/2026 10:00,USD,1\nF29,01/25/2026 10:00,USD,1\n".encode(),
                     {"F28": (T10, Decimal(1)), "F29": (T10 + dt.timedelta(days=20), Decimal(1))}),
    "uk_dates.csv": (f"{H}\nF30,05/01/2026 10:00,GBP,1\nF31,25/01/2026 10:00,GBP,1\n".encode(),
                     {"F30": (T10, Decimal(1)), "F31": (T10 + dt.timedelta(days=20), Decimal(1))}),
    "month_names.csv": (f'{H}\nF32,"Jan 5, 2026",USD,1\n'.encode(), {"F32": (T10.replace(hour=0), Decimal(1))}),
    "reordered_extra.csv": (b"Gross Sales,Unused Column,Currency,Order ID,Created At\n1.5,x,usd,F33,2026-01-05T10:00:00Z\n",
                            {"F33": (T10, Decimal("1.5"))}),
    "duplicated_header.csv": (f"{H},note,note,Gross Sales\nF34,2026-01-05 10:00:00,USD,2.00,a,b,9.99\n".encode(),
                              {"F34": (T10, Decimal("2"))}),
    "quoted_newline.csv": (f'{H},discount_code\nF35,2026-01-05 10:00:00,USD,1.00,"TWO\nLINES"\n'.encode(),
                           {"F35": (T10, Decimal("1"))}),
    "trailing_spaces.csv": (f"{H} \nF36 ,2026-01-05 10:00:00.000 , usd ,12.50 \n".encode(),
                            {"F36": (T10, Decimal("12.5"))}),
    "padded_offsets.csv": (f"{H}\nP42 , 2026-01-05T12:00:00+02:00 ,USD,1\nP43,2026-01-05 05:00:00 -0500  ,USD,1\n"
                           f"P44,  2026-01-05T10:00:00Z,USD,1\n".encode(),
                           {k: (T10, Decimal(1)) for k in ("P42", "P43", "P44")}),
    "no_final_newline.csv": (f"{H}\nF37,2026-01-05 10:00:00,USD,12.50".encode(), {"F37": (T10, Decimal("12.5"))}),
    "orders.jsonl": (b'{"order_id":"F38","created_at":"2026-01-05T10:00:00Z","currency":"USD","gross_sales":12.5}\n'
                     b'{"order_id":"F39","created_at":"2026-01-05T10:00:00Z","currency":"USD","gross_sales":"3",'
                     b'"extra":{"nested":[1,2]}}\n',
                     {"F38": (T10, Decimal("12.5")), "F39": (T10, Decimal("3"))}),
}

# Parquet is written by DuckDB in the fixture (typed columns: decimal, timestamp with time zone)
PARQUET_ROWS = {"F40": (T10, Decimal("12.5")), "F41": (T10, Decimal("0.1"))}

REFUSED: dict[str, tuple[str, bytes, str, int | None, str | None]] = {
    # name -> (landing folder, bytes, check, row, column)
    "empty.csv": ("generic/orders", b"", "not_empty", None, None),
    "blank_lines.csv": ("generic/orders", b"\n\n\r\n", "not_empty", None, None),
    "header_only_without_required.csv": ("generic/orders", b"order_id,created_at\n", "required_columns", None,
                                         "currency"),
    "truncated_last_line.csv": ("generic/orders", f"{H}\nR1,2026-01-05 10:00:00,USD,1.00\nR2,2026-01-05 10:".encode(),
                                "field_count", 2, None),
    "ambiguous_dates.csv": ("generic/orders", f"{H}\nR3,01/02/2026,USD,1.00\nR4,03/04/2026,USD,1.00\n".encode(),
                            "date_format", 1, "created_at"),
    "ambiguous_numbers.csv": ("generic/orders", f'{H}\nR5,2026-01-05,USD,"1,234"\n'.encode(),
                              "number_format", 1, "gross_sales"),
    "ambiguous_dot_thousands.csv": ("generic/orders", f"{H}\nR6,2026-01-05,USD,1.234\n".encode(),
                                    "number_format", 1, "gross_sales"),
    "unknown_table.csv": ("facebook_ads/no_such_table", f"{H}\nR7,2026-01-05,USD,1\n".encode(),
                          "unknown_table", None, None),
    # negative amounts, written as accountants do, are read as negative: a gross sale cannot be (range)
    "accounting_negative.csv": ("generic/orders", f"{H}\nR9,2026-01-05 10:00:00,USD,(12.00)\n".encode(),
                                "range", 1, "gross_sales"),
    "negative_dollar.csv": ("generic/orders", f"{H}\nR10,2026-01-05 10:00:00,USD,-$3.50\n".encode(),
                            "range", 1, "gross_sales"),
    "negative_decimal_comma.csv": ("generic/orders", f'{H.replace(",", ";")}\nR11;2026-01-05 10:00:00;EUR;"1.234,56"\n'
                                   f"R12;2026-01-05 10:00:00;EUR;(0,99)\n".encode(), "range", 2, "gross_sales"),
    "late_mixed_encoding.csv": ("generic/orders", (f"{H},discount_code\n" + "".join(
        f"X{i},2026-01-05 10:00:00,EUR,1.00,é\n" for i in range(3000))).encode() + b"R8,2026-01-05,EUR,1.00,\xe9\n",
        "encoding", 3001, None),
}

EXAMPLE_SHOP = (
    "Bestelldatum;Kundennummer;E-Mail;Warenwert netto;Rabatt;Gutscheincode;Versandkosten;MwSt;Zahlart\n"
    "05.01.2026 14:30;K-1001;Anna.Beispiel@example.de;1.234,56;10,00;WINTER10;4,90;232,67;PayPal\n"
    "05.01.2026 14:30;K-1001;anna.beispiel@example.de;19,99;0,00;;0,00;3,80;PayPal\n"
    "31.01.2026 23:45;K-2002;bernd@example.de;99,00;0,00;;4,90;18,81;Rechnung\n"
)


def _query(settings, sql: str, params=None):
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOCIALROI_LANDING", str(root / "landing"))
        mp.setenv("SOCIALROI_WAREHOUSE", str(root / "warehouse.duckdb"))
        mp.setenv("SOCIALROI_STATE", str(root / "state"))
        mp.setenv("SOCIALROI_FEEDS", str(PROJECT / "feeds"))
        mp.setenv("SOCIALROI_SALT", "test-salt")
        settings = _settings.load()
        orders = settings.landing / "generic" / "orders"
        orders.mkdir(parents=True)
        for name, (data, _) in LOADS.items():
            (orders / name).write_bytes(data)
        duckdb.sql(
            "copy (select * from (values ('F40', timestamptz '2026-01-05 11:00:00+01', 'USD', 12.5::decimal(10, 2)), "
            "('F41', timestamptz '2026-01-05 10:00:00+00', 'USD', 0.1::decimal(10, 2))) "
            f"t(order_id, created_at, currency, gross_sales)) to '{orders / 'orders.parquet'}' (format parquet)"
        )
        for name, (folder, data, *_rest) in REFUSED.items():
            (settings.landing / folder).mkdir(parents=True, exist_ok=True)
            (settings.landing / folder / name).write_bytes(data)
        (settings.landing / "generic" / "returns").mkdir(parents=True)
        (settings.landing / "generic" / "returns" / "no_returns_today.csv").write_text("order_id,processed_at,amount\n")
        shop = orders / "example_shop"
        shop.mkdir()
        (shop / "export_januar.csv").write_bytes(EXAMPLE_SHOP.encode("cp1252"))
        result = ingest_all(settings)
        yield settings, result


def test_nothing_unexpected_is_refused(loaded):
    _, result = loaded
    refused = {Path(q["file"]).name for q in result["quarantined_files"]}
    assert refused == set(REFUSED)
    assert result["loaded"] == len(LOADS) + 3  # + Parquet, the example_shop export and the header-only file


def test_header_only_export_is_a_quiet_period(loaded):
    """A header without rows (a day without returns) loads with 0 rows and is never `superseded`."""
    settings, _ = loaded
    assert _query(settings, "select outcome, rows, period_start from ingest.file_ledger where file_path = ?",
                  ["generic/returns/no_returns_today.csv"]) == [("loaded", 0, None)]


@pytest.mark.parametrize("name", sorted(LOADS))
def test_export_loads_with_its_values(loaded, name):
    settings, _ = loaded
    expected = LOADS[name][1]
    got = {r[0]: (r[1], r[2]) for r in _query(
        settings, "select order_id, created_at, gross_sales from landing.generic__orders o "
                  "join ingest.file_ledger l on l.sha256 = o._file_sha256 where l.file_path = ?",
        [f"generic/orders/{name}"])}
    assert got == expected


def test_text_in_legacy_encodings_reads_right(loaded):
    settings, _ = loaded
    codes = dict(_query(settings, "select order_id, discount_code from landing.generic__orders "
                                  "where order_id in ('F03', 'F03b', 'F35')"))
    assert codes == {"F03": "CAFÉ", "F03b": "ÉTÉ", "F35": "TWO\nLINES"}
    assert _query(settings, "select currency from landing.generic__orders where order_id = 'F36'") == [("USD",)]


def test_parquet_loads_with_its_values(loaded):
    settings, _ = loaded
    got = {r[0]: (r[1], r[2]) for r in _query(
        settings, "select order_id, created_at, gross_sales from landing.generic__orders where order_id like 'F4_'")}
    assert got == PARQUET_ROWS


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unreadable_or_ambiguous_export_is_quarantined(loaded, name):
    settings, _ = loaded
    folder, data, check, row, column = REFUSED[name]
    reason = json.loads(_query(settings, "select reason::varchar from ingest.file_ledger where file_path = ?",
                               [f"{folder}/{name}"])[0][0])
    assert (reason["check"], reason["row"], reason["column"]) == (check, row, column)
    kept = settings.landing / "_quarantine" / folder / name
    assert kept.read_bytes() == data
    assert json.loads(kept.with_name(name + ".reason.json").read_text())["check"] == check


def test_feed_mapping_reads_a_semicolon_decimal_comma_export(loaded):
    """feeds/example_shop.yml: other column names, ';', decimal comma, cp1252, local times, no order id."""
    settings, _ = loaded
    rows = _query(settings, "select order_id, created_at, currency, gross_sales, discount, discount_code, shipping, "
                            "tax, customer_id, email_hash from raw.generic__orders where customer_id like 'K-%' "
                            "order by created_at, gross_sales desc")
    assert [r[1:9] for r in rows] == [
        # 14:30 in Berlin (CET, UTC+1) is 13:30 UTC; 23:45 on 31 January is 22:45 UTC
        (dt.datetime(2026, 1, 5, 13, 30), "EUR", Decimal("1234.56"), Decimal("10"), "WINTER10", Decimal("4.9"),
         Decimal("232.67"), "K-1001"),
        (dt.datetime(2026, 1, 5, 13, 30), "EUR", Decimal("19.99"), Decimal("0"), None, Decimal("0"),
         Decimal("3.8"), "K-1001"),
        (dt.datetime(2026, 1, 31, 22, 45), "EUR", Decimal("99"), Decimal("0"), None, Decimal("4.9"),
         Decimal("18.81"), "K-2002"),
    ]
    ids = [r[0] for r in rows]
    # order_id_from: same date and customer -> numbered by occurrence; ids are stable salted hashes
    assert len(set(ids)) == 3 and ids[0].endswith("-1") and ids[1].endswith("-2") and ids[2].endswith("-1")
    assert ids[0][:-2] == ids[1][:-2] and ids[0][:-2] != ids[2][:-2]
    assert not any("K-1001" in i or "@" in i for i in ids)
    # email normalised (trim, lower-case) before hashing: the same person twice
    assert rows[0][9] == rows[1][9] and len(rows[0][9]) == 64 and rows[0][9] != rows[2][9]
