"""The five ad networks after Meta (TikTok, LinkedIn, Pinterest, Snapchat, X) through the real ingest, dbt
build and gate, on a hand-checkable month: one ad per network, each in its own account currency, units and
time zone, with spend on both sides of the 30 June / 1 July boundary, and one June order per network whose
only touch is a click on that ad.

FX (rates per USD): EUR 0.8 in June (1 EUR = 1.25 USD) and 0.5 from 1 July (1 EUR = 2 USD); GBP 0.5 (2 USD).

| network   | account               | 30 June (local)                   | 1 July (local) | June spend USD | July USD |
|-----------|-----------------------|-----------------------------------|----------------|----------------|----------|
| TikTok    | EUR, Berlin hours     | 1.00 + 2.00 re-exported as 1.5004 + 2.5004 EUR (4.001) | 4.00 EUR | 5.00 | 8.00 |
| X         | USD, Los Angeles, micros | 1,000,000 + 500,000 (two placements) | 2,000,000 | 1.50 | 2.00 |
| Pinterest | GBP, micros           | 3,000,000                         | 1,000,000      | 6.00           | 2.00     |
| Snapchat  | USD, New York hours, micros | 1,000,000 at 23:00          | 2,000,000 at 00:00 | 1.00       | 2.00     |
| LinkedIn  | EUR, UTC days         | 10.0004 EUR (and 0.0004 on 29 June) | 10.00 EUR    | 12.50          | 20.00    |

Platform amounts with more than 3 decimals (LinkedIn's cost has up to 6, TikTok's spend is read as precise)
are rounded to 3 decimals per ad and day by staging, and the gate's reconciliation to the raw rows rounds at
that grain too (before, 0.0004 here and there failed spend_reconciles and kept the month from closing).

Orders: TikTok 100, X 50, Pinterest 40, Snapchat 30, LinkedIn 20 (USD), one touch each, so every model gives
each network its order whole. The TikTok campaign is renamed mid-month (two history versions).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from project_env import project

from socialroi import gate, tasks

JUNE, JULY = "2026-06", "2026-07"
D = Decimal


def _w(root: Path, rel: str, header: list[str], rows: list[list]) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", newline="") as f:
        cw = csv.writer(f)
        cw.writerow(header)
        cw.writerows(rows)
    return p


SYNCED = "2026-07-02 03:00:00"
NETWORKS = [  # utm_source, utm_campaign, ad id (utm_content), order gross (USD)
    ("tiktok", "tt_summer", "TA1", 100), ("twitter", "x_summer", "XP1", 50), ("pinterest", "pin_summer", "PP1", 40),
    ("snapchat", "snap_summer", "SD1", 30), ("linkedin", "li_summer", "LCR1", 20),
]


def _url(src: str, camp: str, ad: str) -> str:
    return f"https://shop.example.com/p?utm_source={src}&utm_medium=paid_social&utm_campaign={camp}&utm_content={ad}"


def land(root: Path) -> None:
    rows, d = [], dt.date(2026, 5, 20)
    while d <= dt.date(2026, 7, 10):
        rows += [[d.isoformat(), "USD", "EUR", "0.8" if d < dt.date(2026, 7, 1) else "0.5"],
                 [d.isoformat(), "USD", "GBP", "0.5"]]
        d += dt.timedelta(days=1)
    _w(root, "fx/rates/rates.csv", ["date", "base", "quote", "rate"], rows)
    url = {ad: _url(src, camp, ad) for src, camp, ad, _ in NETWORKS}
    # TikTok: EUR advertiser in Berlin (hours are the advertiser's); the campaign renamed on 15 June
    _w(root, "tiktok_ads/advertiser/a.csv", ["id", "name", "currency", "timezone", "_fivetran_synced"],
       [["T1", "Acme TT", "EUR", "Europe/Berlin", SYNCED]])
    _w(root, "tiktok_ads/campaign_history/c.csv",
       ["campaign_id", "updated_at", "advertiser_id", "campaign_name", "_fivetran_synced"],
       [["TC1", "2026-06-01 00:00:00", "T1", "Summer Old", SYNCED], ["TC1", "2026-06-15 00:00:00", "T1", "Summer New", SYNCED]])
    _w(root, "tiktok_ads/adgroup_history/g.csv",
       ["adgroup_id", "updated_at", "advertiser_id", "campaign_id", "adgroup_name", "placements", "_fivetran_synced"],
       [["TG1", "2026-06-01 00:00:00", "T1", "TC1", "TT group", '["PLACEMENT_TIKTOK"]', SYNCED]])
    _w(root, "tiktok_ads/ad_history/ad.csv",
       ["ad_id", "updated_at", "advertiser_id", "adgroup_id", "campaign_id", "ad_name", "landing_page_url",
        "operation_status", "_fivetran_synced"],
       [["TA1", "2026-06-01 00:00:00", "T1", "TG1", "TC1", "tt ad", url["TA1"], "ENABLE", SYNCED]])
    hdr = ["AD_ID", "STAT_TIME_HOUR", "SPEND", "IMPRESSIONS", "CLICKS", "CONVERSION", "COMPLETE_PAYMENT",
           "TOTAL_PURCHASE_VALUE", "_FIVETRAN_SYNCED"]
    _w(root, "tiktok_ads/ad_report_hourly/r1.csv", hdr,
       [["TA1", "2026-06-30 22:00:00", "1.00", 10, 1, 1, 1, "10.00", "2026-07-01 03:00:00"],
        ["TA1", "2026-06-30 23:00:00", "2.00", 10, 1, 0, 0, "0", "2026-07-01 03:00:00"],
        ["TA1", "2026-07-01 00:00:00", "4.00", 10, 1, 0, 0, "0", "2026-07-01 03:00:00"]])
    _w(root, "tiktok_ads/ad_report_hourly/r2.csv", hdr,  # a later sync of 30 June's two hours replaces them
       [["TA1", "2026-06-30 22:00:00", "1.5004", 10, 1, 1, 1, "10.00", "2026-07-03 03:00:00"],
        ["TA1", "2026-06-30 23:00:00", "2.5004", 10, 1, 0, 0, "0", "2026-07-03 03:00:00"]])
    # X: a Los Angeles account, micros, report dated by the local day's start as UTC
    xs = f"{SYNCED} UTC"
    _w(root, "twitter_ads/account_history/a.csv", ["id", "name", "timezone", "deleted", "updated_at", "_fivetran_synced"],
       [["XA1", "Acme X", "America/Los_Angeles", "false", "2026-01-01 00:00:00 UTC", xs]])
    _w(root, "twitter_ads/campaign_history/c.csv", ["id", "account_id", "name", "currency", "deleted", "updated_at", "_fivetran_synced"],
       [["XC1", "XA1", "X Summer", "USD", "false", "2026-06-01 00:00:00 UTC", xs]])
    _w(root, "twitter_ads/line_item_history/l.csv", ["id", "campaign_id", "name", "currency", "deleted", "updated_at", "_fivetran_synced"],
       [["XL1", "XC1", "X li", "USD", "false", "2026-06-01 00:00:00 UTC", xs]])
    _w(root, "twitter_ads/promoted_tweet_history/p.csv",
       ["id", "line_item_id", "tweet_id", "deleted", "entity_status", "updated_at", "_fivetran_synced"],
       [["XP1", "XL1", "XT1", "false", "ACTIVE", "2026-06-01 00:00:00 UTC", xs]])
    _w(root, "twitter_ads/tweet_url/u.csv", ["tweet_id", "index", "url", "expanded_url", "_fivetran_synced"],
       [["XT1", 0, "https://t.co/x", url["XP1"], xs]])
    _w(root, "twitter_ads/promoted_tweet_report/r.csv",
       ["_fivetran_synced", "account_id", "promoted_tweet_id", "date", "placement", "billed_charge_local_micro",
        "impressions", "clicks", "url_clicks", "conversion_purchases_metric", "conversion_purchases_sale_amount"],
       [[SYNCED, "XA1", "XP1", "2026-06-30 07:00:00", "ALL_ON_TWITTER", 1000000, 10, 2, 1, 1, 5000000],
        [SYNCED, "XA1", "XP1", "2026-06-30 07:00:00", "PUBLISHER_NETWORK", 500000, 10, 2, 1, 0, 0],
        [SYNCED, "XA1", "XP1", "2026-07-01 07:00:00", "ALL_ON_TWITTER", 2000000, 10, 2, 1, 0, 0]])
    # Pinterest: a GBP advertiser, micros
    _w(root, "pinterest_ads/advertiser_history/a.csv", ["id", "updated_time", "currency", "name", "_fivetran_synced"],
       [["PA1", "2026-01-01 00:00:00", "GBP", "Acme Pin", SYNCED]])
    _w(root, "pinterest_ads/campaign_history/c.csv", ["id", "advertiser_id", "name", "_fivetran_synced"],
       [["PC1", "PA1", "Pin Summer", SYNCED]])
    _w(root, "pinterest_ads/ad_group_history/g.csv", ["id", "campaign_id", "name", "_fivetran_synced"],
       [["PG1", "PC1", "Pin group", SYNCED]])
    _w(root, "pinterest_ads/pin_promotion_history/p.csv", ["id", "ad_group_id", "name", "destination_url", "_fivetran_synced"],
       [["PP1", "PG1", "pin ad", url["PP1"], SYNCED]])
    _w(root, "pinterest_ads/pin_promotion_report/r.csv",
       ["date", "pin_promotion_id", "ad_group_id", "campaign_id", "advertiser_id", "_fivetran_synced", "impression_1",
        "impression_2", "clickthrough_1", "clickthrough_2", "spend_in_micro_dollar", "total_conversions",
        "total_conversions_value_in_micro_dollar"],
       [["2026-06-30", "PP1", "PG1", "PC1", "PA1", SYNCED, 10, 5, 2, 1, 3000000, 1, 10000000],
        ["2026-07-01", "PP1", "PG1", "PC1", "PA1", SYNCED, 10, 5, 2, 1, 1000000, 0, 0]])
    # Snapchat: a New York account's hours, micros, the UTMs as URL tag rows
    _w(root, "snapchat_ads/ad_account_history/a.csv", ["id", "name", "currency", "timezone", "updated_at", "_fivetran_synced"],
       [["SA1", "Acme Snap", "USD", "America/New_York", "2026-01-01 00:00:00", SYNCED]])
    _w(root, "snapchat_ads/campaign_history/c.csv", ["id", "ad_account_id", "name", "updated_at", "_fivetran_synced"],
       [["SC1", "SA1", "Snap Summer", "2026-06-01 00:00:00", SYNCED]])
    _w(root, "snapchat_ads/ad_squad_history/q.csv", ["id", "campaign_id", "name", "updated_at", "_fivetran_synced"],
       [["SQ1", "SC1", "Snap squad", "2026-06-01 00:00:00", SYNCED]])
    _w(root, "snapchat_ads/ad_history/ad.csv", ["id", "ad_squad_id", "creative_id", "name", "status", "updated_at", "_fivetran_synced"],
       [["SD1", "SQ1", "SCR1", "snap ad", "ACTIVE", "2026-06-01 00:00:00", SYNCED]])
    _w(root, "snapchat_ads/creative_history/cr.csv", ["id", "ad_account_id", "name", "web_view_url", "updated_at", "_fivetran_synced"],
       [["SCR1", "SA1", "snap creative", "https://shop.example.com/p", "2026-06-01 00:00:00", SYNCED]])
    _w(root, "snapchat_ads/creative_url_tag_history/t.csv", ["creative_id", "key", "value", "updated_at", "_fivetran_synced"],
       [["SCR1", k, v, "2026-06-01 00:00:00", SYNCED] for k, v in
        [("utm_source", "snapchat"), ("utm_medium", "paid_social"), ("utm_campaign", "snap_summer"), ("utm_content", "SD1")]])
    _w(root, "snapchat_ads/ad_hourly_report/r.csv",
       ["ad_id", "date", "impressions", "spend", "swipes", "conversion_purchases", "conversion_purchases_value", "_fivetran_synced"],
       [["SD1", "2026-06-30 23:00:00.000", 10, 1000000, 1, 1, 7000000, SYNCED],
        ["SD1", "2026-07-01 00:00:00.000", 10, 2000000, 1, 0, 0, SYNCED]])
    # LinkedIn: a EUR account, UTC days
    _w(root, "linkedin_ads/account_history/a.csv", ["id", "last_modified_time", "name", "currency", "version_tag", "_fivetran_synced"],
       [["LA1", "2026-01-01 00:00:00", "Acme LI", "EUR", 1, SYNCED]])
    _w(root, "linkedin_ads/campaign_group_history/g.csv", ["id", "last_modified_time", "account_id", "name", "_fivetran_synced"],
       [["LG1", "2026-06-01 00:00:00", "LA1", "LI Summer", SYNCED]])
    _w(root, "linkedin_ads/campaign_history/c.csv",
       ["id", "last_modified_time", "account_id", "campaign_group_id", "name", "version_tag", "_fivetran_synced"],
       [["LC1", "2026-06-01 00:00:00", "LA1", "LG1", "LI campaign", 1, SYNCED]])
    _w(root, "linkedin_ads/creative_history/cr.csv",
       ["id", "campaign_id", "name", "click_uri", "last_modified_at", "created_time", "_fivetran_synced"],
       [["LCR1", "LC1", "li ad", url["LCR1"], "2026-06-01 00:00:00", "2026-06-01 00:00:00", SYNCED]])
    _w(root, "linkedin_ads/ad_analytics_by_creative/r.csv",
       ["creative_id", "day", "cost_in_local_currency", "cost_in_usd", "impressions", "clicks", "landing_page_clicks",
        "external_website_conversions", "conversion_value_in_local_currency", "_fivetran_synced"],
       [["LCR1", "2026-06-29", "0.0004", "", 10, 0, 0, 0, "0", SYNCED],
        ["LCR1", "2026-06-30", "10.0004", "12.50", 10, 2, 1, 1, "8.00", SYNCED],
        ["LCR1", "2026-07-01", "10.00", "20.00", 10, 2, 1, 0, "0", SYNCED]])
    # one June order per network, its only touch a click on the network's ad
    orders, sessions = [], []
    for i, (src, camp, ad, gross) in enumerate(NETWORKS):
        orders.append([f"O{i + 1}", f"2026-06-2{i}T12:00:00Z", "USD", f"{gross}.00", f"c{i}"])
        sessions.append([f"s{i}", f"u{i}", f"2026-06-2{i}T11:00:00Z", f"c{i}", _url(src, camp, ad), src, "paid_social",
                         camp, ad, f"O{i + 1}"])
    _w(root, "generic/orders/o.csv", ["order_id", "created_at", "currency", "gross_sales", "customer_id"], orders)
    _w(root, "generic/sessions/s.csv", ["session_id", "user_id", "started_at", "customer_id", "landing_url", "utm_source",
                                        "utm_medium", "utm_campaign", "utm_content", "order_id"], sessions)


def _query(s, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(s.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("ad-networks")
    with project(root, order_source="generic", expected_sources="fx") as s:
        land(s.landing)
        # the re-export is the newer file by its sync time; its file time says so too
        later = dt.datetime(2026, 7, 3, 4).timestamp()
        os.utime(s.landing / "tiktok_ads/ad_report_hourly/r2.csv", (later, later))
        result = tasks.ingest(s)
        assert result["quarantined"] == 0, result
        tasks.build(None, s)
        yield s


SPEND = {  # (platform, month) -> spend in USD
    ("tiktok", JUNE): D("5.00"), ("tiktok", JULY): D("8.00"), ("x", JUNE): D("1.50"), ("x", JULY): D("2.00"),
    ("pinterest", JUNE): D("6.00"), ("pinterest", JULY): D("2.00"), ("snapchat", JUNE): D("1.00"),
    ("snapchat", JULY): D("2.00"), ("linkedin", JUNE): D("12.50"), ("linkedin", JULY): D("20.00"),
}
REVENUE = {"tiktok": D(100), "x": D(50), "pinterest": D(40), "snapchat": D(30), "linkedin": D(20)}
CAMPAIGN = {"tiktok": "tt_summer", "x": "x_summer", "pinterest": "pin_summer", "snapchat": "snap_summer",
            "linkedin": "li_summer"}
AD = {"tiktok": "TA1", "x": "XP1", "pinterest": "PP1", "snapchat": "SD1", "linkedin": "LCR1"}
CLAIMED = {"tiktok": D("12.50"), "x": D("5.00"), "pinterest": D("20.00"), "snapchat": D("7.00"), "linkedin": D("10.00")}


@pytest.mark.parametrize("mart", ["mart_attribution_channel_monthly", "mart_attribution_campaign_monthly",
                                  "mart_attribution_ad_monthly"])
def test_spend_revenue_and_roas_per_network_in_every_model(built, mart):
    extra = {"mart_attribution_campaign_monthly": ", campaign_key", "mart_attribution_ad_monthly": ", ad_id"}.get(mart, "")
    rows = _query(built, f"select month, model, platform, attributed_revenue, spend, roas{extra} from marts.{mart} "
                         "where platform in ('tiktok', 'x', 'pinterest', 'snapchat', 'linkedin')")
    models = {r[1] for r in rows}
    assert len(models) == 9
    got = {(r[0], r[1], r[2]): r[3:] for r in rows}
    assert len(got) == len(rows)  # one row per network: spend and revenue meet on the ad's campaign and ad
    for (platform, month), spend in SPEND.items():
        revenue = REVENUE[platform] if month == JUNE else D(0)
        for model in models:
            revenue_got, spend_got, roas, *key = got[(month, model, platform)]
            assert (revenue_got, spend_got) == (revenue, spend), (mart, platform, month, model)
            assert roas == pytest.approx(float(revenue / spend))
            if key:
                assert key[0] == (CAMPAIGN if "campaign" in mart else AD)[platform]


def test_platform_claims_per_network(built):
    rows = _query(built, "select month, platform, claimed_revenue, spend, claimed_conversions, attributed_revenue "
                         "from marts.mart_platform_claims_monthly where model = 'linear' and month = ?", [JUNE])
    got = {r[1]: r[2:] for r in rows}
    for platform, claimed in CLAIMED.items():
        assert got[platform] == (claimed, SPEND[(platform, JUNE)], 1.0, REVENUE[platform]), platform


def test_renamed_campaign_is_named_by_its_latest_version(built):
    assert _query(built, "select distinct campaign_name from intermediate.int_ad_stats_unioned "
                         "where platform = 'tiktok'") == [("Summer New",)]


def test_the_month_passes_the_gate(built):
    result = gate.run_gate(built, JUNE)
    failed = [c["check"] + ": " + c["message"] for c in result["checks"] if not c["success"]]
    assert not failed, failed


def test_spend_of_an_ad_whose_account_is_unknown_is_named_by_network_and_ad(built, tmp_path):
    """A report row of an ad whose history rows have not landed has no account, so no currency: the gate named
    it 'spend days in None have no None rate; land the rates in fx/rates/', pointing at the wrong file."""
    import dataclasses
    import shutil

    wh = tmp_path / "wh.duckdb"
    shutil.copy(built.warehouse, wh)
    con = duckdb.connect(str(wh))
    try:  # TikTok's TA2 and LinkedIn's LCR9 have stats but no ad or creative history (yet)
        for platform, ad in [("tiktok", "TA2"), ("linkedin", "LCR9")]:
            con.execute("""
                insert into intermediate.int_ad_spend_daily (date, platform, ad_id, spend, month)
                values (date '2026-06-29', ?, ?, 3.000, '2026-06')""", [platform, ad])
    finally:
        con.close()
    result = gate.run_gate(dataclasses.replace(built, warehouse=wh), JUNE)
    fx = next(c for c in result["checks"] if c["check"] == "fx_coverage")
    assert not fx["success"]
    assert "None" not in fx["message"], fx["message"]
    assert "tiktok" in fx["message"] and "TA2" in fx["message"] and "tiktok_ads/ad_history" in fx["message"]
    assert "linkedin" in fx["message"] and "LCR9" in fx["message"] and "linkedin_ads/creative_history" in fx["message"]
    assert "2026-06-29" in fx["message"]
