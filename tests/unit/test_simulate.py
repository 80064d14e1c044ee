"""The simulator: deterministic, complete per layout, and its ground truth agrees with the files it wrote.

Every recomputation here parses the written CSV files with `csv` and `Decimal`, independently of the
simulator's in-memory model, and compares with `SimulationSummary`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pytest
from landing_tables import read_table

from socialroi.simulate import SimulationSummary, simulate

START, MONTHS = "2026-03", 2  # March: US and EU DST changes; April receives March's late refunds
MONTH_LABELS = ["2026-03", "2026-04"]
REFERENCE_HEADER = Path(__file__).resolve().parents[3] / "shared/reference/shopify-export/orders_export_header.csv"

COMMON_TABLES = [
    "fx/rates", "generic/sessions", "facebook_pages/page", "facebook_pages/post_history",
    "facebook_pages/lifetime_post_metrics_total", "instagram_business/user_history",
    "instagram_business/media_history", "instagram_business/media_insights",
    "linkedin_pages/organization", "linkedin_pages/ugc_post_history", "linkedin_pages/post_content",
    "linkedin_pages/share_statistic", "twitter_organic/account_history", "twitter_organic/twitter_user_history",
    "twitter_organic/tweet", "twitter_organic/organic_tweet_report", "youtube_analytics/video",
    "youtube_analytics/channel_basic_a_2",
]
META_CONNECTOR_TABLES = [
    "facebook_ads/account_history", "facebook_ads/campaign_history", "facebook_ads/ad_set_history",
    "facebook_ads/ad_history", "facebook_ads/creative_history", "facebook_ads/basic_ad",
    "facebook_ads/basic_ad_actions", "facebook_ads/basic_ad_action_values",
]
# the other ad networks, always in their connector layouts (tests/unit/test_simulate_platforms.py checks them)
PLATFORM_TABLES = [
    "linkedin_ads/account_history", "linkedin_ads/campaign_group_history", "linkedin_ads/campaign_history",
    "linkedin_ads/creative_history", "linkedin_ads/ad_analytics_by_creative",
    "twitter_ads/account_history", "twitter_ads/campaign_history", "twitter_ads/line_item_history",
    "twitter_ads/promoted_tweet_history", "twitter_ads/tweet_url", "twitter_ads/promoted_tweet_report",
    "tiktok_ads/advertiser", "tiktok_ads/campaign_history", "tiktok_ads/adgroup_history", "tiktok_ads/ad_history",
    "tiktok_ads/ad_report_hourly",
    "pinterest_ads/advertiser_history", "pinterest_ads/campaign_history", "pinterest_ads/ad_group_history",
    "pinterest_ads/pin_promotion_history", "pinterest_ads/pin_promotion_report",
    "snapchat_ads/ad_account_history", "snapchat_ads/campaign_history", "snapchat_ads/ad_squad_history",
    "snapchat_ads/ad_history", "snapchat_ads/creative_history", "snapchat_ads/creative_url_tag_history",
    "snapchat_ads/ad_hourly_report",
]
SHOPIFY_CONNECTOR_TABLES = [
    "shopify/order", "shopify/order_line", "shopify/order_discount_code", "shopify/refund",
    "shopify/order_line_refund", "shopify/product", "shopify/product_variant", "shopify/inventory_item",
    "shopify/customer",
]


# ---------------------------------------------------------------- helpers


def header_of(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def utc_month(text: str) -> str:
    """Month of a timestamp written by any layout: naive (connector, UTC), '...Z', or '... -0500'."""
    text = text.strip()
    if text.endswith("Z"):
        return text[:7]
    if re.search(r" [+-]\d{4}$", text):
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z").astimezone(dt.UTC).strftime("%Y-%m")
    return text[:7]


def latest_by_id(rows: list[dict[str, str]], key: str = "id") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        if r[key] not in out or r["_fivetran_synced"] >= out[r[key]]["_fivetran_synced"]:
            out[r[key]] = r
    return out


def connector_ledger(root: Path) -> dict[str, dict[str, Decimal | int]]:
    """Per UTC month: orders, gross, discounts, returns -- recomputed from the Shopify connector files."""
    orders = {i: o for i, o in latest_by_id(read_table(root, "shopify/order")).items()
              if o["test"] == "false" and o["_fivetran_deleted"] == "false"}
    out: dict[str, dict] = defaultdict(lambda: {"orders": 0, "gross": Decimal(0), "discounts": Decimal(0),
                                               "returns": Decimal(0)})
    for o in orders.values():
        out[utc_month(o["created_at"])]["orders"] += 1
    for ln in read_table(root, "shopify/order_line"):
        o = orders.get(ln["order_id"])
        if o is None or ln["gift_card"] == "true":
            continue
        m = out[utc_month(o["created_at"])]
        m["gross"] += Decimal(ln["price"]) * int(ln["quantity"])
        m["discounts"] += Decimal(ln["total_discount"])
    refunds = {r["id"]: r for r in read_table(root, "shopify/refund") if r["order_id"] in orders}
    for rl in read_table(root, "shopify/order_line_refund"):
        r = refunds.get(rl["refund_id"])
        if r is not None:
            out[utc_month(r["processed_at"])]["returns"] += Decimal(rl["subtotal"])
    return out


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def connector(tmp_path_factory) -> tuple[Path, SimulationSummary]:
    root = tmp_path_factory.mktemp("connector")
    return root, simulate(root, START, MONTHS, seed=11, reporting_currency="EUR")


@pytest.fixture(scope="module")
def admin(tmp_path_factory) -> tuple[Path, SimulationSummary]:
    root = tmp_path_factory.mktemp("admin")
    return root, simulate(root, START, MONTHS, seed=11, sales_layout="admin_export", ads_layout="ads_manager")


@pytest.fixture(scope="module")
def generic(tmp_path_factory) -> tuple[Path, SimulationSummary]:
    root = tmp_path_factory.mktemp("generic")
    return root, simulate(root, START, MONTHS, seed=11, sales_layout="generic")


# ---------------------------------------------------------------- determinism and completeness


def test_same_arguments_give_identical_bytes(tmp_path):
    a = simulate(tmp_path / "a", "2026-01", 2, seed=3, scale=0.5)
    b = simulate(tmp_path / "b", "2026-01", 2, seed=3, scale=0.5)
    files_a, files_b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert files_a.keys() == files_b.keys()
    assert [k for k in files_a if files_a[k] != files_b[k]] == []
    assert a.to_json() == b.to_json()
    # and a different seed gives different data
    simulate(tmp_path / "c", "2026-01", 2, seed=4, scale=0.5)
    assert snapshot(tmp_path / "c")["shopify/order/2026-01.csv"] != files_a["shopify/order/2026-01.csv"]


@pytest.mark.parametrize(("fixture", "tables"), [
    ("connector", [*COMMON_TABLES, *META_CONNECTOR_TABLES, *PLATFORM_TABLES, *SHOPIFY_CONNECTOR_TABLES]),
    ("admin", [*COMMON_TABLES, *PLATFORM_TABLES, "shopify/admin_orders_export"]),
    ("generic", [*COMMON_TABLES, *META_CONNECTOR_TABLES, *PLATFORM_TABLES, "generic/orders", "generic/returns"]),
])
def test_every_table_has_one_file_per_month(request, fixture, tables):
    root, summary = request.getfixturevalue(fixture)
    for table in tables:
        assert sorted(p.name for p in (root / table).glob("*.csv")) == [f"{m}.csv" for m in MONTH_LABELS], table
    assert (root / "promo_codes/mapping/codes.csv").is_file()
    written = {str(p.relative_to(root).parent) for p in root.rglob("*.csv")}
    assert written == set(tables) | {"promo_codes/mapping"} | (
        {"facebook_ads/ads_manager_export"} if fixture == "admin" else set())
    assert summary.files == sorted(p.relative_to(root).as_posix() for p in root.rglob("*.csv"))


def test_ads_manager_export_is_one_file_per_account_and_month(admin):
    root, _ = admin
    files = sorted(p.name for p in (root / "facebook_ads/ads_manager_export").glob("*.csv"))
    assert files == [f"{m}_{a}.csv" for m in MONTH_LABELS for a in ("1020304050607080", "2030405060708090")]
    header = header_of(root / "facebook_ads/ads_manager_export/2026-03_2030405060708090.csv")
    assert {"Amount spent (EUR)", "URL parameters", "Attribution setting"} <= set(header)


def test_admin_export_header_is_shopifys(admin):
    root, _ = admin
    header = header_of(root / "shopify/admin_orders_export/2026-03.csv")
    assert len(header) == 79
    assert (header[0], header[-1]) == ("Name", "Payment References")
    if REFERENCE_HEADER.is_file():
        assert header == header_of(REFERENCE_HEADER)


def test_sessions_follow_the_generic_feed_contract(connector):
    root, summary = connector
    assert header_of(root / "generic/sessions/2026-03.csv") == [
        "session_id", "user_id", "started_at", "customer_id", "email", "landing_url", "referrer", "utm_source",
        "utm_medium", "utm_campaign", "utm_content", "utm_term", "fbclid", "gclid", "order_id"]
    sessions = read_table(root, "generic/sessions")
    assert len(sessions) == sum(summary.counts[m]["sessions"] for m in MONTH_LABELS)
    for m in MONTH_LABELS:
        per_day = summary.counts[m]["sessions"] / 30.5
        assert 150 <= per_day <= 250
    assert len({s["session_id"] for s in sessions}) == len(sessions)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s["started_at"]) for s in sessions)
    sources = {s["utm_source"] for s in sessions}
    assert {"facebook", "Facebook", "fb", "ig", " instagram ", "instagram", "google", "klaviyo"} <= sources
    assert any(s["fbclid"] and s["utm_medium"] == "paid_social" for s in sessions)
    assert any(s["gclid"] and not s["utm_source"] for s in sessions)  # auto-tagged paid search
    assert any(s["referrer"].startswith("https://www.google.com") and not s["utm_source"] and not s["gclid"]
               for s in sessions)  # organic search
    assert any(not s["referrer"] and not s["utm_source"] and not s["gclid"] for s in sessions)  # direct
    assert any(s["email"] and s["email"] != s["email"].strip().lower() for s in sessions)  # messy e-mails
    # returning visitors: the same cookie across several sessions
    per_cookie = defaultdict(int)
    for s in sessions:
        per_cookie[s["user_id"]] += 1
    assert max(per_cookie.values()) >= 3
    # a tracked link's UTMs agree with the columns
    paid = next(s for s in sessions if s["utm_content"] == "120210000000000302")
    assert "utm_source=%20instagram%20" in paid["landing_url"]
    assert paid["utm_source"] == " instagram "
    # orders placed in a session exist in the ledger; some orders have no session at all
    orders = latest_by_id(read_table(root, "shopify/order"))
    placed = {s["order_id"] for s in sessions if s["order_id"]}
    assert placed <= orders.keys()
    live = {i for i, o in orders.items() if o["test"] == "false" and o["_fivetran_deleted"] == "false"}
    assert 0 < len(live - placed) < 0.2 * len(live)


# ---------------------------------------------------------------- the ledger and the summary


def test_summary_net_sales_equals_recomputation_from_connector_files(connector):
    root, summary = connector
    ledger = connector_ledger(root)
    for m in MONTH_LABELS:
        t = summary.totals(m, "USD")
        got = ledger[m]
        assert got["orders"] == t.orders
        assert got["gross"] == t.gross_sales
        assert got["discounts"] == t.discounts
        assert got["returns"] == t.returns
        assert got["gross"] - got["discounts"] - got["returns"] == t.net_sales == summary.net_sales(m)
        assert 150 <= t.orders <= 300
        assert t.returns > 0
        assert t.discounts > 0
    assert summary.totals("2026-03").test_orders >= 1
    assert summary.totals("2026-03").deleted_orders >= 1


def test_late_refunds_land_in_the_month_they_were_processed(connector):
    root, _ = connector
    orders = latest_by_id(read_table(root, "shopify/order"))
    late = [r for r in read_table(root, "shopify/refund")
            if utc_month(r["processed_at"]) != utc_month(orders[r["order_id"]]["created_at"])]
    assert late, "expected some March orders refunded in April"
    # the refunded order is re-exported in the refund's month with its new status
    april = {o["id"]: o for o in read_table(root, "shopify/order") if o["_fivetran_synced"].startswith("2026-05")}
    for r in late:
        assert april[r["order_id"]]["financial_status"] in ("refunded", "partially_refunded")
        assert orders[r["order_id"]]["_fivetran_synced"].startswith("2026-05")


def test_order_amounts_add_up(connector):
    root, _ = connector
    lines = defaultdict(list)
    for ln in read_table(root, "shopify/order_line"):
        lines[ln["order_id"]].append(ln)
    codes = defaultdict(Decimal)
    for c in read_table(root, "shopify/order_discount_code"):
        codes[c["order_id"]] += Decimal(c["amount"])
    money = re.compile(r"-?\d+\.\d\d")
    for o in latest_by_id(read_table(root, "shopify/order")).values():
        for col in ("subtotal_price", "total_discounts", "total_line_items_price", "total_tax", "total_price"):
            assert money.fullmatch(o[col]), (col, o[col])
        ls = lines[o["id"]]
        assert Decimal(o["total_line_items_price"]) == sum(Decimal(x["price"]) * int(x["quantity"]) for x in ls)
        assert Decimal(o["total_discounts"]) == sum(Decimal(x["total_discount"]) for x in ls) == codes[o["id"]]
        shipping = Decimal(json.loads(o["total_shipping_price_set"])["shop_money"]["amount"])
        assert Decimal(o["total_price"]) == Decimal(o["subtotal_price"]) + Decimal(o["total_tax"]) + shipping
        assert Decimal(o["subtotal_price"]) == Decimal(o["total_line_items_price"]) - Decimal(o["total_discounts"])


def test_admin_export_describes_the_same_orders(connector, admin):
    ledger = connector_ledger(connector[0])
    rows = read_table(admin[0], "shopify/admin_orders_export")
    by_id: dict[str, list[dict[str, str]]] = {}
    order_level: dict[str, dict[str, str]] = {}
    current = None
    for r in rows:
        if r["Id"]:  # first row of an order in this file
            current = r["Id"]
            order_level[current] = r
            by_id[current] = []
        by_id[current].append(r)  # an order re-exported later repeats the same lines
    per_month: dict[str, dict] = defaultdict(lambda: {"orders": 0, "gross": Decimal(0)})
    for oid, first in order_level.items():
        if first["Payment Method"] == "bogus":  # Shopify's test gateway
            continue
        m = per_month[utc_month(first["Created at"])]
        m["orders"] += 1
        m["gross"] += sum(Decimal(x["Lineitem price"]) * int(x["Lineitem quantity"]) for x in by_id[oid]
                          if x["Lineitem requires shipping"] == "true")  # gift cards ship nothing
    for m in MONTH_LABELS:
        assert per_month[m]["orders"] == ledger[m]["orders"] == admin[1].totals(m).orders
        assert per_month[m]["gross"] == ledger[m]["gross"] == admin[1].totals(m).gross_sales
    # order-level fields only on each order's first row
    second_rows = [r for r in rows if not r["Id"]]
    assert second_rows
    assert all(not r["Total"] and not r["Billing Name"] and r["Name"] for r in second_rows)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}", r["Created at"]) for r in rows)


def test_generic_orders_describe_the_same_orders(connector, generic):
    ledger = connector_ledger(connector[0])
    orders = read_table(generic[0], "generic/orders")
    returns = read_table(generic[0], "generic/returns")
    per_month: dict[str, dict] = defaultdict(lambda: {"orders": 0, "gross": Decimal(0), "discounts": Decimal(0),
                                                     "returns": Decimal(0)})
    live = set()
    for o in orders:
        if o["is_test"] == "true":
            continue
        live.add(o["order_id"])
        m = per_month[utc_month(o["created_at"])]
        m["orders"] += 1
        m["gross"] += Decimal(o["gross_sales"])
        m["discounts"] += Decimal(o["discount"])
    for r in returns:
        assert r["order_id"] in live
        per_month[utc_month(r["processed_at"])]["returns"] += Decimal(r["amount"])
    for m in MONTH_LABELS:
        for k in ("orders", "gross", "discounts", "returns"):
            assert per_month[m][k] == ledger[m][k], (m, k)
        t = generic[1].totals(m)
        assert per_month[m]["gross"] - per_month[m]["discounts"] - per_month[m]["returns"] == t.net_sales


def test_summary_is_independent_of_the_layout(connector, admin, generic):
    for m in MONTH_LABELS:
        assert connector[1].totals(m) == admin[1].totals(m) == generic[1].totals(m)


def test_net_sales_reporting_converts_each_event_at_its_days_rate(connector):
    root, summary = connector
    rates: dict[dt.date, Decimal] = {}
    for r in read_table(root, "fx/rates"):
        assert r["base"] == "USD"
        assert re.fullmatch(r"\d+\.\d{6}", r["rate"])
        day = dt.date.fromisoformat(r["date"])
        assert day.weekday() < 5
        if r["quote"] == "EUR":
            rates[day] = Decimal(r["rate"])

    def eur(amount: Decimal, when: str) -> Decimal:
        day = dt.date.fromisoformat(when[:10])
        for back in range(8):
            if day - dt.timedelta(days=back) in rates:
                return (amount * rates[day - dt.timedelta(days=back)]).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
        raise AssertionError(f"no rate for {day}")

    orders = {i: o for i, o in latest_by_id(read_table(root, "shopify/order")).items()
              if o["test"] == "false" and o["_fivetran_deleted"] == "false"}
    sale = defaultdict(Decimal)
    for ln in read_table(root, "shopify/order_line"):
        if ln["order_id"] in orders and ln["gift_card"] == "false":
            sale[ln["order_id"]] += Decimal(ln["price"]) * int(ln["quantity"]) - Decimal(ln["total_discount"])
    refunds = {r["id"]: r for r in read_table(root, "shopify/refund") if r["order_id"] in orders}
    ret = defaultdict(Decimal)
    for rl in read_table(root, "shopify/order_line_refund"):
        if rl["refund_id"] in refunds:
            ret[rl["refund_id"]] += Decimal(rl["subtotal"])
    for m in MONTH_LABELS:
        expected = sum(eur(a, orders[i]["created_at"]) for i, a in sale.items()
                       if utc_month(orders[i]["created_at"]) == m)
        expected -= sum(eur(a, refunds[i]["processed_at"]) for i, a in ret.items()
                        if utc_month(refunds[i]["processed_at"]) == m)
        assert summary.net_sales_reporting(m) == expected  # reporting_currency="EUR" was passed
        assert summary.net_sales_reporting(m, "USD") == summary.net_sales(m)


def test_spend_per_account_matches_both_ad_layouts(connector, admin):
    root, summary = connector
    spend = defaultdict(Decimal)
    for r in read_table(root, "facebook_ads/basic_ad"):
        spend[(r["date"][:7], r["account_id"])] += Decimal(r["spend"])
    ui = defaultdict(Decimal)
    for path in sorted((admin[0] / "facebook_ads/ads_manager_export").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                ui[(r["Day"][:7], r["Account ID"])] += Decimal(r[f"Amount spent ({r['Currency']})"])
    assert spend == ui
    currencies = {}
    for m in MONTH_LABELS:
        for s in summary.platform_spend(m, "meta"):
            acct = s.account_id
            assert spend[(m, acct)] == s.spend > 0
            currencies[acct] = s.currency
    assert currencies == {"1020304050607080": "USD", "2030405060708090": "EUR"}
    accounts = {a["id"]: a["currency"] for a in read_table(root, "facebook_ads/account_history")}
    assert accounts == currencies


def test_meta_over_claims_against_the_orders_its_ads_placed(connector):
    root, _ = connector
    us_ads = {a["id"] for a in read_table(root, "facebook_ads/ad_history") if a["account_id"] == "1020304050607080"}
    orders = latest_by_id(read_table(root, "shopify/order"))
    last_click = sum(Decimal(orders[s["order_id"]]["total_price"]) for s in read_table(root, "generic/sessions")
                     if s["order_id"] and s["utm_content"] in us_ads)
    claimed = sum(Decimal(v["value"]) for v in read_table(root, "facebook_ads/basic_ad_action_values")
                  if v["action_type"] == "offsite_conversion.fb_pixel_purchase" and v["ad_id"] in us_ads)
    assert last_click > 0
    assert claimed > Decimal("1.2") * last_click


def test_discount_codes_and_their_channel_mapping(connector):
    root, summary = connector
    mapping = {r["code"]: r for r in read_table(root, "promo_codes/mapping")}
    assert (mapping["IGDEALS10"]["platform"], mapping["IGDEALS10"]["handle"]) == ("instagram", "acme_deals")
    assert mapping["IGDEALS10"]["channel_group"] == "Organic Social"
    used = {c["code"].upper() for c in read_table(root, "shopify/order_discount_code")}
    assert "IGDEALS10" in used
    assert used - mapping.keys(), "expected generic codes in orders too"
    captions = [m["caption"] for m in read_table(root, "instagram_business/media_history")
                if m["username"] == "acme_deals"]
    assert any("IGDEALS" in c for c in captions)
    assert sum(summary.counts[m]["orders_with_mapped_code"] for m in MONTH_LABELS) > 0


def test_organic_metrics_are_cumulative_snapshots(connector):
    root, _ = connector
    for table, key, metric in (("facebook_pages/lifetime_post_metrics_total", "post_id", "post_impressions"),
                               ("instagram_business/media_insights", "id", "video_photo_impressions")):
        series = defaultdict(list)
        for r in read_table(root, table):
            if r[metric]:
                series[r[key]].append((r.get("date") or r["_fivetran_synced"], int(r[metric])))
        assert series
        for points in series.values():
            values = [v for _, v in sorted(points)]
            assert values == sorted(values)
    posts = read_table(root, "facebook_pages/post_history")
    assert any("utm_content=" + p["id"] in p["message"] for p in posts)


def test_personal_data_only_in_personal_columns(connector, admin, generic):
    allowed_email = {"email", "Email"}
    allowed_phone = {"phone", "billing_address_phone", "shipping_address_phone", "Billing Phone", "Shipping Phone",
                     "Phone"}
    phone = re.compile(r"555[- ]?01\d\d|5550 01\d\d")
    for root, _ in (connector, admin, generic):
        for path in root.rglob("*.csv"):
            with open(path, newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    for col, value in row.items():
                        if "@" in value and col not in allowed_email:
                            raise AssertionError(f"e-mail in {path.name}:{col}")
                        if phone.search(value) and col not in allowed_phone:
                            raise AssertionError(f"phone number in {path.name}:{col}")


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="sales_layout"):
        simulate(tmp_path, "2026-03", 1, sales_layout="woocommerce")
    with pytest.raises(ValueError, match="sessions_layout"):
        simulate(tmp_path, "2026-03", 1, sessions_layout="matomo")
    with pytest.raises(ValueError, match="ads_layout"):
        simulate(tmp_path, "2026-03", 1, ads_layout="api")
    with pytest.raises(ValueError, match="YYYY-MM"):
        simulate(tmp_path, "2026-3", 1)
    with pytest.raises(ValueError, match="months"):
        simulate(tmp_path, "2026-03", 0)
    assert not any(tmp_path.iterdir())
