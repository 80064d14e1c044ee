"""The simulated web sessions as a web tracker's raw events: GA4 (Fivetran's connector table, or BigQuery's
JSON export) and Snowplow atomic events.

The sessions are exactly those of the generic sessions feed (`writers.session_columns`): same visitors,
start times, landing pages, referrers, UTMs, click ids, logged-in customer ids and orders. Only the shape
differs, so a pipeline that reads these events must find the same sessions, touchpoints and order ids.

Events of a session: the landing page view (GA4: `session_start` and `page_view` at the session's start),
a second page view on some sessions, and on a session that placed an order the thank-you page view and
the purchase (GA4 `purchase` with the transaction id; Snowplow a `transaction` event with `tr_orderid`) at
the order's creation time. No event falls after the span's end. Cosmetic choices (event spacing, ids) come
from generators of their own: writing a tracker layout changes no other file.
"""

from __future__ import annotations

import json
import uuid
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from socialroi.simulate._common import (
    DAY,
    SHOP_CURRENCY,
    SHOP_DOMAIN,
    SHOP_URL,
    day_str,
    money,
    month_index,
    month_label,
    tokens,
    ts_str,
)
from socialroi.simulate.world import World

GA4_STREAM_ID = "4719302581"
SNOWPLOW_APP_ID = "acme-shop"
THANK_YOU_PATH = "/checkouts/c/thank-you"
_PRODUCT_PATHS = ["/products/trail-mug", "/products/house-blend-1lb", "/products/pour-over-dripper",
                  "/collections/all", "/cart"]
_UTMS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")

GA4_EVENT_HEADER = [
    "_fivetran_id", "date", "timestamp", "name", "platform", "stream_id", "user_id", "user_pseudo_id",
    "param_ga_session_id", "param_ga_session_number", "param_page_location", "param_page_referrer",
    "param_source", "param_medium", "param_campaign", "param_term", "param_content", "param_gclid",
    "collected_traffic_source_manual_source", "collected_traffic_source_manual_medium",
    "collected_traffic_source_manual_campaign_name", "collected_traffic_source_manual_term",
    "collected_traffic_source_manual_content", "collected_traffic_source_gclid",
    "traffic_source_source", "traffic_source_medium", "traffic_source_name", "event_dimensions_hostname",
    "ecommerce_transaction_id", "ecommerce_purchase_revenue", "ecommerce_purchase_revenue_in_usd", "is_intraday",
    "_fivetran_synced",
]
SNOWPLOW_HEADER = [
    "event_id", "app_id", "platform", "collector_tstamp", "dvce_created_tstamp", "derived_tstamp", "event",
    "event_name", "domain_userid", "domain_sessionid", "domain_sessionidx", "network_userid", "user_id",
    "page_url", "page_urlscheme", "page_urlhost", "page_urlpath", "page_urlquery", "page_referrer",
    "refr_urlscheme", "refr_urlhost", "refr_urlpath", "refr_urlquery", "refr_medium", "refr_source",
    "mkt_medium", "mkt_source", "mkt_term", "mkt_content", "mkt_campaign", "mkt_clickid", "mkt_network",
    "tr_orderid", "tr_total", "tr_currency",
]


class _Event:
    __slots__ = ("kind", "micros", "page", "referrer", "landing", "order")

    def __init__(self, kind: str, micros: int, page: str, referrer: str = "", landing: bool = False,
                 order=None):
        self.kind = kind  # session_start | page_view | purchase
        self.micros = micros  # epoch microseconds, UTC
        self.page = page
        self.referrer = referrer
        self.landing = landing  # carries the session's campaign (UTMs, click ids)
        self.order = order


