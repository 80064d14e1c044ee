"""What one month's gap does to the others, through the real ingest, dbt build and gate: a sale in a
currency with no rate, or an ad account's month without one, stops only its own month (the gate's
fx_coverage names it), and a quiet day of an orders feed is no gap. Generic orders (an entity feed without export times), two simulated months.
"""

from __future__ import annotations

import pytest
from project_env import model_totals, project, query

from socialroi import tasks
from socialroi.simulate import simulate

MONTHS = ["2026-06", "2026-07"]
ENV = {"order_source": "generic", "expected_sources": "facebook_ads,generic_orders,generic_sessions,fx"}
HEADER = "order_id,created_at,currency,gross_sales,customer_id,email,discount,discount_code,shipping,tax,cost_of_goods,is_test"


def _failed(month: str, s) -> set[str]:
    try:
        tasks.validate(month, s)
    except tasks.GateFailed as failed:
        return {c["check"] for c in failed.result["failed"]}
    return set()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("month-close-gaps")
    with project(root, **ENV) as s:
        simulate(s.landing, MONTHS[0], len(MONTHS), seed=7, sales_layout="generic", ad_platforms=("meta", "pinterest"),
                 scale=0.1)
        # no GBP rate from 24 June: Pinterest's GBP account has no rated day in July (a rate serves 7 days)
        for fx in (s.landing / "fx" / "rates").glob("*.csv"):
            rows = fx.read_text().splitlines()
            fx.write_text("\n".join([rows[0], *(r for r in rows[1:] if not (",GBP," in r and r[:10] >= "2026-06-24"))]) + "\n")
        orders = s.landing / "generic" / "orders"
        # July: a sale in yen, for which no rate is landed; and no order on the 1st, the 30th or the 31st
        july = orders / "2026-07.csv"
        lines = july.read_text().splitlines()
        july.write_text("\n".join([lines[0], *(line for line in lines[1:] if line.split(",")[1][:10] not in
                                               ("2026-07-01", "2026-07-30", "2026-07-31"))]) + "\n")
        (orders / "yen.csv").write_text(f"{HEADER}\nJPY1,2026-07-08T10:00:00Z,JPY,1500,CJPY1,,0,,0,0,600,false\n")
        assert tasks.ingest(s)["quarantined"] == 0
        tasks.build(None, s)  # the unrated sale stops no build
        yield s


def test_a_sale_without_a_rate_stops_only_its_month(built):
    s = built
    assert "fx_coverage" not in _failed(MONTHS[0], s)
    assert query(s, "select count(*) from marts.mart_attribution_channel_monthly where month = ?", [MONTHS[0]])[0][0] > 0
    with pytest.raises(tasks.GateFailed) as failed:
        tasks.validate(MONTHS[1], s)
    fx = next(c for c in failed.value.result["failed"] if c["check"] == "fx_coverage")
    assert "JPY" in str(fx) and "2026-07-08" in str(fx)
    assert "GBP" in str(fx)
    # the claims mart's July row for Pinterest has no converted claim, and the build went on
    assert query(s, "select count(*) from marts.mart_platform_claims_monthly where month = ? and platform = 'pinterest' "
                    "and claimed_revenue is null", [MONTHS[1]])[0][0] > 0


def test_every_model_of_the_rated_month_reconciles_to_its_net_sales(built):
    rows = model_totals(built, MONTHS[0])
    assert len(rows) == 9
    assert all(total == net and net > 0 for _, total, net in rows)


def test_quiet_days_of_an_orders_feed_are_no_gap(built):
    # July's orders file has no row on the 1st, 30th or 31st; the feed has rows on both sides of them
    assert "completeness" not in _failed(MONTHS[1], built)
    assert query(built, "select max(period_end) from ingest.file_ledger where file_path = 'generic/orders/2026-07.csv'"
                 )[0][0].day < 30
