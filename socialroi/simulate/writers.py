"""Write the in-memory world as landing files: `out/<source>/<table>/<YYYY-MM>.csv`.

Only formatting happens here; every decision was taken in `world.py`, so all layouts describe the same
orders, sessions and ad days. Any randomness needed for cosmetic metrics (post insights) comes from
generators seeded by (seed, object index): same arguments, same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import numpy as np

from socialroi.simulate import _catalog as cat
from socialroi.simulate._common import (
    DAY,
    HOUR,
    SHOP_CURRENCY,
    SHOP_TIMEZONE,
    SHOP_URL,
    day_str,
    fivetran_id,
    iso_seconds,
    money,
    month_index,
    month_label,
    month_of_day,
    month_of_ts,
    month_start_day,
    month_start_ts,
    synced_str,
    tokens,
    ts_str,
)
from socialroi.simulate.world import (
    EMAIL,
    FB_NOPOST,
    FB_POST,
    IG_BIO,
    IG_COMM,
    IG_DEALS,
    INTERNAL,
    META,
    ORG_SEARCH,
    PAID_SEARCH,
    PAYMENT_RETURN,
    PLATFORM_PAID,
    REFERRAL,
    Order,
    World,
)

ADMIN_EXPORT_HEADER = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
    "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status",
    "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City",
    "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at",
    "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee",
    "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Tax 1 Name",
    "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value",
    "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name",
    "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
]
# columns Shopify repeats on every line-item row of an order; the rest is on the order's first row only
ADMIN_EXPORT_LINE_COLUMNS = {
    "Name", "Email", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
    "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable",
    "Lineitem fulfillment status", "Vendor", "Lineitem discount",
}

SESSION_HEADER = ["session_id", "user_id", "started_at", "customer_id", "email", "landing_url", "referrer",
                  "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "fbclid", "gclid",
                  "order_id"]


class Landing:
    """Writes CSV files under `root` and remembers them (relative paths)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.files: list[str] = []

    def write(self, source: str, table: str, name: str, header: list[str], rows) -> None:
        """Write rows (sequences of str/int/None) as RFC-4180 CSV, LF line ends, UTF-8, minimal quoting."""
        self.write_columns(source, table, name, header, list(zip(*rows, strict=True)) or [[] for _ in header])

    def write_columns(self, source: str, table: str, name: str, header: list[str], columns) -> None:
        if len(columns) != len(header):
            raise ValueError(f"{source}/{table}: {len(columns)} columns for {len(header)} header names")
        path = self.root / source / table / name
        path.parent.mkdir(parents=True, exist_ok=True)
        cols = [_csv_column(c) for c in columns]
        with open(path, "w", newline="", encoding="utf-8") as f:
            f.write(",".join(_csv_column(header)) + "\n")
            if cols and len(cols[0]):
                f.write("\n".join(map(",".join, zip(*cols, strict=True))))
                f.write("\n")
        self.files.append(path.relative_to(self.root).as_posix())


_SPECIAL = (",", '"', "\n", "\r")


def _csv_field(v: str) -> str:
    if any(c in v for c in _SPECIAL):
        return '"' + v.replace('"', '""') + '"'
    return v


def _csv_column(col) -> list[str]:
    """Values as CSV fields: None -> empty, numbers via str(), quoted only where needed (fast path per column)."""
    try:
        blob = "".join(col)  # all str already: no per-value conversion
        out = col if isinstance(col, list) else list(col)
    except TypeError:
        out = [v if v.__class__ is str else ("" if v is None else str(v)) for v in col]
        blob = "".join(out)
    if any(c in blob for c in _SPECIAL):
        out = [_csv_field(v) for v in out]
    return out


def _b(x: bool) -> str:
    return "true" if x else "false"


def _synced(as_of: int, k: int) -> str:
    """A connector sync a few hours after the period end; `k` staggers tables deterministically."""
    return synced_str(as_of + 3 * HOUR + 97 * k, 137 * k + 41)


def _shopify_ts(ts: int | None) -> str:
    return "" if ts is None else f"{ts_str(ts)}.000"


# ================================================================ FX and promo codes


def write_fx(world: World, out: Landing) -> None:
    for n, mi in enumerate(world.month_idx):
        d_lo, d_hi = month_start_day(mi), month_start_day(mi + 1)
        if n == 0:
            d_lo -= 7  # the first file also carries the week before, so day 1 can carry a rate forward
        rows = []
        for d in world.fx.days:
            if d_lo <= d < d_hi:
                for quote_ in ("EUR", "GBP"):
                    r = world.fx.rates[quote_][d]
                    rows.append((day_str(d), "USD", quote_, f"{r // 1_000_000}.{r % 1_000_000:06d}"))
        out.write("fx", "rates", f"{month_label(mi)}.csv", ["date", "base", "quote", "rate"], rows)


def write_promo_codes(out: Landing) -> None:
    rows = [(c, v[2], v[3], v[4], v[5]) for c, v in cat.CODES.items() if v[2]]
    out.write("promo_codes", "mapping", "codes.csv", ["code", "channel_group", "platform", "handle", "campaign"],
              rows)


# ================================================================ sessions

_PATHS = np.array(["/", "/", "/collections/all", "/collections/new-arrivals", "/products/trail-mug",
                   "/products/house-blend-1lb", "/products/pour-over-dripper", "/products/french-press",
                   "/blogs/journal/pour-over-guide", "/pages/about"], dtype=object)
_REFERRALS = np.array(["https://www.reddit.com/r/Coffee/", "https://coffeegeek.example.org/reviews/acme-dripper",
                       "https://www.pinterest.com/", "https://news.ycombinator.com/",
                       "https://brewblog.example.net/best-mugs-2026"], dtype=object)
_KEYWORDS = ["acme mug", "pour over dripper", "coffee gifts", "acme coffee", "travel tumbler"]


def _q(value: str) -> str:
    return quote(value, safe="{}")


def ad_url_tags(ad: cat.Ad) -> list[tuple[str, str]]:
    """The ad's URL parameters as typed in Ads Manager (templates kept)."""
    camp = cat.CAMPAIGNS[cat.AD_SETS[ad.adset].campaign]
    return [("utm_source", ad.source), ("utm_medium", ad.medium), ("utm_campaign", camp.name),
            ("utm_content", "{{ad.id}}" if ad.content_macro else ad.id)]