def _session_events(world: World, col: dict[str, np.ndarray], ga4: bool, seed_tag: int) -> list[list[_Event]]:
    """Per session, its events in time order (GA4 adds a `session_start` beside the landing page view)."""
    s = world.sessions
    n = len(s.t)
    rng = np.random.default_rng([world.seed, seed_tag])
    u = rng.random((n, 4))
    orders = {o.id: o for o in world.orders}
    end = world.span_hi * 1_000_000 - 1  # the last microsecond of the span
    out: list[list[_Event]] = []
    for r in range(n):
        t0 = int(s.t[r]) * 1_000_000
        landing, ref = col["landing_url"][r], col["referrer"][r]
        first = t0 + int(u[r, 0] * 40_000) + 1  # the page view a few milliseconds after the session start
        ev = [_Event("session_start", t0, landing, ref, True)] if ga4 else []
        ev.append(_Event("page_view", first if ga4 else t0, landing, ref, True))
        order = orders.get(col["order_id"][r]) if col["order_id"][r] else None
        last = order.created * 1_000_000 if order is not None else min(end, t0 + 1_800_000_000)
        if u[r, 1] < 0.55:  # a second page, before the purchase and the span's end
            t = first + int((last - first) * (0.1 + 0.5 * u[r, 2]))
            if first < t < last:
                path = _PRODUCT_PATHS[int(u[r, 3] * len(_PRODUCT_PATHS))]
                ev.append(_Event("page_view", t, SHOP_URL + path, landing))
        if order is not None:
            thanks = SHOP_URL + THANK_YOU_PATH
            ev.append(_Event("page_view", last, thanks, SHOP_URL + "/checkout"))
            ev.append(_Event("purchase", last + 250_000, thanks, SHOP_URL + "/checkout", order=order))
        out.append(ev)
    return out


def _micros_str(micros: int, sep: str = " ", digits: int = 6) -> str:
    secs, frac = divmod(micros, 1_000_000)
    return f"{ts_str(secs, sep)}.{frac:06d}"[: 20 + digits]


def _write_text(out, source: str, table: str, name: str, text: str) -> None:
    path = Path(out.root) / source / table / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    out.files.append(path.relative_to(out.root).as_posix())


# ================================================================ GA4


def _first_touch(col: dict[str, np.ndarray], r: int) -> tuple[str, str, str]:
    """GA4's user-scoped `traffic_source` (the user's first session's source), not the session's."""
    if col["utm_source"][r]:
        return col["utm_source"][r], col["utm_medium"][r] or "(not set)", col["utm_campaign"][r] or "(not set)"
    if col["gclid"][r]:
        return "google", "cpc", "(not set)"
    ref = col["referrer"][r]
    if ref:
        host = urlsplit(ref).hostname or ""
        if host.endswith(("google.com", "bing.com", "duckduckgo.com")):
            return host.split(".")[-2], "organic", "(organic)"
        if host != SHOP_DOMAIN:
            return host.removeprefix("www."), "referral", "(referral)"
    return "(direct)", "(none)", "(direct)"


def write_ga4(world: World, out, bigquery: bool = False) -> None:
    """GA4 events: `ga4/event/<YYYY-MM>.csv` (Fivetran's GA4 Export connector, flattened `param_*` columns)
    or, with `bigquery`, `ga4/events_export/<YYYY-MM>.jsonl` (BigQuery's daily export as JSON lines with
    nested `event_params`). Files by the property's local month (the shop's zone), as GA4 dates events."""
    from socialroi.simulate.writers import session_columns

    col = session_columns(world)
    s = world.sessions
    n = len(s.t)
    events = _session_events(world, col, True, 401)
    # ga_session_id: the session's start in epoch seconds, unique per visitor; ga_session_number: 1, 2, ...
    session_ids: dict[str, set[int]] = {}
    numbers: dict[str, int] = {}
    first_touch: dict[str, tuple[str, str, str]] = {}
    rows_by_month: dict[int, list] = {}
    first_month = world.month_idx[0]
    for r in range(n):
        cookie = col["user_id"][r]
        gsid = int(s.t[r])
        taken = session_ids.setdefault(cookie, set())
        while gsid in taken:
            gsid += 1
        taken.add(gsid)
        numbers[cookie] = number = numbers.get(cookie, 0) + 1
        ts_source = first_touch.setdefault(cookie, _first_touch(col, r))
        utms = [col[k][r] for k in _UTMS]
        gclid = col["gclid"][r]
        customer = col["customer_id"][r]
        for k, e in enumerate(events[r]):
            secs = e.micros // 1_000_000
            local_day = (secs + world.shop_tz.offset_of(secs)) // DAY
            mi = max(first_month, month_index(local_day * DAY))
            campaign = utms + [gclid] if e.landing else [""] * 6
            order = e.order
            revenue = money(order.total) if order is not None else ""
            rows_by_month.setdefault(mi, []).append((e, local_day, cookie, gsid, number, customer, campaign,
                                                     ts_source, order, revenue, f"{cookie}.{gsid}.{k}"))
    for mi in world.month_idx:
        rows = rows_by_month.get(mi, [])
        if bigquery:
            _write_text(out, "ga4", "events_export", f"{month_label(mi)}.jsonl",
                        "".join(_bigquery_line(*row) + "\n" for row in rows))
        else:
            out.write("ga4", "event", f"{month_label(mi)}.csv", GA4_EVENT_HEADER,
                      [_connector_row(*row) for row in rows])


