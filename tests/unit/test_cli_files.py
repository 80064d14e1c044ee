"""`socialroi files --json`: the ledger's rows for machines."""

from __future__ import annotations

import json

import duckdb

from socialroi import cli
from socialroi import settings as _settings


def test_files_json_gives_every_ledger_column_and_the_reason_as_an_object(tmp_path, monkeypatch, capsys):
    """The contract's ledger row is file_path, sha256, source, table_name, rows, period_start, period_end,
    outcome, reason (JSON), ingested_at: --json left out source, table_name and ingested_at, and gave the reason
    as a string of JSON to decode again."""
    monkeypatch.setenv("SOCIALROI_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    s = _settings.load()
    con = duckdb.connect(str(s.warehouse))
    con.execute("create schema ingest")
    con.execute("create table ingest.file_ledger (file_path varchar, sha256 varchar, source varchar, "
                "table_name varchar, rows bigint, period_start date, period_end date, outcome varchar, reason json, "
                "ingested_at timestamp, seq bigint)")
    con.execute("""insert into ingest.file_ledger values
        ('shopify/order/2026-06.csv', 'aa', 'shopify', 'order', 3, '2026-06-01', '2026-06-30', 'loaded', null,
         '2026-07-01 06:00:00', 1),
        ('shopify/order/bad.csv', 'bb', 'shopify', 'order', null, null, null, 'quarantined',
         '{"check": "expect_column_to_exist", "message": "no column id"}', '2026-07-01 06:00:01', 2)""")
    con.close()
    assert cli.main(["files", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[1] == {"file_path": "shopify/order/bad.csv", "sha256": "bb", "source": "shopify", "table_name": "order",
                       "rows": None, "period_start": None, "period_end": None, "outcome": "quarantined",
                       "reason": {"check": "expect_column_to_exist", "message": "no column id"},
                       "ingested_at": "2026-07-01 06:00:01"}
    assert rows[0]["reason"] is None and rows[0]["period_end"] == "2026-06-30"
    assert cli.main(["files", "--outcome", "quarantined"]) == 0
    assert [line.split() for line in capsys.readouterr().out.splitlines()] == [
        ["quarantined", "shopify/order/bad.csv", "--", "no", "column", "id"]]
