"""publish.publish_month on a small warehouse: restatement records and the BI database of a no-op publish."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from socialroi import settings as _settings
from socialroi.publish import GRAIN, HISTORY_TABLES, MONTH_FILTER, PUBLISHED_TABLES, publish_month

MODELS = ("last_touch", "linear")
FLOATS = ("credit", "customers", "conversions_global")
# the other columns the report's sections read (socialroi/report.py), after the grain and totals: so the small
# warehouse's tables have every column a publish reads
REPORT_COLUMNS = {
    "mart_push_pull_monthly": {"attributed_gross_profit": "decimal(18, 2)", "is_gross_profit_complete": "boolean",
                               "attributed_orders": "double"},
    "mart_platform_claims_monthly": {
        "platform_attribution_window": "varchar", "claimed_conversions": "double", "attributed_orders": "double",
        "spend": "decimal(18, 2)", "claimed_revenue_all_platforms": "decimal(18, 2)",
        "claimed_orders_all_platforms": "double", "ledger_net_sales": "decimal(18, 2)", "ledger_orders": "bigint"},
    "mart_discount_dependence_monthly": {"attributed_orders": "double", "attributed_orders_with_code": "double"},
    "mart_attribution_post_monthly": {"attributed_orders": "double", "impressions": "bigint", "link_clicks": "bigint"},
    "mart_customer_ltv_by_acquisition": {"is_net_sales_complete": "boolean", "net_sales_90d": "decimal(18, 2)"},
}


def _types(table: str) -> dict[str, str]:
    cols = {c: "varchar" for c in GRAIN[table]}
    if table not in MONTH_FILTER:
        cols.setdefault("month", "varchar")
    cols |= {c: "double" if c in FLOATS else "decimal(18, 2)" for c in PUBLISHED_TABLES[table]}
    if table == "mart_net_sales_monthly":
        cols |= {"is_cost_complete": "boolean", "net_sales_costed_reporting": "decimal(18, 2)"}
    return cols | REPORT_COLUMNS.get(table, {})


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for key, value in {"WAREHOUSE": tmp_path / "wh.duckdb", "STATE": tmp_path / "state",
                       "PUBLISH": tmp_path / "pub", "LANDING": tmp_path / "landing", "SALT": "s"}.items():
        monkeypatch.setenv(f"SOCIALROI_{key}", str(value))
    s = _settings.load()
    s.publish.mkdir(parents=True)
    (s.state / "gate").mkdir(parents=True)
    con = duckdb.connect(str(s.warehouse))
    con.execute("create schema marts; create schema ingest")
    con.execute("create table ingest.file_ledger (file_path varchar, sha256 varchar, outcome varchar, "
                "period_start date, period_end date, ingested_at timestamp)")
    for table in PUBLISHED_TABLES:
        con.execute(f"create table marts.{table} (" + ", ".join(f"{c} {t}" for c, t in _types(table).items()) + ")")
    for month in ("2026-06", "2026-07"):
        (s.state / "gate" / f"{month}.json").write_text(json.dumps({"success": True, "checks": 1}))
        con.execute("insert into ingest.file_ledger values (?, 'aa', 'loaded', ?, last_day(cast(? as date)), "
                    "timestamp '2026-08-02 00:00:00')", [f"shopify/order/{month}.csv", f"{month}-01", f"{month}-01"])
        con.execute("insert into marts.mart_net_sales_monthly values (?, 'USD', 150.00, 60.00, 3, true, 150.00)",
                    [month])
        for model in MODELS:
            con.execute("insert into marts.mart_attribution_channel_monthly values "
                        "(?, ?, 'Paid Social', 'meta', 100.00, 40.00, 30.00), (?, ?, 'Direct', '(direct)', 50.00, 20.00, 0)",
                        [month, model, month, model])
            # lifetime value of the June cohort as each month closed it
            con.execute("insert into marts.mart_customer_ltv_by_acquisition (cohort_month, as_of_month, model, "
                        "channel_group, platform, customers, lifetime_net_sales, is_net_sales_complete) values "
                        "('2026-06', ?, ?, 'Direct', '(direct)', 3, ?, true)", [month, model, 150 if month == "2026-06" else 300])
    con.close()
    return s


def _late_june_order(s) -> None:
    """A late 20.00 June order, credited to Direct: 20.00 more under every model, in June and in the LTV as of July."""
    con = duckdb.connect(str(s.warehouse))
    con.execute("update marts.mart_net_sales_monthly set net_sales_reporting = 170.00, orders = 4 where month = '2026-06'")
    con.execute("update marts.mart_attribution_channel_monthly set attributed_revenue = attributed_revenue + 20 "
                "where month = '2026-06' and channel_group = 'Direct'")
    con.execute("update marts.mart_customer_ltv_by_acquisition set lifetime_net_sales = lifetime_net_sales + 20")
    con.execute("insert into ingest.file_ledger values ('shopify/order/late-june.csv', 'bb', 'loaded', "
                "date '2026-06-29', date '2026-06-29', ?)", [dt.datetime.now(dt.UTC).replace(tzinfo=None)])
    con.close()


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_grain_is_each_tables_dbt_unique_combination():
    models = Path(__file__).parents[2] / "dbt_project" / "models" / "marts"
    grain = {}
    for path in models.rglob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            for t in model.get("data_tests", []):
                if isinstance(t, dict) and "unique_combination" in t:
                    grain[model["name"]] = tuple(t["unique_combination"]["arguments"]["columns"])
    assert {t: grain.get(t) for t in PUBLISHED_TABLES} == GRAIN


def test_restatement_of_a_table_by_model_states_each_models_change(project):
    s = project
    publish_month(s, "2026-06")
    _late_june_order(s)
    assert publish_month(s, "2026-06", reason="late order")["changed"] is True
    restatement = json.loads((s.publish / "2026-06" / "restatement.json").read_text())
    revenue = [c for c in restatement["changes"]
               if c["table"] == "mart_attribution_channel_monthly" and c["column"] == "attributed_revenue"]
    # 20.00 under each model, not 40.00 summed over the two
    assert revenue == [{"table": "mart_attribution_channel_monthly", "column": "attributed_revenue",
                        "before": "150.00", "after": "170.00", "change": "20.00", "models": list(MODELS)}]
    net = [c for c in restatement["changes"] if c["table"] == "mart_net_sales_monthly"
           and c["column"] == "net_sales_reporting"]
    assert net == [{"table": "mart_net_sales_monthly", "column": "net_sales_reporting", "before": "150.00",
                    "after": "170.00", "change": "20.00"}]
    assert restatement["inputs_added"] == ["shopify/order/late-june.csv"]
    # by the grain key: the Direct row changed under each model, nothing added or removed
    assert restatement["row_changes"]["mart_attribution_channel_monthly"] == {
        "key": list(GRAIN["mart_attribution_channel_monthly"]), "added": 0, "removed": 0, "changed": 2}
    assert "mart_attribution_campaign_monthly" not in restatement["row_changes"]
    manifest = json.loads((s.publish / "2026-06" / "manifest.json").read_text())
    assert manifest["tables"]["mart_attribution_channel_monthly"]["totals_by_model"]["linear"][
        "attributed_revenue"] == "170.00"


def test_restatement_of_a_later_month_names_the_earlier_months_files_that_changed_its_history(project):
    s = project
    publish_month(s, "2026-06")
    publish_month(s, "2026-07")
    _late_june_order(s)
    publish_month(s, "2026-07")
    restatement = json.loads((s.publish / "2026-07" / "restatement.json").read_text())
    assert restatement["inputs_added"] == []  # the June file is none of July's own inputs
    assert restatement["history_inputs_added"] == ["shopify/order/late-june.csv"]
    ltv = restatement["row_changes"]["mart_customer_ltv_by_acquisition"]
    assert ltv["changed"] == 2 and ltv["depends_on_history"] is True and "history_inputs_added" in ltv["note"]
    assert set(restatement["row_changes"]) == set(HISTORY_TABLES)
    change = [c for c in restatement["changes"] if c["column"] == "lifetime_net_sales"]
    assert [(c["change"], c["models"]) for c in change] == [("20.00", list(MODELS))]


def test_a_no_op_publish_leaves_the_bi_database_as_it_was_unless_it_is_stale(project):
    s = project
    bi = s.publish / "socialroi.duckdb"
    publish_month(s, "2026-06")
    publish_month(s, "2026-07")
    before = _md5(bi)
    assert publish_month(s, "2026-06")["changed"] is False
    assert _md5(bi) == before  # nothing written, the BI database included
    # missing: built again
    bi.unlink()
    assert publish_month(s, "2026-06")["changed"] is False
    assert bi.exists()
    # out of date (a publish of another month stopped before rebuilding it): built again
    stale = s.publish.parent / "stale.duckdb"
    shutil.copy(bi, stale)
    con = duckdb.connect(str(s.warehouse))
    con.execute("update marts.mart_net_sales_monthly set orders = 4 where month = '2026-06'")  # June only
    con.close()
    assert publish_month(s, "2026-06")["changed"] is True
    shutil.copy(stale, bi)
    assert publish_month(s, "2026-07")["changed"] is False
    con = duckdb.connect(str(bi), read_only=True)
    versions = dict(con.execute("select month, version from published_versions").fetchall())
    con.close()
    assert versions == {"2026-06": "v0002", "2026-07": "v0001"}