def _day(day: int, sep: str = "-") -> str:
    return day_str(day).replace("-", sep)


def _connector_row(e: _Event, local_day: int, cookie: str, gsid: int, number: int, customer: str,
                   campaign: list[str], ts_source: tuple[str, str, str], order, revenue: str, key: str) -> list:
    from socialroi.simulate._common import fivetran_id

    source, medium, name, term, content, gclid = campaign[0], campaign[1], campaign[2], campaign[4], campaign[3], \
        campaign[5]
    params = [source, medium, name, term, content, gclid] if e.kind == "page_view" else [""] * 6
    # the connector syncs a day's events the next morning
    synced = _micros_str(((local_day + 1) * DAY + 9 * 3600) * 1_000_000 + hash_key(key) % 3_600_000_000, digits=3)
    return [
        fivetran_id("ga4", key), _day(local_day), _micros_str(e.micros), e.kind, "WEB", GA4_STREAM_ID, customer,
        cookie, gsid, number, e.page, e.referrer, *params,
        source, medium, name, term, content, gclid, *ts_source, SHOP_DOMAIN,
        order.id if order is not None else "", revenue, revenue, "false", synced,
    ]


def hash_key(key: str) -> int:
    """A stable integer from a string (for cosmetic values; Python's hash() is salted per process)."""
    return zlib.crc32(key.encode())


def _param(key: str, string: str | None = None, integer: int | None = None, double: float | None = None) -> dict:
    return {"key": key, "value": {"string_value": string, "int_value": integer, "float_value": None,
                                  "double_value": double}}


def _bigquery_line(e: _Event, local_day: int, cookie: str, gsid: int, number: int, customer: str,
                   campaign: list[str], ts_source: tuple[str, str, str], order, revenue: str, key: str) -> str:
    source, medium, name, content, term, gclid = campaign
    params = [_param("ga_session_id", integer=gsid), _param("ga_session_number", integer=number),
              _param("page_location", e.page)]
    if e.referrer:
        params.append(_param("page_referrer", e.referrer))
    if e.kind == "page_view":
        for k, v in (("source", source), ("medium", medium), ("campaign", name), ("content", content),
                     ("term", term), ("gclid", gclid)):
            if v:
                params.append(_param(k, v))
    if order is not None:
        params += [_param("transaction_id", order.id), _param("value", double=float(revenue)),
                   _param("currency", SHOP_CURRENCY)]
    collected = None
    if e.landing and (source or medium or name or gclid):
        collected = {"manual_source": source or None, "manual_medium": medium or None,
                     "manual_campaign_name": name or None, "manual_content": content or None,
                     "manual_term": term or None, "gclid": gclid or None}
    ecommerce = None
    if order is not None:
        ecommerce = {"total_item_quantity": sum(ln.qty for ln in order.lines), "purchase_revenue_in_usd": float(revenue),
                     "purchase_revenue": float(revenue), "refund_value_in_usd": None, "refund_value": None,
                     "shipping_value_in_usd": float(money(order.shipping)), "shipping_value": float(money(order.shipping)),
                     "tax_value_in_usd": float(money(order.tax)), "tax_value": float(money(order.tax)),
                     "unique_items": len(order.lines), "transaction_id": order.id}
    record = {
        "event_date": _day(local_day, ""), "event_timestamp": str(e.micros), "event_name": e.kind,
        "event_params": params, "event_previous_timestamp": None, "event_bundle_sequence_id": str(hash_key(key)),
        "user_id": customer or None, "user_pseudo_id": cookie,
        "device": {"category": "desktop" if hash_key(cookie) % 5 < 2 else "mobile",
                   "web_info": {"hostname": SHOP_DOMAIN}},
        "traffic_source": {"name": ts_source[2], "medium": ts_source[1], "source": ts_source[0]},
        "collected_traffic_source": collected, "stream_id": GA4_STREAM_ID, "platform": "WEB",
        "ecommerce": ecommerce, "items": [],
    }
    return json.dumps(record, separators=(",", ":"))


