"""The fixed cast of the simulated shop "Acme": products, ad accounts, social handles, discount codes.

Everything here is constant (independent of the seed), so ids and names are stable across runs and
can be quoted in tests and docs. The seed drives only behaviour: traffic, orders, prices paid, rates.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- products

# title, product_type, unit price (cents), unit cost (cents, None = unknown in the shop), popularity
_PRODUCTS: list[tuple[str, str, int, int | None, float]] = [
    ("Trail Mug", "Drinkware", 2400, 850, 9.0),
    ("Enamel Camp Mug", "Drinkware", 1800, 610, 6.0),
    ("Pour-Over Dripper", "Brewing", 3200, 1050, 7.0),
    ("Glass Carafe", "Brewing", 2800, 990, 4.0),
    ("Burr Grinder", "Brewing", 8900, 3900, 3.0),
    ("Gooseneck Kettle", "Brewing", 6500, 2600, 3.5),
    ("Cold Brew Jar", "Brewing", 3600, 1200, 3.0),
    ("Travel Tumbler", "Drinkware", 2900, 980, 6.5),
    ("Ceramic Cup Set", "Drinkware", 4200, 1500, 3.0),
    ("Espresso Tamper", "Tools", 2200, 700, 1.5),
    ("Milk Frother", "Tools", 3900, 1450, 2.5),
    ("Bamboo Tray", "Home", 2600, 800, 1.5),
    ("Linen Apron", "Home", 3400, 1100, 1.5),
    ("Canvas Tote", "Home", 1900, 520, 2.5),
    ("Coffee Scale", "Tools", 4900, 1900, 3.0),
    ("Paper Filters (100)", "Consumables", 700, 190, 6.0),
    ("Reusable Filter", "Consumables", 1500, 420, 3.0),
    ("Storage Canister", "Home", 2700, 880, 2.5),
    ("Tea Infuser", "Tools", 1200, 330, 2.0),
    ("Cast Iron Trivet", "Home", 2100, 760, 1.0),
    ("Wool Coasters (4)", "Home", 1600, 450, 2.0),
    ("Moka Pot", "Brewing", 3800, 1400, 3.0),
    ("French Press", "Brewing", 4400, 1600, 4.0),
    ("Knock Box", "Tools", 2500, 900, 1.0),
    ("Cleaning Brush Kit", "Tools", 1400, None, 1.5),
    ("House Blend 1lb", "Coffee", 1800, 640, 10.0),
    ("Decaf Blend 1lb", "Coffee", 1900, 680, 3.0),
    ("Single Origin Ethiopia", "Coffee", 2300, 900, 5.0),
    ("Single Origin Colombia", "Coffee", 2100, 820, 5.0),
    ("Gift Box Sampler", "Coffee", 5400, None, 2.0),
]
GIFT_CARD_TITLE = "Acme Gift Card"
GIFT_CARD_DENOMS = [2500, 5000, 10000]


@dataclass(frozen=True)
class Variant:
    """One sellable variant (each ordinary product has one; the gift card has three)."""

    index: int
    product_id: str
    variant_id: str
    inventory_item_id: str
    sku: str
    title: str  # product title
    variant_title: str
    handle: str
    product_type: str
    price: int  # cents
    cost: int | None  # cents
    popularity: float
    gift_card: bool

    @property
    def line_name(self) -> str:
        return self.title if self.variant_title == "Default Title" else f"{self.title} - {self.variant_title}"


def _handle(title: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in title)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def variants() -> list[Variant]:
    out: list[Variant] = []
    for i, (title, ptype, price, cost, pop) in enumerate(_PRODUCTS):
        out.append(Variant(
            index=i, product_id=str(7400000001000 + 137 * i), variant_id=str(41900000002000 + 211 * i),
            inventory_item_id=str(43900000003000 + 173 * i), sku=f"AC-{i + 1:03d}", title=title,
            variant_title="Default Title", handle=_handle(title), product_type=ptype, price=price, cost=cost,
            popularity=pop, gift_card=False,
        ))
    gid = str(7400000001000 + 137 * len(_PRODUCTS))
    for denom in GIFT_CARD_DENOMS:
        i = len(out)
        out.append(Variant(
            index=i, product_id=gid, variant_id=str(41900000002000 + 211 * i),
            inventory_item_id=str(43900000003000 + 173 * i), sku=f"GIFT-{denom // 100}", title=GIFT_CARD_TITLE,
            variant_title=f"${denom // 100}", handle="acme-gift-card", product_type="Gift Card", price=denom,
            cost=None, popularity=0.0, gift_card=True,
        ))
    return out


# ---------------------------------------------------------------- people and places

FIRST_NAMES = [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia", "Mateo",
    "Amelia", "Ethan", "Harper", "Aiden", "Evelyn", "Leo", "Chloe", "Jack", "Nora", "Owen", "Grace", "Samuel",
    "Zoe", "Henry", "Lily", "Daniel", "Hannah", "Sofia", "Ravi", "Mei", "Amara", "Kenji", "Fatima", "Jonas",
]
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "Nguyen",
    "Okafor", "Schmidt", "Rossi", "Kowalski", "Tanaka",
]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Park Pl", "Elm St", "Pine Rd", "Lakeview Ter",
           "Hillcrest Blvd", "River Rd"]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]


@dataclass(frozen=True)
class Place:
    city: str
    province_code: str
    province: str
    zip: str
    country_code: str
    country: str
    tax_rate: int  # per 100 000 (8.875 % -> 8875)
    tax_name: str
    phone_prefix: str
    weight: float


PLACES = [
    Place("New York", "NY", "New York", "10001", "US", "United States", 8875, "NY State Tax", "+1 212", 8),
    Place("Brooklyn", "NY", "New York", "11201", "US", "United States", 8875, "NY State Tax", "+1 718", 5),
    Place("Los Angeles", "CA", "California", "90012", "US", "United States", 9500, "CA State Tax", "+1 213", 7),
    Place("San Francisco", "CA", "California", "94103", "US", "United States", 8625, "CA State Tax", "+1 415", 4),
    Place("Austin", "TX", "Texas", "78701", "US", "United States", 8250, "TX State Tax", "+1 512", 4),
    Place("Chicago", "IL", "Illinois", "60601", "US", "United States", 10250, "IL State Tax", "+1 312", 5),
    Place("Seattle", "WA", "Washington", "98101", "US", "United States", 10350, "WA State Tax", "+1 206", 4),
    Place("Portland", "OR", "Oregon", "97205", "US", "United States", 0, "", "+1 503", 3),
    Place("Denver", "CO", "Colorado", "80202", "US", "United States", 8810, "CO State Tax", "+1 303", 3),
    Place("Boston", "MA", "Massachusetts", "02108", "US", "United States", 6250, "MA State Tax", "+1 617", 4),
    Place("Miami", "FL", "Florida", "33130", "US", "United States", 7000, "FL State Tax", "+1 305", 3),
    Place("Atlanta", "GA", "Georgia", "30303", "US", "United States", 8900, "GA State Tax", "+1 404", 3),
    Place("Toronto", "ON", "Ontario", "M5V 2T6", "CA", "Canada", 13000, "HST", "+1 416", 2),
    Place("London", "", "", "SW1A 1AA", "GB", "United Kingdom", 0, "", "+44 20", 1.5),
    Place("Berlin", "", "", "10115", "DE", "Germany", 0, "", "+49 30", 1.5),
]


# ---------------------------------------------------------------- Meta ads


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    currency: str
    timezone: str
    country: str


@dataclass(frozen=True)
class Campaign:
    id: str
    account: int
    name: str
    objective: str
    flash: bool  # active only on local days 8..21 of each month


@dataclass(frozen=True)
class AdSet:
    id: str
    campaign: int
    name: str
    optimization_goal: str


@dataclass(frozen=True)
class Ad:
    id: str
    adset: int
    name: str
    creative_id: str
    source: str  # utm_source as typed in the ad's URL parameters ({{site_source_name}} -> fb / ig)
    medium: str
    placement: str | None  # facebook / instagram, None = both (dynamic source)
    content_macro: bool  # utm_content={{ad.id}} rather than the literal id
    weight: float
    cpc: int  # account-currency cents per link click
    ctr: float
    pause_after_days: int | None = None  # paused this many days after the span starts
    path: str = "/"


ACCOUNTS = [
    Account("1020304050607080", "Acme US", "USD", "America/New_York", "US"),
    Account("2030405060708090", "Acme EU", "EUR", "Europe/Berlin", "DE"),
]
CAMPAIGNS = [
    Campaign("120210000000000101", 0, "US_Prospecting_Broad", "OUTCOME_SALES", False),
    Campaign("120210000000000102", 0, "US_Retargeting_DPA", "PRODUCT_CATALOG_SALES", False),
    Campaign("120210000000000103", 0, "Acme Flash Sale", "OUTCOME_SALES", True),
    Campaign("120210000000000104", 1, "EU_Prospecting_LAL", "OUTCOME_SALES", False),
    Campaign("120210000000000105", 1, "EU_Retargeting", "PRODUCT_CATALOG_SALES", False),
]
AD_SETS = [
    AdSet("120210000000000201", 0, "US_Broad_25-54", "OFFSITE_CONVERSIONS"),
    AdSet("120210000000000202", 0, "US_Interest_Coffee", "OFFSITE_CONVERSIONS"),
    AdSet("120210000000000203", 1, "US_ATC_7d", "OFFSITE_CONVERSIONS"),
    AdSet("120210000000000204", 2, "US_Flash_All", "OFFSITE_CONVERSIONS"),
    AdSet("120210000000000205", 3, "EU_LAL_1pct", "OFFSITE_CONVERSIONS"),
    AdSet("120210000000000206", 4, "EU_Visitors_14d", "OFFSITE_CONVERSIONS"),
]
ADS = [
    Ad("120210000000000301", 0, "Mug carousel - FB", "120210000000000401", "facebook", "paid_social", "facebook",
       False, 1.0, 95, 0.011, path="/products/trail-mug"),
    Ad("120210000000000302", 0, "Mug carousel - IG", "120210000000000402", " instagram ", "paid_social",
       "instagram", False, 0.9, 105, 0.009, path="/products/trail-mug"),
    Ad("120210000000000303", 1, "Pour-over video", "120210000000000403", "{{site_source_name}}", "paid_social",
       None, True, 1.2, 110, 0.012, path="/products/pour-over-dripper"),
    Ad("120210000000000304", 1, "Gift guide", "120210000000000404", "Facebook", "paid_social", "facebook",
       False, 0.6, 120, 0.008, path="/collections/gifts"),
    Ad("120210000000000305", 2, "DPA catalog", "120210000000000405", "{{site_source_name}}", "paid_social",
       None, True, 1.1, 80, 0.016, path="/collections/all"),
    Ad("120210000000000306", 2, "Reviews static", "120210000000000406", "instagram", "cpc", "instagram",
       False, 0.5, 90, 0.012, path="/pages/reviews"),
    Ad("120210000000000307", 3, "Flash 15 - FB", "120210000000000407", "facebook", "paid_social", "facebook",
       False, 1.4, 70, 0.015, path="/collections/flash-sale"),
    Ad("120210000000000308", 3, "Flash 15 - IG", "120210000000000408", "ig", "paid_social", "instagram",
       False, 1.2, 75, 0.014, path="/collections/flash-sale"),
    Ad("120210000000000309", 4, "EU Mug carousel", "120210000000000409", "{{site_source_name}}", "paid_social",
       None, True, 0.7, 85, 0.010, path="/products/trail-mug"),
    Ad("120210000000000310", 4, "EU Story", "120210000000000410", "instagram", "paid_social", "instagram",
       False, 0.5, 95, 0.009, path="/products/travel-tumbler"),
    Ad("120210000000000311", 5, "EU DPA", "120210000000000411", "fb", "cpc", "facebook",
       False, 0.4, 75, 0.014, pause_after_days=50, path="/collections/all"),
]
ENTITIES_CREATED_DAYS_BEFORE_SPAN = 90

# ---------------------------------------------------------------- the other ad networks

# every ad network the simulator can write, and its connector's landing folder (`<out>/<source>/...`)
AD_PLATFORMS = ("meta", "linkedin", "x", "tiktok", "pinterest", "snapchat")
PLATFORM_SOURCES = {"meta": "facebook_ads", "linkedin": "linkedin_ads", "x": "twitter_ads",
                    "tiktok": "tiktok_ads", "pinterest": "pinterest_ads", "snapchat": "snapchat_ads"}
OTHER_AD_PLATFORMS = AD_PLATFORMS[1:]


@dataclass(frozen=True)
class PlatformAccount:
    """An ad account on one of the other networks (LinkedIn, X, TikTok, Pinterest, Snapchat)."""

    platform: str
    id: str
    name: str
    currency: str
    timezone: str  # the zone of the platform's report days (LinkedIn reports UTC days)
    country: str


@dataclass(frozen=True)
class PlatformCampaign:
    """The unified campaign: LinkedIn campaign group, X / TikTok / Pinterest / Snapchat campaign."""

    id: str
    account: int  # index into PLATFORM_ACCOUNTS
    name: str
    objective: str


@dataclass(frozen=True)
class PlatformAdGroup:
    """The unified ad group: LinkedIn campaign, X line item, TikTok ad group, Pinterest ad group, Snapchat ad squad."""

    id: str
    campaign: int  # index into PLATFORM_CAMPAIGNS
    name: str
    placements: tuple[str, ...] = ()  # TikTok's chosen placements


@dataclass(frozen=True)
class PlatformAd:
    """The unified ad: LinkedIn creative, X promoted tweet, TikTok ad, Pinterest promoted pin, Snapchat ad.

    Its landing URL carries literal UTMs (utm_campaign = the campaign's name, utm_content = the ad's id);
    the platform appends its click id (`click_param`) to each click.
    """

    id: str
    ad_group: int  # index into PLATFORM_AD_GROUPS
    name: str
    creative_id: str  # X: the tweet id; Snapchat: the creative id; '' where the ad is its own creative
    source: str  # utm_source as typed
    medium: str
    click_param: str | None  # li_fat_id, twclid, ttclid, ScCid; None: no click id (Pinterest here)
    weight: float  # clicks that become sessions, per day at scale 1
    cpc: int  # account-currency cents per click
    ctr: float
    path: str = "/"
    tags_as_rows: bool = False  # Snapchat: UTMs as creative_url_tag_history rows, not in the web view URL
    pause_after_days: int | None = None  # paused this many days after the span starts


PLATFORM_ACCOUNTS = [
    PlatformAccount("linkedin", "508812345", "Acme Inc.", "USD", "UTC", "US"),
    PlatformAccount("x", "18ce55qk2vd", "Acme", "USD", "America/Los_Angeles", "US"),
    PlatformAccount("tiktok", "7201234567890123456", "Acme Shop", "USD", "America/New_York", "US"),
    PlatformAccount("pinterest", "549700112233", "Acme UK", "GBP", "Europe/London", "GB"),
    PlatformAccount("snapchat", "5b9f1c2e-7a34-4d0b-9c1e-3f2a8d6e4b10", "Acme Snap Ads", "USD",
                    "America/Los_Angeles", "US"),
]
PLATFORM_CAMPAIGNS = [
    PlatformCampaign("614900101", 0, "Corporate Gifting", "WEBSITE_CONVERSION"),
    PlatformCampaign("c8x1a", 1, "X_Prospecting_Coffee", "WEBSITE_CLICKS"),
    PlatformCampaign("1790100000000101", 2, "TT_Spark_Brewing", "WEB_CONVERSIONS"),
    PlatformCampaign("1790100000000102", 2, "TT_Retargeting", "WEB_CONVERSIONS"),
    PlatformCampaign("626700445501", 3, "PIN_Gift_Guide_UK", "CONVERSIONS"),
    PlatformCampaign("0c7d2f4a-93b1-4e55-8a0e-6d1f2b3c4a51", 4, "SNAP_Story_Ads", "WEB_CONVERSION"),
]
PLATFORM_AD_GROUPS = [
    PlatformAdGroup("187600201", 0, "Office Managers US"),
    PlatformAdGroup("187600202", 0, "HR Leaders US"),
    PlatformAdGroup("f1q2a", 1, "Coffee lovers US"),
    PlatformAdGroup("f1q2b", 1, "Follower lookalikes"),
    PlatformAdGroup("1790100000000201", 2, "Broad 18-34 US", ("PLACEMENT_TIKTOK",)),
    PlatformAdGroup("1790100000000202", 3, "Visitors 30d", ("PLACEMENT_TIKTOK", "PLACEMENT_PANGLE")),
    PlatformAdGroup("2680001122301", 4, "Gift ideas UK"),
    PlatformAdGroup("2680001122302", 4, "Home brewing UK"),
    PlatformAdGroup("e2d4f6a8-1b3c-4d5e-9f70-8a9b0c1d2e31", 5, "US 18-34 Coffee"),
]
PLATFORM_ADS = [
    PlatformAd("251700301", 0, "Gift box sponsored post", "", "linkedin", "paid_social", "li_fat_id",
               0.7, 480, 0.006, path="/collections/gifts"),
    PlatformAd("251700302", 1, "Team mugs carousel", "", "lnkd.in", "cpc", "li_fat_id",
               0.5, 560, 0.005, path="/products/trail-mug"),
    PlatformAd("2k7mxa", 2, "1897000000000000101", "1897000000000000101", "twitter", "paid_social", "twclid",
               0.8, 120, 0.009, path="/products/pour-over-dripper"),
    PlatformAd("2k7mxb", 3, "1897000000000000202", "1897000000000000202", "x", "paid_social", "twclid",
               0.5, 140, 0.008, path="/"),
    PlatformAd("1790100000000301", 4, "Pour-over in 15s", "", "tiktok", "paid_social", "ttclid",
               1.2, 60, 0.012, path="/products/pour-over-dripper"),
    PlatformAd("1790100000000302", 4, "Cold brew hack", "", "TikTok", "paid_social", "ttclid",
               0.8, 55, 0.013, path="/products/cold-brew-jar", pause_after_days=40),
    PlatformAd("1790100000000303", 5, "Mug drop", "", "tiktok.com", "cpc", "ttclid",
               0.6, 70, 0.010, path="/products/trail-mug"),
    PlatformAd("687200334401", 6, "Gift box pin", "", "pinterest", "paid_social", None,
               0.9, 85, 0.008, path="/collections/gifts"),
    PlatformAd("687200334402", 7, "Pour-over pin", "", "Pinterest", "paid", None,
               0.7, 75, 0.007, path="/products/pour-over-dripper"),
    PlatformAd("9d3e5f7a-2c4b-4e6d-8f10-1a2b3c4d5e61", 8, "Story - mugs", "7c8d9e0f-3a4b-4c5d-9e6f-7a8b9c0d1e21",
               "snapchat", "paid_social", "ScCid", 0.6, 70, 0.010, path="/products/travel-tumbler", tags_as_rows=True),
    PlatformAd("9d3e5f7a-2c4b-4e6d-8f10-1a2b3c4d5e62", 8, "Story - brew guide",
               "7c8d9e0f-3a4b-4c5d-9e6f-7a8b9c0d1e22", "Snapchat", "paid_social", "ScCid", 0.5, 65, 0.011,
               path="/blogs/journal/pour-over-guide"),
]


def platform_ad_group(ad: PlatformAd) -> PlatformAdGroup:
    return PLATFORM_AD_GROUPS[ad.ad_group]


def platform_campaign(ad: PlatformAd) -> PlatformCampaign:
    return PLATFORM_CAMPAIGNS[PLATFORM_AD_GROUPS[ad.ad_group].campaign]


def platform_account_index(ad: PlatformAd) -> int:
    return platform_campaign(ad).account


def platform_account(ad: PlatformAd) -> PlatformAccount:
    return PLATFORM_ACCOUNTS[platform_account_index(ad)]


def platform_of(ad: PlatformAd) -> str:
    return platform_account(ad).platform


def platform_ad_utms(ad: PlatformAd) -> list[tuple[str, str]]:
    """The ad's UTM parameters as typed in the platform's ad editor (literal values, no macros)."""
    return [("utm_source", ad.source), ("utm_medium", ad.medium), ("utm_campaign", platform_campaign(ad).name),
            ("utm_content", ad.id)]


# ---------------------------------------------------------------- organic social

PAGE_ID = "104857600123456"
PAGE_NAME = "Acme"
PAGE_USERNAME = "acmeshop"
IG_USERS = [
    # id, ig_id, username, name, posts per day, share of media that are stories
    ("17841400000000101", "5100000101", "acme_deals", "Acme Deals", 0.45, 0.6),
    ("17841400000000202", "5100000202", "acme_community", "Acme Community", 0.30, 0.3),
]
FB_POSTS_PER_DAY = 0.28
POST_TOPICS = [
    "new-arrivals", "brew-guide", "customer-photos", "behind-the-scenes", "gift-ideas", "weekend-deal",
    "origin-story", "latte-art", "restock", "giveaway", "recipe", "team-picks",
]
POST_HEADLINES = [
    "New in: fresh picks for your morning ritual.", "Our 3-minute pour-over guide.",
    "You sent us these. We love them.", "A peek behind the roaster door.", "Gift ideas that actually get used.",
    "Weekend deal, this weekend only.", "Where our Ethiopia beans come from.", "Latte art Friday!",
    "Back in stock: the Trail Mug.", "Giveaway time: tag a friend.", "Cold brew recipe for hot days.",
    "Team picks of the month.",
]

# ---------------------------------------------------------------- discount codes

# code: (kind, value, channel_group, platform, handle, campaign)
# kind: percentage (value = %) or fixed_amount (value = cents)
CODES: dict[str, tuple[str, int, str, str, str, str]] = {
    "IGDEALS10": ("percentage", 10, "Organic Social", "instagram", "acme_deals", ""),
    "IGDEALS20": ("percentage", 20, "Organic Social", "instagram", "acme_deals", ""),
    "COMMUNITY10": ("percentage", 10, "Organic Social", "instagram", "acme_community", ""),
    "FBFAN10": ("percentage", 10, "Organic Social", "facebook", PAGE_USERNAME, ""),
    "EMAIL15": ("percentage", 15, "Email", "email", "", ""),
    "FLASH15": ("percentage", 15, "Paid Social", "meta", "", "Acme Flash Sale"),
    "WELCOME10": ("percentage", 10, "", "", "", ""),
    "THANKYOU5": ("fixed_amount", 500, "", "", "", ""),
}
MAPPED_CODES = [c for c, v in CODES.items() if v[2]]

# ---------------------------------------------------------------- organic: LinkedIn page, X handles, YouTube channel


@dataclass(frozen=True)
class OrganicAccount:
    """A LinkedIn company page, an X handle or a YouTube channel whose posts link to the shop.

    Links carry literal UTMs (utm_source / utm_medium as below, utm_campaign = the post's slug, utm_content =
    the post's id as the platform's connector reports it); clicks arrive with one of `referrers` ('' = in-app,
    no referrer). Sessions from the platform without a post (profile, bio, channel page) carry the first
    referrer and no UTMs.
    """

    platform: str  # linkedin | x | youtube
    id: str  # LinkedIn organization id, X ads account id, YouTube channel id
    handle: str  # LinkedIn vanity name, X screen name, YouTube channel title
    name: str
    user_id: str  # X: the handle's user id; '' elsewhere
    timezone: str  # the zone of the platform's report days (LinkedIn: UTC sync dates)
    posts_per_day: float
    link_share: float  # posts whose text / article / description carries a tracked link
    utm_source: str
    utm_medium: str
    referrers: tuple[tuple[str, float], ...]  # (referrer, share of clicks); the rest come without one
    sessions_per_day: float  # at scale 1: clicks from posts and the profile that become sessions
    profile_share: float  # of those, sessions from the profile / bio / channel page rather than a post
    paths: tuple[str, ...]  # where the posts link to


ORGANIC_PLATFORMS = ("linkedin", "x", "youtube")
ORGANIC_SOURCES = {"linkedin": "linkedin_pages", "x": "twitter_organic", "youtube": "youtube_analytics"}
ORGANIC_ACCOUNTS = [
    OrganicAccount("linkedin", "76543210", "acme-coffee", "Acme Inc.", "", "UTC", 0.40, 0.75, "linkedin", "social",
                   (("https://www.linkedin.com/", 0.55), ("https://lnkd.in/", 0.25)), 1.4, 0.15,
                   ("/collections/gifts", "/pages/corporate-gifting", "/blogs/journal/pour-over-guide",
                    "/collections/new-arrivals")),
    OrganicAccount("x", "18ce55qk2vd", "AcmeDeals", "Acme", "1498700000000000101", "America/Los_Angeles",
                   0.60, 0.85, "twitter", "social", (("https://t.co/", 0.8),), 2.0, 0.10,
                   ("/collections/flash-sale", "/collections/all", "/products/trail-mug")),
    OrganicAccount("x", "18ce56rm3xe", "AcmeCommunity", "Acme Community", "1498700000000000202", "America/New_York",
                   0.45, 0.50, "x", "organic", (("https://t.co/", 0.75),), 1.0, 0.20,
                   ("/blogs/journal/pour-over-guide", "/pages/reviews", "/collections/new-arrivals")),
    OrganicAccount("youtube", "UCq8Xf3kR2mNcB7tYv1LzA9w", "Acme Brew Lab", "Acme Brew Lab", "", "America/Los_Angeles",
                   0.20, 0.90, "youtube", "social",
                   (("https://www.youtube.com/", 0.65), ("https://m.youtube.com/", 0.10)), 1.5, 0.15,
                   ("/products/pour-over-dripper", "/products/burr-grinder", "/products/gooseneck-kettle",
                    "/blogs/journal/pour-over-guide")),
]
# days after publishing during which a post sends sessions, and during which its daily stats are reported
ORGANIC_CLICK_DAYS = {"linkedin": 14, "x": 7, "youtube": 30}
ORGANIC_METRIC_DAYS = {"linkedin": 28, "x": 10, "youtube": 45}
# how fast a post's audience decays (days): X is fast, YouTube has a long tail
ORGANIC_DECAY_DAYS = {"linkedin": 2.0, "x": 0.8, "youtube": 7.0}
YOUTUBE_COUNTRIES = (("US", 60), ("CA", 12), ("GB", 10), ("DE", 8), ("AU", 6))
