"""Simulated sample exports for the demo job and the tests: a small coherent shop, "Acme".

    from socialroi.simulate import simulate
    summary = simulate(Path("data/landing"), "2026-03", months=2)
    summary.net_sales("2026-03")              # Decimal, USD, the contract's definition
    summary.net_sales_reporting("2026-03", "EUR")

`simulate` writes landing files `out/<source>/<table>/<YYYY-MM>.csv` (one file per table per month; entity
tables are re-exported every month with a later `_fivetran_synced`) and returns a `SimulationSummary`, the
generator's own ground truth in `decimal.Decimal` (see `socialroi.simulate.summary` for exactly how net sales
and the conversions are computed). It never deletes anything under `out`.

Determinism: same arguments, byte-identical files. No clock is read: sync times derive from the data's own
dates (a connector sync a few hours after the period end; daily stats synced the next day). Randomness comes
from generators seeded by `seed`.

Folders written (all layouts):

* `fx/rates/` -- date, base (USD), quote (EUR, GBP), rate (6 decimals); weekdays only. The first month's file
  also carries the 7 days before the month, so its first weekend can carry a rate forward.
* `promo_codes/mapping/codes.csv` -- code, channel_group, platform, handle, campaign (mapped codes only; the
  generic codes WELCOME10 and THANKYOU5 are deliberately absent).
* `generic/sessions/` -- the CONTRACTS "Generic feeds" sessions columns; started_at in UTC with `Z`; UTM columns
  agree with landing_url (percent-decoded); order_id on the session that placed the order. Or, the same
  sessions as a tracker's events (`sessions_layout`, see `socialroi.simulate.tracker_writers`): "ga4" --
  `ga4/event/` (Fivetran's GA4 Export table: session_start and page_view with page_location carrying the UTMs
  and click ids, collected_traffic_source_*, purchase with ecommerce_transaction_id = the order id and its
  total as revenue; user_pseudo_id = the visitor's cookie, ga_session_id = the session's start in epoch
  seconds, user_id = the logged-in customer id; files by the property's local month, New York);
  "ga4_bigquery" -- `ga4/events_export/<YYYY-MM>.jsonl` (BigQuery's export, nested event_params, same
  events); "snowplow" -- `snowplow/events/` (atomic events: page views with mkt_* and refr_* fields, a
  transaction event with tr_orderid / tr_total per order; domain_userid per visitor, domain_sessionid per
  session; files by UTC month of collector_tstamp).
* `facebook_pages/{page,post_history,lifetime_post_metrics_total}/`,
  `instagram_business/{user_history,media_history,media_insights}/` -- organic posts of the page `acmeshop`
  and the handles `acme_deals` (coupon codes in captions; stories with UTM links) and `acme_community` (UTM
  links); metrics are lifetime cumulative values snapshotted daily (feed posts for 28 days, stories 2 days).
* `linkedin_pages/{organization,ugc_post_history,post_content,share_statistic}/`,
  `twitter_organic/{account_history,twitter_user_history,tweet,organic_tweet_report}/`,
  `youtube_analytics/{video,channel_basic_a_2}/` -- the LinkedIn page `acme-coffee`, the X handles
  `AcmeDeals` and `AcmeCommunity`, the YouTube channel "Acme Brew Lab" (see `organic_writers`); their
  visits are a share of what would otherwise be direct sessions, so nothing else changes.

`ads_layout="connector"`: `facebook_ads/{account_history,campaign_history,ad_set_history,ad_history,
creative_history,basic_ad,basic_ad_actions,basic_ad_action_values}/` (two accounts: "Acme US" in USD,
America/New_York and "Acme EU" in EUR, Europe/Berlin; daily rows in account-local dates). Purchase claims
(`offsite_conversion.fb_pixel_purchase`, repeated as `omni_purchase` exactly as Meta reports it: summing both
double counts) are over-claims: every ad clicked within 7 days before an order claims the order's full
total (tax and shipping included), plus 1-day-view claims on orders with no click at all.
`ads_layout="ads_manager"`: `facebook_ads/ads_manager_export/<YYYY-MM>_<account id>.csv`, the Ads Manager UI
export (one file per account and month; "Amount spent (<currency>)"; zero purchases are blank), same data.

Other ad networks (`ad_platforms`, default all six: "meta", "linkedin", "x", "tiktok", "pinterest",
"snapchat"; Meta in `ads_layout`, the others always in their connector layouts; the catalog's fixed cast:
one account each, 1-2 campaigns, 2-3 ads, literal UTMs in each ad's destination URL with utm_campaign = the
campaign's name and utm_content = the ad's id, messy utm_source spellings such as "lnkd.in", "x",
"TikTok", "tiktok.com"). Their clicks are a share (about 15 %) of what would otherwise be direct sessions,
drawn from generators of their own: adding these networks changed no file but the sessions (Meta, the
orders and the organic posts are as before, and identical whatever `ad_platforms` says). Those sessions
carry the ad's UTMs and, on most clicks, the network's click id in landing_url (li_fat_id, twclid, ttclid,
ScCid; Pinterest none; there are no click-id columns besides fbclid and gclid). Each ad has a stats row for every report day it is
active (clicks >= the sessions it sent that day; spend in whole cents of the account currency) and claims
every order whose journey clicked it within the network's click window (30/30/7/30/28 days), valued at the
order total in the account currency, plus a few view-through claims.

* `linkedin_ads/{account_history,campaign_group_history,campaign_history,creative_history,
  ad_analytics_by_creative}/` -- USD; UTC days; `cost_in_local_currency` (and `cost_in_usd`); link clicks in
  `landing_page_clicks`, clicks of any kind in `clicks`; the creative's `click_uri` carries the UTMs.
* `twitter_ads/{account_history,campaign_history,line_item_history,promoted_tweet_history,tweet_url,
  promoted_tweet_report}/` -- USD, America/Los_Angeles; money in micros (`billed_charge_local_micro`); a row
  per promoted tweet, placement (ALL_ON_TWITTER, some days also PUBLISHER_NETWORK) and local day, `date` the
  local midnight as a UTC timestamp; link clicks in `url_clicks`; the tweet's `expanded_url` has the UTMs;
  history timestamps with a " UTC" suffix, as the connector writes them.
* `tiktok_ads/{advertiser,campaign_history,adgroup_history,ad_history,ad_report_hourly}/` -- USD,
  America/New_York; hourly rows in local time, upper-case report header as in the connector's fixture;
  `SPEND` in decimal currency; one ad paused 40 days into the span (a second `ad_history` version, DISABLE).
* `pinterest_ads/{advertiser_history,campaign_history,ad_group_history,pin_promotion_history,
  pin_promotion_report}/` -- GBP ("Acme UK", Europe/London days): money in micros of the advertiser's
  currency despite the `_in_micro_dollar` names; paid (`_1`) and earned (`_2`) impressions and clicks.
* `snapchat_ads/{ad_account_history,campaign_history,ad_squad_history,ad_history,creative_history,
  creative_url_tag_history,ad_hourly_report}/` -- USD, America/Los_Angeles; hourly rows; spend and purchase
  value in micros; one creative's UTMs as url-tag rows, the other's in its `web_view_url`.

`SimulationSummary.spend[month][account id]` is an `AccountSpend` per account of every network written,
with its `platform`, rows (`ad_days`), spend, clicks and claims; `spend_reporting(month, platform=...)`
converts spend per ad-day (default Meta; `platform=None` for all); `counts[month]["ad_sessions_<platform>"]`
counts the sessions from each network's ads.

`sales_layout="connector"`: `shopify/{order,order_line,order_discount_code,refund,order_line_refund,product,
product_variant,inventory_item,customer}/`. An order is in the file of its UTC creation month, and again (updated
financial_status/updated_at, later `_fivetran_synced`) in the month a refund of it is processed.
`sales_layout="admin_export"`: `shopify/admin_orders_export/` with Shopify's 79 columns, one row per line item,
order-level fields on the first row only, shop-local times ("2026-03-05 14:22:10 -0500", America/New_York),
files by shop-local month (orders of the span's first hours fall in the first file). Each file is as of the
end of its month: "Refunded Amount" (merchandise + tax refunded so far) and "Financial Status" as then; an
order refunded in a later month is exported again in that month's file. Test orders: Payment Method "bogus",
Tags "test". Deleted orders do not appear.
`sales_layout="generic"`: `generic/orders/` and `generic/returns/` per CONTRACTS (gross_sales excludes gift
cards; cost_of_goods empty when a line's cost is unknown; returns by UTC processing month).
`sales_layout="stripe"`: `stripe/{charge,refund,customer}/` (see `socialroi.simulate.stripe_writers`): one
succeeded charge of the order's total per order (metadata order_id; test orders in test mode; a few declined
attempts first), a refund of merchandise and tax per refund. Stripe has no lines, discounts, tax or costs:
the ground truth for this layout takes the charged total as gross sales (`socialroi.simulate.summary`).

Personal data appears only in: e-mails (orders, customers, sessions -- mixed case and stray whitespace in
sessions), names, phones, street addresses and zips (order billing/shipping, customer, admin export). All
e-mail domains are reserved example domains; phone numbers use 555-01xx.
"""