def ad_url_parameters(ad: cat.Ad) -> str:
    return "&".join(f"{k}={_q(v)}" for k, v in ad_url_tags(ad))


def _ad_resolved_utms(ad: cat.Ad, placement: int) -> tuple[str, str, str, str]:
    camp = cat.CAMPAIGNS[cat.AD_SETS[ad.adset].campaign]
    src = ("fb", "ig")[placement] if ad.source == "{{site_source_name}}" else ad.source
    return src, ad.medium, camp.name, ad.id


# where a click on the other networks' ads comes from: (referrer, share of clicks with it), else none (in-app)
_PLATFORM_REFERRERS = {"linkedin": ("https://www.linkedin.com/", 0.6), "x": ("https://t.co/", 0.7),
                       "tiktok": ("https://www.tiktok.com/", 0.3), "pinterest": ("https://www.pinterest.com/", 0.5),
                       "snapchat": ("https://www.snapchat.com/", 0.1)}
_CLICK_ID_SHARE = 0.9  # clicks whose landing URL carries the network's click id (the rest: blocked, stripped)


def platform_ad_query(ad: cat.PlatformAd) -> str:
    return "&".join(f"{k}={_q(v)}" for k, v in cat.platform_ad_utms(ad))


def platform_ad_url(ad: cat.PlatformAd) -> str:
    """The ad's destination URL with its UTMs, as entered in the network's ad editor."""
    return f"{SHOP_URL}{ad.path}?{platform_ad_query(ad)}"


