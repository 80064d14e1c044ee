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
