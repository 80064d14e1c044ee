"""One file the loader cannot handle never stops the others: a file name that is not UTF-8, or an unexpected
error while loading one file, quarantines that file (its transaction rolled back) and the run goes on."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from project_env import query

from socialroi.ingest import ingest_all, retry_quarantined
from socialroi.ingest import loader as _loader

ORDERS = "order_id,created_at,currency,gross_sales\nV01,2026-01-05 10:00:00,USD,10.00\n"
RATES = "date,base,quote,rate\n2026-06-01,USD,EUR,0.92\n"


def _drop(settings, rel: str | bytes, data: str) -> Path:
    raw = rel if isinstance(rel, bytes) else rel.encode()
    path = Path(os.fsdecode(os.fsencode(settings.landing) + b"/" + raw))  # a name as the file system has it
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode())
    return path


def test_a_file_name_that_is_not_utf8_is_quarantined_and_the_others_load(env):
    _drop(env, b"fx/rates/rates_caf\xe9.csv", RATES)  # Latin-1 bytes, as a Windows ZIP or SMB drop names it
    _drop(env, "generic/orders/valid_orders.csv", ORDERS)
    result = ingest_all(env)
    assert (result["loaded"], result["quarantined"]) == (1, 1), result
    [reason] = [q["reason"] for q in result["quarantined_files"]]
    assert reason["check"] == "file_name"
    assert reason["file"] == "fx/rates/rates_caf\\xe9.csv"  # the bad byte shown escaped
    assert "rates_caf\\xe9.csv" in reason["message"] and "UTF-8" in reason["message"]
    assert query(env, "select order_id from raw.generic__orders") == [("V01",)]
    assert query(env, "select file_path, outcome from ingest.file_ledger order by 1") == [
        ("fx/rates/rates_caf\\xe9.csv", "quarantined"), ("generic/orders/valid_orders.csv", "loaded")]
    # kept in quarantine under its escaped (UTF-8) name, with its reason beside it
    kept = env.landing / "_quarantine" / "fx" / "rates" / "rates_caf\\xe9.csv"
    assert kept.read_text() == RATES
    assert json.loads(kept.with_name(kept.name + ".reason.json").read_text())["check"] == "file_name"
    assert not any(p.is_file() for p in (env.landing / "fx").rglob("*"))
    # a re-run is a no-op; the same bytes under the same bad name are known; a renamed copy loads
    assert ingest_all(env)["files_seen"] == 0
    _drop(env, b"fx/rates/rates_caf\xe9.csv", RATES)
    again = ingest_all(env)
    assert (again["known"], again["loaded"], again["quarantined"]) == (1, 0, 0), again
    _drop(env, "fx/rates/rates_cafe.csv", RATES)
    assert ingest_all(env)["loaded"] == 1
    assert query(env, "select count(*) from raw.fx__rates")[0][0] == 1


def test_an_unexpected_error_in_one_file_quarantines_it_and_the_run_goes_on(env, monkeypatch, caplog):
    real = _loader.batch_problems

    def failing(con, typed, contract, src, raw=None):
        if contract.table == "rates":  # after the file's rows were inserted, inside its transaction
            raise RuntimeError("boom: something nobody expected\nsecond line with a@example.com")
        return real(con, typed, contract, src, raw=raw)

    monkeypatch.setattr(_loader, "batch_problems", failing)
    _drop(env, "fx/rates/june.csv", RATES)
    _drop(env, "generic/orders/valid_orders.csv", ORDERS)
    result = ingest_all(env)
    assert (result["loaded"], result["quarantined"]) == (1, 1), result
    [reason] = [q["reason"] for q in result["quarantined_files"]]
    assert reason["check"] == "internal" and reason["file"] == "fx/rates/june.csv"
    assert "RuntimeError: boom: something nobody expected" in reason["message"]
    assert "second line" not in json.dumps(reason)
    assert any("fx/rates/june.csv" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)
    # the file's transaction was rolled back: none of its rows stayed
    assert query(env, "select count(*) from landing.fx__rates")[0][0] == 0
    assert query(env, "select order_id from raw.generic__orders") == [("V01",)]
    # the bug fixed, the quarantined file retried loads (an internal error is no verdict on the bytes)
    monkeypatch.setattr(_loader, "batch_problems", real)
    assert retry_quarantined(env) == 1
    assert ingest_all(env)["loaded"] == 1
    assert query(env, "select outcome from ingest.file_ledger where file_path = 'fx/rates/june.csv'") == [("loaded",)]


def test_an_error_writing_the_ledger_is_not_swallowed(env, monkeypatch):
    def broken(self, *args, **kwargs):
        raise duckdb.IOException("IO Error: could not write the ledger")

    monkeypatch.setattr(_loader.Loader, "_ledger", broken)
    _drop(env, "generic/orders/valid_orders.csv", ORDERS)
    with pytest.raises(duckdb.IOException):
        ingest_all(env)
