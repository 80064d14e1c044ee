"""The contract options `hash_of` (a key derived from a row's columns) and `null_tokens` (placeholders a
platform writes for no value): how they parse, and the SQL they give the loader."""

from __future__ import annotations

import duckdb
import pytest

from socialroi.ingest import contracts as C
from socialroi.ingest.casting import ident, placeholder_columns, with_derived_keys, with_placeholders_as_null


def _contract(tmp_path, table: str) -> C.TableContract:
    path = tmp_path / "demo.yml"
    path.write_text("source: demo\ntables:\n" + table)
    return C._parse(path)[("demo", "t")]


HASHED = """  t:
    kind: entity
    key: [k]
    columns:
      k: {type: varchar, hash_of: [a, b, params]}
      a: {type: varchar}
      b: {type: bigint}
      params: {type: json}
"""


@pytest.mark.parametrize("spec", ["{type: bigint, hash_of: [a]}", "{type: varchar, hash_of: []}",
                                  "{type: varchar, hash_of: a}", "{type: varchar, required: true, hash_of: [a]}",
                                  "{type: varchar, hash_of: [nothing]}"])
def test_a_derived_key_is_an_optional_varchar_of_known_columns(tmp_path, spec):
    with pytest.raises(ValueError):
        _contract(tmp_path, HASHED.replace("{type: varchar, hash_of: [a, b, params]}", spec))


def test_a_derived_key_is_the_same_for_the_same_values_however_the_json_reader_wrote_them(tmp_path):
    c = _contract(tmp_path, HASHED)
    src = with_derived_keys(c, {"a": "a", "b": "b", "params": "params"}, "salt")
    con = duckdb.connect()
    con.execute("""create table x as select * from (values
        (1, 'u1', '17', '[{"key":"s","value":{"int_value":1}}]'),
        (2, ' u1 ', '17', '[{"key":"s","value":{"int_value":1,"string_value":null,"double_value":null}}]'),
        (3, 'u1', '17', '[{"key":"s","value":{"string_value":null,"int_value":1}}]'),
        (4, 'u1', '18', '[{"key":"s","value":{"int_value":1}}]'),
        (5, 'u1', '17', '[{"key":"s","value":{"int_value":2}}]'),
        (6, '', '17', '[{"key":"s","value":{"int_value":1}}]'),
        (7, null, '17', '[{"key":"s","value":{"int_value":1}}]')) v(n, a, b, params)""")
    keys = dict(con.execute(f"select n, {src['k']} from x").fetchall())
    assert keys[1] == keys[2] == keys[3]  # padding and null members do not count
    assert len({keys[1], keys[4], keys[5], keys[6]}) == 4  # any other value does
    assert keys[6] == keys[7]  # empty is absent
    other_salt = with_derived_keys(c, {"a": "a", "b": "b", "params": "params"}, "pepper")
    assert con.execute(f"select {other_salt['k']} from x where n = 1").fetchone()[0] != keys[1]
    # a column the file lacks counts as empty; a column of the file named like the key is not read
    assert with_derived_keys(c, {"a": "a", "k": "k"}, "salt")["k"] != "k"


GOOD = """  t:
    kind: report
    date: day
    scope: [ad_id]
    key: [ad_id, day]
    export_time: synced
    null_tokens: ["-", " N/A "]
    columns:
      ad_id: {type: varchar, required: true}
      day: {type: date, required: true}
      synced: {type: timestamp}
      spend: {type: decimal, required: true}
      clicks: {type: bigint}
      rate: {type: double}
      name: {type: varchar}
"""


def test_placeholders_apply_to_optional_metrics_only(tmp_path):
    c = _contract(tmp_path, GOOD)
    assert c.null_tokens == ("-", "N/A")
    # never a key, scope, date or export time, nor a required value, nor text
    assert [col.name for col in placeholder_columns(c)] == ["clicks", "rate"]


def test_placeholders_read_as_empty_cells_trimmed_and_in_any_case(tmp_path):
    c = _contract(tmp_path, GOOD)
    src = with_placeholders_as_null(c, {n: ident(n) for n in ("ad_id", "day", "spend", "clicks", "rate")})
    con = duckdb.connect()
    con.execute("create table x as select * from (values ('-', '-', '-', '-', '-'), ('a', '2026-01-01', '1', ' n/a ', "
                "'--'), ('a', '2026-01-01', '1', '7', '0.5')) v(ad_id, day, spend, clicks, rate)")
    rows = con.execute(f"select {', '.join(src[n] for n in ('ad_id', 'day', 'spend', 'clicks', 'rate'))} from x").fetchall()
    assert rows == [("-", "-", "-", None, None), ("a", "2026-01-01", "1", None, "--"), ("a", "2026-01-01", "1", "7", "0.5")]


@pytest.mark.parametrize("tokens", ["'-'", "['']", "[1]"])
def test_null_tokens_must_be_a_list_of_text(tmp_path, tokens):
    with pytest.raises(ValueError, match="null_tokens"):
        _contract(tmp_path, GOOD.replace('["-", " N/A "]', tokens))
