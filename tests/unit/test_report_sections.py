"""socialroi.report: the report's sections for the CFO's questions (push vs pull, claims vs truth, discount
codes, organic accounts, LTV), read from a month's published Parquet files under one model."""

from __future__ import annotations

from pathlib import Path

import duckdb

from socialroi import report


def _copy(folder: Path, table: str, sql: str) -> None:
    duckdb.execute(f"copy ({sql}) to '{folder / (table + '.parquet')}'")


def _lines(folder: Path, month: str = "2026-03", model: str = "last_touch") -> list[str]:
    return report.sections(duckdb.connect(), folder, month, model)


def test_push_pull_in_motion_order_with_exact_ratios_and_partial_profit(tmp_path):
    # ROAS 100.00 / 30.00 = 3.333.. -> 3.33; POAS 0.15 / 30.00 = 0.005 -> 0.01, half away from zero (a DOUBLE's
    # 0.005 formats as 0.01 or 0.00 by chance); linear's row and February's are not read
    _copy(tmp_path, "mart_push_pull_monthly", """select * from (values
        ('2026-03', 'last_touch', 'direct', 20.00::decimal(18, 2), 5.00::decimal(18, 2), true, 1.0::double, 0.00::decimal(18, 2)),
        ('2026-03', 'last_touch', 'pull', 0.13::decimal(18, 2), null::decimal(18, 2), false, 0.5::double, 0.00::decimal(18, 2)),
        ('2026-03', 'last_touch', 'push', 100.00::decimal(18, 2), 0.15::decimal(18, 2), false, 2.0::double, 30.00::decimal(18, 2)),
        ('2026-03', 'linear', 'push', 999.00::decimal(18, 2), 1.00::decimal(18, 2), true, 9.0::double, 30.00::decimal(18, 2)),
        ('2026-02', 'last_touch', 'push', 555.00::decimal(18, 2), 1.00::decimal(18, 2), true, 9.0::double, 30.00::decimal(18, 2)))
        as t(month, model, motion, attributed_revenue, attributed_gross_profit, is_gross_profit_complete,
             attributed_orders, spend)""")
    lines = _lines(tmp_path)
    assert "## Paid (push) vs organic and owned (pull) (last touch)" in lines
    rows = [line for line in lines if line.startswith("| push") or line.startswith("| pull")
            or line.startswith("| direct")]
    assert rows == ["| push | 100.00 | 0.15 (partial) | 2 | 30.00 | 3.33 | 0.01 |",
                    "| pull | 0.13 | unknown (partial) | 0.50 | 0.00 | n/a | n/a |",
                    "| direct | 20.00 | 5.00 | 1 | 0.00 | n/a | n/a |"]
    assert not any("999.00" in line or "555.00" in line for line in lines)


def test_claims_against_the_deduplicated_truth(tmp_path):
    _copy(tmp_path, "mart_platform_claims_monthly", """select *, 540.00::decimal(18, 2) as claimed_revenue_all_platforms,
        8.0::double as claimed_orders_all_platforms, 200.00::decimal(18, 2) as ledger_net_sales,
        4::bigint as ledger_orders
        from (values
        ('2026-03', 'last_touch', 'tiktok', '7d_click_1d_view', 90.00::decimal(18, 2), 3.0::double,
         0.00::decimal(18, 2), 0.0::double, 10.00::decimal(18, 2)),
        ('2026-03', 'last_touch', 'meta', '1d_click, 7d_click_1d_view', 450.00::decimal(18, 2), 5.0::double,
         120.00::decimal(18, 2), 1.5::double, 60.00::decimal(18, 2)))
        as t(month, model, platform, platform_attribution_window, claimed_revenue, claimed_conversions,
             attributed_revenue, attributed_orders, spend)""")
    text = "\n".join(_lines(tmp_path))
    assert "claim 540.00 in 8 purchases; the ledger has net sales of 200.00 in 4 orders" in text
    assert "| meta | 1d_click, 7d_click_1d_view | 450.00 | 5 | 120.00 | 1.50 | 3.75 | 60.00 |" in text
    # a network credited nothing: its claim has no ratio, not a division by zero
    assert "| tiktok | 7d_click_1d_view | 90.00 | 3 | 0.00 | 0 | n/a | 10.00 |" in text
    assert text.index("| meta") < text.index("| tiktok")


