"""Write the other ad networks' connector tables: LinkedIn, X, TikTok, Pinterest, Snapchat.

Each network's tables and columns are those its ingest contract (`socialroi/contracts/<source>.yml`) and
staging model read, in the connector's own conventions as its reference fixtures show them (units of
money, time formats, header case). Only formatting happens here: the stats, claims and clicks were
decided in `world.py`. Entity (history) tables are re-exported every month with a later `_fivetran_synced`;
report rows are synced the day after their day.
"""

from __future__ import annotations

import hashlib

from socialroi.simulate import _catalog as cat
from socialroi.simulate._common import (
    DAY,
    HOUR,
    SHOP_URL,
    TzOffsets,
    day_str,
    money,
    month_label,
    month_of_day,
    month_start_ts,
    ts_str,
)
from socialroi.simulate.world import PlatformAdDay, World
from socialroi.simulate.writers import Landing, _synced, platform_ad_url

MICROS_PER_CENT = 10_000


# ---------------------------------------------------------------- shared helpers


def _ms(ts: int, millis: int = 0) -> str:
    return f"{ts_str(ts)}.{millis % 1000:03d}"


def _micros(cents: int) -> int:
    return int(cents) * MICROS_PER_CENT


def _local_midnight(tz: TzOffsets, day: int) -> int:
    """The UTC instant of 00:00 local time on `day` (days since epoch)."""
    wall = day * DAY
    return wall - tz.offset_of(wall - tz.offset_of(wall))


def _report_synced(day: int, k: int) -> int:
    """A daily report row is synced the next day, early in the morning (UTC)."""
    return (day + 1) * DAY + 2 * HOUR + 61 * k


class _Cast:
    """One network's slice of the catalog, with the indices the world uses."""

    def __init__(self, platform: str):
        self.platform = platform
        self.accounts = [(k, a) for k, a in enumerate(cat.PLATFORM_ACCOUNTS) if a.platform == platform]
        keys = {k for k, _ in self.accounts}
        self.campaigns = [(k, c) for k, c in enumerate(cat.PLATFORM_CAMPAIGNS) if c.account in keys]
        ckeys = {k for k, _ in self.campaigns}
        self.groups = [(k, g) for k, g in enumerate(cat.PLATFORM_AD_GROUPS) if g.campaign in ckeys]
        gkeys = {k for k, _ in self.groups}
        self.ads = [(k, a) for k, a in enumerate(cat.PLATFORM_ADS) if a.ad_group in gkeys]
        self.ad_keys = {k for k, _ in self.ads}

    def days(self, world: World, mi: int) -> list[PlatformAdDay]:
        return [r for r in world.platform_ad_days if r.ad in self.ad_keys and int(month_of_day(r.day)) == mi]


def _created(world: World) -> int:
    return world.span_lo - cat.ENTITIES_CREATED_DAYS_BEFORE_SPAN * DAY


def _pause_ts(world: World, i: int) -> int | None:
    """When platform ad i was paused (UTC), or None."""
    day = world.platform_pause_day.get(i)
    if day is None:
        return None
    ad = cat.PLATFORM_ADS[i]
    return _local_midnight(world.platform_tz[cat.platform_account_index(ad)], day)


def _short(text: str, n: int = 10) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:n]


# ---------------------------------------------------------------- LinkedIn Ads

LI_ACCOUNT_HEADER = ["id", "last_modified_time", "created_time", "name", "currency", "version_tag",
                     "_fivetran_synced"]
LI_CAMPAIGN_GROUP_HEADER = ["id", "last_modified_time", "account_id", "created_time", "name", "status",
                            "_fivetran_synced"]
LI_CAMPAIGN_HEADER = ["id", "last_modified_time", "account_id", "campaign_group_id", "created_time", "name",
                      "status", "version_tag", "_fivetran_synced"]
LI_CREATIVE_HEADER = ["id", "campaign_id", "name", "intended_status", "click_uri", "last_modified_at",
                      "created_time", "_fivetran_synced"]
LI_ANALYTICS_HEADER = ["creative_id", "day", "clicks", "landing_page_clicks", "impressions", "cost_in_local_currency",
                       "cost_in_usd", "external_website_conversions", "conversion_value_in_local_currency",
                       "_fivetran_synced"]


