"""Stripe as the order ledger: an order's charges in two currencies stop the build, naming the order."""

from __future__ import annotations

import pytest
from project_env import project, query

from socialroi.build import BuildFailed, run_dbt
from socialroi.ingest import ingest_all

CHARGES = (
    "id,amount,created,currency,status,paid,captured,livemode,metadata\n"
    'ch_1,1000,2026-01-03 10:00:00,usd,succeeded,true,true,true,"{""order_id"": ""O1""}"\n'
    'ch_2,500,2026-01-03 10:05:00,{second},succeeded,true,true,true,"{""order_id"": ""O1""}"\n'
    'ch_3,700,2026-01-04 10:00:00,eur,succeeded,true,true,true,"{""order_id"": ""O2""}"\n'
)
SELECT = ["build", "--select", "+int_orders_unioned", "assert_stripe_orders_have_one_currency"]


@pytest.mark.parametrize("second", ["usd", "eur"])
def test_an_orders_charges_in_two_currencies_stop_the_build(tmp_path, second):
    with project(tmp_path, order_source="stripe") as settings:
        path = settings.landing / "stripe" / "charge" / "charges.csv"
        path.parent.mkdir(parents=True)
        path.write_text(CHARGES.replace("{second}", second))
        assert ingest_all(settings)["loaded"] == 1
        if second == "usd":  # one currency: the charges add up
            run_dbt(settings, SELECT)
            assert query(settings, "select order_id, currency, gross_sales from intermediate.int_orders_unioned "
                                   "order by 1") == [("O1", "USD", 15), ("O2", "EUR", 7)]
        else:
            with pytest.raises(BuildFailed, match="assert_stripe_orders_have_one_currency"):
                run_dbt(settings, SELECT)
