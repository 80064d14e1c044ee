"""Generate the simulated world in memory: rates, posts, visitors' journeys, orders, refunds, ad stats.

The writers (`writers.py`) only format what is decided here, so every layout describes the same world.
Randomness comes from one `numpy.random.Generator` (vectorised draws over sessions) and one
`random.Random` (per-order draws), both seeded from `seed`: same arguments, same world. Later additions
(the other ad networks; the LinkedIn / X / YouTube organic posts) draw from generators of their own, so
that adding them left everything drawn before exactly as it was.

Time is epoch seconds (UTC) in int64 arrays; days are days since 1970-01-01; money is integer cents.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote as url_quote

import numpy as np

from socialroi.simulate import _catalog as cat
from socialroi.simulate._common import (
    DAY,
    HOUR,
    SHOP_TIMEZONE,
    SHOP_URL,
    TzOffsets,
    allocate,
    day_date,
    day_str,
    div_half_even,
    div_half_up,
    month_start_day,
    month_start_ts,
    parse_month,
    tokens,
)

# ---------------------------------------------------------------- behaviour constants

WARMUP_DAYS = 42  # journeys may start this long before the span (their early sessions are not written)
JOURNEYS_PER_DAY = 89.0  # x scale; x ~2.24 sessions per journey ~ 200 sessions/day
SESSIONS_PER_JOURNEY_P = np.array([0.45, 0.22, 0.13, 0.09, 0.06, 0.05])
CONVERSION_BY_LENGTH = np.array([0.035, 0.07, 0.10, 0.13, 0.15, 0.17])
MAX_JOURNEY_DAYS = 40
NO_SESSION_ORDER_SHARE = 0.08  # orders with no session at all (draft/phone orders, blocked tracking)
TEST_ORDER_SHARE = 0.01
REFUND_SHARE = 0.045
CANCEL_SHARE = 0.012
RETURNING_SHARE = 0.25
GUEST_SHARE = 0.08
VIEW_THROUGH_CLAIM_SHARE = 0.15  # orders Meta claims on a 1-day view without any click
CLAIM_CLICK_WINDOW = 7 * DAY
# the other ad networks: their clicks are a share of what would otherwise be direct sessions (the
# PlatformAd weights are sessions per day at scale 1; about this many direct sessions a day at scale 1)
DIRECT_SESSIONS_PER_DAY = 52.0
# default click windows of their purchase claims, and the share of orders without a click they claim on a view
PLATFORM_CLICK_WINDOW = {"linkedin": 30 * DAY, "x": 30 * DAY, "tiktok": 7 * DAY, "pinterest": 30 * DAY,
                         "snapchat": 28 * DAY}
PLATFORM_VIEW_CLAIM_SHARE = {"linkedin": 0.0, "x": 0.01, "tiktok": 0.03, "pinterest": 0.02, "snapchat": 0.03}
HOURLY_PLATFORMS = ("tiktok", "snapchat")  # their connectors land hourly rows
X_EPOCH_MS = 1288834974657  # X's snowflake ids count milliseconds from this instant
# LinkedIn / X / YouTube organic: clicks from their posts and profiles are a share of the direct sessions left
# after the ad networks took theirs; a post is picked like a Facebook one (the latest post with a link published
# before the session minus an exponential delay of this many days, at most cat.ORGANIC_CLICK_DAYS old)
ORGANIC_CLICK_DELAY_DAYS = {"linkedin": 1.5, "x": 0.5, "youtube": 5.0}

# channels (session sources) -- the generator's own truth, not the pipeline's classification
(META, IG_DEALS, IG_COMM, IG_BIO, FB_POST, FB_NOPOST, ORG_SEARCH, PAID_SEARCH, EMAIL, REFERRAL, DIRECT,
 INTERNAL, PAYMENT_RETURN, PLATFORM_PAID, ORGANIC_POST, ORGANIC_PROFILE) = range(16)
CHANNEL_NAMES = ["meta_paid", "instagram_acme_deals", "instagram_acme_community", "instagram_bio",
                 "facebook_post", "facebook_other", "organic_search", "paid_search", "email", "referral",
                 "direct", "internal", "payment_return", "platform_paid", "organic_post", "organic_profile"]
# drawn channels 0..11 (PAYMENT_RETURN is assigned afterwards to a few order sessions; PLATFORM_PAID, a
# click on a LinkedIn / X / TikTok / Pinterest / Snapchat ad, to a share of the direct sessions; ORGANIC_POST,
# a click on a LinkedIn / X / YouTube post's link, and ORGANIC_PROFILE, a visit from such an account's profile,
# to a share of the direct sessions left after that)
P_FIRST = np.array([.22, .05, .04, .03, .04, .01, .20, .10, .05, .07, .18, .01])
P_LATER = np.array([.13, .03, .03, .02, .02, .01, .15, .10, .12, .03, .34, .02])
LIFT = np.array([.8, 1.1, .9, .9, .8, .8, 1.1, 1.2, 1.4, 1.0, 1.3, 1.0, 1.0, 1.0])
# UTC hour-of-day weights (a US shop: busy from US morning to late evening)
HOUR_W = np.array([6, 5, 4, 3, 2, 1.5, 1, 1, 1, 1.5, 2, 3, 4, 5, 6, 6.5, 6.5, 6.5, 6.5, 7, 7.5, 8, 8, 7])
HOUR_P = HOUR_W / HOUR_W.sum()
WEEKDAY_FACTOR = np.array([1.0, 1.02, 1.0, 0.98, 0.95, 0.85, 0.92])  # Monday first


# ---------------------------------------------------------------- records


@dataclass
class FxTable:
    """Daily reference rates, base USD, weekdays only; rates in micro-units (6 decimals)."""

    days: list[int]
    rates: dict[str, dict[int, int]]  # quote -> day -> rate x 1e6

    def micro(self, day: int, quote: str) -> int:
        """The rate for `day`, else the last earlier one at most 7 days back (as the loader does)."""
        if quote == "USD":
            return 1_000_000
        table = self.rates[quote]
        for back in range(8):
            if day - back in table:
                return table[day - back]
        raise KeyError(f"no {quote} rate within 7 days before day {day}")


@dataclass
class Post:
    network: str  # facebook | instagram
    stream: int  # 0 = facebook page, 1 = acme_deals, 2 = acme_community
    id: str
    owner_id: str
    username: str
    created: int
    is_story: bool
    media_type: str
    status_type: str
    slug: str
    headline: str
    link_path: str
    code: str
    has_link: bool
    shortcode: str
    ig_id: str
    sessions: int = 0

    @property
    def query(self) -> str:
        return (f"utm_source={self.network}&utm_medium=social&utm_campaign={self.slug}"
                f"&utm_content={self.id}")

    @property
    def link(self) -> str:
        return f"{SHOP_URL}{self.link_path}?{self.query}"


@dataclass
class OrganicPost:
    """A post of a LinkedIn page, an X handle or a YouTube channel (cat.ORGANIC_ACCOUNTS)."""

    account: int  # index into cat.ORGANIC_ACCOUNTS
    platform: str  # linkedin | x | youtube
    id: str  # LinkedIn: the post's URN (urn:li:share:... or urn:li:ugcPost:...); X: the tweet id; YouTube: the video id
    created: int
    kind: str  # LinkedIn: article | text | image | video; X: tweet; YouTube: video
    slug: str  # utm_campaign
    headline: str
    link_path: str
    has_link: bool
    short: str  # the platform's short link token (t.co, lnkd.in); '' for YouTube
    sessions: int = 0  # sessions its link sent (warm-up included)

    @property
    def query(self) -> str:
        a = cat.ORGANIC_ACCOUNTS[self.account]
        return (f"utm_source={a.utm_source}&utm_medium={a.utm_medium}&utm_campaign={self.slug}"
                f"&utm_content={url_quote(self.id, safe='')}")

    @property
    def link(self) -> str:
        return f"{SHOP_URL}{self.link_path}?{self.query}"


@dataclass
class OrganicPostDay:
    """One organic post's stats on one report day (the account's zone; LinkedIn: the UTC date of its daily
    sync), exactly as the platform's staging model derives them. None where the platform reports nothing.

    LinkedIn reports lifetime counters: for a post published before the span, its first day in the span
    carries everything accumulated until then (the staging model's first daily difference).
    """

    post: int  # index into World.organic_posts
    day: int
    sessions: int  # sessions its link sent on the day
    impressions: int | None
    reach: int | None
    likes: int
    comments: int
    shares: int
    saves: int | None
    link_clicks: int  # LinkedIn: clicks; X: URL clicks; YouTube: card clicks
    all_clicks: int  # X: clicks of any kind (>= link_clicks); else = link_clicks
    views: int = 0  # YouTube
    watch_minutes: float = 0.0  # YouTube
    subscribers_gained: int = 0  # YouTube
    subscribers_lost: int = 0  # YouTube
    card_impressions: int = 0  # YouTube

    def engagements(self, platform: str) -> int:
        """As the platform's staging model defines them."""
        if platform == "youtube":
            return self.likes + self.comments + self.shares
        return self.likes + self.comments + self.shares + self.all_clicks


@dataclass
class Customer:
    index: int
    id: str  # '' for a guest checkout
    first: str
    last: str
    email: str
    phone: str
    place: cat.Place
    street: str
    created: int
    accepts_marketing: bool
    staff: bool = False
    cookie: str = ""
    orders: list[Order] = field(default_factory=list)


@dataclass
class Line:
    id: str
    variant: cat.Variant
    qty: int
    price: int
    discount: int = 0
    tax: int = 0

    @property
    def amount(self) -> int:
        return self.price * self.qty


@dataclass
class RefundLine:
    id: str
    line: Line
    qty: int
    subtotal: int  # merchandise after the line's discount share, without tax
    tax: int
    restock_type: str


@dataclass
class Refund:
    id: str
    order: Order
    created: int
    processed: int
    lines: list[RefundLine]

    @property
    def subtotal(self) -> int:
        return sum(r.subtotal for r in self.lines)

    @property
    def tax(self) -> int:
        return sum(r.tax for r in self.lines)


@dataclass
class Order:
    """One order. Its amounts are cached on first use: read them only once the order is complete."""

    seq: int
    created: int
    kind: str  # web | no_session | test
    journey: int  # -1 when no journey
    id: str = ""
    number: int = 0
    test: bool = False
    deleted: bool = False
    customer: Customer | None = None
    email: str = ""
    lines: list[Line] = field(default_factory=list)
    codes: list[tuple[str, int, str]] = field(default_factory=list)  # (code as typed, amount, type)
    shipping: int = 0
    shipping_title: str = ""
    source_name: str = "web"
    gateway: str = "shopify_payments"
    landing_base: str = ""
    referrer: str = ""
    refunds: list[Refund] = field(default_factory=list)
    cancelled_at: int | None = None
    fulfilled_at: int | None = None
    session_row: int = -1  # index into the written sessions table

    @property
    def name(self) -> str:
        return f"#{self.number}"

    @cached_property
    def gross(self) -> int:
        """Gross sales: unit price x quantity over lines that are not gift cards."""
        return sum(ln.amount for ln in self.lines if not ln.variant.gift_card)

    @cached_property
    def line_items_total(self) -> int:
        return sum(ln.amount for ln in self.lines)

    @cached_property
    def discounts(self) -> int:
        return sum(ln.discount for ln in self.lines)

    @cached_property
    def tax(self) -> int:
        return sum(ln.tax for ln in self.lines)

    @cached_property
    def gift_card_sales(self) -> int:
        return sum(ln.amount for ln in self.lines if ln.variant.gift_card)

    @cached_property
    def subtotal(self) -> int:
        return self.line_items_total - self.discounts

    @cached_property
    def total(self) -> int:
        return self.subtotal + self.shipping + self.tax

    @property
    def cost(self) -> int:
        return sum(ln.variant.cost * ln.qty for ln in self.lines
                   if not ln.variant.gift_card and ln.variant.cost is not None)

    @property
    def cost_known(self) -> bool:
        return all(ln.variant.cost is not None for ln in self.lines if not ln.variant.gift_card)

    def refunds_until(self, ts: int) -> list[Refund]:
        return [r for r in self.refunds if r.processed < ts]

    def financial_status(self, as_of: int) -> str:
        if self.cancelled_at is not None and self.cancelled_at < as_of:
            return "refunded"
        refunds = self.refunds_until(as_of)
        if not refunds:
            return "paid"
        refunded = {}
        for r in refunds:
            for rl in r.lines:
                refunded[rl.line.id] = refunded.get(rl.line.id, 0) + rl.qty
        if all(refunded.get(ln.id, 0) >= ln.qty for ln in self.lines):
            return "refunded"
        return "partially_refunded"

    def updated_at(self, as_of: int) -> int:
        times = [self.created + 7]
        if self.fulfilled_at is not None and self.fulfilled_at < as_of:
            times.append(self.fulfilled_at)
        times += [r.processed for r in self.refunds_until(as_of)]
        return max(times)


@dataclass
class AdDay:
    ad: int
    day: int  # account-local date (days since epoch)
    sessions: int
    clicks: int
    impressions: int
    reach: int
    spend: int  # account-currency cents
    purchases_click: int = 0
    purchases_view: int = 0
    value_click: int = 0  # account-currency cents
    value_view: int = 0

    @property
    def purchases(self) -> int:
        return self.purchases_click + self.purchases_view

    @property
    def value(self) -> int:
        return self.value_click + self.value_view


@dataclass
class StatPart:
    """One connector row of a platform ad-day: a local hour (TikTok, Snapchat) or a placement (X)."""

    key: int | str  # local hour 0..23, or the placement name
    impressions: int
    clicks: int  # link / landing-page clicks
    all_clicks: int  # clicks of any kind (>= clicks)
    spend: int  # account-currency cents
    conversions: int
    value: int  # account-currency cents


@dataclass
class PlatformAdDay:
    """One ad of the other networks on one report day (the account's local day; LinkedIn: UTC)."""

    ad: int  # index into cat.PLATFORM_ADS
    day: int
    sessions: int
    clicks: int  # link / landing-page clicks (Pinterest: paid + earned outbound clicks)
    all_clicks: int  # clicks of any kind, >= clicks (LinkedIn and X report both)
    impressions: int
    earned_impressions: int  # Pinterest's earned (_2) share of impressions and clicks, included above
    earned_clicks: int
    spend: int  # account-currency cents
    conversions_click: int = 0
    conversions_view: int = 0
    value_click: int = 0  # account-currency cents
    value_view: int = 0
    parts: list[StatPart] = field(default_factory=list)  # the rows of hourly / per-placement connectors

    @property
    def conversions(self) -> int:
        return self.conversions_click + self.conversions_view

    @property
    def value(self) -> int:
        return self.value_click + self.value_view


@dataclass
class Sessions:
    """The written sessions (inside the span), sorted by start time; parallel arrays."""

    t: np.ndarray
    channel: np.ndarray
    ad: np.ndarray
    placement: np.ndarray  # 0 facebook, 1 instagram, -1 n/a
    post: np.ndarray  # index into World.posts, -1 n/a
    cookie: np.ndarray  # object array of str
    customer_id: np.ndarray  # object array of str
    email: np.ndarray  # object array of str
    order_id: np.ndarray  # object array of str
    uniform: np.ndarray  # (n, 6) uniforms for the writers' cosmetic choices
    platform_ad: np.ndarray  # index into cat.PLATFORM_ADS (channel PLATFORM_PAID), -1 n/a
    organic_account: np.ndarray  # index into cat.ORGANIC_ACCOUNTS (ORGANIC_POST / ORGANIC_PROFILE), -1 n/a
    organic_post: np.ndarray  # index into World.organic_posts (ORGANIC_POST), -1 n/a


@dataclass
class World:
    start: str
    months: list[str]
    month_idx: list[int]
    span_lo: int
    span_hi: int
    seed: int
    scale: float
    variants: list[cat.Variant]
    fx: FxTable
    posts: list[Post]
    sessions: Sessions
    orders: list[Order]  # every order ever created in the span, sorted by creation (incl. test/deleted)
    customers: list[Customer]
    ad_days: list[AdDay]
    shop_tz: TzOffsets
    account_tz: list[TzOffsets]
    pause_day: dict[int, int]  # ad index -> first local day it is paused
    platform_ad_days: list[PlatformAdDay]  # LinkedIn, X, TikTok, Pinterest, Snapchat
    platform_tz: list[TzOffsets]  # per cat.PLATFORM_ACCOUNTS
    platform_pause_day: dict[int, int]  # platform ad index -> first local day it is paused
    organic_posts: list[OrganicPost]  # LinkedIn / X / YouTube posts, sorted by creation
    organic_days: list[OrganicPostDay]  # their stats on the report days inside the span
    organic_tz: list[TzOffsets]  # per cat.ORGANIC_ACCOUNTS

    def month_bounds(self, mi: int) -> tuple[int, int]:
        return month_start_ts(mi), month_start_ts(mi + 1)


# ---------------------------------------------------------------- generation


def build_world(start: str, months: int, seed: int, scale: float) -> World:
    if months < 1:
        raise ValueError("months must be >= 1")
    if not scale > 0:
        raise ValueError("scale must be > 0")
    return _Builder(start, months, seed, scale).build()


class _Builder:
    def __init__(self, start: str, months: int, seed: int, scale: float):
        self.start = start
        self.mi0 = parse_month(start)
        self.month_idx = list(range(self.mi0, self.mi0 + months))
        self.span_lo = month_start_ts(self.mi0)
        self.span_hi = month_start_ts(self.mi0 + months)
        self.gen_lo = self.span_lo - WARMUP_DAYS * DAY
        self.seed = seed
        self.scale = scale
        self.rng = np.random.default_rng(seed)
        self.pr = random.Random(seed * 7919 + 17)
        self.variants = cat.variants()
        self.shop_tz = TzOffsets(SHOP_TIMEZONE, self.gen_lo, self.span_hi + 60 * DAY)
        self.account_tz = [TzOffsets(a.timezone, self.gen_lo, self.span_hi + 60 * DAY) for a in cat.ACCOUNTS]
        lo_day = self.span_lo // DAY
        self.pause_day = {i: lo_day + ad.pause_after_days for i, ad in enumerate(cat.ADS)
                          if ad.pause_after_days is not None}
        # the other ad networks draw from their own generators: adding them leaves Meta, the orders and
        # the other channels exactly as they were
        self.xrng = np.random.default_rng([seed, 301])
        self.xpr = random.Random(seed * 7919 + 29)
        self.platform_tz = [TzOffsets(a.timezone, self.gen_lo, self.span_hi + 60 * DAY) for a in cat.PLATFORM_ACCOUNTS]
        self.platform_pause_day = {i: lo_day + ad.pause_after_days for i, ad in enumerate(cat.PLATFORM_ADS)
                                   if ad.pause_after_days is not None}
        # LinkedIn / X / YouTube organic: generators of their own too
        self.orng = np.random.default_rng([seed, 401])
        self.opr = random.Random(seed * 7919 + 43)
        self.organic_tz = [TzOffsets(a.timezone, self.gen_lo - 14 * DAY, self.span_hi + 60 * DAY)
                           for a in cat.ORGANIC_ACCOUNTS]

    # .............................................................. orchestration
    def build(self) -> World:
        fx = self._fx()
        self.fx = fx
        posts = self._posts()
        self.posts = posts
        self._journeys()
        self._session_details()
        self._platform_sessions()
        self.organic_posts = self._organic_posts()
        self._organic_sessions()
        orders, customers = self._orders()
        self._refunds(orders)
        ad_days = self._ad_days(orders)
        platform_ad_days = self._platform_ad_days(orders)
        sessions = self._written_sessions(orders)
        self._post_session_counts()
        organic_days = self._organic_days()
        months = [f"{1970 + mi // 12:04d}-{mi % 12 + 1:02d}" for mi in self.month_idx]
        return World(
            start=self.start, months=months, month_idx=self.month_idx, span_lo=self.span_lo,
            span_hi=self.span_hi, seed=self.seed, scale=self.scale, variants=self.variants, fx=fx,
            posts=posts, sessions=sessions, orders=orders, customers=customers, ad_days=ad_days,
            shop_tz=self.shop_tz, account_tz=self.account_tz, pause_day=self.pause_day,
            platform_ad_days=platform_ad_days, platform_tz=self.platform_tz,
            platform_pause_day=self.platform_pause_day, organic_posts=self.organic_posts,
            organic_days=organic_days, organic_tz=self.organic_tz,
        )

    # .............................................................. FX
    def _fx(self) -> FxTable:
        rng = self.rng
        first = self.gen_lo // DAY - 14
        last = self.span_hi // DAY
        days = [d for d in range(first, last) if (d + 3) % 7 < 5]  # 1970-01-01 was a Thursday
        rates: dict[str, dict[int, int]] = {}
        for quote, level in (("EUR", 0.92), ("GBP", 0.79)):
            lvl = level * (1 + 0.02 * (rng.random() - 0.5))
            x = math.log(lvl)
            shocks = rng.normal(0.0, 0.0035, len(days))
            table = {}
            for d, eps in zip(days, shocks, strict=True):
                x += eps + 0.02 * (math.log(level) - x)
                table[d] = round(math.exp(x) * 1_000_000)
            rates[quote] = table
        return FxTable(days=days, rates=rates)

    # .............................................................. organic posts
    def _posts(self) -> list[Post]:
        rng, pr = self.rng, self.pr
        lo, hi = self.gen_lo - 7 * DAY, self.span_hi
        ndays = (hi - lo) // DAY
        streams = [(0, cat.FB_POSTS_PER_DAY, 0.0)] + [(k + 1, u[4], u[5]) for k, u in enumerate(cat.IG_USERS)]
        posts: list[Post] = []
        fb_seq = 880000000000000
        ig_seq = 17900000000000000
        for stream, per_day, story_share in streams:
            n = int(rng.poisson(per_day * ndays))
            t = np.sort(lo + rng.integers(0, ndays, n) * DAY + rng.integers(13 * HOUR, 23 * HOUR, n))
            codes = tokens(rng, n, 11, "b64url")
            for k in range(n):
                created = int(t[k])
                topic_i = pr.randrange(len(cat.POST_TOPICS))
                topic = cat.POST_TOPICS[topic_i]
                headline = cat.POST_HEADLINES[topic_i]
                day = np.datetime64(created, "s").astype("datetime64[D]")
                slug = f"{str(day).replace('-', '')}_{topic}"
                link_path = pr.choice(["/collections/new-arrivals", "/collections/all", "/products/trail-mug",
                                       "/products/pour-over-dripper", "/collections/gifts"])
                if stream == 0:
                    fb_seq += pr.randint(10_000_000, 90_000_000)
                    has_link = pr.random() < 0.7
                    status = "shared_story" if has_link else pr.choice(["added_photos", "added_video"])
                    posts.append(Post(
                        network="facebook", stream=0, id=f"{cat.PAGE_ID}_{fb_seq}", owner_id=cat.PAGE_ID,
                        username=cat.PAGE_USERNAME, created=created, is_story=False,
                        media_type="LINK" if has_link else ("PHOTO" if status == "added_photos" else "VIDEO"),
                        status_type=status, slug=slug, headline=headline, link_path=link_path, code="",
                        has_link=has_link, shortcode="", ig_id="",
                    ))
                else:
                    user = cat.IG_USERS[stream - 1]
                    ig_seq += pr.randint(1_000_000_000, 9_000_000_000)
                    is_story = pr.random() < story_share
                    if stream == 1:  # acme_deals: coupon-heavy
                        code = "IGDEALS20" if pr.random() < 0.25 else "IGDEALS10"
                        has_link = is_story  # link stickers only on stories; feed captions carry the code
                    else:
                        code = ""
                        has_link = True
                    media_type = pr.choice(["IMAGE", "VIDEO"]) if is_story else pr.choice(
                        ["IMAGE", "IMAGE", "CAROUSEL_ALBUM", "VIDEO"])
                    posts.append(Post(
                        network="instagram", stream=stream, id=str(ig_seq), owner_id=user[0], username=user[2],
                        created=created, is_story=is_story, media_type=media_type, status_type="",
                        slug=slug, headline=headline, link_path=link_path, code=code, has_link=has_link,
                        shortcode=str(codes[k]), ig_id=str(2377726600221403413 + ig_seq % 10**12),
                    ))
        posts.sort(key=lambda p: (p.created, p.stream, p.id))
        return posts

    # .............................................................. journeys and their sessions
    def _journeys(self) -> None:
        rng = self.rng
        ndays = (self.span_hi - self.gen_lo) // DAY
        days = self.gen_lo // DAY + np.arange(ndays)
        weekday = (days + 3) % 7
        trend = 1.0 + 0.004 * (np.arange(ndays) / 30.0)
        lam = JOURNEYS_PER_DAY * self.scale * WEEKDAY_FACTOR[weekday] * trend
        counts = rng.poisson(lam)
        jday = np.repeat(np.arange(ndays), counts)
        nj = len(jday)
        hour = rng.choice(24, size=nj, p=HOUR_P)
        t0 = self.gen_lo + jday * DAY + hour * HOUR + rng.integers(0, HOUR, nj)
        order = np.argsort(t0, kind="stable")
        t0 = t0[order]
        nsess = rng.choice(np.arange(1, 7), size=nj, p=SESSIONS_PER_JOURNEY_P)
        dur = np.where(nsess > 1, np.minimum(rng.exponential(6 * DAY, nj), (MAX_JOURNEY_DAYS - 1) * DAY), 0)
        dur = dur.astype(np.int64)

        ns = int(nsess.sum())
        jidx = np.repeat(np.arange(nj), nsess)
        starts = np.cumsum(nsess) - nsess
        pos = np.arange(ns) - np.repeat(starts, nsess)
        last = pos == np.repeat(nsess - 1, nsess)
        u = rng.random(ns)
        u[pos == 0] = 0.0
        u[last & (pos > 0)] = 1.0
        srt = np.lexsort((u, jidx))
        u = u[srt]
        t = t0[jidx] + (u * dur[jidx]).astype(np.int64) + pos * 1800 + rng.integers(0, 600, ns) * (pos > 0)

        ch_first = rng.choice(12, size=ns, p=P_FIRST)
        ch_later = rng.choice(12, size=ns, p=P_LATER)
        ch = np.where(pos == 0, ch_first, ch_later).astype(np.int8)

        lift = np.bincount(jidx, weights=LIFT[ch], minlength=nj) / nsess
        p_conv = CONVERSION_BY_LENGTH[nsess - 1] * lift
        converts = rng.random(nj) < p_conv
        t_last = t[starts + nsess - 1]
        t_order = t_last + rng.integers(180, 1500, nj)
        has_order = converts & (t_order >= self.span_lo) & (t_order < self.span_hi)

        # a few order sessions are really returns from the payment page (not a touchpoint)
        conv_last = starts[has_order & (nsess > 1)] + nsess[has_order & (nsess > 1)] - 1
        pick = conv_last[rng.random(len(conv_last)) < 0.02]
        ch[pick] = PAYMENT_RETURN

        self.nj, self.t0, self.nsess, self.jstart = nj, t0, nsess, starts
        self.has_order, self.t_order = has_order, t_order
        self.s_t, self.s_j, self.s_pos, self.s_ch = t, jidx, pos, ch
        self.s_last = last

    def _session_details(self) -> None:
        """Which ad / post each social session came from (recency-weighted for posts)."""
        rng = self.rng
        ns = len(self.s_t)
        ad = np.full(ns, -1, dtype=np.int16)
        plc = np.full(ns, -1, dtype=np.int8)
        post = np.full(ns, -1, dtype=np.int32)

        # Meta ads: weight x active on the session's local day in the ad's account
        m = np.nonzero(self.s_ch == META)[0]
        tm = self.s_t[m]
        w = np.zeros((len(m), len(cat.ADS)))
        local_days = [tz.local_day(tm) for tz in self.account_tz]
        for i, a in enumerate(cat.ADS):
            camp = cat.CAMPAIGNS[cat.AD_SETS[a.adset].campaign]
            ld = local_days[camp.account]
            active = np.ones(len(m), dtype=bool)
            if camp.flash:
                dom = (ld.astype("datetime64[D]") - ld.astype("datetime64[D]").astype("datetime64[M]")).astype(
                    np.int64) + 1
                active &= (dom >= 8) & (dom <= 21)
            if i in self.pause_day:
                active &= ld < self.pause_day[i]
            w[:, i] = a.weight * (2.5 if camp.flash else 1.0) * active
        cw = np.cumsum(w, axis=1)
        cw /= cw[:, -1:]
        pick = (rng.random(len(m))[:, None] > cw).sum(axis=1)
        ad[m] = pick
        fixed = np.array([{"facebook": 0, "instagram": 1, None: -1}[a.placement] for a in cat.ADS], dtype=np.int8)
        dyn = (rng.random(len(m)) < 0.45).astype(np.int8)
        plc[m] = np.where(fixed[pick] >= 0, fixed[pick], dyn)

        # organic posts: the latest post of the stream published before (session time - Exp(1.5 days))
        posts = self.posts
        for chan, stream, fallback in ((FB_POST, 0, FB_NOPOST), (IG_DEALS, 1, IG_BIO), (IG_COMM, 2, IG_BIO)):
            cand = [k for k, p in enumerate(posts) if p.stream == stream and p.has_link]
            sel = np.nonzero(self.s_ch == chan)[0]
            if not cand:
                self.s_ch[sel] = fallback
                continue
            ptimes = np.array([posts[k].created for k in cand], dtype=np.int64)
            target = self.s_t[sel] - (rng.exponential(1.5 * DAY, len(sel))).astype(np.int64)
            idx = np.searchsorted(ptimes, target, side="right") - 1
            ok = (idx >= 0) & (self.s_t[sel] - ptimes[np.maximum(idx, 0)] <= 14 * DAY)
            post[sel[ok]] = np.array(cand, dtype=np.int32)[idx[ok]]
            self.s_ch[sel[~ok]] = fallback

        self.s_ad, self.s_plc, self.s_post = ad, plc, post

    def _platform_sessions(self) -> None:
        """Clicks on the other networks' ads: a share of the direct sessions becomes one (own generator)."""
        xrng = self.xrng
        pad = np.full(len(self.s_t), -1, dtype=np.int16)
        d = np.nonzero(self.s_ch == DIRECT)[0]
        local_days = [tz.local_day(self.s_t[d]) for tz in self.platform_tz]
        w = np.zeros((len(d), len(cat.PLATFORM_ADS)))
        for i, a in enumerate(cat.PLATFORM_ADS):
            active = np.ones(len(d), dtype=bool)
            if i in self.platform_pause_day:
                active &= local_days[cat.platform_account_index(a)] < self.platform_pause_day[i]
            w[:, i] = a.weight * active
        u = xrng.random((len(d), 2))
        take = u[:, 0] < w.sum(axis=1) / DIRECT_SESSIONS_PER_DAY
        cw = np.cumsum(w[take], axis=1)
        cw /= cw[:, -1:]
        pick = (u[take, 1][:, None] > cw).sum(axis=1)
        pad[d[take]] = pick
        self.s_ch[d[take]] = PLATFORM_PAID
        self.s_pad = pad

    # .............................................................. LinkedIn / X / YouTube organic
    def _organic_posts(self) -> list[OrganicPost]:
        """Posts of the LinkedIn page, the X handles and the YouTube channel (own generators), from a week
        before the warm-up to the span's end. Ids as the platforms mint them: LinkedIn and X ids carry the
        creation time in milliseconds (bits 22 and up; X counts from its own epoch), YouTube's are 11
        random base64url characters."""
        orng, opr = self.orng, self.opr
        lo, hi = self.gen_lo - 7 * DAY, self.span_hi
        ndays = (hi - lo) // DAY
        posts: list[OrganicPost] = []
        for k, a in enumerate(cat.ORGANIC_ACCOUNTS):
            n = int(orng.poisson(a.posts_per_day * ndays))
            t = np.sort(lo + orng.integers(0, ndays, n) * DAY + orng.integers(13 * HOUR, 22 * HOUR, n))
            bits = orng.integers(0, 1 << 22, n)
            video_ids = tokens(orng, n, 11, "b64url")
            short = tokens(orng, n, 10, "alnum")
            for x in range(n):
                created = int(t[x])
                ms = created * 1000 + int(bits[x]) % 1000
                topic_i = opr.randrange(len(cat.POST_TOPICS))
                slug = f"{day_str(created // DAY).replace('-', '')}_{cat.POST_TOPICS[topic_i]}"
                has_link = opr.random() < a.link_share
                path = opr.choice(a.paths)
                if a.platform == "linkedin":
                    kind = (("article" if opr.random() < 0.6 else "text") if has_link
                            else opr.choice(["image", "image", "video"]))
                    # the Posts API mints share URNs for text and article posts, UGC post URNs for media
                    urn = "share" if kind in ("article", "text") else "ugcPost"
                    pid = f"urn:li:{urn}:{(ms << 22) | int(bits[x])}"
                elif a.platform == "x":
                    pid = str(((ms - X_EPOCH_MS) << 22) | int(bits[x]))
                    kind = "tweet"
                else:
                    pid = str(video_ids[x])
                    kind = "video"
                posts.append(OrganicPost(
                    account=k, platform=a.platform, id=pid, created=created, kind=kind, slug=slug,
                    headline=cat.POST_HEADLINES[topic_i], link_path=path, has_link=has_link,
                    short="" if a.platform == "youtube" else str(short[x]),
                ))
        posts.sort(key=lambda p: (p.created, p.account, p.id))
        return posts

    def _organic_sessions(self) -> None:
        """Visits from the LinkedIn / X / YouTube accounts: a share of the direct sessions (own generator),
        each from a post's link (recency-weighted, as for Facebook) or from the account's profile."""
        orng = self.orng
        ns = len(self.s_t)
        oacct = np.full(ns, -1, dtype=np.int8)
        opost = np.full(ns, -1, dtype=np.int32)
        accts = cat.ORGANIC_ACCOUNTS
        d = np.nonzero(self.s_ch == DIRECT)[0]
        w = np.array([a.sessions_per_day for a in accts])
        direct_left = DIRECT_SESSIONS_PER_DAY - sum(a.weight for a in cat.PLATFORM_ADS)
        u = orng.random((len(d), 3))
        take = u[:, 0] < w.sum() / direct_left
        sel = d[take]
        pick = (u[take, 1][:, None] > (np.cumsum(w) / w.sum())[None, :]).sum(axis=1)
        oacct[sel] = pick
        self.s_ch[sel] = ORGANIC_PROFILE
        from_post = u[take, 2] >= np.array([a.profile_share for a in accts])[pick]
        for k, a in enumerate(accts):
            mine = sel[(pick == k) & from_post]
            cand = [i for i, p in enumerate(self.organic_posts) if p.account == k and p.has_link]
            if not cand or not len(mine):
                continue
            ptimes = np.array([self.organic_posts[i].created for i in cand], dtype=np.int64)
            delay = orng.exponential(ORGANIC_CLICK_DELAY_DAYS[a.platform] * DAY, len(mine)).astype(np.int64)
            idx = np.searchsorted(ptimes, self.s_t[mine] - delay, side="right") - 1
            ok = (idx >= 0) & (self.s_t[mine] - ptimes[np.maximum(idx, 0)] <= cat.ORGANIC_CLICK_DAYS[a.platform] * DAY)
            opost[mine[ok]] = np.array(cand, dtype=np.int32)[idx[ok]]
            self.s_ch[mine[ok]] = ORGANIC_POST
        self.s_oacct, self.s_opost = oacct, opost

    def _organic_days(self) -> list[OrganicPostDay]:
        """Daily stats of every LinkedIn / X / YouTube post on the report days inside the span.

        A post is reported for cat.ORGANIC_METRIC_DAYS days from its publishing day (in the account's zone);
        its audience decays over cat.ORGANIC_DECAY_DAYS; link clicks >= the sessions its link sent that day.
        """
        orng = self.orng
        posts = self.organic_posts
        d_lo = month_start_day(self.month_idx[0])
        d_hi = month_start_day(self.month_idx[-1] + 1)
        base = math.sqrt(self.scale)
        counts: dict[tuple[int, int], int] = {}
        sel = np.nonzero(self.s_opost >= 0)[0]
        for k in range(len(cat.ORGANIC_ACCOUNTS)):
            mine = sel[self.s_oacct[sel] == k]
            for pi, day in zip(self.s_opost[mine].tolist(), self.organic_tz[k].local_day(self.s_t[mine]).tolist(),
                               strict=True):
                counts[(pi, day)] = counts.get((pi, day), 0) + 1
        for (pi, _), c in counts.items():
            posts[pi].sessions += c
        out: list[OrganicPostDay] = []
        for pi, p in enumerate(posts):
            m = cat.ORGANIC_METRIC_DAYS[p.platform]
            c_day = int(self.organic_tz[p.account].local_day(np.array([p.created]))[0])
            if c_day + m <= d_lo or c_day >= d_hi:
                continue
            ages = np.arange(m)
            share = np.exp(-ages / cat.ORGANIC_DECAY_DAYS[p.platform]) * orng.lognormal(0.0, 0.3, m)
            share /= share.sum()
            s = np.array([counts.get((pi, c_day + x), 0) for x in range(m)], dtype=np.int64)
            extra = (6.0 if p.has_link else 1.5) * base * share
            if p.platform == "x" and not p.has_link:
                extra = extra * 0
            clicks = s + orng.poisson(0.3 * s + extra)
            zero = np.zeros(m, dtype=np.int64)
            views = zero
            if p.platform == "youtube":
                views = orng.poisson(700 * base * share) + 8 * clicks
                likes = orng.binomial(views, 0.04)
                comments = orng.binomial(likes, 0.1)
                shares = orng.binomial(views, 0.004)
                saves = orng.binomial(views, 0.006)
                impressions = reach = None
                all_clicks = clicks
            else:
                impressions = (np.round(clicks * orng.uniform(20, 45, m)).astype(np.int64)
                               + orng.poisson((900 if p.platform == "linkedin" else 1400) * base * share))
                likes = orng.binomial(impressions, 0.018 if p.platform == "linkedin" else 0.012)
                comments = orng.binomial(likes, 0.08)
                shares = orng.binomial(likes, 0.06 if p.platform == "linkedin" else 0.15)
                saves = None
                reach = (impressions * orng.uniform(0.7, 0.85, m)).astype(np.int64) \
                    if p.platform == "linkedin" else None
                all_clicks = clicks + orng.poisson(0.004 * impressions) if p.platform == "x" else clicks
            watch = np.round(views * orng.uniform(120, 450, m)).astype(np.int64)  # hundredths of a minute
            card_imp = clicks + orng.binomial(views, 0.5)
            subs_gained = orng.binomial(views, 0.004)
            subs_lost = orng.binomial(views, 0.001)
            series = {"sessions": s, "impressions": impressions, "reach": reach, "likes": likes,
                      "comments": comments, "shares": shares, "saves": saves, "link_clicks": clicks,
                      "all_clicks": all_clicks, "views": views, "watch_minutes": watch,
                      "subscribers_gained": subs_gained, "subscribers_lost": subs_lost,
                      "card_impressions": card_imp}
            first = max(c_day, d_lo)
            last = min(c_day + m, d_hi)
            for day in range(first, last):
                x = day - c_day
                # LinkedIn's lifetime counters: the first day inside the span carries what came before
                lo_x = 0 if (p.platform == "linkedin" and day == first) else x
                vals = {key: (None if arr is None else int(arr[lo_x:x + 1].sum())) for key, arr in series.items()}
                vals["watch_minutes"] = vals["watch_minutes"] / 100
                out.append(OrganicPostDay(post=pi, day=day, **vals))
        out.sort(key=lambda r: (r.day, r.post))
        return out

    # .............................................................. orders and customers
    def _orders(self) -> tuple[list[Order], list[Customer]]:
        rng, pr = self.rng, self.pr
        seeds: list[tuple[int, str, int]] = []
        conv = np.nonzero(self.has_order)[0]
        seeds += [(int(self.t_order[j]), "web", int(j)) for j in conv]
        n_web = len(conv)
        days = (self.span_hi - self.span_lo) // DAY
        n_nos = int(rng.poisson(NO_SESSION_ORDER_SHARE / (1 - NO_SESSION_ORDER_SHARE) * n_web))
        t_nos = self.span_lo + rng.integers(0, days, n_nos) * DAY + rng.choice(24, n_nos, p=HOUR_P) * HOUR \
            + rng.integers(0, HOUR, n_nos)
        seeds += [(int(x), "no_session", -1) for x in t_nos]
        for mi in self.month_idx:
            lo, hi = month_start_ts(mi), month_start_ts(mi + 1)
            in_month = int(((t_nos >= lo) & (t_nos < hi)).sum()) + int(
                ((self.t_order[conv] >= lo) & (self.t_order[conv] < hi)).sum())
            n_test = max(1, int(rng.poisson(TEST_ORDER_SHARE * in_month)))
            for _ in range(n_test):
                d = pr.randrange((hi - lo) // DAY)
                seeds.append((lo + d * DAY + pr.randint(14 * HOUR, 22 * HOUR), "test", -1))
            n_del = max(1, int(rng.poisson(0.004 * in_month)))
            for _ in range(n_del):
                d = pr.randrange((hi - lo) // DAY)
                t = lo + d * DAY + pr.randint(13 * HOUR, 23 * HOUR)
                seeds.append((t, "deleted", -1))
        seeds.sort()

        # per-journey touch flags for discount-code behaviour
        j_flash = np.zeros(self.nj, dtype=bool)
        flash_ads = [i for i, a in enumerate(cat.ADS) if cat.CAMPAIGNS[cat.AD_SETS[a.adset].campaign].flash]
        j_flash[self.s_j[np.isin(self.s_ad, flash_ads)]] = True
        j_email = np.zeros(self.nj, dtype=bool)
        j_email[self.s_j[self.s_ch == EMAIL]] = True
        j_comm = np.zeros(self.nj, dtype=bool)
        j_comm[self.s_j[self.s_ch == IG_COMM]] = True
        j_fbpost = np.zeros(self.nj, dtype=bool)
        j_fbpost[self.s_j[self.s_ch == FB_POST]] = True
        j_deals = np.full(self.nj, -1, dtype=np.int32)
        dsel = np.nonzero(self.s_ch == IG_DEALS)[0]
        j_deals[self.s_j[dsel]] = self.s_post[dsel]  # sessions are time-sorted: the last touch wins
        deals_feed = [(p.created, p.code) for p in self.posts if p.stream == 1 and not p.is_story]
        deals_feed_t = [x[0] for x in deals_feed]

        # cookies: one per journey; returning customers sometimes come back on the same device
        cookie_n = rng.integers(10**9, 10**10, self.nj)
        self.j_cookie = np.char.add(np.char.add(cookie_n.astype(str), "."), self.t0.astype(str)).astype(object)
        self.j_customer = np.full(self.nj, -1, dtype=np.int64)
        self.j_order = np.full(self.nj, -1, dtype=np.int64)

        customers: list[Customer] = []
        first_order_t: list[int] = []
        staff = self._new_customer(customers, self.span_lo - 120 * DAY, staff=True)
        staff.cookie = "1000000001.1700000000"

        cum_pop = list(np.cumsum([v.popularity for v in self.variants if not v.gift_card]))
        merch = [v for v in self.variants if not v.gift_card]
        gifts = [v for v in self.variants if v.gift_card]

        orders: list[Order] = []
        oid = 5_900_000_000_000
        for seq, (t, kind, j) in enumerate(seeds):
            oid += pr.randint(1_000, 90_000)
            o = Order(seq=seq, created=t, kind="no_session" if kind == "deleted" else kind, journey=j,
                      id=str(oid), number=1001 + seq)
            o.test = kind == "test"
            o.deleted = kind == "deleted"
            # who
            if o.test:
                cust = staff
            else:
                t_ref = int(self.t0[j]) if j >= 0 else t
                k = bisect.bisect_left(first_order_t, t_ref)
                if k > 0 and pr.random() < RETURNING_SHARE:
                    cust = customers[1 + pr.randrange(k)]  # customers[0] is staff
                elif pr.random() < GUEST_SHARE:
                    cust = self._new_customer(None, t - pr.randint(0, 90))
                else:
                    cust = self._new_customer(customers, t - pr.randint(5, 90))
                    first_order_t.append(t)
            o.customer = cust
            o.email = cust.email if pr.random() < 0.9 else _typed_email(cust.email, pr, whitespace=False)
            cust.orders.append(o)
            if j >= 0:
                prev = cust.orders[:-1]
                if cust.id and cust.cookie and prev and prev[-1].created < self.t0[j] and pr.random() < 0.5:
                    self.j_cookie[j] = cust.cookie
                cust.cookie = self.j_cookie[j]
                self.j_customer[j] = cust.index if cust.id else -1
                self.j_order[j] = seq
            # what
            if pr.random() < 0.01:
                o.lines.append(Line("", pr.choice(gifts), 1, 0))
            else:
                n_lines = pr.choices([1, 2, 3, 4], weights=[55, 28, 12, 5])[0]
                chosen: list[cat.Variant] = []
                while len(chosen) < n_lines:
                    v = pr.choices(merch, cum_weights=cum_pop)[0]
                    if v not in chosen:
                        chosen.append(v)
                for v in chosen:
                    o.lines.append(Line("", v, pr.choices([1, 2, 3], weights=[80, 15, 5])[0], 0))
                if pr.random() < 0.02:
                    o.lines.append(Line("", pr.choice(gifts), 1, 0))
            for ln in o.lines:
                ln.price = ln.variant.price
            # discount code
            code = None if o.test else self._pick_code(o, j, cust, j_deals, j_flash, j_email, j_comm, j_fbpost,
                                                        deals_feed, deals_feed_t)
            if code:
                self._apply_code(o, code)
            # tax and shipping
            rate = cust.place.tax_rate
            for ln in o.lines:
                if not ln.variant.gift_card:
                    ln.tax = div_half_up((ln.amount - ln.discount) * rate, 100_000)
            merch_after = o.gross - o.discounts
            if o.gross == 0:
                o.shipping, o.shipping_title = 0, ""
            elif merch_after >= 7500:
                o.shipping, o.shipping_title = 0, "Free Shipping"
            elif pr.random() < 0.15:
                o.shipping, o.shipping_title = 1299, "Express"
            else:
                o.shipping, o.shipping_title = 499, "Standard"
            # channel of the sale
            if o.test:
                o.gateway = "bogus"
            elif kind in ("no_session", "deleted"):
                if pr.random() < 0.4:
                    o.source_name, o.gateway = "shopify_draft_order", "manual"
            else:
                o.gateway = "paypal" if pr.random() < 0.25 else "shopify_payments"
            if o.gross > 0 and pr.random() < 0.97:
                o.fulfilled_at = t + pr.randint(8 * HOUR, 3 * DAY)
            orders.append(o)

        # ids of lines, in creation order
        lid = 13_700_000_000_000
        for o in orders:
            for ln in o.lines:
                lid += pr.randint(1_000, 9_000)
                ln.id = str(lid)
        self.orders = orders
        self.customers = customers
        self.staff = staff
        return orders, customers

    def _new_customer(self, pool: list[Customer] | None, created: int, staff: bool = False) -> Customer:
        pr = self.pr
        if staff:
            first, last, email = "Quinn", "Tester", "qa+orders@acme.example.com"
        else:
            first, last = pr.choice(cat.FIRST_NAMES), pr.choice(cat.LAST_NAMES)
            n = pr.randint(1, 9999)
            style = pr.random()
            local = (f"{first}.{last}{n}" if style < 0.6 else f"{first[0]}{last}{n}" if style < 0.85
                     else f"{first}_{last}")
            email = f"{local}@{pr.choice(cat.EMAIL_DOMAINS)}".lower()
        place = pr.choices(cat.PLACES, cum_weights=_PLACE_CUM)[0]
        num = pr.randint(100, 199)
        phone_style = pr.random()
        local_no = f"555-{num:04d}"
        if place.country_code in ("US", "CA"):
            area = place.phone_prefix.split()[1]
            phone = (f"+1 {area} {local_no}" if phone_style < 0.4 else f"({area}) {local_no}" if phone_style < 0.7
                     else f"+1{area}555{num:04d}")
        else:
            phone = f"{place.phone_prefix} 5550 {num:04d}"
        street = f"{pr.randint(1, 2999)} {pr.choice(cat.STREETS)}"
        index = len(pool) if pool is not None else -1
        cid = str(7_100_000_000_000 + 1_009 * (index + 1)) if pool is not None else ""
        c = Customer(index=index, id=cid, first=first, last=last, email=email, phone=phone, place=place,
                     street=street, created=created, accepts_marketing=pr.random() < 0.45, staff=staff)
        if pool is not None:
            pool.append(c)
        return c

    def _pick_code(self, o: Order, j: int, cust: Customer, j_deals, j_flash, j_email, j_comm, j_fbpost,
                   deals_feed, deals_feed_t) -> str | None:
        pr = self.pr
        if j >= 0:
            if j_deals[j] >= 0 and pr.random() < 0.55:
                return self.posts[j_deals[j]].code
            if j_flash[j] and pr.random() < 0.45:
                return "FLASH15"
            if j_email[j] and pr.random() < 0.30:
                return "EMAIL15"
            if j_comm[j] and pr.random() < 0.25:
                return "COMMUNITY10"
            if j_fbpost[j] and pr.random() < 0.15:
                return "FBFAN10"
        k = bisect.bisect_right(deals_feed_t, o.created) - 1
        if k >= 0 and o.created - deals_feed_t[k] <= 10 * DAY and pr.random() < 0.05:
            return deals_feed[k][1]  # saw the coupon in a feed post, never clicked
        if len(cust.orders) <= 1 and pr.random() < 0.07:
            return "WELCOME10"
        if len(cust.orders) > 1 and pr.random() < 0.06:
            return "THANKYOU5"
        return None

    def _apply_code(self, o: Order, code: str) -> None:
        kind, value = cat.CODES[code][0], cat.CODES[code][1]
        eligible = [ln for ln in o.lines if not ln.variant.gift_card]
        base = sum(ln.amount for ln in eligible)
        if base == 0:
            return
        if kind == "percentage":
            amount = div_half_up(base * value, 100)
        else:
            if base < 2000:
                return
            amount = value
        for ln, d in zip(eligible, allocate(amount, [ln.amount for ln in eligible]), strict=True):
            ln.discount = d
        typed = code.lower() if self.pr.random() < 0.05 else code
        o.codes.append((typed, amount, kind))

    # .............................................................. refunds
    def _refunds(self, orders: list[Order]) -> None:
        pr = self.pr
        rid = 9_100_000_000_000
        rlid = 8_200_000_000_000
        for o in orders:
            r = pr.random()
            if o.test or o.deleted or o.gross == 0:
                continue
            has_gift = any(ln.variant.gift_card for ln in o.lines)
            merch = [ln for ln in o.lines if not ln.variant.gift_card]
            if r < CANCEL_SHARE and not has_gift:
                processed = o.created + pr.randint(HOUR // 2, 36 * HOUR)
                picks = [(ln, ln.qty) for ln in merch]
                restock = "cancel"
            elif r < CANCEL_SHARE + REFUND_SHARE:
                processed = o.created + pr.randint(3 * DAY, 35 * DAY)
                if pr.random() < 0.35:
                    picks = [(ln, ln.qty) for ln in merch]
                else:
                    ln = pr.choice(merch)
                    picks = [(ln, pr.randint(1, ln.qty))]
                restock = "return" if pr.random() < 0.8 else "no_restock"
            else:
                continue
            if processed >= self.span_hi:
                continue  # not happened yet when the last month is exported
            rid += pr.randint(10_000, 900_000)
            refund = Refund(id=str(rid), order=o, created=processed - pr.randint(0, 120), processed=processed,
                            lines=[])
            for ln, q in picks:
                rlid += pr.randint(1_000, 90_000)
                subtotal = ln.price * q - div_half_up(ln.discount * q, ln.qty) if q < ln.qty else \
                    ln.amount - ln.discount
                tax = div_half_up(ln.tax * q, ln.qty) if q < ln.qty else ln.tax
                refund.lines.append(RefundLine(str(rlid), ln, q, subtotal, tax, restock))
            o.refunds.append(refund)
            if restock == "cancel":
                o.cancelled_at = processed
                if o.fulfilled_at is not None and o.fulfilled_at > processed:
                    o.fulfilled_at = None

    # .............................................................. Meta ads: daily stats and claims
    def _ad_days(self, orders: list[Order]) -> list[AdDay]:
        rng, pr = self.rng, self.pr
        d_lo = month_start_day(self.month_idx[0])
        d_hi = month_start_day(self.month_idx[-1] + 1)
        nd = d_hi - d_lo
        m = np.nonzero(self.s_ch == META)[0]
        # sessions per ad per account-local day
        sess = np.zeros((len(cat.ADS), nd), dtype=np.int64)
        for i, a in enumerate(cat.ADS):
            acct = cat.CAMPAIGNS[cat.AD_SETS[a.adset].campaign].account
            sel = m[self.s_ad[m] == i]
            ld = self.account_tz[acct].local_day(self.s_t[sel]) - d_lo
            ld = ld[(ld >= 0) & (ld < nd)]
            sess[i] = np.bincount(ld, minlength=nd)[:nd]
        # claims: every ad clicked within 7 days before an order claims the whole order value (tax and
        # shipping included), reported on the day of its last click; orders without a click are sometimes
        # claimed on a 1-day view by an ad running that day. Several ads claim the same order: over-claim.
        claims: dict[tuple[int, int], list[int]] = {}
        order_by_seq = {o.seq: o for o in orders}
        conv_sessions = m[self.has_order[self.s_j[m]]]
        by_order: dict[int, dict[int, int]] = {}
        for si in conv_sessions.tolist():
            seq = int(self.j_order[int(self.s_j[si])])
            if seq < 0:
                continue
            ts = int(self.s_t[si])
            if order_by_seq[seq].created - ts <= CLAIM_CLICK_WINDOW:
                clicks_of = by_order.setdefault(seq, {})
                clicks_of[int(self.s_ad[si])] = max(ts, clicks_of.get(int(self.s_ad[si]), 0))

        acct_of = [cat.CAMPAIGNS[cat.AD_SETS[a.adset].campaign].account for a in cat.ADS]
        live = [o for o in orders if not o.test and not o.deleted]
        created = np.array([o.created for o in live], dtype=np.int64)
        order_day = [tz.local_day(created).tolist() for tz in self.account_tz]
        pending: list[tuple[int, int, Order, bool]] = []  # (ad, local day, order, view)
        for k, o in enumerate(live):
            clicked = by_order.get(o.seq)
            if clicked:
                for i in sorted(clicked):
                    pending.append((i, clicked[i], o, False))
            elif pr.random() < VIEW_THROUGH_CLAIM_SHARE:
                running = [i for i in range(len(cat.ADS)) if self._ad_active(i, order_day[acct_of[i]][k])]
                if running:
                    i = pr.choices(running, weights=[cat.ADS[x].weight for x in running])[0]
                    pending.append((i, o.created, o, True))
        click_ts = np.array([p[1] for p in pending], dtype=np.int64)
        claim_day = [tz.local_day(click_ts).tolist() for tz in self.account_tz]
        for k, (i, _ts, o, view) in enumerate(pending):
            acct = acct_of[i]
            day = claim_day[acct][k]
            if not d_lo <= day < d_hi:
                continue
            value = o.total
            cur = cat.ACCOUNTS[acct].currency
            if cur != "USD":
                value = div_half_even(value * self.fx.micro(day, cur), 1_000_000)
            slot = claims.setdefault((i, day), [0, 0, 0, 0])
            slot[1 if view else 0] += 1
            slot[3 if view else 2] += value
        out: list[AdDay] = []
        for i, a in enumerate(cat.ADS):
            n_days_active = [d for d in range(d_lo, d_hi) if self._ad_active(i, d)]
            s = np.array([sess[i, d - d_lo] for d in n_days_active], dtype=np.int64)
            k = len(s)
            clicks = s + rng.poisson(0.25 * s + 0.8)
            noise = rng.lognormal(0.0, 0.15, k)
            ctr = a.ctr * rng.lognormal(0.0, 0.2, k)
            impressions = np.round(clicks / ctr).astype(np.int64) + rng.poisson(150, k)
            reach = np.maximum(1, np.round(impressions / rng.uniform(1.05, 1.6, k))).astype(np.int64)
            spend = np.round(clicks * a.cpc * noise).astype(np.int64) + rng.integers(0, 150, k)
            for x, d in enumerate(n_days_active):
                c = claims.get((i, d), [0, 0, 0, 0])
                out.append(AdDay(ad=i, day=d, sessions=int(s[x]), clicks=int(clicks[x]),
                                 impressions=int(impressions[x]), reach=int(reach[x]), spend=int(spend[x]),
                                 purchases_click=c[0], purchases_view=c[1], value_click=c[2], value_view=c[3]))
        out.sort(key=lambda r: (r.day, r.ad))
        return out

    def _platform_active(self, i: int, day: int) -> bool:
        return not (i in self.platform_pause_day and day >= self.platform_pause_day[i])

    # .............................................................. the other networks: daily stats and claims
    def _platform_ad_days(self, orders: list[Order]) -> list[PlatformAdDay]:
        """Stats of every LinkedIn / X / TikTok / Pinterest / Snapchat ad on every active report day.

        Clicks >= the sessions the ad sent that day; claims: each ad clicked within its network's click
        window before an order claims the order's full total (account currency at the claim day's rate),
        on the day of its last click; a few orders without a click are claimed on a view.
        """
        xrng, xpr = self.xrng, self.xpr
        ads = cat.PLATFORM_ADS
        d_lo = month_start_day(self.month_idx[0])
        d_hi = month_start_day(self.month_idx[-1] + 1)
        nd = d_hi - d_lo
        acct_of = [cat.platform_account_index(a) for a in ads]
        plat_of = [cat.platform_of(a) for a in ads]
        sel = np.nonzero(self.s_ch == PLATFORM_PAID)[0]
        local = [tz.local(self.s_t[sel]) for tz in self.platform_tz]
        # sessions per ad per local day, and per local hour
        hourly: dict[tuple[int, int], np.ndarray] = {}
        sess = np.zeros((len(ads), nd), dtype=np.int64)
        for i in range(len(ads)):
            mine = self.s_pad[sel] == i
            lt = local[acct_of[i]][mine]
            ld = lt // DAY - d_lo
            ok = (ld >= 0) & (ld < nd)
            sess[i] = np.bincount(ld[ok], minlength=nd)[:nd]
            if plat_of[i] in HOURLY_PLATFORMS:
                slot = np.bincount(ld[ok] * 24 + (lt[ok] % DAY) // HOUR, minlength=nd * 24)[:nd * 24]
                for x in np.nonzero(sess[i])[0].tolist():
                    hourly[(i, d_lo + x)] = slot[x * 24:(x + 1) * 24]

        # claims
        order_by_seq = {o.seq: o for o in orders}
        by_order: dict[int, dict[int, int]] = {}  # order seq -> ad -> time of its last click
        for si in sel.tolist():
            seq = int(self.j_order[int(self.s_j[si])])
            if seq < 0:
                continue
            i, ts = int(self.s_pad[si]), int(self.s_t[si])
            if order_by_seq[seq].created - ts <= PLATFORM_CLICK_WINDOW[plat_of[i]]:
                clicks_of = by_order.setdefault(seq, {})
                clicks_of[i] = max(ts, clicks_of.get(i, 0))
        pending: list[tuple[int, int, Order, bool]] = []  # (ad, time, order, view)
        for o in orders:
            if o.test or o.deleted:
                continue
            clicked = by_order.get(o.seq, {})
            for i in sorted(clicked):
                pending.append((i, clicked[i], o, False))
            clicked_platforms = {plat_of[i] for i in clicked}
            for platform in cat.OTHER_AD_PLATFORMS:
                share = PLATFORM_VIEW_CLAIM_SHARE[platform]
                if platform in clicked_platforms or not share or xpr.random() >= share:
                    continue
                running = [i for i in range(len(ads)) if plat_of[i] == platform and self._platform_active(
                    i, int(self.platform_tz[acct_of[i]].local_day(np.array([o.created]))[0]))]
                if running:
                    i = xpr.choices(running, weights=[ads[x].weight for x in running])[0]
                    pending.append((i, o.created, o, True))
        claims: dict[tuple[int, int], list[int]] = {}
        for i, ts, o, view in pending:
            acct = cat.PLATFORM_ACCOUNTS[acct_of[i]]
            day = int(self.platform_tz[acct_of[i]].local_day(np.array([ts]))[0])
            if not d_lo <= day < d_hi:
                continue
            value = o.total
            if acct.currency != "USD":
                value = div_half_even(value * self.fx.micro(day, acct.currency), 1_000_000)
            slot = claims.setdefault((i, day), [0, 0, 0, 0])
            slot[1 if view else 0] += 1
            slot[3 if view else 2] += value

        out: list[PlatformAdDay] = []
        for i, a in enumerate(ads):
            days = [d for d in range(d_lo, d_hi) if self._platform_active(i, d)]
            k = len(days)
            s = np.array([sess[i, d - d_lo] for d in days], dtype=np.int64)
            clicks = s + xrng.poisson(0.3 * s + 0.6)
            ctr = a.ctr * xrng.lognormal(0.0, 0.2, k)
            impressions = np.round(clicks / ctr).astype(np.int64) + xrng.poisson(120, k)
            spend = np.round(clicks * a.cpc * xrng.lognormal(0.0, 0.15, k)).astype(np.int64) + xrng.integers(0, 120, k)
            other_clicks = xrng.poisson(0.35 * clicks + 1.0)
            earned = plat_of[i] == "pinterest"
            earned_imp = xrng.binomial(impressions, 0.1) if earned else np.zeros(k, dtype=np.int64)
            earned_clk = xrng.binomial(clicks, 0.08) if earned else np.zeros(k, dtype=np.int64)
            for x, d in enumerate(days):
                c = claims.get((i, d), [0, 0, 0, 0])
                r = PlatformAdDay(ad=i, day=d, sessions=int(s[x]), clicks=int(clicks[x]),
                                  all_clicks=int(clicks[x] + other_clicks[x]), impressions=int(impressions[x]),
                                  earned_impressions=int(earned_imp[x]), earned_clicks=int(earned_clk[x]),
                                  spend=int(spend[x]), conversions_click=c[0], conversions_view=c[1],
                                  value_click=c[2], value_view=c[3])
                if plat_of[i] in HOURLY_PLATFORMS:
                    r.parts = self._hours(r, hourly.get((i, d)))
                elif plat_of[i] == "x":
                    r.parts = self._placements(r)
                out.append(r)
        out.sort(key=lambda r: (r.day, r.ad))
        return out

    def _hours(self, r: PlatformAdDay, sessions_by_hour: np.ndarray | None) -> list[StatPart]:
        """Split an ad-day over local hours: the hours its clicks came in, and a few more with impressions."""
        xrng = self.xrng
        by_hour = np.zeros(24, dtype=np.int64) if sessions_by_hour is None else sessions_by_hour
        extra = xrng.choice(24, size=int(min(24, 3 + xrng.poisson(4))), replace=False, p=HOUR_P)
        hours = sorted(set(np.nonzero(by_hour)[0].tolist()) | set(extra.tolist()))
        w = [int(x) for x in xrng.integers(1, 100, len(hours))]
        extra_clicks = allocate(r.clicks - r.sessions, w)
        clicks = [int(by_hour[h]) + e for h, e in zip(hours, extra_clicks, strict=True)]
        weight = [c * 50 + x for c, x in zip(clicks, w, strict=True)]
        impressions = allocate(r.impressions, weight)
        spend = allocate(r.spend, weight)
        other = allocate(r.all_clicks - r.clicks, w)
        top = max(range(len(hours)), key=lambda k: (clicks[k], -k))  # claims reported in the busiest hour
        return [StatPart(key=h, impressions=impressions[k], clicks=clicks[k], all_clicks=clicks[k] + other[k],
                         spend=spend[k], conversions=r.conversions if k == top else 0,
                         value=r.value if k == top else 0)
                for k, h in enumerate(hours)]

    def _placements(self, r: PlatformAdDay) -> list[StatPart]:
        """X: most of a promoted tweet's day on X itself, some days a share on its publisher network."""
        xrng = self.xrng
        u = xrng.random(4)
        if u[0] >= 0.4:
            return [StatPart("ALL_ON_TWITTER", r.impressions, r.clicks, r.all_clicks, r.spend, r.conversions,
                             r.value)]
        share = 0.05 + 0.15 * u[1]
        imp = int(r.impressions * share)
        spend = int(r.spend * share)
        clicks = int((r.clicks - r.sessions) * u[2])  # the sessions' clicks were on X itself
        other = int((r.all_clicks - r.clicks) * u[3] * share)
        return [StatPart("ALL_ON_TWITTER", r.impressions - imp, r.clicks - clicks, r.all_clicks - clicks - other,
                         r.spend - spend, r.conversions, r.value),
                StatPart("PUBLISHER_NETWORK", imp, clicks, clicks + other, spend, 0, 0)]

    def _ad_active(self, i: int, day: int) -> bool:
        """Does ad i run on this account-local day? (flash campaign: days 8-21 of each month; pauses)"""
        camp = cat.CAMPAIGNS[cat.AD_SETS[cat.ADS[i].adset].campaign]
        if camp.flash and not 8 <= day_date(day).day <= 21:
            return False
        return not (i in self.pause_day and day >= self.pause_day[i])

    # .............................................................. the sessions that are written
    def _written_sessions(self, orders: list[Order]) -> Sessions:
        rng, pr = self.rng, self.pr
        keep = np.nonzero((self.s_t >= self.span_lo) & (self.s_t < self.span_hi))[0]
        t = self.s_t[keep]
        j = self.s_j[keep]
        n = len(keep)
        cookie = self.j_cookie[j]
        cust_idx = self.j_customer[j]
        order_seq = np.where(self.s_last[keep], self.j_order[j], -1)
        u = rng.random((n, 6))
        ident = rng.random((n, 2))
        # identity: logged-in customers and e-mail identification
        is_conv = order_seq >= 0
        returning = np.zeros(n, dtype=bool)
        cust_id = np.full(n, "", dtype=object)
        email = np.full(n, "", dtype=object)
        orders_by_seq = {o.seq: o for o in orders}
        cust_rows = np.nonzero(cust_idx >= 0)[0]
        for r in cust_rows.tolist():
            c = self.customers[cust_idx[r]]
            o = orders_by_seq[int(self.j_order[j[r]])]
            returning[r] = c.orders[0] is not o
            if is_conv[r]:
                if ident[r, 0] < 0.7:
                    cust_id[r] = c.id
                if ident[r, 1] < 0.4:
                    email[r] = _typed_email(c.email, pr)
            elif returning[r]:
                if ident[r, 0] < 0.35:
                    cust_id[r] = c.id
                if ident[r, 1] < 0.15:
                    email[r] = _typed_email(c.email, pr)
        oid = np.full(n, "", dtype=object)
        for r in np.nonzero(is_conv)[0].tolist():
            o = orders_by_seq[int(order_seq[r])]
            oid[r] = o.id
            if not cust_id[r] and o.customer is not None and not o.customer.id and ident[r, 1] < 0.4:
                email[r] = _typed_email(o.email, pr)  # a guest identified at checkout

        channel = self.s_ch[keep]
        ad = self.s_ad[keep]
        pad = self.s_pad[keep]
        oacct = self.s_oacct[keep]
        opost = self.s_opost[keep]
        plc = self.s_plc[keep]
        post = self.s_post[keep]

        # staff test orders: a direct session each
        tests = [o for o in orders if o.test]
        if tests:
            t_extra = np.array([o.created - pr.randint(120, 900) for o in tests], dtype=np.int64)
            t = np.concatenate([t, t_extra])
            channel = np.concatenate([channel, np.full(len(tests), DIRECT, dtype=np.int8)])
            ad = np.concatenate([ad, np.full(len(tests), -1, dtype=np.int16)])
            pad = np.concatenate([pad, np.full(len(tests), -1, dtype=np.int16)])
            oacct = np.concatenate([oacct, np.full(len(tests), -1, dtype=np.int8)])
            opost = np.concatenate([opost, np.full(len(tests), -1, dtype=np.int32)])
            plc = np.concatenate([plc, np.full(len(tests), -1, dtype=np.int8)])
            post = np.concatenate([post, np.full(len(tests), -1, dtype=np.int32)])
            cookie = np.concatenate([cookie, np.array([self.staff.cookie] * len(tests), dtype=object)])
            cust_id = np.concatenate([cust_id, np.array([self.staff.id] * len(tests), dtype=object)])
            email = np.concatenate([email, np.array([self.staff.email] * len(tests), dtype=object)])
            oid = np.concatenate([oid, np.array([o.id for o in tests], dtype=object)])
            u = np.concatenate([u, rng.random((len(tests), 6))])
        srt = np.lexsort((np.arange(len(t)), t))
        s = Sessions(t=t[srt], channel=channel[srt], ad=ad[srt], placement=plc[srt], post=post[srt],
                     cookie=cookie[srt], customer_id=cust_id[srt], email=email[srt], order_id=oid[srt],
                     uniform=u[srt], platform_ad=pad[srt], organic_account=oacct[srt],
                     organic_post=opost[srt])
        row_of_order = {oid_: r for r, oid_ in enumerate(s.order_id.tolist()) if oid_}
        for o in orders:
            o.session_row = row_of_order.get(o.id, -1)
        self.written = s
        return s

    def _post_session_counts(self) -> None:
        counts = np.bincount(self.s_post[self.s_post >= 0], minlength=len(self.posts))
        for k, p in enumerate(self.posts):
            p.sessions = int(counts[k])


_PLACE_CUM = list(itertools.accumulate(p.weight for p in cat.PLACES))


def _typed_email(email: str, pr: random.Random, whitespace: bool = True) -> str:
    """The e-mail as a person or a form typed it: mixed case, stray whitespace (trackers only)."""
    r = pr.random() * (1.0 if whitespace else 0.7)
    local, _, domain = email.partition("@")
    if r < 0.35:
        return email
    if r < 0.55:
        return f"{local.title()}@{domain.title()}"
    if r < 0.7:
        return email.upper()
    if r < 0.85:
        return f" {email} "
    return f"{local.capitalize()}@{domain}\t"

