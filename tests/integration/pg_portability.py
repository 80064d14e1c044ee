"""Run the attribution layer's SQL models and the marts on PostgreSQL and read both engines' outputs.

The models' inputs (the unions of sessions, orders and posts, revenue events, promo-code mapping,
the seeds, and the Python fit's output, which dbt-postgres cannot run) are copied from a
DuckDB warehouse built by the real pipeline; dbt then builds the SQL models on PostgreSQL.
"""
from __future__ import annotations

import decimal
import json
from pathlib import Path

import duckdb

from socialroi.build import run_dbt
from socialroi.settings import Settings

# the attribution layer's SQL models, touchpoints to the monthly marts (not the Python fit)
MODELS = [
    "int_touchpoints", "int_identity_map", "int_order_persons", "int_journey_touchpoints", "int_order_touchpoints",
    "int_attribution_path_counts", "int_attribution_touch_credits", "int_return_attribution",
    "int_markov_removal_effects", "fct_order_attribution", "mart_attribution_channel_monthly",
    "mart_attribution_campaign_monthly", "mart_attribution_ad_monthly", "mart_attribution_post_monthly",
    "mart_markov_removal_effects", "mart_customer_ltv_by_acquisition", "mart_discount_dependence_monthly",
    "mart_platform_claims_monthly", "mart_push_pull_monthly", "mart_net_sales_monthly",
]

_PG_TYPES = {"VARCHAR": "text", "DOUBLE": "double precision", "FLOAT": "real", "BOOLEAN": "boolean",
             "HUGEINT": "numeric(38, 0)", "UBIGINT": "numeric(20, 0)"}


def _pg_type(duck_type: str) -> str:
    return _PG_TYPES.get(duck_type, duck_type.lower())


def inputs(settings: Settings) -> list[tuple[str, str]]:
    """(schema, name) of every relation the MODELS read that is not one of them (through ephemeral models)."""
    manifest = json.loads((settings.state / "dbt_target" / "manifest.json").read_text())
    nodes = {n["unique_id"]: n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")}
    by_name = {n["name"]: n for n in nodes.values()}
    found: set[tuple[str, str]] = set()
    todo = [by_name[m] for m in MODELS]
    while todo:
        for parent_id in todo.pop()["depends_on"]["nodes"]:
            parent = nodes.get(parent_id)
            if parent is None or parent["name"] in MODELS:
                continue
            if parent["config"]["materialized"] == "ephemeral":
                todo.append(parent)
            else:
                found.add((parent["schema"], parent["name"]))
    return sorted(found)


def copy_inputs(settings: Settings, pg, tables: list[tuple[str, str]], scratch: Path) -> None:
    """Create each table in PostgreSQL with DuckDB's column types and copy its rows (CSV)."""
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        with pg.cursor() as cur:
            for schema, name in tables:
                cols = con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position", [schema, name]).fetchall()
                cur.execute(f"create schema if not exists {schema}")
                cur.execute(f"drop table if exists {schema}.{name} cascade")
                cur.execute(f"create table {schema}.{name} ({', '.join(f'{c} {_pg_type(t)}' for c, t in cols)})")
                path = scratch / f"{schema}.{name}.csv"
                con.execute(f"copy (select * from {schema}.{name}) to '{path}' (header false, nullstr '\\N')")
                with path.open() as f:
                    cur.copy_expert(f"copy {schema}.{name} from stdin with (format csv, null '\\N')", f)
        pg.commit()
    finally:
        con.close()


def build_on_postgres(settings: Settings, server) -> dict:
    """`dbt run` of MODELS with the postgres target (its own target path, so DuckDB's stays)."""
    env = {"SOCIALROI_PG_HOST": server.host, "SOCIALROI_PG_PORT": str(server.port),
           "SOCIALROI_PG_USER": server.user, "SOCIALROI_PG_DBNAME": server.dbname,
           "DBT_TARGET_PATH": str(settings.state / "dbt_target_postgres")}
    return run_dbt(settings, ["run", "--target", "postgres", "--select", *MODELS], env=env)


def _number(value) -> bool:
    return isinstance(value, (float, decimal.Decimal)) and not isinstance(value, bool)


def table_rows(fetch, schema: str, name: str, columns: list[str]) -> list[tuple]:
    """A table's rows, sorted on every value (numbers rounded to 6 places for the sort only)."""
    out = fetch(f"select {', '.join(columns)} from {schema}.{name}")
    return sorted((tuple(r) for r in out),
                  key=lambda r: tuple((v is None, str(round(float(v), 6)) if _number(v) else str(v)) for v in r))


def differences(left: list[tuple], right: list[tuple], tolerance: float = 1e-9) -> list[tuple[tuple, tuple]]:
    """Pairs of rows (in sort order) that differ: numbers by more than `tolerance`, anything else at all."""
    if len(left) != len(right):
        return [((f"{len(left)} rows",), (f"{len(right)} rows",))]
    bad = []
    for a, b in zip(left, right, strict=True):
        same = all(
            (x is None and y is None) or (
                x is not None and y is not None and (
                    abs(float(x) - float(y)) <= tolerance if _number(x) or _number(y) else x == y))
            for x, y in zip(a, b, strict=True))
        if not same:
            bad.append((a, b))
    return bad