def write_linkedin(world: World, out: Landing) -> None:
    """`linkedin_ads/`: campaign group / campaign / creative = campaign / ad group / ad; UTC days; cost in
    the account's currency (`cost_in_local_currency`, and `cost_in_usd`); clicks of any kind in `clicks`,
    link clicks in `landing_page_clicks`."""
    c = _Cast("linkedin")
    created = _created(world)
    src = "linkedin_ads"
    for mi in world.month_idx:
        name = f"{month_label(mi)}.csv"
        as_of = month_start_ts(mi + 1)
        out.write(src, "account_history", name, LI_ACCOUNT_HEADER, [
            [a.id, _ms(created - 300 * DAY + 5 * HOUR, 398), ts_str(created - 400 * DAY), a.name, a.currency, 3,
             _ms(as_of + 3 * HOUR, 11)] for _, a in c.accounts])
        out.write(src, "campaign_group_history", name, LI_CAMPAIGN_GROUP_HEADER, [
            [g.id, _ms(created + HOUR, 720), cat.PLATFORM_ACCOUNTS[g.account].id, ts_str(created), g.name, "ACTIVE",
             _ms(as_of + 3 * HOUR + 40, 12)] for _, g in c.campaigns])
        out.write(src, "campaign_history", name, LI_CAMPAIGN_HEADER, [
            [g.id, _ms(created + 2 * HOUR, 393), cat.PLATFORM_ACCOUNTS[cat.PLATFORM_CAMPAIGNS[g.campaign].account].id,
             cat.PLATFORM_CAMPAIGNS[g.campaign].id, ts_str(created + HOUR), g.name, "ACTIVE", 2,
             _ms(as_of + 3 * HOUR + 80, 13)] for _, g in c.groups])
        out.write(src, "creative_history", name, LI_CREATIVE_HEADER, [
            [ad.id, cat.PLATFORM_AD_GROUPS[ad.ad_group].id, ad.name, "ACTIVE", platform_ad_url(ad),
             _ms(created + 3 * HOUR, 205), ts_str(created + 2 * HOUR), _ms(as_of + 3 * HOUR + 120, 14)]
            for _, ad in c.ads])
        rows = []
        for r in c.days(world, mi):
            ad = cat.PLATFORM_ADS[r.ad]
            usd = money(r.spend) if cat.platform_account(ad).currency == "USD" else ""
            rows.append([ad.id, f"{day_str(r.day)} 00:00:00", r.all_clicks, r.clicks, r.impressions, money(r.spend),
                         usd, r.conversions, money(r.value), _ms(_report_synced(r.day, r.ad), 40 + r.ad)])
        out.write(src, "ad_analytics_by_creative", name, LI_ANALYTICS_HEADER, rows)


# ---------------------------------------------------------------- X (Twitter) Ads

X_ACCOUNT_HEADER = ["_fivetran_synced", "approval_status", "created_at", "deleted", "id", "name", "timezone",
                    "updated_at"]
X_CAMPAIGN_HEADER = ["_fivetran_synced", "account_id", "created_at", "currency", "daily_budget_amount_local_micro",
                     "deleted", "entity_status", "id", "name", "servable", "standard_delivery", "start_time",
                     "updated_at"]
X_LINE_ITEM_HEADER = ["_fivetran_synced", "bid_amount_local_micro", "bid_type", "campaign_id", "charge_by",
                      "created_at", "currency", "deleted", "entity_status", "id", "name", "objective", "product_type",
                      "updated_at"]
X_PROMOTED_TWEET_HEADER = ["_fivetran_synced", "approval_status", "created_at", "deleted", "entity_status", "id",
                           "line_item_id", "tweet_id", "updated_at"]
X_TWEET_URL_HEADER = ["_fivetran_synced", "display_url", "expanded_url", "index", "indices", "tweet_id", "url"]
X_REPORT_HEADER = ["_fivetran_synced", "account_id", "billed_charge_local_micro", "clicks", "date", "impressions",
                   "promoted_tweet_id", "url_clicks", "placement", "conversion_purchases_metric",
                   "conversion_purchases_sale_amount"]


