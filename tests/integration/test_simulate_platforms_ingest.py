"""One simulated month of every ad network (Meta, LinkedIn, X, TikTok, Pinterest, Snapchat) through the real
ingest and dbt: the unified ad stats equal the simulator's ground truth per platform and account (rows,
spend to the cent, clicks, impressions, claims; spend in the reporting currency per ad-day), and the
sessions from each network's ads are Paid Social touchpoints of that platform, tied to ads that have stats.
"""

from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal

import pytest
from project_env import project
from project_env import query as _query

from socialroi.build import run_dbt
from socialroi.ingest import ingest_all
from socialroi.simulate import AD_PLATFORMS, simulate

MONTH = "2026-03"  # US and UK DST changes fall in it
REPORTING = "EUR"  # so that every account's spend, USD and GBP alike, is converted


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with project(tmp_path_factory.mktemp("simulated-platforms"), reporting_currency=REPORTING) as settings:
        summary = simulate(settings.landing, MONTH, 1, seed=5, reporting_currency=REPORTING)
        result = ingest_all(settings)
        run_dbt(settings, ["build", "--select", "+int_ad_stats_unioned", "+int_ad_spend_daily", "+int_touchpoints"])
        yield settings, summary, result


def test_every_simulated_file_loads(built):
    _, summary, result = built
    assert result["quarantined_files"] == []
    assert result["loaded"] == len(summary.files)
    assert {f.split("/")[0] for f in summary.files} >= {"facebook_ads", "linkedin_ads", "twitter_ads", "tiktok_ads",
                                                       "pinterest_ads", "snapchat_ads"}


def test_ad_stats_per_platform_and_account_equal_the_ground_truth(built):
    settings, summary, _ = built
    rows = _query(settings, """
        select platform, account_id, min(currency), max(currency), count(*), sum(spend), sum(clicks),
               sum(impressions), sum(platform_conversions), sum(platform_conversion_value),
               min(strftime(date, '%Y-%m')), max(strftime(date, '%Y-%m'))
        from intermediate.int_ad_stats_unioned group by platform, account_id""")
    got = {(r[0], r[1]): r[2:] for r in rows}
    truth = summary.spend[MONTH]
    assert {(a.platform, a.account_id) for a in truth.values()} == set(got)
    assert {p for p, _ in got} == set(AD_PLATFORMS)
    for a in truth.values():
        lo_cur, hi_cur, n, spend, clicks, impressions, conversions, value, first, last = got[(a.platform, a.account_id)]
        assert (lo_cur, hi_cur) == (a.currency, a.currency), a.platform
        assert (first, last) == (MONTH, MONTH), a.platform
        assert n == a.ad_days, a.platform
        assert spend == a.spend, a.platform  # DECIMAL: exact, to the cent
        assert clicks == a.link_clicks, a.platform
        assert impressions == a.impressions, a.platform
        assert Decimal(conversions) == a.claimed_purchases, a.platform
        assert value == a.claimed_purchase_value, a.platform
    assert {a.currency for a in truth.values()} == {"USD", "EUR", "GBP"}


def test_spend_in_the_reporting_currency_per_platform(built):
    settings, summary, _ = built
    got = dict(_query(settings, "select platform, sum(spend_reporting) from intermediate.int_ad_spend_daily "
                                "where month = ? group by platform", [MONTH]))
    for platform in AD_PLATFORMS:
        want = summary.spend_reporting(MONTH, REPORTING, platform=platform)
        assert got[platform] == want > 0, platform


def test_ads_carry_their_utms(built):
    settings, _, _ = built
    rows = _query(settings, """
        select platform, ad_id, utm_source, utm_medium, utm_campaign, utm_content, campaign_name
        from intermediate.int_ad_stats_unioned where platform <> 'meta' group by all""")
    assert {r[0] for r in rows} == set(AD_PLATFORMS) - {"meta"}
    for platform, ad_id, source, medium, campaign, content, campaign_name in rows:
        assert content == ad_id, platform
        assert campaign == campaign_name, platform
        assert source and medium, platform


def test_sessions_from_each_networks_ads_are_paid_social_of_that_platform(built):
    settings, summary, _ = built
    touch = _query(settings, """
        select platform, count(*), count(ad_id) from intermediate.int_touchpoints
        where channel_group = 'Paid Social' group by platform""")
    counts = {p: (n, with_ad) for p, n, with_ad in touch}
    for platform in AD_PLATFORMS:
        n, with_ad = counts.get(platform, (0, 0))
        assert n == summary.counts[MONTH][f"ad_sessions_{platform}"] > 0, platform
        assert with_ad == n, platform
    # session by session: each simulated session whose utm_content is a network's ad id is a touchpoint of
    # that platform, with that ad; and every paid-social ad id has stats
    ads = dict(_query(settings, "select distinct ad_id, platform from intermediate.int_ad_stats_unioned"))
    tps = {s: (g, p, a) for s, g, p, a in _query(
        settings, "select touchpoint_id, channel_group, platform, ad_id from intermediate.int_touchpoints")}
    seen: Counter[str] = Counter()
    for path in sorted((settings.landing / "_archive" / "generic" / "sessions").rglob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for s in csv.DictReader(f):
                platform = ads.get(s["utm_content"])
                if platform is None:
                    continue
                seen[platform] += 1
                assert tps[s["session_id"]] == ("Paid Social", platform, s["utm_content"]), s["session_id"]
    assert {p: seen[p] for p in AD_PLATFORMS} == {p: summary.counts[MONTH][f"ad_sessions_{p}"] for p in AD_PLATFORMS}
    unknown = _query(settings, """
        select platform, ad_id from intermediate.int_touchpoints where channel_group = 'Paid Social'
        and platform <> 'meta' and ad_id not in (select ad_id from intermediate.int_ad_stats_unioned)""")
    assert unknown == []
