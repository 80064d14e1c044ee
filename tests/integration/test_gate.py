"""The pre-publish quality gate on a small, exact warehouse (tests/integration/gate_fixtures.py).

One good warehouse per module; each test copies its DuckDB file, injects exactly one defect with
SQL, runs the gate and asserts that the gate closes naming that check, and only that check.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from gate_fixtures import EXPECTED_SOURCES, MONTH, build_warehouse

from socialroi import gate
from socialroi.settings import EXPECTATIONS_DIR, Settings


@pytest.fixture(scope="module")
def good_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("gate") / "good.duckdb")


def _settings(root: Path, warehouse: Path) -> Settings:
    return Settings(landing=root / "landing", warehouse=warehouse, publish=root / "publish", state=root / "state",
                    feeds=root / "feeds", expected_sources=EXPECTED_SOURCES, reporting_currency="USD",
                    attribution={"models": ["last_touch", "linear"]})  # the fixture's models


def _copy(good: Path, root: Path, *statements: str) -> Settings:
    wh = root / "wh.duckdb"
    shutil.copy(good, wh)
    if statements:
        con = duckdb.connect(str(wh))
        try:
            for sql in statements:
                con.execute(sql)
        finally:
            con.close()
    return _settings(root, wh)


def _failed(result: dict) -> set[str]:
    return {c["check"] for c in result["failed"]}


def _check(result: dict, name: str) -> dict:
    return next(c for c in result["checks"] if c["check"] == name)


def test_good_data_passes_and_writes_the_report_and_data_docs(good_warehouse, tmp_path):
    s = _copy(good_warehouse, tmp_path)
    result = gate.run_gate(s, MONTH)

    assert result["success"], [(c["check"], c["message"]) for c in result["failed"]]
    assert [c["check"] for c in result["checks"]] == list(gate.CHECKS)
    assert result["failed"] == [] and result["overrides"] == []
    assert _check(result, "volume_band")["message"].startswith("ok: 3 aggregate row(s)"), "3 months of history: banded"
    report = Path(result["report_path"])
    assert report == s.state / "gate" / f"{MONTH}.json"
    assert json.loads(report.read_text())["data_fingerprint"] == result["data_fingerprint"]
    docs = Path(result["docs_path"])
    assert docs == s.state / "gate" / MONTH / "data_docs"
    assert (docs / "index.html").exists()
    pages = list((docs / "validations").rglob("*.html"))
    assert len(pages) == len({m.suite for m in gate.MEASURES}), "one validation page per suite"
    page = next(p for p in pages if "fct_order_attribution" in str(p)).read_text()
    assert "credit_sum_error" in page and "credits_sum_to_one" in page
    # the fingerprint is the marts' counts and totals: publish can recompute it and see a change
    assert gate.data_fingerprint(s, MONTH) == result["data_fingerprint"]
    con = duckdb.connect(str(s.warehouse))
    con.execute("update marts.mart_net_sales_monthly set orders = orders + 1 where month = ?", [MONTH])
    con.close()
    assert gate.data_fingerprint(s, MONTH) != result["data_fingerprint"]


DEFECTS = {
    "completeness": (
        # the month's Shopify orders export was taken on the 20th (an entity export covers the quiet days
        # after its last row only up to when it was taken)
        "update ingest.file_ledger set period_end = date '2026-04-20', exported_at = timestamp '2026-04-20 18:00', "
        "file_mtime = timestamp '2026-04-20 18:00' "
        "where source = 'shopify' and table_name = 'order' and period_start = date '2026-04-01'",
    ),
    "completeness/fx": (
        # the month's rates stop on the 20th: a rate serves 7 more days, the 28th to the 30th have none
        "update ingest.file_ledger set period_end = date '2026-04-20' "
        "where source = 'fx' and period_start = date '2026-04-01'",
    ),
    "fx_coverage": (
        "update intermediate.int_ad_spend_daily set rate_to_reporting = null "
        "where currency = 'EUR' and date in (date '2026-04-10', date '2026-04-11')",
    ),
    "credits_sum_to_one": (
        "update marts.fct_order_attribution set credit = 0.6 "
        "where model = 'linear' and order_id = 'o-2026-04-05' and platform = 'meta'",
    ),
    "revenue_reconciles": (
        "update marts.mart_attribution_channel_monthly set attributed_revenue = attributed_revenue + 0.01 "
        "where month = '2026-04' and model = 'last_touch' and platform = 'meta'",
    ),
    "revenue_reconciles/order": (
        "update marts.fct_order_attribution set attributed_revenue = attributed_revenue + 0.01 "
        "where model = 'last_touch' and order_id = 'o-2026-04-05'",
    ),
    "revenue_reconciles/model": (  # a model the build should have made is missing from the marts
        "delete from marts.mart_attribution_channel_monthly where model = 'linear'",
        "delete from marts.fct_order_attribution where model = 'linear'",
    ),
    "spend_reconciles": (
        "update marts.mart_attribution_channel_monthly set spend = spend + 1 "
        "where month = '2026-04' and model = 'linear' and platform = 'meta'",
    ),
    "spend_reconciles/raw": (
        # in the account currency: the intermediate table no longer matches the platform's rows
        "update intermediate.int_ad_spend_daily set spend = spend + 1 where account_id = 'A2' and date = date '2026-04-03'",
    ),
    "roas_finite": (
        "update marts.mart_attribution_channel_monthly set roas = 'infinity'::double "
        "where month = '2026-04' and model = 'linear' and platform = 'meta'",
    ),
    "no_personal_data": (
        "alter table marts.mart_attribution_campaign_monthly add column customer_email varchar",
    ),
    "no_personal_data/values": (
        "update marts.mart_attribution_campaign_monthly set campaign = 'jane.doe@example.com' "
        "where month = '2026-04' and model = 'linear'",
        "update marts.mart_attribution_campaign_monthly set campaign_key = '+44 20 7946 0958' "
        "where month = '2026-04' and model = 'last_touch'",
    ),
    "no_personal_data/ids": (  # an email copied from a UTM into an id, URL-encoded as trackers store it
        "update marts.fct_order_attribution set touchpoint_id = 'jane.doe%40example.com' "
        "where model = 'linear' and order_id = 'o-2026-04-05'",
    ),
    "no_personal_data/phone_in_id": (  # a phone number typed into utm_content becomes an ad id
        "update marts.fct_order_attribution set ad_id = '415-555-0130' "
        "where model = 'linear' and order_id = 'o-2026-04-05'",
    ),
    "no_personal_data/padded_phone": (  # a phone with a space before it, in a free-text column
        "update marts.mart_attribution_campaign_monthly set campaign = ' 0612 345 678' "
        "where month = '2026-04' and model = 'linear'",
    ),
    "no_personal_data/phone_in_text": (  # a phone inside a campaign name, written with its +
        "update marts.mart_attribution_campaign_monthly set campaign = 'call +1 415 555 0130' "
        "where month = '2026-04' and model = 'linear'",
    ),
    "volume_band": (
        "update marts.mart_net_sales_monthly set orders = orders * 20 where month <> '2026-04'",
    ),
    "batch_keys": (
        "insert into landing.fx__rates select * from landing.fx__rates where date = date '2026-04-07'",
    ),
    "batch_keys/null": (
        "update landing.fx__rates set quote = null where date = date '2026-04-08'",
    ),
    "batch_ranges": (
        "update landing.facebook_ads__basic_ad set impressions = -5 where account_id = 'A1' and date = date '2026-04-08'",
    ),
    "batch_currencies": (
        "update landing.facebook_ads__account_history set currency = 'EUX' where id = 'A2'",
    ),
    "batch_required": (
        "update landing.shopify__order set currency = null where id = 'o-2026-04-09'",
    ),
}

# what the failed check's message must say (the where and the what, not only the name)
MESSAGE = {
    "completeness": "shopify: no loaded file covers 2026-04-21..2026-04-30",
    "completeness/fx": "fx: no loaded file covers 2026-04-28..2026-04-30",
    "fx_coverage": "in EUR have no EUR rate within 7 days: 2026-04-10..2026-04-11",
    "credits_sum_to_one": "linear: 1 of 30 orders have credits that do not sum to 1",
    "revenue_reconciles": "last_touch: attributed revenue 2980.01 != net sales 2980.00",
    "revenue_reconciles/order": "1 orders differ",
    "revenue_reconciles/model": "linear: attributed revenue 0.00 != net sales 2980.00",
    "spend_reconciles": "linear/meta: mart spend 466.00 != platform files converted 465.00",
    "spend_reconciles/raw": "meta account A2: int_ad_spend_daily 151.000 EUR != raw rows 150.000",
    "roas_finite": "mart_attribution_channel_monthly linear: 1 of 1 rows with spend have a null or infinite ROAS",
    "no_personal_data": "customer_email",
    "no_personal_data/values": "look like email",
    "no_personal_data/ids": "value(s) of touchpoint_id look like email",
    "no_personal_data/phone_in_id": "value(s) of ad_id look like phone",
    "no_personal_data/padded_phone": "value(s) of campaign look like phone",
    "no_personal_data/phone_in_text": "value(s) of campaign look like phone",
    "volume_band": "orders 30.00 is 0.05x the median",
    "batch_keys": "raw.fx__rates: 2 of 31 rows of the month break 'key (date,base,quote) unique'",
    "batch_keys/null": "break 'key (date,base,quote) not null'",
    "batch_ranges": "raw.facebook_ads__basic_ad: 1 of 60 rows of the month break 'impressions >= 0'",
    "batch_currencies": "raw.facebook_ads__account_history: 1 of 2 rows (all current rows: the table has no date) "
                        "break 'currency a known currency'",
    "batch_required": "raw.shopify__order: 1 of 30 rows of the month break 'currency required'",
}


def test_rates_missing_on_a_weekend_do_not_close_the_gate(good_warehouse, tmp_path):
    # FX sources publish no weekend rates: a file ending on Friday the 24th covers the month's last days
    s = _copy(good_warehouse, tmp_path, "update ingest.file_ledger set period_end = date '2026-04-24' "
                                        "where source = 'fx' and period_start = date '2026-04-01'")
    result = gate.run_gate(s, MONTH)
    assert result["success"], [(c["check"], c["message"]) for c in result["failed"]]


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_a_defect_closes_the_gate_naming_only_its_check(good_warehouse, tmp_path, defect):
    check = defect.split("/")[0]
    s = _copy(good_warehouse, tmp_path, *DEFECTS[defect])
    result = gate.run_gate(s, MONTH)

    assert not result["success"]
    assert _failed(result) == {check}, [(c["check"], c["message"]) for c in result["failed"]]
    failed = _check(result, check)
    assert MESSAGE[defect] in failed["message"], failed["message"]
    assert failed["sample"], "a failed check shows a sample"
    saved = json.loads((s.state / "gate" / f"{MONTH}.json").read_text())
    assert saved["success"] is False and [c["check"] for c in saved["failed"]] == [check]
    if defect.startswith("no_personal_data/"):  # the report names the place, never the personal value
        text = json.dumps(saved)
        assert "jane.doe@example.com" not in text and "jane.doe%40" not in text and "7946 0958" not in text
        assert "555-0130" not in text and "345 678" not in text
    if check.startswith("batch_"):  # the sample names the file and line of an offending row
        assert failed["sample"][0]["file"].endswith(".csv") and failed["sample"][0]["line"] >= 1


def test_an_override_turns_a_failing_check_into_a_recorded_pass(good_warehouse, tmp_path):
    s = _copy(good_warehouse, tmp_path, *DEFECTS["volume_band"])
    overrides = s.state / "gate_overrides.yml"
    overrides.parent.mkdir(parents=True)
    overrides.write_text(
        "- {month: '2026-04', check: volume_band, who: Ada (finance), why: 'launch month: orders x20 expected'}\n"
        "- {month: '2026-03', check: completeness, who: Ada (finance), why: another month}\n"
    )
    result = gate.run_gate(s, MONTH)

    assert result["success"]
    volume = _check(result, "volume_band")
    assert volume["success"] and volume["overridden"] == {"who": "Ada (finance)", "why": "launch month: orders x20 expected"}
    assert "orders 30.00 is 0.05x the median" in volume["message"]
    assert result["overrides"] == [{"month": MONTH, "check": "volume_band", "who": "Ada (finance)",
                                    "why": "launch month: orders x20 expected", "applied": True}]

    overrides.write_text("- {month: '2026-04', check: volume_band, who: Ada}\n")
    with pytest.raises(gate.GateConfigError, match="entry 1: missing why"):
        gate.run_gate(s, MONTH)
    overrides.write_text("- {month: '2026-04', check: volume_bands, who: Ada, why: typo}\n")
    with pytest.raises(gate.GateConfigError, match="unknown check 'volume_bands'"):
        gate.run_gate(s, MONTH)


def test_volume_band_waits_for_three_months_of_history(good_warehouse, tmp_path):
    s = _copy(good_warehouse, tmp_path, *DEFECTS["volume_band"],
              "delete from marts.mart_net_sales_monthly where month = '2026-01'")
    result = gate.run_gate(s, MONTH)

    assert result["success"], [(c["check"], c["message"]) for c in result["failed"]]
    assert "orders: 2 previous month(s) of history; the band applies from 3" in _check(result, "volume_band")["message"]


def test_committed_expectations_are_generated_and_current(tmp_path):
    written = gate.write_suites(tmp_path)

    assert Path("checkpoints/pre_publish.json") in written
    for rel in written:
        committed = EXPECTATIONS_DIR / rel
        assert committed.exists(), f"{committed} is missing: run socialroi.gate.write_suites()"
        assert committed.read_text() == (tmp_path / rel).read_text(), \
            f"{committed} is out of date: run `python -c 'from socialroi.gate import write_suites; write_suites()'`"
    generated = {p.relative_to(EXPECTATIONS_DIR) for p in EXPECTATIONS_DIR.rglob("*")
                 if p.is_file() and p.relative_to(EXPECTATIONS_DIR).parts[0] in gate._GENERATED}
    assert generated == set(written), "stale files in expectations/"
    suite = json.loads((EXPECTATIONS_DIR / "expectations" / "raw_landed_batches.json").read_text())
    assert "key (ad_id,date) unique" in suite["meta"]["contracts"]["rules"]["raw.facebook_ads__basic_ad"]


def test_returns_of_orders_outside_the_ledger_are_said_not_silently_dropped(good_warehouse, tmp_path):
    s = _copy(good_warehouse, tmp_path,
              "create table if not exists intermediate.int_returns_unioned (return_id varchar, order_id varchar, "
              "processed_at timestamp, currency varchar, amount decimal(18, 3), returned_cost decimal(18, 3), "
              "is_order_counted boolean)",
              "insert into intermediate.int_returns_unioned (return_id, order_id, processed_at, currency, amount, "
              "returned_cost, is_order_counted) values ('r-old', 'o-2025-12-01', timestamp '2026-04-12 10:00:00', "
              "'EUR', 7.25, null, false), ('r-march', 'o-2025-12-02', timestamp '2026-03-12 10:00:00', 'EUR', 1, "
              "null, false)")
    result = gate.run_gate(s, MONTH)
    assert result["success"], [(c["check"], c["message"]) for c in result["failed"]]
    message = _check(result, "revenue_reconciles")["message"]
    assert "1 return(s) processed in 2026-04 are not net sales" in message and "7.250 EUR" in message, message


def test_returns_left_out_are_said_in_the_month_of_the_reporting_time_zone(good_warehouse, tmp_path):
    # processed on 1 May at 02:00 UTC: 30 April, 22:00 in New York
    s = _copy(good_warehouse, tmp_path,
              "create table if not exists intermediate.int_returns_unioned (return_id varchar, order_id varchar, "
              "processed_at timestamp, currency varchar, amount decimal(18, 3), returned_cost decimal(18, 3), "
              "is_order_counted boolean)",
              "insert into intermediate.int_returns_unioned (return_id, order_id, processed_at, currency, amount, "
              "returned_cost, is_order_counted) values ('r-late', 'o-2025-12-03', timestamp '2026-05-01 02:00:00', "
              "'EUR', 33, null, false)")
    s = dataclasses.replace(s, reporting_timezone="America/New_York")
    message = _check(gate.run_gate(s, MONTH), "revenue_reconciles")["message"]
    assert "1 return(s) processed in 2026-04 are not net sales" in message and "33.000 EUR" in message, message

