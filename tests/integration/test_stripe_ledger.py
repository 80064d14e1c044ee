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


# A month of Stripe payments checked by hand, in USD at 1, EUR at 1.25 and JPY at 1/160 USD:
#   A1  100.00 USD, refunded 30.00 in March and 20.00 in April (and a failed refund of 10.00)
#   B1   50.00 EUR (62.50 USD), wholly refunded on 31 March
#   C1   a declined charge, then 80.00 USD paid
#   D1   an authorisation of 40.00 never captured and released (Stripe refunds it), then 40.00 paid
#   E1   5000 JPY (31.25 USD)
#   F1   70.00 USD in test mode: no order
#   pi_H 12.34 USD, no order id in the charge's metadata; refunded 2.34 on 1 April, and 1.00 on 10 April by a
#        refund whose own metadata names an order id
# March: USD 100 + 80 + 40 + 12.34 - 30 = 202.34, EUR 0, JPY 31.25: 233.59 USD. April: -23.34 USD.
LEDGER_CHARGES = (
    "id,amount,captured,paid,created,currency,payment_intent_id,status,livemode,metadata\n"
    'ch_A,10000,true,true,2026-03-05 10:00:00,usd,pi_A,succeeded,true,"{""order_id"": ""A1""}"\n'
    'ch_B,5000,true,true,2026-03-10 10:00:00,eur,pi_B,succeeded,true,"{""order_id"": ""B1""}"\n'
    'ch_C1,8000,false,false,2026-03-12 10:00:00,usd,pi_C,failed,true,"{""order_id"": ""C1""}"\n'
    'ch_C2,8000,true,true,2026-03-12 10:02:00,usd,pi_C,succeeded,true,"{""order_id"": ""C1""}"\n'
    'ch_D1,4000,false,true,2026-03-14 10:00:00,usd,pi_D1,succeeded,true,"{""order_id"": ""D1""}"\n'
    'ch_D2,4000,true,true,2026-03-22 10:00:00,usd,pi_D2,succeeded,true,"{""order_id"": ""D1""}"\n'
    'ch_E,5000,true,true,2026-03-15 10:00:00,jpy,pi_E,succeeded,true,"{""order_id"": ""E1""}"\n'
    'ch_F,7000,true,true,2026-03-16 10:00:00,usd,pi_F,succeeded,false,"{""order_id"": ""F1""}"\n'
    "ch_H,1234,true,true,2026-03-31 23:59:59,usd,pi_H,succeeded,true,\n"
)
LEDGER_REFUNDS = (
    "id,amount,charge_id,payment_intent_id,created,currency,status,reason,metadata\n"
    "re_A1,3000,ch_A,pi_A,2026-03-20 10:00:00,usd,succeeded,requested_by_customer,\n"
    "re_A2,2000,ch_A,pi_A,2026-04-02 10:00:00,usd,succeeded,requested_by_customer,\n"
    "re_A3,1000,ch_A,pi_A,2026-04-03 10:00:00,usd,failed,requested_by_customer,\n"
    "re_B,5000,ch_B,pi_B,2026-03-31 22:00:00,eur,succeeded,,\n"
    "re_D1,4000,ch_D1,pi_D1,2026-03-21 10:00:00,usd,succeeded,expired_uncaptured_charge,\n"
    "re_H,234,ch_H,pi_H,2026-04-01 00:00:01,usd,succeeded,,\n"
    're_H2,100,ch_H,,2026-04-10 00:00:00,usd,succeeded,,"{""order_id"": ""H1""}"\n'
)


def test_a_month_of_stripe_payments_reconciles_to_the_cent(tmp_path):
    from project_env import drop

    rates = "date,base,quote,rate\n" + "".join(
        f"2026-{m:02d}-{d:02d},USD,{q},{r}\n" for m in (3, 4) for d in range(1, 31) for q, r in (("EUR", "0.8"), ("JPY", "160")))
    with project(tmp_path, order_source="stripe", reporting_currency="USD") as settings:
        drop(settings, "fx/rates/rates.csv", rates)
        drop(settings, "stripe/charge/charges.csv", LEDGER_CHARGES)
        drop(settings, "stripe/refund/refunds.csv", LEDGER_REFUNDS)
        assert ingest_all(settings)["loaded"] == 3
        run_dbt(settings, ["run", "--select", "+mart_net_sales_monthly"])
        rows = query(settings, "select month, source_currency, orders, returns_count, gross_sales, returns, net_sales, "
                               "net_sales_reporting from marts.mart_net_sales_monthly order by 1, 2")
        assert [(m, c, o, r, float(g), float(ret), float(n), str(nr)) for m, c, o, r, g, ret, n, nr in rows] == [
            ("2026-03", "EUR", 1, 1, 50.0, 50.0, 0.0, "0.00"),
            ("2026-03", "JPY", 1, 0, 5000.0, 0.0, 5000.0, "31.25"),
            ("2026-03", "USD", 4, 1, 232.34, 30.0, 202.34, "202.34"),
            ("2026-04", "USD", 0, 3, 0.0, 23.34, -23.34, "-23.34"),
        ]
        # the release of the never-captured authorisation is kept for the gate's note, not counted
        assert query(settings, "select return_id, order_id, is_order_counted from intermediate.int_returns_unioned "
                               "where not is_order_counted") == [("re_D1", "D1", False)]
