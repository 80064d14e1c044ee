"""What a later file replaces, table by table: event streams accumulate (a re-sent event replaces
itself), a report file replaces only its own account's, ad's or stream's rows and only the hours it
covers, the export's own `_fivetran_synced` decides which export is newer, a delivery's repeated
identical rows collapse, and the placeholders a platform writes for "no data" are NULL where the
contract says so. Each test lands files, ingests, and reads the current rows (`raw.*`)."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from socialroi.ingest import contracts as C
from socialroi.ingest import ingest_all


def _drop(settings, rel: str, text: str, mtime: float | None = None) -> Path:
    path = settings.landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _query(settings, sql: str, params=None):
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _outcomes(settings) -> dict[str, str]:
    return dict(_query(settings, "select file_path, outcome from ingest.file_ledger"))


def _reasons(settings) -> dict[str, dict]:
    return {p: json.loads(r) for p, r in _query(settings, "select file_path, reason from ingest.file_ledger "
                                                          "where outcome = 'quarantined'")}


def _current(settings) -> dict[str, list]:
    """Every raw view's rows, sorted: what a re-ingest must leave as it was."""
    out = {}
    for (source, table) in C.all_contracts():
        out[f"{source}__{table}"] = sorted(map(repr, _query(settings, f"select * exclude (_row) from raw.{source}__{table}")))
    return out


# ---- a report file replaces its own scope only, and only the hours it covers --------------------

# (folder, header, first file's rows (account/ad A), second file's rows (account/ad B), query of the spend by id)
ONE_SCOPE = {
    "tiktok": ("tiktok_ads/ad_report_hourly", "AD_ID,STAT_TIME_HOUR,SPEND,IMPRESSIONS,CLICKS,_FIVETRAN_SYNCED\n",
               "A1,2026-06-01 10:00:00,10.00,100,5,2026-06-02 01:00:00\nA1,2026-06-01 11:00:00,20.00,200,6,2026-06-02 01:00:00\n",
               "B1,2026-06-01 12:00:00,5.00,50,1,2026-06-02 02:00:00\n",
               "select ad_id, sum(spend) from raw.tiktok_ads__ad_report_hourly group by 1 order by 1",
               [("A1", Decimal("30")), ("B1", Decimal("5"))]),
    "snapchat": ("snapchat_ads/ad_hourly_report", "ad_id,date,impressions,spend,swipes\n",
                 "sa1,2026-06-01 10:00:00.000,10,1000000,1\n", "sb1,2026-06-01 15:00:00.000,10,2000000,1\n",
                 "select ad_id, sum(spend) from raw.snapchat_ads__ad_hourly_report group by 1 order by 1",
                 [("sa1", 1000000), ("sb1", 2000000)]),
    "linkedin": ("linkedin_ads/ad_analytics_by_creative", "creative_id,day,cost_in_local_currency,impressions,clicks\n",
                 "101,2026-06-01,12.50,100,3\n", "202,2026-06-01,7.25,50,1\n",
                 "select creative_id, sum(cost_in_local_currency) from raw.linkedin_ads__ad_analytics_by_creative "
                 "group by 1 order by 1", [("101", Decimal("12.5")), ("202", Decimal("7.25"))]),
}


@pytest.mark.parametrize("platform", sorted(ONE_SCOPE))
def test_a_file_of_one_ad_leaves_the_other_ads_rows_of_those_days(env, platform):
    folder, header, a, b, sql, expected = ONE_SCOPE[platform]
    _drop(env, f"{folder}/account_A.csv", header + a, mtime=1_780_000_000)
    ingest_all(env)
    _drop(env, f"{folder}/account_B.csv", header + b, mtime=1_780_100_000)
    ingest_all(env)
    assert _query(env, sql) == expected
    assert set(_outcomes(env).values()) == {"loaded"}


HOURLY = "AD_ID,STAT_TIME_HOUR,SPEND,IMPRESSIONS,CLICKS,_FIVETRAN_SYNCED\n"


def test_an_hourly_export_of_later_hours_keeps_the_earlier_hours_of_the_day(env):
    _drop(env, "tiktok_ads/ad_report_hourly/export_0900.csv", HOURLY
          + "A1,2026-06-01 00:00:00,10.00,100,5,2026-06-01 09:00:00\n"
          + "A1,2026-06-01 08:00:00,20.00,200,6,2026-06-01 09:00:00\n")
    ingest_all(env)
    _drop(env, "tiktok_ads/ad_report_hourly/export_2359.csv", HOURLY
          + "A1,2026-06-01 09:00:00,5.00,50,1,2026-06-02 00:00:00\n"
          + "A1,2026-06-01 23:00:00,7.00,70,1,2026-06-02 00:00:00\n")
    ingest_all(env)
    hours = "select hour(stat_time_hour), spend from raw.tiktok_ads__ad_report_hourly order by 1"
    assert _query(env, hours) == [(0, Decimal("10")), (8, Decimal("20")), (9, Decimal("5")), (23, Decimal("7"))]
    # a re-export of the hours 08..23 replaces what it covers: hour 08 corrected, hour 09 gone (no row now)
    _drop(env, "tiktok_ads/ad_report_hourly/export_next_day.csv", HOURLY
          + "A1,2026-06-01 08:00:00,21.00,200,6,2026-06-02 06:00:00\n"
          + "A1,2026-06-01 23:00:00,7.00,70,1,2026-06-02 06:00:00\n")
    ingest_all(env)
    assert _query(env, hours) == [(0, Decimal("10")), (8, Decimal("21")), (23, Decimal("7"))]
    assert _outcomes(env)["tiktok_ads/ad_report_hourly/export_2359.csv"] == "superseded"


