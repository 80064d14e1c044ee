"""publish.export_month: the manifest's totals of a month's tables."""

from __future__ import annotations

import duckdb
import pytest

from socialroi import settings as _settings
from socialroi.publish import MONTH_FILTER, PUBLISHED_TABLES, export_month


def test_a_float_columns_total_is_exact_whatever_the_order_of_the_rows(tmp_path, monkeypatch: pytest.MonkeyPatch):
    for key, value in {"WAREHOUSE": tmp_path / "wh.duckdb", "STATE": tmp_path / "state",
                       "PUBLISH": tmp_path / "pub", "LANDING": tmp_path / "landing", "SALT": "s"}.items():
        monkeypatch.setenv(f"SOCIALROI_{key}", str(value))
    s = _settings.load()
    con = duckdb.connect(str(s.warehouse))
    con.execute("create schema marts; create schema ingest")
    con.execute("create table ingest.file_ledger (file_path varchar, sha256 varchar, outcome varchar, "
                "period_start date, period_end date)")
    for table, totals in PUBLISHED_TABLES.items():
        month = "cohort_month varchar, as_of_month" if table in MONTH_FILTER else "month"
        cols = ", ".join(f"{c} double" if c in ("credit", "customers", "conversions_global") else f"{c} decimal(18, 2)"
                         for c in totals)
        con.execute(f"create table marts.{table} ({month} varchar, {cols})")
    # credits whose float sum is not their sum: 0.1 + 0.2 = 0.30000000000000004
    con.execute("insert into marts.fct_order_attribution values ('2026-03', 10.00, 0.1), ('2026-03', 20.00, 0.2)")
    con.close()
    out = tmp_path / "out"
    out.mkdir()
    stats = export_month(s, "2026-03", out)
    assert stats["fct_order_attribution"]["totals"] == {"attributed_revenue": "30.00", "credit": "0.300000000000"}
    assert stats["fct_order_attribution"]["rows"] == 2
