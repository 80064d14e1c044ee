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
from project_env import query as _query

from socialroi.ingest import contracts as C
from socialroi.ingest import ingest_all


def _drop(settings, rel: str, text: str, mtime: float | None = None) -> Path:
    path = settings.landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


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


# ---- event streams accumulate ------------------------------------------------------------------

SNOWPLOW = "app_id,collector_tstamp,event,event_id,domain_userid,domain_sessionid,domain_sessionidx,page_url\n"


def test_snowplow_batches_of_one_day_accumulate_and_a_resent_event_replaces_itself(env):
    _drop(env, "snowplow/events/batch-2026-06-01-00.csv", SNOWPLOW
          + "shop,2026-06-01 08:00:00,page_view,e-0001,u1,s1,1,https://shop.example/?utm_source=tiktok\n"
          + "shop,2026-06-01 09:00:00,page_view,e-0002,u2,s2,1,https://shop.example/\n", mtime=1_780_000_000)
    ingest_all(env)
    # the next batch of the same day, re-sending e-0002 (now with its campaign) beside a new event
    _drop(env, "snowplow/events/batch-2026-06-01-12.csv", SNOWPLOW
          + "shop,2026-06-01 09:00:00,page_view,e-0002,u2,s2,1,https://shop.example/?utm_source=x\n"
          + "shop,2026-06-01 13:00:00,page_view,e-0003,u3,s3,1,https://shop.example/\n", mtime=1_780_040_000)
    ingest_all(env)
    assert _query(env, "select event_id, page_url from raw.snowplow__events order by 1") == [
        ("e-0001", "https://shop.example/?utm_source=tiktok"),
        ("e-0002", "https://shop.example/?utm_source=x"),
        ("e-0003", "https://shop.example/"),
    ]
    assert set(_outcomes(env).values()) == {"loaded"}


GA4_EVENT = "_fivetran_id,date,timestamp,name,stream_id,user_pseudo_id,param_ga_session_id,_fivetran_synced\n"


def test_ga4_connector_events_of_two_streams_and_two_syncs_accumulate(env):
    _drop(env, "ga4/event/stream_111_2026-06-01.csv",
          GA4_EVENT + "s111-1,2026-06-01,2026-06-01 10:00:00,page_view,111,p1,1001,2026-06-02 01:00:00\n")
    ingest_all(env)
    _drop(env, "ga4/event/stream_222_2026-06-01.csv",
          GA4_EVENT + "s222-1,2026-06-01,2026-06-01 11:00:00,page_view,222,p2,2001,2026-06-02 02:00:00\n")
    # a later sync of stream 111: one new event, one re-sent (the connector's id is the event's)
    _drop(env, "ga4/event/stream_111_2026-06-01_b.csv",
          GA4_EVENT + "s111-1,2026-06-01,2026-06-01 10:00:00,page_view,111,p1,1001,2026-06-02 03:00:00\n"
          + "s111-2,2026-06-01,2026-06-01 12:00:00,page_view,111,p1,1001,2026-06-02 03:00:00\n")
    ingest_all(env)
    assert _query(env, "select _fivetran_id, stream_id from raw.ga4__event order by 1") == [
        ("s111-1", "111"), ("s111-2", "111"), ("s222-1", "222")]


