"""The published customer_key is the person's for good: a late order of a new customer, dated before
everyone else's first order, changes no other person's key (a numbering by first order renumbered them
all, so the BI database joined different people under one key across published versions)."""

from __future__ import annotations

from project_env import drop, project, query

from socialroi.build import run_dbt
from socialroi.ingest import ingest_all
from socialroi.simulate import simulate

SELECT = ["build", "--select", "+int_order_persons", "--exclude", "test_type:unit"]


def test_a_late_order_changes_no_other_customers_key(tmp_path):
    with project(tmp_path, order_source="generic") as settings:
        simulate(settings.landing, "2026-06", 1, seed=3, scale=0.1, sales_layout="generic")
        assert ingest_all(settings)["quarantined"] == 0
        run_dbt(settings, SELECT)
        keys = "select person_key, any_value(customer_key) from intermediate.int_order_persons group by 1"
        before = dict(query(settings, keys))
        assert len(before) > 10 and len(set(before.values())) == len(before)
        drop(settings, "generic/orders/late.csv", "order_id,created_at,currency,gross_sales,customer_id\n"
             "late-1,2026-06-01T00:00:01Z,USD,20.00,late-customer\n")
        assert ingest_all(settings)["loaded"] == 1
        run_dbt(settings, SELECT)
        after = dict(query(settings, keys))
    late = after.pop("customer:late-customer")
    assert after == before
    assert late not in before.values()