def test_discount_code_shares_by_channel_group_social_first(tmp_path):
    _copy(tmp_path, "mart_discount_dependence_monthly", """select * from (values
        ('2026-03', 'last_touch', 'Email', 'klaviyo', null, 50.00::decimal(18, 2), 0.00::decimal(18, 2), 1.0::double, 0.0::double),
        ('2026-03', 'last_touch', 'Organic Social', 'instagram', 'acme_deals', 80.00::decimal(18, 2), 80.00::decimal(18, 2), 2.0::double, 2.0::double),
        ('2026-03', 'last_touch', 'Organic Social', 'instagram', 'acme_community', 120.00::decimal(18, 2), 0.00::decimal(18, 2), 2.0::double, 0.0::double),
        ('2026-03', 'last_touch', 'Paid Social', 'meta', null, 0.00::decimal(18, 2), 0.00::decimal(18, 2), 0.0::double, 0.0::double))
        as t(month, model, channel_group, platform, handle, attributed_revenue, attributed_revenue_with_code,
             attributed_orders, attributed_orders_with_code)""")
    rows = [line for line in _lines(tmp_path) if line.startswith("| ") and "%" in line or "n/a" in line]
    # 80 of 200 = 40.00 %, 2 of 4 orders = 50.00 %; a group that sold nothing has no share
    assert rows == ["| Organic Social | 200.00 | 80.00 | 40.00 % | 4 | 50.00 % |",
                    "| Paid Social | 0.00 | 0.00 | n/a | 0 | n/a |",
                    "| Email | 50.00 | 0.00 | 0.00 % | 1 | 0.00 % |"]


def test_each_organic_account_its_posts_and_their_sales(tmp_path):
    _copy(tmp_path, "mart_attribution_post_monthly", """select * from (values
        ('2026-03', 'last_touch', 'instagram', 'acme_deals', 'p1', 200.00::decimal(18, 2), 3.0::double, 1000::bigint, null::bigint),
        ('2026-03', 'last_touch', 'instagram', 'acme_deals', 'p2', 0.00::decimal(18, 2), 0.0::double, 500::bigint, null::bigint),
        ('2026-03', 'last_touch', 'instagram', 'acme_deals', 'p3', 0.00::decimal(18, 2), 0.0::double, 100::bigint, null::bigint),
        ('2026-03', 'last_touch', 'instagram', 'acme_community', 'p4', 50.00::decimal(18, 2), 1.0::double, 4000::bigint, null::bigint))
        as t(month, model, platform, handle, post_id, attributed_revenue, attributed_orders, impressions, link_clicks)""")
    text = "\n".join(_lines(tmp_path))
    # 200.00 over 3 posts = 66.67 a post; Instagram reports no link clicks: unknown, not 0
    assert "| instagram | acme_deals | 3 | 200.00 | 3 | 66.67 | 1600 | unknown |" in text
    assert "| instagram | acme_community | 1 | 50.00 | 1 | 50.00 | 4000 | unknown |" in text


def test_lifetime_value_as_of_the_month_unknown_where_a_sale_has_no_rate(tmp_path):
    _copy(tmp_path, "mart_customer_ltv_by_acquisition", """select * from (values
        ('2026-01', '2026-03', 'last_touch', 'Email', 'klaviyo', 2.0::double, 154.95::decimal(18, 2), true, 154.95::decimal(18, 2)),
        ('2026-03', '2026-03', 'last_touch', 'Email', 'email', 1.0::double, 30.00::decimal(18, 2), true, 30.00::decimal(18, 2)),
        ('2026-02', '2026-03', 'last_touch', 'Paid Social', 'meta', 1.0::double, null::decimal(18, 2), false, null::decimal(18, 2)),
        ('2026-02', '2026-03', 'last_touch', 'Paid Social', 'tiktok', 1.0::double, 40.00::decimal(18, 2), true, 40.00::decimal(18, 2)),
        ('2026-01', '2026-02', 'last_touch', 'Email', 'klaviyo', 2.0::double, 100.00::decimal(18, 2), true, 100.00::decimal(18, 2)))
        as t(cohort_month, as_of_month, model, channel_group, platform, customers, lifetime_net_sales,
             is_net_sales_complete, net_sales_90d)""")
    text = "\n".join(_lines(tmp_path))
    # as of March: Email's 3 customers, 184.95, 61.65 each; February's row is not read
    assert "| Email | 3 | 184.95 | 61.65 | 184.95 |" in text
    # one of Paid Social's customers has a sale without an FX rate: unknown, not the 40.00 that is known
    assert "| Paid Social | 2 | unknown | n/a | unknown |" in text


def test_no_section_without_its_table_or_the_models_rows(tmp_path):
    assert _lines(tmp_path) == []
    _copy(tmp_path, "mart_push_pull_monthly", """select '2026-03' as month, 'linear' as model, 'push' as motion,
        1.00::decimal(18, 2) as attributed_revenue, null::decimal(18, 2) as attributed_gross_profit,
        true as is_gross_profit_complete, 1.0::double as attributed_orders, 0.00::decimal(18, 2) as spend""")
    assert _lines(tmp_path) == []
    assert _lines(tmp_path, model="linear")[1] == "## Paid (push) vs organic and owned (pull) (linear)"
