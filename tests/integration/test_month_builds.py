"""Month builds of the attribution layer (README "Month builds"), through the real ingest and dbt.

Three simulated months. Warehouse `full` is built over all three; then a month build of the middle month
on the same data must leave every attribution table exactly as it was. Warehouse `arriving` gets months 1-2
and a full build, then month 3 lands and only month 3 is built: months >= 3 must come out as in `full`,
(except returns of earlier orders, which keep the credits their orders had), and earlier months must be
left exactly as they were (not recomputed).
"""

from __future__ import annotations

import shutil

import duckdb
import pytest
from project_env import project

from socialroi.build import run_dbt
from socialroi.ingest import ingest_all
from socialroi.simulate import simulate

MONTHS = ["2026-03", "2026-04", "2026-05"]
SEED, SCALE = 3, 0.5
SELECT = ["+fct_order_attribution", "+mart_attribution_channel_monthly", "+mart_attribution_campaign_monthly",
          "+mart_markov_removal_effects", "+mart_net_sales_monthly"]
# table -> its month column, or the time column of the tables keyed on session time
TABLES = {
    "intermediate.int_sessions_unioned": "started_at",
    "intermediate.int_journey_touchpoints": "journey_month",
    "intermediate.int_order_touchpoints": "journey_month",
    "intermediate.int_attribution_path_counts": "month",
    "intermediate.int_attribution_path_credits": "month",
    "intermediate.int_markov_removal_effects": "month",
    "intermediate.int_attribution_touch_credits": "month",
    "intermediate.int_return_attribution": "month",
    "marts.fct_order_attribution": "month",
    "marts.mart_attribution_channel_monthly": "month",
    "marts.mart_attribution_campaign_monthly": "month",
    "marts.mart_markov_removal_effects": "month",
}
HEURISTIC = ("first_touch", "last_touch", "last_non_direct", "linear", "time_decay", "position_based")


def _land(source, settings, months: set[str]) -> None:
    for f in sorted(source.rglob("*.csv")):
        if f.stem[:7] in months:  # the simulator writes one file per table and month, named YYYY-MM
            target = settings.landing / f.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)
    assert ingest_all(settings)["quarantined"] == 0


def _where(column: str, op: str, month: str) -> str:
    if column.endswith("_at"):  # sessions a month build may rewrite: since the month's lookback start (30 days + 1)
        return f"{column} {op} timestamp '{month}-01' - interval 31 day"
    return f"{column} {op} '{month}'"


def _diff(con, left: str, right: str, where: str) -> tuple[int, int]:
    a = con.execute(f"select count(*) from (select * from {left} where {where} except all select * from {right} where {where})").fetchone()[0]
    b = con.execute(f"select count(*) from (select * from {right} where {where} except all select * from {left} where {where})").fetchone()[0]
    return a, b


def _snapshot(settings, schema: str) -> None:
    con = duckdb.connect(str(settings.warehouse))
    try:
        con.execute(f"create schema {schema}")
        for table in TABLES:
            con.execute(f"create table {schema}.{table.split('.')[1]} as select * from {table}")
    finally:
        con.close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    source = tmp_path_factory.mktemp("month-builds-source")
    simulate(source, MONTHS[0], len(MONTHS), seed=SEED, scale=SCALE)
    with project(tmp_path_factory.mktemp("month-builds-full")) as full:
        _land(source, full, set(MONTHS))
        run_dbt(full, ["build", "--select", *SELECT])
        _snapshot(full, "before")
        run_dbt(full, ["build", "--select", *SELECT], month=MONTHS[1])
    with project(tmp_path_factory.mktemp("month-builds-arriving")) as arriving:
        _land(source, arriving, set(MONTHS[:2]))
        run_dbt(arriving, ["build", "--select", *SELECT])
        _snapshot(arriving, "before")
        _land(source, arriving, {MONTHS[2]})
        run_dbt(arriving, ["build", "--select", *SELECT], month=MONTHS[2])
    con = duckdb.connect()
    con.execute(f"attach '{full.warehouse}' as full_wh (read_only)")
    con.execute(f"attach '{arriving.warehouse}' as arriving_wh (read_only)")
    yield con
    con.close()


@pytest.mark.parametrize("table", TABLES)
def test_a_month_build_on_the_same_data_changes_nothing(builds, table):
    rows = builds.execute(f"select count(*) from full_wh.{table}").fetchone()[0]
    assert rows > 0
    assert _diff(builds, f"full_wh.{table}", f"full_wh.before.{table.split('.')[1]}", "true") == (0, 0)


@pytest.mark.parametrize("table", [t for t in TABLES if t != "intermediate.int_return_attribution"
                                   and not t.startswith("marts.mart_attribution_")])
def test_the_new_month_comes_out_as_a_full_build_gives_it(builds, table):
    where = _where(TABLES[table], ">=", MONTHS[2])
    assert builds.execute(f"select count(*) from full_wh.{table} where {where}").fetchone()[0] > 0
    assert _diff(builds, f"arriving_wh.{table}", f"full_wh.{table}", where) == (0, 0)


def test_returns_of_earlier_orders_keep_their_orders_credits(builds):
    """In the new month only returns of orders from earlier months may differ from a full build: they split by
    the credits kept for their order (a full build refits earlier months on what it knows now)."""
    where = _where("month", ">=", MONTHS[2])
    returns, sales = "intermediate.int_return_attribution", "marts.fct_order_attribution"
    differing = builds.execute(f"""
        select distinct e.model, o.month < '{MONTHS[2]}' as earlier_order
        from (select * from arriving_wh.{returns} where {where} except all select * from full_wh.{returns} where {where}) as e
        inner join (select distinct order_id, month from full_wh.{sales}) as o using (order_id)
    """).fetchall()
    assert all(earlier for _, earlier in differing), differing
    assert all(model not in HEURISTIC for model, _ in differing), differing
    assert _diff(builds, f"arriving_wh.{sales}", f"full_wh.{sales}", where) == (0, 0)
    heuristic = f"{where} and model in {HEURISTIC}"
    for mart in ("marts.mart_attribution_channel_monthly", "marts.mart_attribution_campaign_monthly"):
        assert _diff(builds, f"arriving_wh.{mart}", f"full_wh.{mart}", heuristic) == (0, 0)


@pytest.mark.parametrize("table", TABLES)
def test_earlier_months_are_left_as_they_were(builds, table):
    where = _where(TABLES[table], "<", MONTHS[2])
    assert builds.execute(f"select count(*) from arriving_wh.before.{table.split('.')[1]} where {where}").fetchone()[0] > 0
    assert _diff(builds, f"arriving_wh.{table}", f"arriving_wh.before.{table.split('.')[1]}", where) == (0, 0)


def test_every_model_still_splits_each_months_net_sales_exactly(builds):
    bad = builds.execute("""
        with attributed as (
            select month, model, sum(attributed_revenue) as revenue
            from (select month, model, attributed_revenue from arriving_wh.marts.fct_order_attribution
                  union all
                  select month, model, attributed_revenue from arriving_wh.intermediate.int_return_attribution)
            group by 1, 2
        ),
        net as (select month, sum(net_sales_reporting) as net from arriving_wh.intermediate.int_revenue_events group by 1)
        select attributed.*, net.net from attributed inner join net using (month) where revenue <> net
    """).fetchall()
    assert bad == []
    months = builds.execute("select count(distinct month) from arriving_wh.marts.fct_order_attribution").fetchone()[0]
    assert months == len(MONTHS)
