"""A malformed feed mapping (feeds/<feed>.yml) quarantines the files it governs (`feed_mapping`, naming the
mapping file and the key), never the run: the other files load."""

from __future__ import annotations

import duckdb
import pytest
from project_env import drop

from socialroi.ingest import ingest_all

GOOD = ('delimiter: ";"\ndecimal: ","\ncolumns:\n  order_id: Bestellung\n  created_at: {value: "2026-06-05"}\n'
        '  currency: {value: EUR}\n  gross_sales: Summe\n')
ORDERS = "order_id,created_at,currency,gross_sales\nV01,2026-01-05 10:00:00,USD,10.00\n"

MAPPINGS = {  # name -> (mapping bytes, what the message must name)
    "cp1252": (('# Bestellungen aus dem Shop (Gr\u00f6\u00dfe)\n' + GOOD).encode("cp1252"), "UTF-8"),
    "columns_list": (b'delimiter: ";"\ncolumns:\n  - order_id\n  - gross_sales\n', "columns"),
    "delimiter_int": (GOOD.replace('delimiter: ";"', "delimiter: 1").encode(), "delimiter"),
    "format_int": (GOOD.replace('created_at: {value: "2026-06-05"}', "created_at: {column: Datum, format: 5}").encode(),
                   "format"),
    "encoding_int": (GOOD.replace('decimal: ","', 'decimal: ","\nencoding: 1252').encode(), "encoding"),
    "timezone_list": (GOOD.replace('decimal: ","', 'decimal: ","\ntimezone: [UTC]').encode(), "timezone"),
    "order_id_from_text": (GOOD.replace("  order_id: Bestellung\n", "") .replace('decimal: ","', 'decimal: ","\norder_id_from: Summe').encode(),
                           "order_id_from"),
    "value_list": (GOOD.replace("{value: EUR}", "{value: [EUR, USD]}").encode(), "currency"),
    "column_mapping": (GOOD.replace("gross_sales: Summe", "gross_sales: {column: {name: Summe}}").encode(), "gross_sales"),
    "top_level_list": (b"- delimiter\n- columns\n", "mapping"),
}


@pytest.mark.parametrize("name", sorted(MAPPINGS))
def test_a_malformed_mapping_quarantines_its_files_and_the_others_load(env, name):
    mapping, names = MAPPINGS[name]
    (env.feeds / f"{name}.yml").write_bytes(mapping)
    drop(env, f"generic/orders/{name}/june.csv", "Bestellung;Summe\n1;10,00\n")
    drop(env, f"generic/orders/{name}/july.csv", "Bestellung;Summe\n2;11,00\n")
    drop(env, "generic/orders/valid_orders.csv", ORDERS)
    result = ingest_all(env)
    assert (result["loaded"], result["quarantined"]) == (1, 2), result
    for q in result["quarantined_files"]:
        reason = q["reason"]
        assert reason["check"] == "feed_mapping", reason
        assert f"{name}.yml" in reason["message"] and names in reason["message"], reason
    con = duckdb.connect(str(env.warehouse), read_only=True)
    try:
        assert con.execute("select order_id from raw.generic__orders").fetchall() == [("V01",)]
    finally:
        con.close()


def test_the_good_mapping_the_cases_start_from_loads(env):
    (env.feeds / "good.yml").write_text(GOOD)
    drop(env, "generic/orders/good/june.csv", "Bestellung;Summe\n1;10,00\n")
    assert ingest_all(env)["loaded"] == 1
