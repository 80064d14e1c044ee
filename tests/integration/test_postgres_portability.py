"""The attribution layer's SQL and the marts run on PostgreSQL and give DuckDB's rows (README "Attribution").

A DuckDB warehouse is built by the real pipeline on two simulated months. The inputs of the attribution
SQL models and marts are copied into a throw-away PostgreSQL server on loopback, dbt builds the models there
(`--target postgres`), and every model's table must hold the same rows on both engines: text, dates and
integers equal, numbers within 1e-9. Twice: with the default settings, and with settings that take the
other branches (a step cap, Snowplow's open-journey convention, channel groups as the unit, a
non-UTC reporting zone).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import duckdb
import psycopg2
import pytest
from pg_portability import MODELS, build_on_postgres, copy_inputs, differences, inputs, table_rows
from pg_server import postgres_server
from project_env import project

from socialroi.build import run_dbt
from socialroi.ingest import ingest_all
from socialroi.simulate import simulate

VARIANTS = {
    "defaults": {},
    "other_branches": {"max_steps": 2, "open_journeys_after_conversion": False, "channel_unit": "channel_group",
                       "time_decay_half_life_days": 3, "promo_codes_as_touch": False},
}

@pytest.fixture(scope="module")
def landed(tmp_path_factory):
    root = tmp_path_factory.mktemp("portability")
    with project(root) as settings:
        simulate(settings.landing, "2026-03", 2, seed=3, scale=0.5)
        assert ingest_all(settings)["quarantined"] == 0
        yield settings

@pytest.fixture(scope="module")
def server():
    with postgres_server() as s:
        yield s

@pytest.fixture(scope="module", params=list(VARIANTS))
def both_engines(request, landed, server, tmp_path_factory):
    """The MODELS built on DuckDB (with their upstream, the Python fit included) and on PostgreSQL."""
    settings = dataclasses.replace(landed, attribution=VARIANTS[request.param])
    if request.param == "other_branches":
        settings = dataclasses.replace(settings, reporting_timezone="America/Los_Angeles")
    run_dbt(settings, ["build", "--select", *(f"+{m}" for m in MODELS), "--exclude", "test_type:data", "test_type:unit"])
    pg = psycopg2.connect(host=server.host, port=server.port, user=server.user, dbname=server.dbname)
    try:
        copy_inputs(settings, pg, inputs(settings), tmp_path_factory.mktemp("csv"))
        build_on_postgres(settings, server)
        yield settings, pg
    finally:
        pg.close()

@pytest.mark.parametrize("model", MODELS)
def test_model_gives_the_same_rows_on_postgres(both_engines, model):
    settings, pg = both_engines
    schema = "marts" if model.startswith(("fct_", "mart_")) else "intermediate"
    duck = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        columns = [c for (c,) in duck.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position", [schema, model]).fetchall()]
        ours = table_rows(lambda q: duck.execute(q).fetchall(), schema, model, columns)
    finally:
        duck.close()
    with pg.cursor() as cur:
        def fetch(q):
            cur.execute(q)
            return cur.fetchall()
        theirs = table_rows(fetch, schema, model, columns)
    assert ours, f"{model} is empty: nothing compared"
    bad = differences(ours, theirs)
    assert not bad, f"{model}: {len(bad)} rows differ between DuckDB and PostgreSQL, e.g. {bad[:3]}"

def test_differences_sees_a_changed_value_a_missing_row_and_float_noise():
    rows = [("a", Decimal("1.10"), 0.25), ("b", Decimal("2.00"), 0.75)]
    assert differences(rows, [("a", Decimal("1.1"), 0.25 + 1e-12), ("b", 2, 0.75)]) == []
    assert differences(rows, [("a", Decimal("1.11"), 0.25), ("b", Decimal("2.00"), 0.75)])
    assert differences(rows, [("a", Decimal("1.10"), 0.25), ("c", Decimal("2.00"), 0.75)])
    assert differences(rows, rows[:1])
