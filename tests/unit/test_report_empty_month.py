"""publish.write_report and `socialroi report` for a month without a sale: its amounts are zero, not unknown."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb

from socialroi import cli
from socialroi.publish import write_report


def _empty_month(folder) -> None:
    con = duckdb.connect()
    con.execute(f"""copy (select * from (values
        ('2026-03', 'USD', 1.00::decimal(18, 2), 1.00::decimal(18, 2), 1, true, 1.00::decimal(18, 2)))
        as t(month, currency, net_sales_reporting, gross_profit_reporting, orders, is_cost_complete,
             net_sales_costed_reporting) where false) to '{folder}/mart_net_sales_monthly.parquet'""")
    con.execute(f"""copy (select * from (values
        ('Direct', '(direct)', 'last_touch', 1.00::decimal(18, 2), 1.00::decimal(18, 2), 0.00::decimal(18, 2)))
        as t(channel_group, platform, model, attributed_revenue, attributed_gross_profit, spend) where false)
        to '{folder}/mart_attribution_channel_monthly.parquet'""")


def test_a_month_without_sales_reports_zero_not_unknown(tmp_path):
    """The mart has no row: net sales, gross profit and orders were 'unknown' (as for a cost not known)."""
    _empty_month(tmp_path)
    write_report(tmp_path, "2026-03", SimpleNamespace(reporting_currency="USD"))
    text = (tmp_path / "report.md").read_text()
    assert "Net sales: 0.00; gross profit: 0.00; orders: 0." in text
    assert "unknown" not in text


def test_report_command_prints_zero_net_sales_for_a_month_without_sales(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOCIALROI_PUBLISH", str(tmp_path))
    (tmp_path / "2026-03").mkdir()
    _empty_month(tmp_path / "2026-03")
    assert cli.main(["report", "--month", "2026-03"]) == 0
    out = capsys.readouterr().out
    assert "net sales 2026-03: 0.00 USD" in out and "None" not in out