def _utc(ts: int, millis: int | None = None) -> str:
    """X's connector timestamps: '2020-11-09 14:20:56.976 UTC'."""
    return f"{ts_str(ts) if millis is None else _ms(ts, millis)} UTC"


def write_x(world: World, out: Landing) -> None:
    """`twitter_ads/`: campaign / line item / promoted tweet = campaign / ad group / ad; money in micros of
    the account currency; a report row per promoted tweet, local day and placement, dated the start of the
    account-local day as a UTC timestamp; link clicks in `url_clicks`, clicks of any kind in `clicks`."""
    c = _Cast("x")
    created = _created(world)
    src = "twitter_ads"
    for mi in world.month_idx:
        name = f"{month_label(mi)}.csv"
        as_of = month_start_ts(mi + 1)
        out.write(src, "account_history", name, X_ACCOUNT_HEADER, [
            [_utc(as_of + 3 * HOUR, 976), "ACCEPTED", _utc(created - 500 * DAY), "false", a.id, a.name, a.timezone,
             _utc(created - 100 * DAY)] for _, a in c.accounts])
        out.write(src, "campaign_history", name, X_CAMPAIGN_HEADER, [
            [_utc(as_of + 3 * HOUR + 60, 911), cat.PLATFORM_ACCOUNTS[g.account].id, _utc(created),
             cat.PLATFORM_ACCOUNTS[g.account].currency, 50_000_000, "false", "ACTIVE", g.id, g.name, "true", "true",
             _utc(created), _utc(created + HOUR)] for _, g in c.campaigns])
        out.write(src, "line_item_history", name, X_LINE_ITEM_HEADER, [
            [_utc(as_of + 3 * HOUR + 90, 556), 1_500_000, "AUTO", cat.PLATFORM_CAMPAIGNS[g.campaign].id, "LINK_CLICK",
             _utc(created + HOUR),
             cat.PLATFORM_ACCOUNTS[cat.PLATFORM_CAMPAIGNS[g.campaign].account].currency, "false", "ACTIVE", g.id,
             g.name, cat.PLATFORM_CAMPAIGNS[g.campaign].objective, "PROMOTED_TWEETS", _utc(created + 2 * HOUR)]
            for _, g in c.groups])
        out.write(src, "promoted_tweet_history", name, X_PROMOTED_TWEET_HEADER, [
            [_utc(as_of + 3 * HOUR + 120, 91), "ACCEPTED", _utc(created + 2 * HOUR), "false", "ACTIVE", ad.id,
             cat.PLATFORM_AD_GROUPS[ad.ad_group].id, ad.creative_id, _utc(created + 3 * HOUR)] for _, ad in c.ads])
        tweet_rows = []
        for _, ad in c.ads:
            url = platform_ad_url(ad)
            display = url.split("://", 1)[1]
            display = display if len(display) <= 26 else display[:25] + "\N{HORIZONTAL ELLIPSIS}"
            tweet_rows.append([_utc(as_of + 3 * HOUR + 150, 940), display, url, 0, "[0,23]", ad.creative_id,
                               f"https://t.co/{_short(ad.creative_id)}"])
        out.write(src, "tweet_url", name, X_TWEET_URL_HEADER, tweet_rows)
        rows = []
        for r in c.days(world, mi):
            ad = cat.PLATFORM_ADS[r.ad]
            k = cat.platform_account_index(ad)
            start = ts_str(_local_midnight(world.platform_tz[k], r.day))
            for p in r.parts:
                rows.append([_ms(_report_synced(r.day, r.ad), 40 + r.ad), cat.PLATFORM_ACCOUNTS[k].id,
                             _micros(p.spend), p.all_clicks, start, p.impressions, ad.id, p.clicks, p.key,
                             p.conversions, _micros(p.value)])
        out.write(src, "promoted_tweet_report", name, X_REPORT_HEADER, rows)


# ---------------------------------------------------------------- TikTok Ads

TT_ADVERTISER_HEADER = ["id", "name", "country", "currency", "role", "status", "timezone", "create_time", "language",
                        "_fivetran_synced"]
