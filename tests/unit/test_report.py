"""publish.write_report: the human-readable report beside a published month's tables."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb
import pytest

from socialroi.publish import write_report


def _month(folder, *, cost_complete: bool) -> None:
    con = duckdb.connect()
    con.execute(f"""copy (select * from (values
        ('2026-03', 'USD', 100.00::decimal(18, 2), 40.00::decimal(18, 2), 3, true, 100.00::decimal(18, 2)),
        ('2026-03', 'EUR', 50.25::decimal(18, 2), 10.00::decimal(18, 2), 2, {str(cost_complete).lower()},
         {'50.25' if cost_complete else '20.00'}::decimal(18, 2)))
        as t(month, currency, net_sales_reporting, gross_profit_reporting, orders, is_cost_complete,
             net_sales_costed_reporting))
        to '{folder}/mart_net_sales_monthly.parquet'""")
    con.execute(f"""copy (select * from (values
        ('Paid Social', 'meta', 'last_touch', 120.25::decimal(18, 2), 60.00::decimal(18, 2), 2.0::double),
        ('Paid Social', 'meta', 'linear', 100.25::decimal(18, 2), 60.00::decimal(18, 2), 1.67::double),
        ('Direct', '(direct)', 'last_touch', 30.00::decimal(18, 2), 0.00::decimal(18, 2), null),
        ('Direct', '(direct)', 'linear', 50.00::decimal(18, 2), 0.00::decimal(18, 2), null))
        as t(channel_group, platform, model, attributed_revenue, spend, roas))
        to '{folder}/mart_attribution_channel_monthly.parquet'""")


@pytest.mark.parametrize("cost_complete", [True, False])
def test_report_states_the_months_totals_and_whether_gross_profit_is_complete(tmp_path, cost_complete):
    _month(tmp_path, cost_complete=cost_complete)
    write_report(tmp_path, "2026-03", SimpleNamespace(reporting_currency="USD"))
    text = (tmp_path / "report.md").read_text()
    assert "Net sales: 150.25; gross profit: 50.00" in text and "orders: 5." in text
    assert ("cost of goods is unknown for some" in text) is not cost_complete
    assert ("gross profit covers 120.00 of the net sales" in text) is not cost_complete
    assert "| Paid Social / meta | 120.25 | 100.25 |" in text  # models side by side, last_touch then linear
    assert "| meta | 60.00 | 2.0 |" in text  # spend once, not once per model; last touch's ROAS
