"""The simulator's tracker and payment layouts through the real ingest and dbt: a simulated month written as
GA4 events (Fivetran's connector table and BigQuery's JSON export), Snowplow atomic events and Stripe
payments is staged into the same sessions, touchpoints, orders and net sales as the simulator's truth.

Each warehouse also receives the same world's generic sessions feed, the baseline: session ids tell the
trackers apart (generic `s0000000001`, GA4 the md5 of `<user_pseudo_id>.<ga_session_id>`, Snowplow a UUID), and each
tracker's touchpoints must equal the generic feed's session for session (start time, channel group,
platform, campaign, ad, post, order). Two builds: GA4 connector + Snowplow + Stripe as the order ledger,
and GA4's BigQuery export.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest
from project_env import project
from project_env import query as _query

from socialroi.build import run_dbt
from socialroi.ingest import ingest_all
from socialroi.simulate import simulate

MONTH = "2026-03"
SEED, SCALE = 5, 0.3
REPORTING = "EUR"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _tracker(session_id: str) -> str:
    if re.fullmatch(r"s\d{10}", session_id):
        return "generic"
    if UUID.match(session_id):
        return "snowplow"
    assert re.fullmatch(r"[0-9a-f]{32}", session_id), session_id  # GA4: the md5 of the visitor and session ids
    return "ga4"


def _build(tmp_path_factory, name: str, runs: list[dict], order_source: str, select: list[str]):
    with project(tmp_path_factory.mktemp(name), reporting_currency=REPORTING, order_source=order_source) as settings:
        summaries = {}
        for run in runs:  # the same world each time: files common to two runs are written twice, byte-identical
            summaries[(run.get("sessions_layout", "generic"), run.get("sales_layout", "connector"))] = simulate(
                settings.landing, MONTH, 1, seed=SEED, scale=SCALE, reporting_currency=REPORTING, **run)
        result = ingest_all(settings)
        run_dbt(settings, ["build", "--select", *select])
        yield settings, summaries, result


@pytest.fixture(scope="module")
def stripe_build(tmp_path_factory):
    yield from _build(tmp_path_factory, "simulated-ga4-snowplow-stripe", [
        {}, {"sessions_layout": "ga4", "sales_layout": "stripe"}, {"sessions_layout": "snowplow", "sales_layout": "stripe"},
    ], "stripe", ["+int_touchpoints", "+int_revenue_events"])


@pytest.fixture(scope="module")
def bigquery_build(tmp_path_factory):
    yield from _build(tmp_path_factory, "simulated-ga4-bigquery", [{}, {"sessions_layout": "ga4_bigquery"}],
                      "shopify", ["+int_touchpoints"])


BUILDS = {"ga4": "stripe_build", "snowplow": "stripe_build", "ga4_bigquery": "bigquery_build"}
STAGING = {"ga4": "stg_ga4__sessions", "snowplow": "stg_snowplow__sessions", "ga4_bigquery": "stg_ga4__sessions"}


@pytest.mark.parametrize("fixture", ["stripe_build", "bigquery_build"])
def test_every_simulated_file_loads(request, fixture):
    _, summaries, result = request.getfixturevalue(fixture)
    files = set().union(*(s.files for s in summaries.values()))
    assert result["quarantined_files"] == []
    assert result["loaded"] == len(files)
    tops = {f.split("/")[0] + "/" + f.split("/")[1] for f in files}
    want = {"generic/sessions"} | ({"ga4/event", "snowplow/events", "stripe/charge", "stripe/refund", "stripe/customer"}
                                   if fixture == "stripe_build" else {"ga4/events_export"})
    assert want <= tops


@pytest.mark.parametrize("layout", ["ga4", "snowplow", "ga4_bigquery"])
def test_tracker_sessions_equal_the_generic_feed(request, layout):
    settings, summaries, _ = request.getfixturevalue(BUILDS[layout])
    n_sessions = summaries[("generic", "connector")].counts[MONTH]["sessions"]
    cols = ("started_at, customer_id, landing_url, referrer, utm_source, utm_medium, utm_campaign, utm_content, "
            "utm_term, fbclid, gclid, ttclid, twclid, li_fat_id, msclkid, order_id")
    generic = _query(settings, f"select {cols} from staging.stg_generic__sessions")
    tracker = _query(settings, f"select {cols} from staging.{STAGING[layout]}")
    assert len(generic) == len(tracker) == n_sessions > 0
    assert Counter(tracker) == Counter(generic)
    # one user id per visitor, as in the generic feed
    visitors = _query(settings, f"""
        select count(distinct user_id), count(distinct session_id) from staging.{STAGING[layout]}""")[0]
    assert visitors == _query(settings, """
        select count(distinct user_id), count(distinct session_id) from staging.stg_generic__sessions""")[0]


@pytest.mark.parametrize("layout", ["ga4", "snowplow", "ga4_bigquery"])
def test_tracker_touchpoints_per_channel_equal_the_generic_feed(request, layout):
    settings, _, _ = request.getfixturevalue(BUILDS[layout])
    rows = _query(settings, """
        select t.touchpoint_id, t.touched_at, t.channel_group, t.platform, t.placement, t.campaign, t.ad_id, t.post_id,
               t.handle, s.order_id
        from intermediate.int_touchpoints as t
        inner join intermediate.int_sessions_unioned as s on s.session_id = t.touchpoint_id""")
    by_tracker: dict[str, Counter] = {}
    for session_id, *rest in rows:
        by_tracker.setdefault(_tracker(session_id), Counter())[tuple(rest)] += 1
    want = "ga4" if layout == "ga4_bigquery" else layout
    assert sum(by_tracker[want].values()) == sum(by_tracker["generic"].values()) > 0
    assert by_tracker[want] == by_tracker["generic"]
    groups = Counter(r[1] for r in by_tracker[want].elements())
    assert {"Paid Social", "Organic Social", "Paid Search", "Organic Search", "Direct", "Email"} <= set(groups)


@pytest.mark.parametrize("layout", ["ga4", "snowplow", "ga4_bigquery"])
def test_purchase_events_carry_the_orders_and_their_totals(request, layout):
    settings, summaries, _ = request.getfixturevalue(BUILDS[layout])
    got = dict(_query(settings, f"select order_id, revenue from staging.{STAGING[layout]} where order_id is not null"))
    generic = {r[0] for r in _query(settings, "select order_id from staging.stg_generic__sessions "
                                              "where order_id is not null")}
    assert set(got) == generic
    summary = summaries[("generic", "connector")]
    assert len(got) == summary.counts[MONTH]["orders_with_session"] + summary.totals(MONTH).test_orders
    # revenue is what the shop charged (the order's total), which is the Stripe charge
    charges = dict(_query(settings, "select metadata, amount from raw.stripe__charge")) if layout != "ga4_bigquery" \
        else {}
    if charges:
        import json

        charged = {json.loads(m)["order_id"]: Decimal(a) / 100 for m, a in charges.items()}
        assert all(got[o] == charged[o] for o in got), layout


def test_stripe_orders_equal_the_ground_truth(stripe_build):
    settings, summaries, _ = stripe_build
    truth = summaries[("ga4", "stripe")]
    assert truth.totals(MONTH) == summaries[("snowplow", "stripe")].totals(MONTH)
    t = truth.totals(MONTH)
    want_orders = {e.ref for e in truth.events if e.kind == "sale"}
    got_orders = {r[0] for r in _query(settings, "select order_id from intermediate.int_orders_unioned")}
    assert len(want_orders) == t.orders > 0
    assert got_orders == want_orders
    # every order placed in a tracked session is a Stripe order, by the order id in the charge's metadata
    in_sessions = {r[0] for r in _query(settings, "select order_id from staging.stg_ga4__sessions where order_id "
                                                  "is not null")}
    assert len(in_sessions - got_orders) == t.test_orders  # the staff's test orders: test-mode charges
    # declined attempts and test-mode charges are in the staging, not in the ledger
    statuses = dict(_query(settings, "select status, count(*) from staging.stg_stripe__charges group by all"))
    assert statuses.get("failed", 0) > 0


def test_stripe_net_sales_to_the_cent(stripe_build):
    settings, summaries, _ = stripe_build
    truth = summaries[("ga4", "stripe")]
    t = truth.totals(MONTH)
    gross, discounts, returns, net, net_reporting, n_returns = _query(settings, """
        select sum(gross_sales), sum(discounts), sum(returns), sum(net_sales), sum(net_sales_reporting),
               count(*) filter (where event_type = 'return')
        from intermediate.int_revenue_events where month = ?""", [MONTH])[0]
    assert (gross, discounts, returns, net) == (t.gross_sales, t.discounts, t.returns, t.net_sales)
    assert n_returns == t.refunds > 0
    assert net_reporting == truth.net_sales_reporting(MONTH)
    # Stripe carries less than Shopify: the charge is gross sales (tax and shipping inside), so the truth differs
    shopify = summaries[("generic", "connector")].totals(MONTH)
    assert t.net_sales != shopify.net_sales and t.orders == shopify.orders


@pytest.fixture(scope="module")
def admin_export_build(tmp_path_factory):
    yield from _build(tmp_path_factory, "simulated-admin-export", [{"sales_layout": "admin_export"}],
                      "shopify", ["+int_revenue_events"])


def test_admin_export_net_sales_to_the_cent(admin_export_build):
    """The admin export states only each order's refunded total (merchandise and tax, and shipping when
    refunded): its returns are the merchandise, so net sales equal the truth of a month whose refunds
    are all of its own orders (a one-month world: the export books a refund at its order's date)."""
    settings, summaries, result = admin_export_build
    assert result["quarantined_files"] == []
    t = summaries[("generic", "admin_export")].totals(MONTH)
    gross, discounts, returns, net, n_returns = _query(settings, """
        select sum(gross_sales), sum(discounts), sum(returns), sum(net_sales),
               count(*) filter (where event_type = 'return')
        from intermediate.int_revenue_events where month = ?""", [MONTH])[0]
    assert n_returns == t.refunds > 0
    assert (gross, discounts, returns, net) == (t.gross_sales, t.discounts, t.returns, t.net_sales)
