"""A late order in a month build (README "Month builds"), through the real ingest, dbt build and gate.

June is landed and built; then July lands with an order of June that arrived late (June is closed) and a
July return of it. July's month build gives the late order Unattributed credits so that its return is split
like any other: the gate's reconciliation passes and every model's July total is July's net sales. Before,
the return had no credits to split by, fell out of the marts and stopped the close.
"""

from __future__ import annotations

import shutil

import pytest
from project_env import model_totals, project, query

from socialroi import tasks
from socialroi.simulate import simulate

MONTHS = ["2026-06", "2026-07"]
ENV = {"order_source": "generic", "expected_sources": "facebook_ads,generic_orders,generic_sessions,fx"}
ORDER_HEADER = "order_id,created_at,currency,gross_sales,customer_id,email,discount,discount_code,shipping,tax,cost_of_goods,is_test"


def _land(source, s, month: str) -> None:
    for f in sorted(source.rglob(f"{month}*.csv")):
        target = s.landing / f.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, target)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    source = tmp_path_factory.mktemp("late-orders-source")
    simulate(source, MONTHS[0], len(MONTHS), seed=11, sales_layout="generic", ad_platforms=("meta",), scale=0.1)
    with project(tmp_path_factory.mktemp("late-orders"), **ENV) as s:
        _land(source, s, MONTHS[0])
        assert tasks.ingest(s)["quarantined"] == 0
        tasks.build(None, s)
        _land(source, s, MONTHS[1])
        (s.landing / "generic" / "orders" / "late.csv").write_text(
            f"{ORDER_HEADER}\nLATE1,2026-06-20T10:00:00Z,USD,100.00,CLATE1,,0,,0,0,40.00,false\n")
        (s.landing / "generic" / "returns" / "late.csv").write_text(
            "order_id,processed_at,amount,currency\nLATE1,2026-07-05T10:00:00Z,30.00,USD\n")
        assert tasks.ingest(s)["quarantined"] == 0
        tasks.build(MONTHS[1], s)
        yield s


def test_the_late_orders_return_is_split_under_every_model(built):
    rows = query(built, """
        select model, channel_group, credit, attributed_revenue from intermediate.int_return_attribution
        where order_id = 'LATE1' order by model""")
    assert len(rows) == 9
    assert {(group, credit, revenue) for _, group, credit, revenue in rows} == {("Unattributed", 1.0, -30)}
    # its credits are kept in its own month, which the month build left otherwise as it was
    assert query(built, "select distinct month from intermediate.int_attribution_touch_credits where order_id = 'LATE1'"
                 ) == [(MONTHS[0],)]


def test_every_model_of_the_month_reconciles_and_the_gate_passes(built):
    rows = model_totals(built, MONTHS[1])
    assert len(rows) == 9
    assert all(total == net and net > 0 for _, total, net in rows), rows
    assert tasks.validate(MONTHS[1], built)["success"]


def test_a_second_month_build_gives_the_same_rows(built):
    table = "intermediate.int_attribution_touch_credits"
    before = query(built, f"select * from {table} order by all")
    tasks.build(MONTHS[1], built)
    assert query(built, f"select * from {table} order by all") == before