# (the connector's fixture of campaign_history is a copy of ad_history: these are the contract's columns)
TT_CAMPAIGN_HEADER = ["campaign_id", "updated_at", "advertiser_id", "campaign_name", "operation_status", "create_time",
                      "_fivetran_synced"]
TT_ADGROUP_HEADER = ["adgroup_id", "updated_at", "advertiser_id", "campaign_id", "create_time", "adgroup_name",
                     "placement_type", "optimization_event", "billing_event", "operation_status", "placements",
                     "_fivetran_synced"]
TT_AD_HEADER = ["ad_id", "updated_at", "advertiser_id", "adgroup_id", "campaign_id", "create_time", "ad_name",
                "call_to_action", "operation_status", "ad_text", "landing_page_url", "display_name",
                "_fivetran_synced"]
# upper case, as the connector's reference export has it
TT_REPORT_HEADER = ["AD_ID", "STAT_TIME_HOUR", "IMPRESSIONS", "CLICKS", "SPEND", "CONVERSION", "COMPLETE_PAYMENT",
                    "TOTAL_PURCHASE_VALUE", "_FIVETRAN_SYNCED"]


def write_tiktok(world: World, out: Landing) -> None:
    """`tiktok_ads/`: hourly rows in the advertiser's time zone, money in the advertiser's currency (decimal);
    an ad paused during the span gets a second history version (operation_status DISABLE)."""
    c = _Cast("tiktok")
    created = _created(world)
    src = "tiktok_ads"
    for mi in world.month_idx:
        name = f"{month_label(mi)}.csv"
        as_of = month_start_ts(mi + 1)
        out.write(src, "advertiser", name, TT_ADVERTISER_HEADER, [
            [a.id, a.name, a.country, a.currency, "ROLE_ADVERTISER", "STATUS_ENABLE", a.timezone,
             _ms(created - 200 * DAY), "en", _ms(as_of + 3 * HOUR, 938)] for _, a in c.accounts])
        out.write(src, "campaign_history", name, TT_CAMPAIGN_HEADER, [
            [g.id, _ms(created + HOUR), cat.PLATFORM_ACCOUNTS[g.account].id, g.name, "ENABLE", _ms(created),
             _ms(as_of + 3 * HOUR + 30, 641)] for _, g in c.campaigns])
        out.write(src, "adgroup_history", name, TT_ADGROUP_HEADER, [
            [g.id, _ms(created + 2 * HOUR), cat.PLATFORM_ACCOUNTS[cat.PLATFORM_CAMPAIGNS[g.campaign].account].id,
             cat.PLATFORM_CAMPAIGNS[g.campaign].id, _ms(created + HOUR), g.name, "PLACEMENT_TYPE_NORMAL",
             "SHOPPING", "OCPM", "ENABLE", "[ " + ", ".join(f'"{p}"' for p in g.placements) + " ]",
             _ms(as_of + 3 * HOUR + 60, 652)] for _, g in c.groups])
        ad_rows = []
        for i, ad in c.ads:
            g = cat.PLATFORM_AD_GROUPS[ad.ad_group]
            versions = [(created + 3 * HOUR, "ENABLE")]
            paused = _pause_ts(world, i)
            if paused is not None and paused < as_of:
                versions.append((paused, "DISABLE"))
            for updated, status in versions:
                ad_rows.append([ad.id, _ms(updated), cat.platform_account(ad).id, g.id,
                                cat.PLATFORM_CAMPAIGNS[g.campaign].id, _ms(created + 2 * HOUR), ad.name, "SHOP_NOW",
                                status, f"{ad.name} \N{HOT BEVERAGE}", platform_ad_url(ad), "Acme",
                                _ms(as_of + 3 * HOUR + 90, 797)])
        out.write(src, "ad_history", name, TT_AD_HEADER, ad_rows)
        rows = []
        for r in c.days(world, mi):
            ad = cat.PLATFORM_ADS[r.ad]
            synced = _ms(_report_synced(r.day, r.ad), 862)
            for p in r.parts:
                rows.append([ad.id, f"{day_str(r.day)} {p.key:02d}:00:00", p.impressions, p.clicks, money(p.spend),
                             p.conversions, p.conversions, money(p.value), synced])
        out.write(src, "ad_report_hourly", name, TT_REPORT_HEADER, rows)