def _click_ids(rng: np.random.Generator, param: str, n: int) -> np.ndarray:
    """`n` click ids in the shape each network uses."""
    if param == "ttclid":
        return np.char.add("E.C.P.", tokens(rng, n, 64, "b64url")).astype(object)
    if param == "twclid":
        return np.char.add("2-", tokens(rng, n, 24, "alnum")).astype(object)
    h = tokens(rng, n, 32, "hex")  # li_fat_id, ScCid: UUIDs
    return np.array([f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}" for x in h.tolist()], dtype=object)


def write_sessions(world: World, out: Landing) -> None:
    col = session_columns(world)
    sess_month = month_of_ts(world.sessions.t)
    for mi in world.month_idx:
        sel = np.nonzero(sess_month == mi)[0]
        out.write_columns("generic", "sessions", f"{month_label(mi)}.csv", SESSION_HEADER,
                          [col[k][sel].tolist() for k in SESSION_HEADER])


def session_columns(world: World) -> dict[str, np.ndarray]:
    """The generic sessions feed's columns (SESSION_HEADER), one object array each, in session order.

    Every tracker layout (generic, GA4, Snowplow) describes these same sessions.
    """
    s = world.sessions
    n = len(s.t)
    u = s.uniform
    rng = np.random.default_rng([world.seed, 101])
    col = {k: np.full(n, "", dtype=object) for k in SESSION_HEADER}
    path = _PATHS[np.minimum((u[:, 2] * len(_PATHS)).astype(int), len(_PATHS) - 1)]
    query = np.full(n, "", dtype=object)
    wants_fbclid = np.zeros(n, dtype=bool)

    def set_utms(idx, values):
        for k, name in enumerate(("utm_source", "utm_medium", "utm_campaign", "utm_content")):
            col[name][idx] = values[k]

    # Meta paid: the ad's URL parameters, resolved; fbclid on most clicks
    idx = np.nonzero(s.channel == META)[0]
    for a_i, ad in enumerate(cat.ADS):
        for plc in (0, 1):
            sel = idx[(s.ad[idx] == a_i) & (s.placement[idx] == plc)]
            if not len(sel):
                continue
            utms = _ad_resolved_utms(ad, plc)
            set_utms(sel, utms)
            query[sel] = "&".join(f"{k}={_q(v)}" for k, v in zip(
                ("utm_source", "utm_medium", "utm_campaign", "utm_content"), utms, strict=True))
            path[sel] = ad.path
            ref = np.where(u[sel, 0] < 0.4, "https://m.facebook.com/", np.where(
                u[sel, 0] < 0.7, "https://l.facebook.com/", "")) if plc == 0 else np.where(
                u[sel, 0] < 0.5, "https://l.instagram.com/", "")
            col["referrer"][sel] = ref
    wants_fbclid[idx[u[idx, 1] < 0.85]] = True

    # the other networks' ads: the ad's destination URL and, on most clicks, the network's click id
    # (its own generator: the fbclid/gclid tokens stay as they were)
    xrng = np.random.default_rng([world.seed, 103])
    idx = np.nonzero(s.channel == PLATFORM_PAID)[0]
    for a_i, ad in enumerate(cat.PLATFORM_ADS):
        sel = idx[s.platform_ad[idx] == a_i]
        if not len(sel):
            continue
        set_utms(sel, [v for _, v in cat.platform_ad_utms(ad)])
        query[sel] = platform_ad_query(ad)
        path[sel] = ad.path
        referrer, share = _PLATFORM_REFERRERS[cat.platform_of(ad)]
        col["referrer"][sel] = np.where(u[sel, 0] < share, referrer, "")
        if ad.click_param:
            tagged = sel[u[sel, 1] < _CLICK_ID_SHARE]
            query[tagged] = query[tagged] + f"&{ad.click_param}=" + _click_ids(xrng, ad.click_param, len(tagged))

    # organic posts with a tracked link
    def post_attr(name: str) -> np.ndarray:
        return np.array([getattr(p, name) for p in world.posts] or [""], dtype=object)

    p_net, p_slug, p_id, p_query, p_path = (post_attr(x) for x in ("network", "slug", "id", "query", "link_path"))
    for chan, p_fbclid, refs in ((FB_POST, 0.7, ("https://l.facebook.com/", "https://m.facebook.com/")),
                                 (IG_DEALS, 0.3, ("https://l.instagram.com/", "")),
                                 (IG_COMM, 0.3, ("https://l.instagram.com/", ""))):
        idx = np.nonzero(s.channel == chan)[0]
        k = s.post[idx]
        col["utm_source"][idx] = p_net[k]
        col["utm_medium"][idx] = "social"
        col["utm_campaign"][idx] = p_slug[k]
        col["utm_content"][idx] = p_id[k]
        query[idx] = p_query[k]
        path[idx] = p_path[k]
        col["referrer"][idx] = np.where(u[idx, 0] < 0.65, refs[0], refs[1])
        wants_fbclid[idx[u[idx, 1] < p_fbclid]] = True

    # LinkedIn / X / YouTube organic: a post's link or the account's profile
    from socialroi.simulate.organic_writers import organic_session_columns
    organic_session_columns(world, col, query, path)

    idx = np.nonzero(s.channel == IG_BIO)[0]
    col["referrer"][idx] = np.where(u[idx, 0] < 0.6, "https://l.instagram.com/", "https://www.instagram.com/")
    path[idx] = "/"
    idx = np.nonzero(s.channel == FB_NOPOST)[0]
    col["referrer"][idx] = np.where(u[idx, 0] < 0.5, "https://m.facebook.com/", np.where(
        u[idx, 0] < 0.8, "https://www.facebook.com/", "https://l.facebook.com/"))
    wants_fbclid[idx[u[idx, 1] < 0.7]] = True

    idx = np.nonzero(s.channel == ORG_SEARCH)[0]
    col["referrer"][idx] = np.where(u[idx, 0] < 0.8, "https://www.google.com/", np.where(
        u[idx, 0] < 0.92, "https://www.bing.com/", "https://duckduckgo.com/"))

    idx = np.nonzero(s.channel == PAID_SEARCH)[0]
    col["referrer"][idx] = "https://www.google.com/"
    col["gclid"][idx] = np.char.add("Cj0KCQjw", tokens(rng, len(idx), 48, "b64url")).astype(object)
    tagged = idx[u[idx, 3] >= 0.7]  # most paid-search clicks carry only the auto-tagging gclid
    camp = np.where(u[tagged, 4] < 0.5, "brand_search", "shopping_all").astype(object)
    kw = (u[tagged, 4] * 10).astype(int) % len(_KEYWORDS)
    col["utm_source"][tagged], col["utm_medium"][tagged], col["utm_campaign"][tagged] = "google", "cpc", camp
    col["utm_term"][tagged] = np.array(_KEYWORDS, dtype=object)[kw]
    query[tagged] = ("utm_source=google&utm_medium=cpc&utm_campaign=" + camp + "&utm_term="
                     + np.array([_q(x) for x in _KEYWORDS], dtype=object)[kw])

    idx = np.nonzero(s.channel == EMAIL)[0]
    months, inverse = np.unique(month_of_ts(s.t[idx]), return_inverse=True)
    newsletter = np.array([f"newsletter_{month_label(int(m)).replace('-', '_')}" for m in months] or [""],
                          dtype=object)[inverse]
    camp = np.where(u[idx, 3] < 0.65, newsletter, np.where(u[idx, 3] < 0.85, "abandoned_cart", "welcome_series"))
    content = np.where(u[idx, 4] < 0.6, "hero_button", "product_grid").astype(object)
    col["utm_source"][idx], col["utm_medium"][idx], col["utm_campaign"][idx] = "klaviyo", "email", camp
    col["utm_content"][idx] = content
    query[idx] = "utm_source=klaviyo&utm_medium=email&utm_campaign=" + camp.astype(object) + "&utm_content=" + content
    path[idx] = "/collections/new-arrivals"
    col["referrer"][idx[u[idx, 0] < 0.1]] = "https://mail.google.com/"

    idx = np.nonzero(s.channel == REFERRAL)[0]
    col["referrer"][idx] = _REFERRALS[np.minimum((u[idx, 0] * len(_REFERRALS)).astype(int), len(_REFERRALS) - 1)]
    idx = np.nonzero(s.channel == INTERNAL)[0]
    col["referrer"][idx] = f"{SHOP_URL}/blogs/journal"
    idx = np.nonzero(s.channel == PAYMENT_RETURN)[0]
    col["referrer"][idx] = np.where(u[idx, 0] < 0.6, "https://www.paypal.com/", "https://checkout.shopify.com/")
    path[idx] = "/checkouts/c/thank-you"
    # direct (and the staff's test sessions): no referrer, no parameters

    # the landing URL: path + UTMs + click ids, as the browser saw it
    fbclid = np.full(n, "", dtype=object)
    fb_idx = np.nonzero(wants_fbclid)[0]
    fbclid[fb_idx] = np.char.add("IwAR", tokens(rng, len(fb_idx), 40, "b64url")).astype(object)
    gclid = col["gclid"]
    has_q, has_fb, has_g = query != "", fbclid != "", gclid != ""
    q = query + np.where(has_fb, np.where(has_q, "&fbclid=", "fbclid="), "").astype(object) + fbclid
    q = q + np.where(has_g, np.where(has_q | has_fb, "&gclid=", "gclid="), "").astype(object) + gclid
    col["landing_url"] = SHOP_URL + path + np.where(has_q | has_fb | has_g, "?", "").astype(object) + q
    col["fbclid"] = fbclid
    col["user_id"] = s.cookie
    col["customer_id"] = s.customer_id
    col["email"] = s.email
    col["order_id"] = s.order_id
    col["started_at"] = np.char.add(iso_seconds(s.t), "Z").astype(object)
    col["session_id"] = np.char.add("s", np.char.zfill(np.arange(n).astype(str), 10)).astype(object)
    return col


# ================================================================ Shopify, connector layout

ORDER_HEADER = [
    "id", "name", "number", "order_number", "email", "customer_id", "currency", "presentment_currency",
    "created_at", "processed_at", "updated_at", "cancelled_at", "cancel_reason", "closed_at", "test",
    "taxes_included", "subtotal_price", "total_discounts", "total_line_items_price", "total_tax", "total_price",
    "total_shipping_price_set", "total_weight", "financial_status", "fulfillment_status", "source_name",
    "landing_site_base_url", "referring_site", "buyer_accepts_marketing", "location_id", "user_id",
    "billing_address_name", "billing_address_first_name", "billing_address_last_name", "billing_address_company",
    "billing_address_address_1", "billing_address_address_2", "billing_address_city",
    "billing_address_province", "billing_address_province_code", "billing_address_country",
    "billing_address_country_code", "billing_address_zip", "billing_address_phone",
    "shipping_address_name", "shipping_address_first_name", "shipping_address_last_name",
    "shipping_address_company", "shipping_address_address_1", "shipping_address_address_2",
    "shipping_address_city", "shipping_address_province", "shipping_address_province_code",
    "shipping_address_country", "shipping_address_country_code", "shipping_address_zip",
    "shipping_address_phone", "_fivetran_synced", "_fivetran_deleted",
]
ORDER_LINE_HEADER = [
    "id", "order_id", "index", "product_id", "variant_id", "sku", "name", "title", "variant_title", "vendor",
    "price", "quantity", "total_discount", "pre_tax_price", "gift_card", "taxable", "requires_shipping",
    "grams", "fulfillment_status", "_fivetran_synced",
]
DISCOUNT_CODE_HEADER = ["order_id", "index", "code", "amount", "type", "_fivetran_synced"]
REFUND_HEADER = ["id", "order_id", "created_at", "processed_at", "note", "restock", "user_id", "_fivetran_synced"]
LINE_REFUND_HEADER = ["id", "refund_id", "order_line_id", "quantity", "subtotal", "total_tax", "restock_type",
                      "location_id", "_fivetran_synced"]
PRODUCT_HEADER = ["id", "title", "handle", "product_type", "vendor", "status", "created_at", "updated_at",
                  "published_at", "_fivetran_deleted", "_fivetran_synced"]
VARIANT_HEADER = ["id", "product_id", "inventory_item_id", "sku", "title", "price", "compare_at_price",
                  "position", "taxable", "created_at", "updated_at", "_fivetran_synced"]
INVENTORY_HEADER = ["id", "sku", "cost", "requires_shipping", "tracked", "created_at", "updated_at",
                    "_fivetran_deleted", "_fivetran_synced"]
CUSTOMER_HEADER = ["id", "email", "first_name", "last_name", "phone", "state", "orders_count", "total_spent",
                   "created_at", "updated_at", "accepts_marketing", "verified_email", "tax_exempt",
                   "_fivetran_synced"]


def _address(o: Order) -> list[str]:
    c = o.customer
    p = c.place
    return [f"{c.first} {c.last}", c.first, c.last, "", c.street, "", p.city, p.province, p.province_code,
            p.country, p.country_code, p.zip, c.phone]


def _shipping_set(cents: int) -> str:
    amt = money(cents)
    return json.dumps({"shop_money": {"amount": amt, "currency_code": SHOP_CURRENCY},
                       "presentment_money": {"amount": amt, "currency_code": SHOP_CURRENCY}},
                      separators=(",", ":"))


def _order_row(o: Order, as_of: int, synced: str) -> list:
    status = o.financial_status(as_of)
    fulfilled = o.fulfilled_at is not None and o.fulfilled_at < as_of
    cancelled = o.cancelled_at is not None and o.cancelled_at < as_of
    grams = sum(450 * ln.qty for ln in o.lines if not ln.variant.gift_card)
    addr = _address(o)
    return [
        o.id, o.name, o.number - 1000, o.number, o.email, o.customer.id, SHOP_CURRENCY, SHOP_CURRENCY,
        _shopify_ts(o.created), _shopify_ts(o.created), _shopify_ts(o.updated_at(as_of)),
        _shopify_ts(o.cancelled_at) if cancelled else "", "customer" if cancelled else "",
        _shopify_ts(o.fulfilled_at) if fulfilled and status == "paid" else "", _b(o.test), "false",
        money(o.subtotal), money(o.discounts), money(o.line_items_total), money(o.tax), money(o.total),
        _shipping_set(o.shipping), grams, status, "fulfilled" if fulfilled else "", o.source_name,
        o.landing_base, o.referrer, _b(o.customer.accepts_marketing), "", "",
        *addr, *addr, synced, _b(o.deleted),
    ]


def _orders_by_month(world: World, month_of) -> dict[int, list[tuple[Order, bool]]]:
    """month index -> [(order, created_in_month)], the order re-exported in months where it was refunded."""
    out: dict[int, list[tuple[Order, bool]]] = {mi: [] for mi in world.month_idx}
    first = world.month_idx[0]
    for o in world.orders:
        m_created = max(first, month_of(o.created))
        out[m_created].append((o, True))
        seen = {m_created}
        for r in o.refunds:
            m = month_of(r.processed)
            if m not in seen and m in out:
                out[m].append((o, False))
                seen.add(m)
    for rows in out.values():
        rows.sort(key=lambda x: (not x[1], x[0].created, x[0].id))
    return out


def _fill_session_fields(world: World) -> None:
    """landing_site_base_url / referring_site of web orders, from the session that placed them."""
    from socialroi.simulate.organic_writers import order_referrer

    s = world.sessions
    for o in world.orders:
        if o.session_row >= 0 and not o.landing_base:
            r = o.session_row
            ch = int(s.channel[r])
            if ch == META:
                o.landing_base = SHOP_URL + cat.ADS[int(s.ad[r])].path
            elif ch in (FB_POST, IG_DEALS, IG_COMM):
                o.landing_base = SHOP_URL + world.posts[int(s.post[r])].link_path
            else:
                o.landing_base = SHOP_URL + "/"
            organic = order_referrer(world, r)
            if organic is not None:
                o.landing_base, o.referrer = organic
                continue
            o.referrer = {META: "https://l.facebook.com/", FB_POST: "https://l.facebook.com/",
                          FB_NOPOST: "https://m.facebook.com/", IG_DEALS: "https://l.instagram.com/",
                          IG_COMM: "https://l.instagram.com/", IG_BIO: "https://l.instagram.com/",
                          ORG_SEARCH: "https://www.google.com/", PAID_SEARCH: "https://www.google.com/",
                          REFERRAL: "https://www.reddit.com/r/Coffee/"}.get(ch, "")


def write_shopify_connector(world: World, out: Landing) -> None:
    _fill_session_fields(world)
    by_month = _orders_by_month(world, month_index)
    product_created = world.span_lo - 400 * DAY
    customers_by_month: dict[int, list] = {}
    for c in world.customers:  # a customer is re-exported in every month it was created or ordered in
        if not c.id:
            continue  # guest checkouts have no customer record
        months = {month_index(c.created)} | {month_index(o.created) for o in c.orders if not o.deleted}
        for mi in sorted({max(m, world.month_idx[0]) for m in months}):
            customers_by_month.setdefault(mi, []).append(c)
    refunds_by_month: dict[int, list] = {mi: [] for mi in world.month_idx}
    for o in world.orders:
        for r in o.refunds:
            refunds_by_month[month_index(r.processed)].append(r)
    for mi in world.month_idx:
        label = month_label(mi)
        as_of = month_start_ts(mi + 1)
        name = f"{label}.csv"
        orders = [o for o, _ in by_month[mi]]
        created = [o for o, c in by_month[mi] if c]
        out.write("shopify", "order", name, ORDER_HEADER, [_order_row(o, as_of, _synced(as_of, 1)) for o in orders])
        lines = []
        for o in created:
            for k, ln in enumerate(o.lines, 1):
                v = ln.variant
                fulfilled = o.fulfilled_at is not None and o.fulfilled_at < as_of
                lines.append([ln.id, o.id, k, v.product_id, v.variant_id, v.sku, v.line_name, v.title,
                              v.variant_title, "Acme", money(ln.price), ln.qty, money(ln.discount),
                              money(ln.amount - ln.discount), _b(v.gift_card), _b(not v.gift_card),
                              _b(not v.gift_card), 0 if v.gift_card else 450,
                              "fulfilled" if fulfilled else "", _synced(as_of, 2)])
        out.write("shopify", "order_line", name, ORDER_LINE_HEADER, lines)
        codes = [[o.id, k, code, money(amount), kind, _synced(as_of, 3)]
                 for o in created for k, (code, amount, kind) in enumerate(o.codes, 1)]
        out.write("shopify", "order_discount_code", name, DISCOUNT_CODE_HEADER, codes)
        refunds = sorted(refunds_by_month[mi], key=lambda r: (r.processed, r.id))
        out.write("shopify", "refund", name, REFUND_HEADER, [
            [r.id, r.order.id, _shopify_ts(r.created), _shopify_ts(r.processed), "", _b(
                r.lines[0].restock_type != "no_restock"), "", _synced(as_of, 4)] for r in refunds])
        out.write("shopify", "order_line_refund", name, LINE_REFUND_HEADER, [
            [rl.id, r.id, rl.line.id, rl.qty, money(rl.subtotal), money(rl.tax), rl.restock_type, "",
             _synced(as_of, 5)] for r in refunds for rl in r.lines])
        seen_products: set[str] = set()
        products = []
        for v in world.variants:
            if v.product_id in seen_products:
                continue
            seen_products.add(v.product_id)
            products.append([v.product_id, v.title, v.handle, v.product_type, "Acme", "active",
                             _shopify_ts(product_created), _shopify_ts(product_created + DAY),
                             _shopify_ts(product_created + DAY), "false", _synced(as_of, 6)])
        out.write("shopify", "product", name, PRODUCT_HEADER, products)
        out.write("shopify", "product_variant", name, VARIANT_HEADER, [
            [v.variant_id, v.product_id, v.inventory_item_id, v.sku, v.variant_title, money(v.price), "",
             1 + (v.index - 30 if v.gift_card else 0), _b(not v.gift_card), _shopify_ts(product_created),
             _shopify_ts(product_created + DAY), _synced(as_of, 7)] for v in world.variants])
        out.write("shopify", "inventory_item", name, INVENTORY_HEADER, [
            [v.inventory_item_id, v.sku, "" if v.cost is None else money(v.cost), _b(not v.gift_card),
             _b(not v.gift_card), _shopify_ts(product_created), _shopify_ts(product_created + DAY), "false",
             _synced(as_of, 8)] for v in world.variants])
        custs = []
        for c in customers_by_month.get(mi, []):
            past = [o for o in c.orders if o.created < as_of and not o.deleted]
            spent = sum(o.total - sum(r.subtotal + r.tax for r in o.refunds_until(as_of)) for o in past)
            updated = max([c.created + 30] + [o.created + 7 for o in past])
            custs.append([c.id, c.email, c.first, c.last, c.phone, "enabled", len(past), money(spent),
                          _shopify_ts(c.created), _shopify_ts(updated), _b(c.accepts_marketing), "true", "false",
                          _synced(as_of, 9)])
        out.write("shopify", "customer", name, CUSTOMER_HEADER, custs)


# ================================================================ Shopify admin "Export orders"


def write_shopify_admin_export(world: World, out: Landing) -> None:
    tz = world.shop_tz
    zone = ZoneInfo(SHOP_TIMEZONE)

    def local_month(ts: int) -> int:
        return month_index(ts + tz.offset_of(ts))

    def local_str(ts: int | None) -> str:
        return "" if ts is None else tz.local_str(ts)

    by_month = _orders_by_month(world, local_month)
    for mi in world.month_idx:
        nxt = month_label(mi + 1)
        as_of = int(dt.datetime(int(nxt[:4]), int(nxt[5:]), 1, tzinfo=zone).timestamp())
        rows = []
        for o, _created_here in by_month[mi]:
            if o.deleted:
                continue  # deleted orders are gone from the admin
            status = o.financial_status(as_of)
            fulfilled = o.fulfilled_at is not None and o.fulfilled_at < as_of
            cancelled = o.cancelled_at is not None and o.cancelled_at < as_of
            refunded = sum(r.subtotal + r.tax for r in o.refunds_until(as_of))
            c = o.customer
            p = c.place
            zip_ = f"'{p.zip}" if p.country_code == "US" else p.zip
            rate = p.tax_rate
            tax_name = f"{p.tax_name} {rate / 1000:g}%" if rate and o.tax else ""
            payment = {"shopify_payments": "Shopify Payments", "paypal": "PayPal Express Checkout",
                       "manual": "manual", "bogus": "bogus"}[o.gateway]
            ref = "" if o.gateway == "manual" else f"c{o.id[-11:]}.1"
            order_level = {
                "Email": o.email, "Financial Status": status, "Paid at": local_str(o.created + 5),
                "Fulfillment Status": "fulfilled" if fulfilled else "unfulfilled",
                "Fulfilled at": local_str(o.fulfilled_at) if fulfilled else "",
                "Accepts Marketing": "yes" if c.accepts_marketing else "no", "Currency": SHOP_CURRENCY,
                "Subtotal": money(o.subtotal), "Shipping": money(o.shipping), "Taxes": money(o.tax),
                "Total": money(o.total), "Discount Code": ", ".join(code for code, _, _ in o.codes),
                "Discount Amount": money(o.discounts), "Shipping Method": o.shipping_title,
                "Billing Name": f"{c.first} {c.last}", "Billing Street": c.street, "Billing Address1": c.street,
                "Billing City": p.city, "Billing Zip": zip_, "Billing Province": p.province_code,
                "Billing Country": p.country_code, "Billing Phone": c.phone,
                "Shipping Name": f"{c.first} {c.last}", "Shipping Street": c.street,
                "Shipping Address1": c.street, "Shipping City": p.city, "Shipping Zip": zip_,
                "Shipping Province": p.province_code, "Shipping Country": p.country_code,
                "Shipping Phone": c.phone, "Cancelled at": local_str(o.cancelled_at) if cancelled else "",
                "Payment Method": payment, "Payment Reference": ref, "Refunded Amount": money(refunded),
                "Outstanding Balance": "0.00", "Id": o.id, "Tags": "test" if o.test else "", "Risk Level": "Low",
                "Source": o.source_name, "Tax 1 Name": tax_name, "Tax 1 Value": money(o.tax) if tax_name else "",
                "Phone": c.phone if int(o.id) % 3 == 0 else "", "Billing Province Name": p.province,
                "Shipping Province Name": p.province, "Payment ID": ref, "Payment References": ref,
            }
            for k, ln in enumerate(o.lines):
                v = ln.variant
                line_level = {
                    "Name": o.name, "Email": o.email, "Created at": local_str(o.created),
                    "Lineitem quantity": ln.qty, "Lineitem name": v.line_name, "Lineitem price": money(ln.price),
                    "Lineitem compare at price": "", "Lineitem sku": v.sku,
                    "Lineitem requires shipping": _b(not v.gift_card), "Lineitem taxable": _b(not v.gift_card),
                    "Lineitem fulfillment status": "fulfilled" if fulfilled else "pending", "Vendor": "Acme",
                    "Lineitem discount": money(ln.discount),
                }
                row = []
                for h in ADMIN_EXPORT_HEADER:
                    if h in line_level:
                        row.append(line_level[h])
                    elif k == 0:
                        row.append(order_level.get(h, ""))
                    else:
                        row.append("")
                rows.append(row)
        out.write("shopify", "admin_orders_export", f"{month_label(mi)}.csv", ADMIN_EXPORT_HEADER, rows)


# ================================================================ generic orders and returns

GENERIC_ORDER_HEADER = ["order_id", "created_at", "currency", "gross_sales", "customer_id", "email", "discount",
                        "discount_code", "shipping", "tax", "cost_of_goods", "is_test"]
GENERIC_RETURN_HEADER = ["order_id", "processed_at", "amount", "currency"]


def _iso_z(ts: int) -> str:
    return f"{ts_str(ts, 'T')}Z"


def write_generic_orders(world: World, out: Landing) -> None:
    for mi in world.month_idx:
        lo, hi = month_start_ts(mi), month_start_ts(mi + 1)
        rows = [[o.id, _iso_z(o.created), SHOP_CURRENCY, money(o.gross), o.customer.id, o.email,
                 money(o.discounts), ", ".join(c for c, _, _ in o.codes), money(o.shipping), money(o.tax),
                 money(o.cost) if o.cost_known else "", _b(o.test)]
                for o in world.orders if lo <= o.created < hi and not o.deleted]
        out.write("generic", "orders", f"{month_label(mi)}.csv", GENERIC_ORDER_HEADER, rows)
        refunds = sorted((r for o in world.orders for r in o.refunds if lo <= r.processed < hi),
                         key=lambda r: (r.processed, r.id))
        out.write("generic", "returns", f"{month_label(mi)}.csv", GENERIC_RETURN_HEADER,
                  [[r.order.id, _iso_z(r.processed), money(r.subtotal), SHOP_CURRENCY] for r in refunds])


# ================================================================ Meta ads

ACCOUNT_HEADER = ["id", "name", "currency", "timezone_name", "account_status", "business_country_code",
                  "created_time", "_fivetran_synced"]
CAMPAIGN_HEADER = ["id", "account_id", "name", "objective", "status", "start_time", "created_time",
                   "updated_time", "_fivetran_synced"]
AD_SET_HEADER = ["id", "account_id", "campaign_id", "name", "status", "optimization_goal", "billing_event",
                 "start_time", "created_time", "updated_time", "_fivetran_synced"]
AD_HEADER = ["id", "account_id", "ad_set_id", "campaign_id", "creative_id", "name", "status", "created_time",
             "updated_time", "_fivetran_synced"]
CREATIVE_HEADER = ["id", "account_id", "name", "url_tags", "object_story_link_data_link", "page_link",
                   "_fivetran_synced"]
BASIC_AD_HEADER = ["ad_id", "date", "account_id", "impressions", "inline_link_clicks", "spend", "reach",
                   "frequency", "_fivetran_synced"]
ACTIONS_HEADER = ["ad_id", "date", "index", "action_type", "value", "_7_d_click", "_1_d_view", "_fivetran_synced"]
ADS_MANAGER_HEADER = ["Reporting starts", "Reporting ends", "Day", "Account ID", "Account name", "Campaign name",
                      "Campaign ID", "Ad set name", "Ad set ID", "Ad name", "Ad ID", "Currency",
                      "Amount spent ({currency})", "Impressions", "Reach", "Frequency", "Link clicks", "Purchases",
                      "Purchases conversion value", "Attribution setting", "URL parameters"]


def _iso_t(ts: int) -> str:
    return ts_str(ts, "T")


def _iso_synced(ts: int, k: int) -> str:
    return _synced(ts, k).replace(" ", "T")


def _frequency(impressions: int, reach: int) -> str:
    return f"{impressions / reach:.6f}"


def _ad_account(ad: cat.Ad) -> int:
    return cat.CAMPAIGNS[cat.AD_SETS[ad.adset].campaign].account


def write_meta_connector(world: World, out: Landing) -> None:
    created = world.span_lo - cat.ENTITIES_CREATED_DAYS_BEFORE_SPAN * DAY
    for mi in world.month_idx:
        label = month_label(mi)
        as_of = month_start_ts(mi + 1)
        name = f"{label}.csv"
        out.write("facebook_ads", "account_history", name, ACCOUNT_HEADER, [
            [a.id, a.name, a.currency, a.timezone, 1, a.country, _iso_t(created - 400 * DAY), _iso_synced(as_of, 1)]
            for a in cat.ACCOUNTS])
        out.write("facebook_ads", "campaign_history", name, CAMPAIGN_HEADER, [
            [c.id, cat.ACCOUNTS[c.account].id, c.name, c.objective, "ACTIVE", _iso_t(created), _iso_t(created),
             _iso_t(created + HOUR), _iso_synced(as_of, 2)] for c in cat.CAMPAIGNS])
        out.write("facebook_ads", "ad_set_history", name, AD_SET_HEADER, [
            [s.id, cat.ACCOUNTS[cat.CAMPAIGNS[s.campaign].account].id, cat.CAMPAIGNS[s.campaign].id, s.name,
             "ACTIVE", s.optimization_goal, "IMPRESSIONS", _iso_t(created), _iso_t(created),
             _iso_t(created + 2 * HOUR), _iso_synced(as_of, 3)] for s in cat.AD_SETS])
        ad_rows = []
        for i, ad in enumerate(cat.ADS):
            s = cat.AD_SETS[ad.adset]
            paused_at = world.pause_day.get(i)
            status, updated = "ACTIVE", created + 3 * HOUR
            if paused_at is not None:
                tz = world.account_tz[_ad_account(ad)]
                pause_ts = paused_at * DAY - int(tz.offset(np.array([paused_at * DAY]))[0])
                if pause_ts < as_of:
                    status, updated = "PAUSED", pause_ts
            ad_rows.append([ad.id, cat.ACCOUNTS[_ad_account(ad)].id, s.id, cat.CAMPAIGNS[s.campaign].id,
                            ad.creative_id, ad.name, status, _iso_t(created), _iso_t(updated), _iso_synced(as_of, 4)])
        out.write("facebook_ads", "ad_history", name, AD_HEADER, ad_rows)
        out.write("facebook_ads", "creative_history", name, CREATIVE_HEADER, [
            [ad.creative_id, cat.ACCOUNTS[_ad_account(ad)].id, f"{ad.name} creative",
             json.dumps([{"key": k, "value": v, "type": "AD"} for k, v in ad_url_tags(ad)], separators=(",", ":")),
             SHOP_URL + ad.path, f"https://www.facebook.com/{cat.PAGE_ID}", _iso_synced(as_of, 5)]
            for ad in cat.ADS])
        days = [r for r in world.ad_days if int(month_of_day(r.day)) == mi]
        basic, actions, values = [], [], []
        for r in days:
            ad = cat.ADS[r.ad]
            acct = cat.ACCOUNTS[_ad_account(ad)]
            synced = _iso_synced((r.day + 1) * DAY, 6)
            date = day_str(r.day)
            basic.append([ad.id, date, acct.id, r.impressions, r.clicks, money(r.spend), r.reach,
                          _frequency(r.impressions, r.reach), synced])
            actions.append([ad.id, date, 0, "link_click", r.clicks, r.clicks, "", synced])
            if r.purchases:
                for k, action in enumerate(("offsite_conversion.fb_pixel_purchase", "omni_purchase"), 1):
                    actions.append([ad.id, date, k, action, r.purchases, r.purchases_click or "",
                                    r.purchases_view or "", synced])
                for k, action in enumerate(("offsite_conversion.fb_pixel_purchase", "omni_purchase")):
                    values.append([ad.id, date, k, action, money(r.value),
                                   money(r.value_click) if r.value_click else "",
                                   money(r.value_view) if r.value_view else "", synced])
        out.write("facebook_ads", "basic_ad", name, BASIC_AD_HEADER, basic)
        out.write("facebook_ads", "basic_ad_actions", name, ACTIONS_HEADER, actions)
        out.write("facebook_ads", "basic_ad_action_values", name, ACTIONS_HEADER, values)


def write_meta_ads_manager(world: World, out: Landing) -> None:
    for mi in world.month_idx:
        d_lo, d_hi = month_start_day(mi), month_start_day(mi + 1)
        for a_i, acct in enumerate(cat.ACCOUNTS):
            header = [h.format(currency=acct.currency) for h in ADS_MANAGER_HEADER]
            rows = []
            for r in world.ad_days:
                ad = cat.ADS[r.ad]
                if not d_lo <= r.day < d_hi or _ad_account(ad) != a_i:
                    continue
                s = cat.AD_SETS[ad.adset]
                c = cat.CAMPAIGNS[s.campaign]
                rows.append([day_str(d_lo), day_str(d_hi - 1), day_str(r.day), acct.id, acct.name, c.name, c.id,
                             s.name, s.id, ad.name, ad.id, acct.currency, money(r.spend), r.impressions, r.reach,
                             _frequency(r.impressions, r.reach), r.clicks, r.purchases or "",
                             money(r.value) if r.purchases else "", "7-day click or 1-day view",
                             ad_url_parameters(ad)])
            out.write("facebook_ads", "ads_manager_export", f"{month_label(mi)}_{acct.id}.csv", header, rows)


# ================================================================ organic: Facebook page, Instagram

PAGE_HEADER = ["id", "_fivetran_deleted", "_fivetran_synced", "name", "username", "category", "fan_count",
               "website", "link"]
POST_HEADER = ["id", "updated_time", "_fivetran_synced", "created_time", "is_published", "page_id", "parent_id",
               "permalink_url", "promotable_id", "share_count", "status_type", "message"]
POST_METRICS_HEADER = [
    "date", "post_id", "_fivetran_synced", "post_clicks", "post_engaged_fan", "post_engaged_users",
    "post_impressions", "post_impressions_fan", "post_impressions_nonviral", "post_impressions_organic",
    "post_impressions_paid", "post_impressions_viral", "post_negative_feedback", "post_reactions_anger_total",
    "post_reactions_haha_total", "post_reactions_like_total", "post_reactions_love_total",
    "post_reactions_sorry_total", "post_reactions_wow_total", "post_video_views",
]
IG_USER_HEADER = ["_fivetran_id", "_fivetran_synced", "followers_count", "follows_count", "id", "ig_id",
                  "media_count", "name", "username", "website"]
MEDIA_HEADER = ["_fivetran_id", "_fivetran_synced", "caption", "carousel_album_id", "created_time", "id", "ig_id",
                "is_comment_enabled", "is_story", "media_type", "media_url", "permalink", "shortcode",
                "thumbnail_url", "user_id", "username"]
INSIGHTS_HEADER = ["_fivetran_id", "_fivetran_synced", "id", "like_count", "comment_count", "video_photo_reach",
                   "video_photo_impressions", "video_photo_saved", "video_photo_shares", "video_photo_engagement",
                   "story_reach", "story_impressions", "story_exits", "story_replies", "story_taps_forward"]
FEED_METRIC_DAYS = 28  # the connector refreshes lifetime metrics of posts younger than this
STORY_METRIC_DAYS = 2


def _fb_message(p) -> str:
    return f"{p.headline} {p.link}" if p.has_link else p.headline


def _ig_caption(p) -> str:
    pct = "20" if p.code == "IGDEALS20" else "10"
    if p.stream == 1:
        if p.is_story:
            return f"Flash deal \N{FIRE} {pct}% off with code {p.code}: {p.link}"
        return f"{p.headline} Use code {p.code} at checkout for {pct}% off. Link in bio!"
    return f"{p.headline} Shop the look: {p.link}" if not p.is_story else f"Swipe up \N{SPARKLES} {p.link}"


def _post_totals(world: World, k: int) -> dict[str, int]:
    """Lifetime totals of post k (cosmetic, but consistent: link clicks >= sessions it sent)."""
    p = world.posts[k]
    rng = np.random.default_rng([world.seed, 202, k])
    base = math.sqrt(world.scale)
    clicks = math.ceil(p.sessions * 1.3) + int(rng.poisson(4 * base))
    impressions = int(clicks * rng.uniform(20, 45)) + int(rng.poisson(400 * base))
    likes = int(impressions * rng.uniform(0.01, 0.03))
    return {
        "clicks": clicks, "impressions": impressions, "likes": likes, "love": likes // 5, "haha": likes // 40,
        "wow": likes // 60, "sorry": 0, "anger": 0, "negative": int(rng.poisson(1)),
        "comments": int(likes * rng.uniform(0.03, 0.08)), "saved": int(likes * rng.uniform(0.05, 0.15)),
        "shares": int(likes * rng.uniform(0.02, 0.06)), "video_views": int(impressions * 0.3),
    }


def _frac(age_days: int) -> float:
    return 1.0 - math.exp(-(age_days + 1) / 1.6)


def write_organic(world: World, out: Landing) -> None:
    totals = [_post_totals(world, k) for k in range(len(world.posts))]
    for mi in world.month_idx:
        label = month_label(mi)
        name = f"{label}.csv"
        as_of = month_start_ts(mi + 1)
        d_lo, d_hi = month_start_day(mi), month_start_day(mi + 1)
        months_in = mi - world.month_idx[0]
        fans = int(12000 * math.sqrt(world.scale)) + 180 * months_in
        out.write("facebook_pages", "page", name, PAGE_HEADER, [
            [cat.PAGE_ID, "false", _synced(as_of, 11), cat.PAGE_NAME, cat.PAGE_USERNAME, "Kitchen/Cooking", fans,
             SHOP_URL, f"https://www.facebook.com/{cat.PAGE_USERNAME}"]])
        posts = [(k, p) for k, p in enumerate(world.posts) if p.created < as_of]
        out.write("facebook_pages", "post_history", name, POST_HEADER, [
            [p.id, ts_str(p.created + 60), _synced(as_of, 12), ts_str(p.created), "true", p.owner_id, "",
             f"https://www.facebook.com/{cat.PAGE_ID}/posts/{p.id.split('_')[1]}", p.id,
             totals[k]["shares"], p.status_type, _fb_message(p)]
            for k, p in posts if p.network == "facebook"])
        metrics = []
        insights = []
        for d in range(d_lo, d_hi):
            for k, p in posts:
                age = d - p.created // DAY
                limit = STORY_METRIC_DAYS if p.is_story else FEED_METRIC_DAYS
                if not 0 <= age < limit:
                    continue
                f = _frac(age)
                t = totals[k]

                def v(key: str, t=t, f=f) -> int:
                    return int(t[key] * f)

                if p.network == "facebook":
                    imp = v("impressions")
                    viral = imp * 12 // 100
                    engaged = v("clicks") + v("likes") + v("comments")
                    metrics.append([f"{day_str(d)} 07:00:00", p.id, synced_str(d * DAY + 20 * HOUR + 22 * 60, k),
                                    v("clicks"), engaged * 2 // 5, engaged, imp, imp * 2 // 5, imp - viral, imp, 0,
                                    viral, v("negative"), v("anger"), v("haha"), v("likes"), v("love"),
                                    v("sorry"), v("wow"), v("video_views") if p.status_type == "added_video" else 0])
                else:
                    synced = synced_str(d * DAY + 14 * HOUR + 22 * 60, k).replace(" ", "T")
                    imp = v("impressions")
                    reach = imp * 10 // 13
                    if p.is_story:
                        insights.append([_fid(p.id, d), synced, p.id, "", "", "", "", "", "", "", reach, imp,
                                         reach // 9, v("comments"), reach // 2])
                    else:
                        eng = v("likes") + v("comments") + v("saved") + v("shares")
                        insights.append([_fid(p.id, d), synced, p.id, v("likes"), v("comments"), reach, imp,
                                         v("saved"), v("shares"), eng, "", "", "", "", ""])
        out.write("facebook_pages", "lifetime_post_metrics_total", name, POST_METRICS_HEADER, metrics)
        users = []
        for uid, ig_id, username, display, _rate, _stories in cat.IG_USERS:
            media_count = sum(1 for _, p in posts if p.owner_id == uid)
            users.append([_fid(uid, mi), _iso_synced(as_of, 13), int(8000 * math.sqrt(world.scale)) + 150 * months_in,
                          310, uid, ig_id, media_count, display, username, SHOP_URL])
        out.write("instagram_business", "user_history", name, IG_USER_HEADER, users)
        out.write("instagram_business", "media_history", name, MEDIA_HEADER, [
            [_fid(p.id, mi), _iso_synced(as_of, 14), _ig_caption(p), "", _iso_t(p.created), p.id, p.ig_id, "true",
             _b(p.is_story), p.media_type, f"https://scontent.cdninstagram.example/{p.shortcode}.jpg",
             "" if p.is_story else f"https://www.instagram.com/p/{p.shortcode}/", p.shortcode,
             f"https://scontent.cdninstagram.example/{p.shortcode}_t.jpg" if p.media_type == "VIDEO" else "",
             p.owner_id, p.username]
            for _, p in posts if p.network == "instagram"])
        out.write("instagram_business", "media_insights", name, INSIGHTS_HEADER, insights)


def _fid(*parts: object) -> str:
    return fivetran_id(*parts)