def test_a_daily_report_re_export_still_replaces_its_accounts_whole_period(env):
    """The hourly rule (a timestamp range) leaves the date rule of daily reports as it was: a re-export of
    an account's days replaces those days, rows it no longer has included."""
    header = "date,pin_promotion_id,advertiser_id,_fivetran_synced,spend_in_micro_dollar\n"
    _drop(env, "pinterest_ads/pin_promotion_report/v1.csv", header
          + "2026-06-01,p1,adv1,2026-07-01 03:00:00,1000000\n2026-06-02,p2,adv1,2026-07-01 03:00:00,1500000\n"
          + "2026-06-02,p9,adv2,2026-07-01 03:00:00,9000000\n")
    ingest_all(env)
    _drop(env, "pinterest_ads/pin_promotion_report/v2.csv", header
          + "2026-06-01,p1,adv1,2026-07-02 03:00:00,1100000\n2026-06-02,p1,adv1,2026-07-02 03:00:00,100000\n")
    ingest_all(env)
    assert _query(env, "select advertiser_id, pin_promotion_id, date::varchar, spend_in_micro_dollar "
                       "from raw.pinterest_ads__pin_promotion_report order by 1, 2, 3") == [
        ("adv1", "p1", "2026-06-01", 1100000), ("adv1", "p1", "2026-06-02", 100000),
        ("adv2", "p9", "2026-06-02", 9000000)]


# ---- the export's own synced-at decides -----------------------------------------------------------

PIN = "date,pin_promotion_id,advertiser_id,_fivetran_synced,spend_in_micro_dollar\n"


def test_an_older_sync_landing_later_does_not_replace_a_fresher_one(env):
    _drop(env, "pinterest_ads/pin_promotion_report/sync_2026-07-05.csv", PIN
          + "2026-06-01,p1,adv1,2026-07-05 03:00:00,2000000\n2026-06-02,p1,adv1,2026-07-05 03:00:00,3000000\n",
          mtime=1_783_224_000)
    ingest_all(env)
    _drop(env, "pinterest_ads/pin_promotion_report/sync_2026-07-01.csv", PIN
          + "2026-06-01,p1,adv1,2026-07-01 03:00:00,1000000\n2026-06-02,p1,adv1,2026-07-01 03:00:00,1500000\n",
          mtime=1_783_300_000)
    ingest_all(env)
    assert _query(env, "select date::varchar, spend_in_micro_dollar from raw.pinterest_ads__pin_promotion_report "
                       "order by 1") == [("2026-06-01", 2000000), ("2026-06-02", 3000000)]
    assert _outcomes(env) == {"pinterest_ads/pin_promotion_report/sync_2026-07-05.csv": "loaded",
                              "pinterest_ads/pin_promotion_report/sync_2026-07-01.csv": "superseded"}
    exported = dict(_query(env, "select file_path, exported_at::varchar from ingest.file_ledger"))
    assert exported["pinterest_ads/pin_promotion_report/sync_2026-07-01.csv"] == "2026-07-01 03:00:00"


def test_an_older_hourly_sync_landing_later_does_not_replace_a_fresher_one(env):
    _drop(env, "tiktok_ads/ad_report_hourly/fresh.csv", HOURLY + "A1,2026-06-01 10:00:00,12.00,100,5,2026-06-03 00:00:00\n",
          mtime=1_780_000_000)
    ingest_all(env)
    _drop(env, "tiktok_ads/ad_report_hourly/stale.csv", HOURLY + "A1,2026-06-01 10:00:00,9.00,90,5,2026-06-02 00:00:00\n",
          mtime=1_780_100_000)
    ingest_all(env)
    assert _query(env, "select spend from raw.tiktok_ads__ad_report_hourly") == [(Decimal("12"),)]


def test_every_report_table_with_a_synced_at_column_ranks_exports_by_it():
    missing = [c.qualified for c in C.all_contracts().values()
               if c.kind == "report" and any(col.name == "_fivetran_synced" for col in c.columns)
               and c.export_time != "_fivetran_synced"]
    assert missing == []