# ---------------------------------------------------------------- Pinterest Ads

PIN_ADVERTISER_HEADER = ["id", "updated_time", "_fivetran_synced", "billing_type", "country", "created_time",
                         "currency", "name", "status"]
PIN_CAMPAIGN_HEADER = ["id", "created_time", "name", "status", "_fivetran_synced", "advertiser_id",
                       "is_campaign_budget_optimization"]
PIN_AD_GROUP_HEADER = ["id", "campaign_id", "created_time", "name", "status", "start_time", "_fivetran_synced",
                       "pacing_delivery_type", "placement_group", "summary_status", "ad_account_id"]
PIN_PROMOTION_HEADER = ["id", "ad_group_id", "created_time", "destination_url", "name", "pin_id", "status",
                        "creative_type", "_fivetran_synced", "ad_account_id"]
PIN_REPORT_HEADER = ["date", "pin_promotion_id", "ad_group_id", "campaign_id", "advertiser_id", "_fivetran_synced",
                     "impression_1", "impression_2", "clickthrough_1", "clickthrough_2", "spend_in_micro_dollar",
                     "total_conversions", "total_conversions_quantity", "total_conversions_value_in_micro_dollar"]


def _pin_ts(ts: int) -> str:
    """Pinterest's connector timestamps: '2023-05-26 09:00:00.000 +0000'."""
    return f"{_ms(ts)} +0000"


def write_pinterest(world: World, out: Landing) -> None:
    """`pinterest_ads/`: promoted pins' daily rows in the advertiser's days; money in micros of the
    advertiser's currency (GBP here) despite the `_micro_dollar` column names; paid (_1) and earned (_2)
    impressions and clicks."""
    c = _Cast("pinterest")
    created = _created(world)
    src = "pinterest_ads"
    for mi in world.month_idx:
        name = f"{month_label(mi)}.csv"
        as_of = month_start_ts(mi + 1)
        synced = _pin_ts(as_of + 3 * HOUR + 11 * 60)
        out.write(src, "advertiser_history", name, PIN_ADVERTISER_HEADER, [
            [a.id, ts_str(created - 30 * DAY), ts_str(as_of + 3 * HOUR + 11 * 60), "CASH_MONEY", a.country,
             ts_str(created - 60 * DAY), a.currency, a.name, "ACTIVE"] for _, a in c.accounts])
        out.write(src, "campaign_history", name, PIN_CAMPAIGN_HEADER, [
            [g.id, _pin_ts(created), g.name, "ACTIVE", synced, cat.PLATFORM_ACCOUNTS[g.account].id, "False"]
            for _, g in c.campaigns])
        out.write(src, "ad_group_history", name, PIN_AD_GROUP_HEADER, [
            [g.id, cat.PLATFORM_CAMPAIGNS[g.campaign].id, _pin_ts(created + HOUR), g.name, "ACTIVE",
             _pin_ts(created + DAY), synced, "STANDARD", "ALL", "RUNNING",
             cat.PLATFORM_ACCOUNTS[cat.PLATFORM_CAMPAIGNS[g.campaign].account].id] for _, g in c.groups])
        out.write(src, "pin_promotion_history", name, PIN_PROMOTION_HEADER, [
            [ad.id, cat.PLATFORM_AD_GROUPS[ad.ad_group].id, _pin_ts(created + 2 * HOUR), platform_ad_url(ad), ad.name,
             str(848506386032200000 + int(ad.id) % 100_000), "ACTIVE", "REGULAR", synced, cat.platform_account(ad).id]
            for _, ad in c.ads])
        rows = []
        for r in c.days(world, mi):
            ad = cat.PLATFORM_ADS[r.ad]
            g = cat.PLATFORM_AD_GROUPS[ad.ad_group]
            rows.append([day_str(r.day), ad.id, g.id, cat.PLATFORM_CAMPAIGNS[g.campaign].id, cat.platform_account(ad).id,
                         ts_str(_report_synced(r.day, r.ad)), r.impressions - r.earned_impressions,
                         r.earned_impressions, r.clicks - r.earned_clicks, r.earned_clicks, _micros(r.spend),
                         r.conversions, r.conversions, _micros(r.value)])
        out.write(src, "pin_promotion_report", name, PIN_REPORT_HEADER, rows)


