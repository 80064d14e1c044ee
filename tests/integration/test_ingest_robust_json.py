"""JSON exports read like CSV ones: through the same encoding detection (a UTF-8 BOM, UTF-16, a legacy code
page), an empty array is a quiet period (zero rows), and values are text as written before the contract
casts them (an id of 18 digits stays exact)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from project_env import drop, query

from socialroi.ingest import ingest_all

REC = {"order_id": "J1", "created_at": "2026-01-05T10:00:00Z", "currency": "EUR", "gross_sales": 12.5,
       "discount_code": "CAFÉ"}
ARRAY = json.dumps([REC], ensure_ascii=False)
LINES = json.dumps(REC, ensure_ascii=False) + "\n"

FILES = {
    "bom_array.json": ("\ufeff" + ARRAY).encode(),
    "bom_lines.jsonl": ("\ufeff" + LINES).encode(),
    "utf16_array.json": ARRAY.encode("utf-16"),
    "utf16_lines.jsonl": LINES.encode("utf-16"),
    "utf16le_no_bom.json": ARRAY.encode("utf-16-le"),
    "cp1252_array.json": ARRAY.encode("cp1252"),
    "cp1252_lines.jsonl": LINES.encode("cp1252"),
    "pretty_array.json": json.dumps([REC], ensure_ascii=False, indent=2).encode(),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_json_in_any_encoding_loads_with_its_values(env, name):
    drop(env, f"generic/orders/{name}", FILES[name])
    result = ingest_all(env)
    assert result["loaded"] == 1, result["quarantined_files"]
    assert query(env, "select order_id, currency, gross_sales, discount_code from raw.generic__orders") == [
        ("J1", "EUR", Decimal("12.5"), "CAFÉ")]


def test_an_empty_json_array_is_a_quiet_period(env):
    drop(env, "generic/orders/none.json", "[]\n")
    drop(env, "generic/orders/none_spaced.json", " [ \n ] ")
    result = ingest_all(env)
    assert result["loaded"] == 2, result["quarantined_files"]
    assert query(env, "select rows from ingest.file_ledger") == [(0,), (0,)]
    assert query(env, "select count(*) from raw.generic__orders")[0][0] == 0


def test_a_json_file_of_blank_lines_is_still_empty(env):
    drop(env, "generic/orders/blank.jsonl", "\n\n  \n")
    reason = ingest_all(env)["quarantined_files"][0]["reason"]
    assert reason["check"] == "not_empty", reason

