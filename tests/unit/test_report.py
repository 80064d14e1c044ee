"""publish.write_report and `socialroi report`: the human-readable headline of a published month."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb
import pytest

from socialroi import cli
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
    # email is credited by linear only: its last-touch cell is no row of the mart; each model sums to 150.25
    con.execute(f"""copy (select * from (values
        ('Paid Social', 'meta', 'last_touch', 120.25::decimal(18, 2), 30.00::decimal(18, 2), 60.00::decimal(18, 2), 2.0::double),
        ('Paid Social', 'meta', 'linear', 90.25::decimal(18, 2), 25.00::decimal(18, 2), 60.00::decimal(18, 2), 1.5::double),
        ('Display', 'meta', 'last_touch', 0.00::decimal(18, 2), 0.00::decimal(18, 2), 20.00::decimal(18, 2), 0.0::double),
        ('Display', 'meta', 'linear', 0.00::decimal(18, 2), 0.00::decimal(18, 2), 20.00::decimal(18, 2), 0.0::double),
        ('Direct', '(direct)', 'last_touch', 30.00::decimal(18, 2), 10.00::decimal(18, 2), 0.00::decimal(18, 2), null),
        ('Direct', '(direct)', 'linear', 50.00::decimal(18, 2), 15.00::decimal(18, 2), 0.00::decimal(18, 2), null),
        ('Email', 'klaviyo', 'linear', 10.00::decimal(18, 2), null, 0.00::decimal(18, 2), null))
        as t(channel_group, platform, model, attributed_revenue, attributed_gross_profit, spend, roas))
        to '{folder}/mart_attribution_channel_monthly.parquet'""")


@pytest.mark.parametrize("cost_complete", [True, False])
def test_report_states_the_months_totals_and_whether_gross_profit_is_complete(tmp_path, cost_complete):
    _month(tmp_path, cost_complete=cost_complete)
    write_report(tmp_path, "2026-03", SimpleNamespace(reporting_currency="USD"))
    text = (tmp_path / "report.md").read_text()
    assert "Net sales: 150.25; gross profit: 50.00" in text and "orders: 5." in text
    assert ("cost of goods is unknown for some" in text) is not cost_complete
    assert ("gross profit covers 120.00 of the net sales" in text) is not cost_complete
    assert "| Paid Social / meta | 120.25 | 90.25 |" in text  # models side by side, last_touch then linear
    assert "| Email / klaviyo | 0.00 | 10.00 |" in text  # a model that credits a channel nothing shows 0.00
    assert "| **total** | **150.25** | **150.25** |" in text  # each model's column adds up to the net sales
    # spend once, not once per model, over both of meta's channel rows: ROAS 120.25 / 80, POAS 30 / 80
    assert "| meta | 80.00 | 1.50 | 0.38 |" in text


def test_report_command_prints_the_same_table_with_totals(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOCIALROI_PUBLISH", str(tmp_path))
    (tmp_path / "2026-03").mkdir()
    _month(tmp_path / "2026-03", cost_complete=True)
    assert cli.main(["report", "--month", "2026-03"]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["channel", "last_touch", "linear"] in lines
    assert ["Email", "/", "klaviyo", "0.00", "10.00"] in lines
    assert ["total", "150.25", "150.25"] in lines
    assert lines[-1][:4] == ["net", "sales", "2026-03:", "150.25"]


def test_report_says_unknown_for_a_gross_profit_that_no_known_cost_gives(tmp_path):
    """A month with only returns, none of known cost: gross profit is NULL, printed as unknown, not None."""
    _month(tmp_path, cost_complete=False)
    duckdb.execute(f"""copy (select * from (values
        ('2026-03', 'USD', -20.00::decimal(18, 2), null::decimal(18, 2), 0, false, null::decimal(18, 2)))
        as t(month, currency, net_sales_reporting, gross_profit_reporting, orders, is_cost_complete,
             net_sales_costed_reporting))
        to '{tmp_path}/mart_net_sales_monthly.parquet'""")
    write_report(tmp_path, "2026-03", SimpleNamespace(reporting_currency="USD"))
    text = (tmp_path / "report.md").read_text()
    assert "Net sales: -20.00; gross profit: unknown (cost of goods is unknown" in text
    assert "gross profit covers none of the net sales" in text
    assert "None" not in text