def _ga4_line(ts: int, user: str, name: str = "page_view", source: str = "tiktok", value: float | None = None) -> str:
    params = [{"key": "ga_session_id", "value": {"int_value": ts // 1_000_000}},
              {"key": "page_location", "value": {"string_value": f"https://shop.example/?utm_source={source}"}}]
    if value is not None:  # a purchase's value: the file's rows then read with a double_value member each
        params.append({"key": "value", "value": {"double_value": value}})
    return json.dumps({"event_date": "20260601", "event_timestamp": ts, "event_name": name, "user_pseudo_id": user,
                       "event_params": params}) + "\n"


def test_ga4_bigquery_shards_of_one_day_accumulate_and_a_re_export_adds_nothing(env):
    e1, e2, e3 = _ga4_line(1780308000000000, "111.222"), _ga4_line(1780311600000000, "333.444", source="x"), \
        _ga4_line(1780315200000000, "555.666", name="purchase", value=12.5)
    _drop(env, "ga4/events_export/events_20260601_000000000000.jsonl", e1)
    _drop(env, "ga4/events_export/events_20260601_000000000001.jsonl", e2)
    ingest_all(env)
    assert _query(env, "select user_pseudo_id from raw.ga4__events_export order by 1") == [("111.222",), ("333.444",)]
    assert set(_outcomes(env).values()) == {"loaded"}
    # the day exported again later, split into other shards, with an event that arrived late: every event
    # once (the key derived from the event's content is the same in every export of it, though the reader
    # writes this file's params with members the first files had not: "double_value":null)
    _drop(env, "ga4/events_export/reexport/events_20260601_000000000000.jsonl", e2 + e1 + e3)
    ingest_all(env)
    rows = _query(env, "select user_pseudo_id, event_name, _event_key from raw.ga4__events_export order by 1")
    assert [r[:2] for r in rows] == [("111.222", "page_view"), ("333.444", "page_view"), ("555.666", "purchase")]
    assert len({r[2] for r in rows}) == 3
    # the same event at the same microsecond under another name is another event
    _drop(env, "ga4/events_export/events_20260601_000000000002.jsonl", _ga4_line(1780308000000000, "111.222",
                                                                                  name="scroll"))
    ingest_all(env)
    assert _query(env, "select count(*) from raw.ga4__events_export")[0][0] == 4


def test_re_ingesting_the_same_event_files_changes_nothing(env):
    files = {
        "snowplow/events/b1.csv": SNOWPLOW + "shop,2026-06-01 08:00:00,page_view,e-1,u1,s1,1,https://a.example/\n",
        "snowplow/events/b2.csv": SNOWPLOW + "shop,2026-06-01 09:00:00,page_view,e-2,u1,s1,1,https://a.example/\n",
        "ga4/events_export/s0.jsonl": _ga4_line(1780308000000000, "1.1"),
        "ga4/events_export/s1.jsonl": _ga4_line(1780311600000000, "2.2"),
    }
    for rel, text in files.items():
        _drop(env, rel, text)
    ingest_all(env)
    before = _current(env)
    for rel, text in files.items():  # the same bytes dropped in again
        _drop(env, rel, text)
    ingest_all(env)
    assert _current(env) == before


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


# ---- at-least-once delivery: identical repeats collapse ------------------------------------------

def test_an_event_delivered_twice_identically_loads_once(env):
    row2 = "shop,2026-06-01 09:00:00,page_view,e-0002,u2,s2,1,https://shop.example/\n"
    _drop(env, "snowplow/events/batch-2026-06-01.csv", SNOWPLOW
          + "shop,2026-06-01 08:00:00,page_view,e-0001,u1,s1,1,https://shop.example/?utm_source=tiktok\n" + row2 + row2)
    line = _ga4_line(1780308000000000, "111.222")
    _drop(env, "ga4/events_export/events_20260601_000000000000.jsonl", line + _ga4_line(1780311600000000, "3.4") + line)
    _drop(env, "ga4/event/sync.csv", GA4_EVENT + "g1,2026-06-01,2026-06-01 10:00:00,page_view,111,p1,1001,2026-06-02 01:00:00\n"
          * 2)
    ingest_all(env)
    assert set(_outcomes(env).values()) == {"loaded"}, _reasons(env)
    assert _query(env, "select event_id from raw.snowplow__events order by 1") == [("e-0001",), ("e-0002",)]
    assert _query(env, "select count(*) from raw.ga4__events_export")[0][0] == 2
    assert _query(env, "select count(*) from raw.ga4__event")[0][0] == 1


def test_two_different_events_under_one_id_still_quarantine_the_batch(env):
    _drop(env, "snowplow/events/batch.csv", SNOWPLOW
          + "shop,2026-06-01 09:00:00,page_view,e-0002,u2,s2,1,https://shop.example/\n"
          + "shop,2026-06-01 09:05:00,page_view,e-0002,u9,s9,1,https://shop.example/cart\n")
    ingest_all(env)
    assert _reasons(env)["snowplow/events/batch.csv"]["check"] == "key_unique"


# ---- placeholders for "no data" ------------------------------------------------------------------

def test_placeholders_in_metric_columns_are_null_where_the_contract_accepts_them(env):
    _drop(env, "tiktok_ads/ad_report_hourly/c_dash.csv", HOURLY.replace("\n", ",TOTAL_COMPLETE_PAYMENT_RATE\n")
          + "A1,2026-06-01 10:00:00,-,100,N/A,2026-06-02 01:00:00,12.5%\n"
          + "A1,2026-06-01 11:00:00,4.00,n/a, 5 ,2026-06-02 01:00:00,--\n")
    _drop(env, "linkedin_ads/ad_analytics_by_creative/e_dd.csv",
          "creative_id,day,cost_in_local_currency,impressions,clicks\n101,2026-06-01,12.50,--,3\n")
    ingest_all(env)
    assert set(_outcomes(env).values()) == {"loaded"}, _reasons(env)
    assert _query(env, "select hour(stat_time_hour), spend, impressions, clicks from raw.tiktok_ads__ad_report_hourly "
                       "order by 1") == [(10, None, 100, None), (11, Decimal("4"), None, 5)]
    assert _query(env, "select cost_in_local_currency, impressions, clicks "
                       "from raw.linkedin_ads__ad_analytics_by_creative") == [(Decimal("12.5"), None, 3)]


@pytest.mark.parametrize("rel,text,column", [
    # a placeholder is never a date's value
    ("tiktok_ads/ad_report_hourly/hour.csv", HOURLY + "A1,N/A,1.00,100,5,2026-06-02 01:00:00\n", "stat_time_hour"),
    ("linkedin_ads/ad_analytics_by_creative/day.csv", "creative_id,day,impressions\n101,--,3\n", "day"),
    # nor a value of a table whose contract does not accept placeholders
    ("pinterest_ads/pin_promotion_report/dash.csv", PIN + "2026-06-01,p1,adv1,2026-07-05 03:00:00,-\n",
     "spend_in_micro_dollar"),
    # nor other text in a metric column
    ("tiktok_ads/ad_report_hourly/word.csv", HOURLY + "A1,2026-06-01 10:00:00,free,100,5,2026-06-02 01:00:00\n", "spend"),
])
def test_placeholders_stay_refused_where_they_are_no_metric_value(env, rel, text, column):
    _drop(env, rel, text)
    ingest_all(env)
    reason = _reasons(env)[rel]
    assert reason["column"] == column and reason["check"] in ("type", "key_not_null", "not_null"), reason


def test_events_loaded_before_their_key_was_derived_get_it_at_the_next_ingest(env):
    """A warehouse that loaded BigQuery shards before the key was derived has them without it (the column
    was added, NULL): the next ingest derives it from the stored columns, as a load gives it now."""
    _drop(env, "ga4/events_export/s0.jsonl", _ga4_line(1780308000000000, "111.222"))
    _drop(env, "ga4/events_export/s1.jsonl", _ga4_line(1780311600000000, "333.444", name="purchase", value=12.5))
    ingest_all(env)
    keys = _query(env, "select user_pseudo_id, _event_key from raw.ga4__events_export order by 1")
    con = duckdb.connect(str(env.warehouse))
    con.execute("update landing.ga4__events_export set _event_key = null")
    con.close()
    assert _query(env, "select count(*) from raw.ga4__events_export")[0][0] == 1  # one NULL key: one file's rows
    ingest_all(env)
    assert _query(env, "select user_pseudo_id, _event_key from raw.ga4__events_export order by 1") == keys
    assert set(_outcomes(env).values()) == {"loaded"}