# ---------------------------------------------------------------- Snapchat Ads

SC_ACCOUNT_HEADER = ["id", "name", "currency", "timezone", "updated_at", "_fivetran_synced"]
SC_CAMPAIGN_HEADER = ["id", "ad_account_id", "name", "updated_at", "_fivetran_synced"]
SC_AD_SQUAD_HEADER = ["id", "campaign_id", "name", "updated_at", "_fivetran_synced"]
SC_AD_HEADER = ["id", "ad_squad_id", "creative_id", "name", "status", "updated_at", "_fivetran_synced"]
SC_CREATIVE_HEADER = ["id", "ad_account_id", "name", "web_view_url", "updated_at", "_fivetran_synced"]
SC_URL_TAG_HEADER = ["creative_id", "key", "value", "updated_at", "_fivetran_synced"]
SC_REPORT_HEADER = ["ad_id", "date", "impressions", "spend", "swipes", "conversion_purchases",
                    "conversion_purchases_value", "_fivetran_synced"]


def write_snapchat(world: World, out: Landing) -> None:
    """`snapchat_ads/`: hourly rows in the ad account's time zone; spend and purchase value in micros; a
    creative's UTMs either as `creative_url_tag_history` rows or in its web view URL."""
    c = _Cast("snapchat")
    created = _created(world)
    src = "snapchat_ads"
    for mi in world.month_idx:
        name = f"{month_label(mi)}.csv"
        as_of = month_start_ts(mi + 1)

        def synced(k: int, as_of: int = as_of) -> str:
            return _synced(as_of, 20 + k)

        out.write(src, "ad_account_history", name, SC_ACCOUNT_HEADER, [
            [a.id, a.name, a.currency, a.timezone, _ms(created - 50 * DAY, 479), synced(0)]
            for _, a in c.accounts])
        out.write(src, "campaign_history", name, SC_CAMPAIGN_HEADER, [
            [g.id, cat.PLATFORM_ACCOUNTS[g.account].id, g.name, _ms(created, 358), synced(1)]
            for _, g in c.campaigns])
        out.write(src, "ad_squad_history", name, SC_AD_SQUAD_HEADER, [
            [g.id, cat.PLATFORM_CAMPAIGNS[g.campaign].id, g.name, _ms(created + HOUR, 677), synced(2)]
            for _, g in c.groups])
        out.write(src, "ad_history", name, SC_AD_HEADER, [
            [ad.id, cat.PLATFORM_AD_GROUPS[ad.ad_group].id, ad.creative_id, ad.name, "ACTIVE",
             _ms(created + 2 * HOUR, 730), synced(3)] for _, ad in c.ads])
        out.write(src, "creative_history", name, SC_CREATIVE_HEADER, [
            [ad.creative_id, cat.platform_account(ad).id, f"{ad.name} creative",
             SHOP_URL + ad.path if ad.tags_as_rows else platform_ad_url(ad), _ms(created + 2 * HOUR, 737), synced(4)]
            for _, ad in c.ads])
        out.write(src, "creative_url_tag_history", name, SC_URL_TAG_HEADER, [
            [ad.creative_id, key, value, _ms(created + 2 * HOUR, 737), synced(5)]
            for _, ad in c.ads if ad.tags_as_rows for key, value in cat.platform_ad_utms(ad)])
        rows = []
        for r in c.days(world, mi):
            ad = cat.PLATFORM_ADS[r.ad]
            synced_r = _ms(_report_synced(r.day, r.ad), 182)
            for p in r.parts:
                rows.append([ad.id, f"{day_str(r.day)} {p.key:02d}:00:00.000", p.impressions, _micros(p.spend),
                             p.clicks, p.conversions, _micros(p.value), synced_r])
        out.write(src, "ad_hourly_report", name, SC_REPORT_HEADER, rows)


WRITERS = {"linkedin": write_linkedin, "x": write_x, "tiktok": write_tiktok, "pinterest": write_pinterest,
           "snapchat": write_snapchat}