from __future__ import annotations

from pathlib import Path

from socialroi.simulate.summary import AccountSpend, MoneyEvent, SalesTotals, SimulationSummary, summarise

__all__ = [
    "ADS_LAYOUTS",
    "AD_PLATFORMS",
    "SALES_LAYOUTS",
    "SESSIONS_LAYOUTS",
    "AccountSpend",
    "MoneyEvent",
    "SalesTotals",
    "SimulationSummary",
    "simulate",
]

SALES_LAYOUTS = ("connector", "admin_export", "generic", "stripe")
SESSIONS_LAYOUTS = ("generic", "ga4", "ga4_bigquery", "snowplow")
ADS_LAYOUTS = ("connector", "ads_manager")
AD_PLATFORMS = ("meta", "linkedin", "x", "tiktok", "pinterest", "snapchat")
REPORTING_CURRENCIES = ("USD", "EUR", "GBP")


def simulate(out: Path, start: str, months: int, seed: int = 7, *, sales_layout: str = "connector",
             ads_layout: str = "connector", scale: float = 1.0,
             reporting_currency: str = "USD", ad_platforms: tuple[str, ...] = AD_PLATFORMS,
             sessions_layout: str = "generic") -> SimulationSummary:
    """Write `months` months of sample exports from `start` ('YYYY-MM') under `out`; return the ground truth.

    `scale` multiplies volume (1.0: ~200 sessions a day, ~200-250 orders a month). `reporting_currency` is
    the default target of `SimulationSummary.net_sales_reporting` and `spend_reporting`. `ad_platforms`
    chooses which ad networks' exports are written (Meta in `ads_layout`, the others in their connector
    layouts); the world, and so the sessions from every network's ads, is the same whatever the choice.
    `sessions_layout` chooses the web tracker the same sessions are written as, `sales_layout` the sales
    source the same orders are written as (see the module docstring).
    """
    from socialroi.simulate import platform_writers, stripe_writers, tracker_writers, writers
    from socialroi.simulate.organic_writers import ORGANIC_WRITERS
    from socialroi.simulate.world import build_world

    if sales_layout not in SALES_LAYOUTS:
        raise ValueError(f"sales_layout must be one of {SALES_LAYOUTS}, got {sales_layout!r}")
    if sessions_layout not in SESSIONS_LAYOUTS:
        raise ValueError(f"sessions_layout must be one of {SESSIONS_LAYOUTS}, got {sessions_layout!r}")
    if ads_layout not in ADS_LAYOUTS:
        raise ValueError(f"ads_layout must be one of {ADS_LAYOUTS}, got {ads_layout!r}")
    if reporting_currency not in REPORTING_CURRENCIES:
        raise ValueError(f"reporting_currency must be one of {REPORTING_CURRENCIES}, got {reporting_currency!r}")
    if isinstance(ad_platforms, str) or not set(ad_platforms) <= set(AD_PLATFORMS):
        raise ValueError(f"ad_platforms must be a tuple of {AD_PLATFORMS}, got {ad_platforms!r}")
    ad_platforms = tuple(p for p in AD_PLATFORMS if p in ad_platforms)
    world = build_world(start, int(months), int(seed), float(scale))
    landing = writers.Landing(Path(out))
    writers.write_fx(world, landing)
    writers.write_promo_codes(landing)
    if sessions_layout == "generic":
        writers.write_sessions(world, landing)
    elif sessions_layout == "snowplow":
        tracker_writers.write_snowplow(world, landing)
    else:
        tracker_writers.write_ga4(world, landing, bigquery=sessions_layout == "ga4_bigquery")
    writers.write_organic(world, landing)
    for write in ORGANIC_WRITERS.values():
        write(world, landing)
    if "meta" in ad_platforms:
        if ads_layout == "connector":
            writers.write_meta_connector(world, landing)
        else:
            writers.write_meta_ads_manager(world, landing)
    for platform in ad_platforms[1:] if ad_platforms[:1] == ("meta",) else ad_platforms:
        platform_writers.WRITERS[platform](world, landing)
    if sales_layout == "connector":
        writers.write_shopify_connector(world, landing)
    elif sales_layout == "admin_export":
        writers.write_shopify_admin_export(world, landing)
    elif sales_layout == "stripe":
        stripe_writers.write_stripe(world, landing)
    else:
        writers.write_generic_orders(world, landing)
    return summarise(world, sales_layout=sales_layout, ads_layout=ads_layout,
                     reporting_currency=reporting_currency, files=sorted(landing.files), ad_platforms=ad_platforms,
                     sessions_layout=sessions_layout)