# ================================================================ Snowplow

_REFERER_PARSER = [  # (host suffix, refr_medium, refr_source), as Snowplow's referer-parser enrichment names them
    ("mail.google.com", "email", "Gmail"), ("google.com", "search", "Google"), ("bing.com", "search", "Bing"),
    ("duckduckgo.com", "search", "DuckDuckGo"), ("facebook.com", "social", "Facebook"),
    ("instagram.com", "social", "Instagram"), ("linkedin.com", "social", "LinkedIn"), ("t.co", "social", "Twitter"),
    ("tiktok.com", "social", "TikTok"), ("pinterest.com", "social", "Pinterest"), ("reddit.com", "social", "Reddit"),
    ("snapchat.com", "social", "Snapchat"), ("youtube.com", "social", "YouTube"), ("x.com", "social", "Twitter"), (SHOP_DOMAIN, "internal", ""),
]


def _referer(host: str) -> tuple[str, str]:
    for suffix, medium, source in _REFERER_PARSER:
        if host == suffix or host.endswith("." + suffix):
            return medium, source
    return "unknown", ""


def _uuid(rng: np.random.Generator, n: int) -> list[str]:
    return [str(uuid.UUID(hex=h, version=4)) for h in tokens(rng, n, 32, "hex").tolist()]


def write_snowplow(world: World, out) -> None:
    """Snowplow atomic events, `snowplow/events/<YYYY-MM>.csv` (UTC month of collector_tstamp): page views
    with the campaign enrichment's `mkt_*` fields on the landing page view and the referer parser's
    `refr_*` fields, a `transaction` event (tr_orderid, tr_total) for each order placed."""
    from socialroi.simulate.writers import session_columns

    col = session_columns(world)
    s = world.sessions
    n = len(s.t)
    events = _session_events(world, col, False, 402)
    rng = np.random.default_rng([world.seed, 403])
    session_uuid = _uuid(rng, n)
    n_events = sum(len(e) for e in events)
    event_uuid = iter(_uuid(rng, n_events))
    latency = iter(rng.integers(40_000, 2_500_000, n_events).tolist())  # collector after the device, µs
    end = world.span_hi * 1_000_000 - 1
    visitor: dict[str, tuple[str, str]] = {}
    index: dict[str, int] = {}
    rows_by_month: dict[int, list] = {mi: [] for mi in world.month_idx}
    first_month = world.month_idx[0]
    for r in range(n):
        cookie = col["user_id"][r]
        duid, nuid = visitor.setdefault(cookie, (str(uuid.uuid5(uuid.NAMESPACE_URL, f"duid:{cookie}")),
                                                 str(uuid.uuid5(uuid.NAMESPACE_URL, f"nuid:{cookie}"))))
        index[cookie] = idx = index.get(cookie, 0) + 1
        customer = col["customer_id"][r]
        for e in events[r]:
            collector = min(end, e.micros + next(latency))
            mi = max(first_month, month_index(collector // 1_000_000))
            page = urlsplit(e.page)
            ref = urlsplit(e.referrer) if e.referrer else None
            mkt = [""] * 7
            if e.landing:
                mkt = [col["utm_medium"][r], col["utm_source"][r], col["utm_term"][r], col["utm_content"][r],
                       col["utm_campaign"][r], col["gclid"][r], "Google" if col["gclid"][r] else ""]
            refr = ["", "", "", "", "", ""]
            if ref is not None:
                refr = [ref.scheme, ref.hostname or "", ref.path or "/", ref.query, *_referer(ref.hostname or "")]
            order = e.order
            kind = "transaction" if order is not None else "page_view"
            rows_by_month[mi].append([
                next(event_uuid), SNOWPLOW_APP_ID, "web", _micros_str(collector, digits=3),
                _micros_str(e.micros, digits=3), _micros_str(e.micros, digits=3), kind, kind, duid,
                session_uuid[r], idx, nuid, customer, e.page, page.scheme, page.hostname, page.path, page.query,
                e.referrer, *refr, *mkt,
                order.id if order is not None else "", money(order.total) if order is not None else "",
                SHOP_CURRENCY if order is not None else "",
            ])
    for mi in world.month_idx:
        out.write("snowplow", "events", f"{month_label(mi)}.csv", SNOWPLOW_HEADER, rows_by_month[mi])
