"""The monthly pipeline end to end through the package (the same functions the DAGs call):
simulate -> ingest -> build -> validate -> publish, on generated data, without Airflow."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import duckdb
import pytest
import yaml

from socialroi import settings as _settings
from socialroi import tasks
from socialroi.publish import PublishRefused
from socialroi.simulate import simulate

pytestmark = pytest.mark.e2e

MONTHS = ["2026-03", "2026-04"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("pipeline")
    mp = pytest.MonkeyPatch()
    for key, sub in (("LANDING", "landing"), ("WAREHOUSE", "wh/socialroi.duckdb"), ("PUBLISH", "publish"),
                     ("STATE", "state")):
        mp.setenv(f"SOCIALROI_{key}", str(root / sub))
    mp.setenv("SOCIALROI_SALT", "test-salt")
    s = _settings.load()
    summary = simulate(s.landing, MONTHS[0], len(MONTHS), seed=11)
    tasks.ingest(s)
    tasks.build(None, s)
    for m in MONTHS:
        tasks.validate(m, s)
        tasks.publish(m, s)
    yield s, summary
    mp.undo()


def _published(s, month: str, table: str) -> duckdb.DuckDBPyRelation:
    return duckdb.sql(f"select * from '{s.publish / month / (table + '.parquet')}'")


def test_published_revenue_equals_the_orders_net_sales_for_every_model(project):
    s, summary = project
    for month in MONTHS:
        expected = summary.net_sales_reporting(month)
        rows = _published(s, month, "mart_attribution_channel_monthly").aggregate(
            "model, sum(attributed_revenue) as revenue", "model").fetchall()
        assert len(rows) == 9
        for model, revenue in rows:
            assert revenue == expected, (month, model, revenue, expected)
        net = _published(s, month, "mart_net_sales_monthly").aggregate("sum(net_sales_reporting)").fetchall()[0][0]
        assert net == expected


def test_report_answers_each_question_and_its_motions_add_up_to_net_sales(project):
    s, summary = project
    for month in MONTHS:
        text = (s.publish / month / "report.md").read_text()
        for title in ("## Paid (push) vs organic and owned (pull) (last touch)",
                      "## What the ad networks claim vs what they sold, deduplicated (last touch)",
                      "## Do social sales depend on discount codes? (last touch)",
                      "## Organic accounts: what each account's posts sold (last touch)",
                      f"## Customer lifetime value by acquiring channel, as of {month}'s end (last touch)"):
            assert title in text, (month, title)
        section = text.split("## Paid (push)")[1].split("\n## ")[0]
        motions = {cells[0]: Decimal(cells[1]) for cells in
                   ([c.strip() for c in line.strip("|").split("|")] for line in section.splitlines()
                    if line.startswith("| ") and not line.startswith("| motion"))}
        assert {"push", "pull"} <= set(motions)
        assert sum(motions.values()) == summary.net_sales_reporting(month), (month, motions)
        assert "unknown" not in text.split("## Customer lifetime value")[1]  # every simulated sale has a rate


def test_order_credits_sum_to_one_and_sales_reconcile_per_order(project):
    s, _ = project
    month = MONTHS[-1]
    worst = _published(s, month, "fct_order_attribution").aggregate(
        "order_id, model, sum(credit) as c", "order_id, model").aggregate("max(abs(c - 1))").fetchall()[0][0]
    assert worst < 1e-9
    con = duckdb.connect(str(s.warehouse), read_only=True)
    mismatch = con.execute(
        """
        select count(*) from (
            select order_id, sum(attributed_revenue) as a from marts.fct_order_attribution
            where month = ? group by order_id, model) f
        join intermediate.int_revenue_events e on e.order_id = f.order_id and e.event_type = 'sale'
        where f.a <> e.net_sales_reporting
        """, [month]).fetchone()[0]
    con.close()
    assert mismatch == 0


def test_spend_reconciles_to_the_simulated_platform_files(project):
    s, summary = project
    month = MONTHS[0]
    spend = _published(s, month, "mart_attribution_channel_monthly").filter(
        "model = 'last_touch' and platform = 'meta'").aggregate("sum(spend)").fetchall()[0][0]
    assert spend == summary.spend_reporting(month)
    assert spend > 0


def test_nothing_personal_is_published(project):
    """No e-mail, phone number or customer name of the exports reaches a published file."""
    s, _ = project
    raw = duckdb.sql(
        f"select email, phone, first_name || ' ' || last_name as name "
        f"from read_csv('{s.landing / '_archive' / 'shopify' / 'customer'}/*.csv', all_varchar = true)").fetchall()
    personal = {v.strip().lower() for row in raw for v in row if v and len(v.strip()) > 5}
    assert len(personal) > 50, "the simulator writes customers with e-mails, phones and names"
    published = s.publish / MONTHS[-1]
    for path in [*published.glob("*.csv"), *published.glob("*.parquet")]:
        text = (path.read_text() if path.suffix == ".csv" else
                str(duckdb.sql(f"select * from '{path}'").fetchall())).lower()
        assert "@" not in text, path.name
        leaked = [v for v in personal if v in text]
        assert not leaked, (path.name, leaked[:3])


def test_second_run_changes_nothing(project):
    s, _ = project
    month = MONTHS[-1]
    before = (s.publish / month).resolve()
    again = simulate(s.landing, MONTHS[0], len(MONTHS), seed=11)  # the same exports land again
    assert again.net_sales_reporting(month)
    out = tasks.ingest(s)
    assert out["loaded"] == 0 and out["quarantined"] == 0
    tasks.build(month, s)
    tasks.validate(month, s)
    result = tasks.publish(month, s)
    assert result["changed"] is False
    assert (s.publish / month).resolve() == before
    con = duckdb.connect(str(s.warehouse), read_only=True)
    dupes = con.execute(
        "select count(*) from (select order_id, model, touchpoint_id, count(*) n from marts.fct_order_attribution "
        "group by all having n > 1)").fetchone()[0]
    con.close()
    assert dupes == 0


def test_publish_refused_when_the_gate_fails_then_accepted_after_the_fix(project, tmp_path):
    s, summary = project
    month = MONTHS[-1]
    published = (s.publish / month).resolve()
    manifest_before = (published / "manifest.json").read_text()
    # a broken batch: the EUR rates of the month are replaced by an export that stops on the 5th,
    # so EUR spend after the 12th has no rate within 7 days
    rates = sorted((s.landing / "_archive" / "fx" / "rates").glob(f"{month}*.csv"))
    assert rates, "the simulator writes monthly FX files"
    lines = rates[0].read_text().splitlines()
    header, body = lines[0], lines[1:]
    kept = [line for line in body if not (line.split(",")[2] == "EUR" and line.split(",")[0] > f"{month}-05")]
    broken = s.landing / "fx" / "rates" / f"{month}-reexport.csv"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("\n".join([header, *kept]) + "\n")
    tasks.ingest(s)
    tasks.build(month, s)
    with pytest.raises(tasks.GateFailed) as failed:
        tasks.validate(month, s)
    assert "fx_coverage" in str(failed.value)
    with pytest.raises(PublishRefused):
        tasks.publish(month, s)
    assert (s.publish / month).resolve() == published
    assert (published / "manifest.json").read_text() == manifest_before
    # the fix: a complete re-export of the month's rates, dropped in later, replaces the broken one
    fixed = s.landing / "fx" / "rates" / f"{month}-fixed.csv"
    fixed.write_text("\n".join([header, *body]) + "\n")
    tasks.ingest(s)
    tasks.build(month, s)
    tasks.validate(month, s)
    result = tasks.publish(month, s)
    # the numbers are those of the first publish again, so nothing new is written
    assert result["changed"] is False
    revenue = _published(s, month, "mart_attribution_channel_monthly").filter("model = 'markov'").aggregate(
        "sum(attributed_revenue)").fetchall()[0][0]
    assert revenue == summary.net_sales_reporting(month)


def test_bi_database_is_built_from_published_versions(project):
    s, summary = project
    con = duckdb.connect(str(s.publish / "socialroi.duckdb"), read_only=True)
    months = [r[0] for r in con.execute("select month from published_versions order by 1").fetchall()]
    total = con.execute("select sum(net_sales_reporting) from mart_net_sales_monthly").fetchone()[0]
    # lifetime value as each published month closed it: a cohort's value at a month's end is its net sales
    # up to then (every model gives the same total; the simulated customers all first ordered in the data)
    ltv = dict(con.execute("select as_of_month, sum(lifetime_net_sales) from mart_customer_ltv_by_acquisition "
                           "where model = 'linear' group by 1").fetchall())
    con.close()
    assert months == MONTHS
    assert total == sum((summary.net_sales_reporting(m) for m in MONTHS), Decimal(0))
    assert ltv == {m: sum((summary.net_sales_reporting(k) for k in MONTHS if k <= m), Decimal(0)) for m in MONTHS}


def test_manifest_names_inputs_totals_and_gate(project):
    s, _ = project
    manifest = json.loads((s.publish / MONTHS[0] / "manifest.json").read_text())
    assert manifest["month"] == MONTHS[0]
    assert manifest["gate"]["success"] is True
    assert any(f["file"].startswith("shopify/order/") for f in manifest["inputs"])
    assert manifest["tables"]["mart_net_sales_monthly"]["rows"] >= 1


def test_restatement_recorded_when_a_published_month_changes(project, tmp_path):
    s, _ = project
    month = MONTHS[0]
    old = (s.publish / month).resolve()
    # a late refund of an order of the month, processed in the month, arrives in a new file
    refunds = sorted((s.landing / "_archive" / "shopify" / "order_line").glob(f"{month}*.csv"))
    line = refunds[0].read_text().splitlines()[1].split(",")
    order_line_id, order_id = line[0], line[1]
    (s.landing / "shopify" / "refund").mkdir(parents=True, exist_ok=True)
    (s.landing / "shopify" / "refund" / "late.csv").write_text(
        f"id,order_id,created_at,processed_at\n999000111,{order_id},{month}-28 10:00:00,{month}-28 10:00:00\n")
    (s.landing / "shopify" / "order_line_refund").mkdir(parents=True, exist_ok=True)
    (s.landing / "shopify" / "order_line_refund" / "late.csv").write_text(
        f"id,refund_id,order_line_id,quantity,subtotal\n999000222,999000111,{order_line_id},1,1.00\n")
    tasks.ingest(s)
    tasks.build(month, s)
    tasks.validate(month, s)
    result = tasks.publish(month, s, reason="late refund from the shop")
    assert result["changed"] is True
    new = (s.publish / month).resolve()
    assert new != old and old.exists()
    restatement = json.loads((new / "restatement.json").read_text())
    assert restatement["reason"] == "late refund from the shop"
    change = [c for c in restatement["changes"] if c["table"] == "mart_net_sales_monthly"
              and c["column"] == "net_sales_reporting"]
    assert change and Decimal(change[0]["change"]) == Decimal("-1.00")
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_dbt_unit_tests_pass_with_the_default_settings(project):
    # the build leaves them out (an analyst's settings would fail them): here they all run, and pass
    from socialroi.build import run_dbt
    from socialroi.settings import DBT_DIR

    declared = sum(len(yaml.safe_load(f.read_text()).get("unit_tests", []))
                   for f in (DBT_DIR / "models").rglob("*unit_tests.yml"))
    s, _ = project
    out = run_dbt(s, ["test", "--select", "test_type:unit"])
    assert declared > 20 and len(out["results"]) == declared
    assert {n["status"] for n in out["results"]} == {"pass"}


def test_publish_refused_when_the_marts_changed_after_validation(project):
    s, _ = project
    month = MONTHS[-1]
    published = (s.publish / month).resolve()
    tasks.validate(month, s)
    con = duckdb.connect(str(s.warehouse))
    con.execute("update marts.mart_net_sales_monthly set net_sales_reporting = net_sales_reporting + 1 where month = ?",
                [month])
    con.close()
    with pytest.raises(PublishRefused, match="changed since they were validated"):
        tasks.publish(month, s)
    assert (s.publish / month).resolve() == published
    tasks.build(month, s)  # the rebuild restores the marts; validated again, publish goes through
    tasks.validate(month, s)
    assert tasks.publish(month, s)["month"] == month
