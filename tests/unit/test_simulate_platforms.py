"""The simulator's other ad networks (LinkedIn, X, TikTok, Pinterest, Snapchat): their connector files agree
with their ingest contracts, with the sessions their ads sent, and with the ground truth.

Everything is recomputed from the written CSV files with `csv` and `Decimal`, in each connector's own units
(micros, hourly rows, per-placement rows, paid + earned), and compared with `SimulationSummary`. Time
zones come from the files where the connector has them (X, TikTok, Snapchat); LinkedIn reports UTC days
and Pinterest's advertiser table has no zone, so those two come from the catalog.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest

from socialroi.ingest import contracts
from socialroi.ingest.contracts import normalise_name
from socialroi.simulate import AD_PLATFORMS, SimulationSummary, simulate
from socialroi.simulate import _catalog as cat

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "connectors"  # the connectors' reference exports
START, MONTHS = "2026-03", 2  # March: US and UK DST changes
MONTH_LABELS = ["2026-03", "2026-04"]
SPAN = (dt.date(2026, 3, 1), dt.date(2026, 5, 1))
MICRO = Decimal("0.000001")
CENT = Decimal("0.01")
OTHER = ("linkedin", "x", "tiktok", "pinterest", "snapchat")
SOURCES = {"linkedin": "linkedin_ads", "x": "twitter_ads", "tiktok": "tiktok_ads", "pinterest": "pinterest_ads",
           "snapchat": "snapchat_ads"}
# the tables each staging model (dbt_project/models/staging/<source>/) reads
TABLES = {
    "linkedin_ads": {"account_history", "campaign_group_history", "campaign_history", "creative_history",
                     "ad_analytics_by_creative"},
    "twitter_ads": {"account_history", "campaign_history", "line_item_history", "promoted_tweet_history",
                    "tweet_url", "promoted_tweet_report"},
    "tiktok_ads": {"advertiser", "campaign_history", "adgroup_history", "ad_history", "ad_report_hourly"},
    "pinterest_ads": {"advertiser_history", "campaign_history", "ad_group_history", "pin_promotion_history",
                      "pin_promotion_report"},
    "snapchat_ads": {"ad_account_history", "campaign_history", "ad_squad_history", "ad_history",
                     "creative_history", "creative_url_tag_history", "ad_hourly_report"},
}
CLICK_IDS = {"linkedin": "li_fat_id", "x": "twclid", "tiktok": "ttclid", "snapchat": "ScCid", "pinterest": None}
UTMS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


# ---------------------------------------------------------------- reading the files


def read_table(root: Path, table: str) -> list[dict[str, str]]:
    """Rows of every file of `<source>/<table>/`, keyed by normalised header (TikTok's is upper case)."""
    rows: list[dict[str, str]] = []
    for path in sorted((root / table).rglob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = [normalise_name(h) for h in next(reader)]
            rows += [dict(zip(header, r, strict=True)) for r in reader]
    return rows


def latest(rows: list[dict[str, str]], key: str) -> dict[str, dict[str, str]]:
    """The newest row per id (by `_fivetran_synced`, then the version column)."""
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        version = (r["_fivetran_synced"], r.get("updated_at", ""))
        if r[key] not in out or version >= (out[r[key]]["_fivetran_synced"], out[r[key]].get("updated_at", "")):
            out[r[key]] = r
    return out


def local_day(ts: dt.datetime, zone: str) -> dt.date:
    return ts.astimezone(ZoneInfo(zone)).date()


def utc(text: str) -> dt.datetime:
    """'2026-03-01 08:00:00' or '... UTC' as an aware UTC datetime."""
    return dt.datetime.fromisoformat(text.removesuffix(" UTC")).replace(tzinfo=dt.UTC)


class Network:
    """One network's ads as its files describe them: account, currency, zone, destination URL per ad id."""

    def __init__(self, root: Path, platform: str):
        self.platform = platform
        src = SOURCES[platform]
        t = {name: read_table(root, f"{src}/{name}") for name in TABLES[src]}
        self.tables = t
        self.account: dict[str, str] = {}  # ad id -> account id
        self.url: dict[str, str] = {}  # ad id -> destination URL with its UTMs
        self.currency: dict[str, str] = {}  # account id -> currency
        self.zone: dict[str, str] = {}  # account id -> zone of the report days
        if platform == "linkedin":
            campaigns = latest(t["campaign_history"], "id")
            for c in latest(t["creative_history"], "id").values():
                self.account[c["id"]] = campaigns[c["campaign_id"]]["account_id"]
                self.url[c["id"]] = c["click_uri"]
            for a in latest(t["account_history"], "id").values():
                self.currency[a["id"]], self.zone[a["id"]] = a["currency"], "UTC"  # LinkedIn reports UTC days
        elif platform == "x":
            items = latest(t["line_item_history"], "id")
            campaigns = latest(t["campaign_history"], "id")
            urls = {u["tweet_id"]: u["expanded_url"] for u in t["tweet_url"] if u["index"] == "0"}
            for p in latest(t["promoted_tweet_history"], "id").values():
                camp = campaigns[items[p["line_item_id"]]["campaign_id"]]
                self.account[p["id"]] = camp["account_id"]
                self.currency[camp["account_id"]] = camp["currency"]
                self.url[p["id"]] = urls[p["tweet_id"]]
            for a in latest(t["account_history"], "id").values():
                self.zone[a["id"]] = a["timezone"]
        elif platform == "tiktok":
            for a in latest(t["ad_history"], "ad_id").values():
                self.account[a["ad_id"]] = a["advertiser_id"]
                self.url[a["ad_id"]] = a["landing_page_url"]
            for a in latest(t["advertiser"], "id").values():
                self.currency[a["id"]], self.zone[a["id"]] = a["currency"], a["timezone"]
        elif platform == "pinterest":
            for p in latest(t["pin_promotion_history"], "id").values():
                self.account[p["id"]] = p["ad_account_id"]
                self.url[p["id"]] = p["destination_url"]
            zones = {a.id: a.timezone for a in cat.PLATFORM_ACCOUNTS}  # not in the advertiser table
            for a in latest(t["advertiser_history"], "id").values():
                self.currency[a["id"]], self.zone[a["id"]] = a["currency"], zones[a["id"]]
        else:
            squads = latest(t["ad_squad_history"], "id")
            campaigns = latest(t["campaign_history"], "id")
            creatives = latest(t["creative_history"], "id")
            tags: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for tag in {(r["creative_id"], r["key"], r["value"]) for r in t["creative_url_tag_history"]}:
                tags[tag[0]].append(tag[1:])
            for a in latest(t["ad_history"], "id").values():
                self.account[a["id"]] = campaigns[squads[a["ad_squad_id"]]["campaign_id"]]["ad_account_id"]
                web = creatives[a["creative_id"]]["web_view_url"]
                extra = "&".join(f"{k}={v}" for k, v in sorted(tags[a["creative_id"]]))
                self.url[a["id"]] = web + ("?" + extra if extra else "")
            for a in latest(t["ad_account_history"], "id").values():
                self.currency[a["id"]], self.zone[a["id"]] = a["currency"], a["timezone"]

    def zone_of(self, ad_id: str) -> str:
        return self.zone[self.account[ad_id]]

    def stats(self) -> dict[tuple[str, dt.date], dict[str, Decimal]]:
        """(ad id, report day) -> spend, clicks, all_clicks, impressions, conversions, value, parts: the
        connector's rows summed per ad and day, in account-currency units."""
        out: dict[tuple[str, dt.date], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

        def add(ad: str, day: dt.date, **values: Decimal) -> None:
            slot = out[(ad, day)]
            slot["parts"] += 1
            for k, v in values.items():
                slot[k] += v

        t = self.tables
        if self.platform == "linkedin":
            for r in t["ad_analytics_by_creative"]:
                add(r["creative_id"], dt.date.fromisoformat(r["day"][:10]), spend=Decimal(r["cost_in_local_currency"]),
                    clicks=Decimal(r["landing_page_clicks"]), all_clicks=Decimal(r["clicks"]),
                    impressions=Decimal(r["impressions"]), conversions=Decimal(r["external_website_conversions"]),
                    value=Decimal(r["conversion_value_in_local_currency"]))
        elif self.platform == "x":
            for r in t["promoted_tweet_report"]:
                start = utc(r["date"])
                day = local_day(start, self.zone[r["account_id"]])
                assert start.astimezone(ZoneInfo(self.zone[r["account_id"]])).time() == dt.time(0), r["date"]
                add(r["promoted_tweet_id"], day, spend=Decimal(r["billed_charge_local_micro"]) * MICRO,
                    clicks=Decimal(r["url_clicks"]), all_clicks=Decimal(r["clicks"]),
                    impressions=Decimal(r["impressions"]), conversions=Decimal(r["conversion_purchases_metric"]),
                    value=Decimal(r["conversion_purchases_sale_amount"]) * MICRO)
        elif self.platform == "tiktok":
            for r in t["ad_report_hourly"]:
                add(r["ad_id"], dt.date.fromisoformat(r["stat_time_hour"][:10]), spend=Decimal(r["spend"]),
                    clicks=Decimal(r["clicks"]), all_clicks=Decimal(r["clicks"]), impressions=Decimal(r["impressions"]),
                    conversions=Decimal(r["complete_payment"]), value=Decimal(r["total_purchase_value"]))
        elif self.platform == "pinterest":
            for r in t["pin_promotion_report"]:
                clicks = Decimal(r["clickthrough_1"]) + Decimal(r["clickthrough_2"])
                add(r["pin_promotion_id"], dt.date.fromisoformat(r["date"]),
                    spend=Decimal(r["spend_in_micro_dollar"]) * MICRO, clicks=clicks, all_clicks=clicks,
                    impressions=Decimal(r["impression_1"]) + Decimal(r["impression_2"]),
                    conversions=Decimal(r["total_conversions"]),
                    value=Decimal(r["total_conversions_value_in_micro_dollar"]) * MICRO)
        else:
            for r in t["ad_hourly_report"]:
                add(r["ad_id"], dt.date.fromisoformat(r["date"][:10]), spend=Decimal(r["spend"]) * MICRO,
                    clicks=Decimal(r["swipes"]), all_clicks=Decimal(r["swipes"]), impressions=Decimal(r["impressions"]),
                    conversions=Decimal(r["conversion_purchases"]), value=Decimal(r["conversion_purchases_value"]) * MICRO)
        return out


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> tuple[Path, SimulationSummary]:
    root = tmp_path_factory.mktemp("platforms")
    return root, simulate(root, START, MONTHS, seed=11)


@pytest.fixture(scope="module")
def networks(world) -> dict[str, Network]:
    return {p: Network(world[0], p) for p in OTHER}


@pytest.fixture(scope="module")
def sessions(world) -> list[dict[str, str]]:
    return read_table(world[0], "generic/sessions")


def by_network(networks: dict[str, Network], sessions: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for s in sessions:
        for p, n in networks.items():
            if s["utm_content"] in n.account:
                out[p].append(s)
    return out


# ---------------------------------------------------------------- files and contracts


def test_each_network_writes_the_tables_its_staging_model_reads_per_contract(world):
    root, _ = world
    for source, tables in TABLES.items():
        assert {p.name for p in (root / source).iterdir()} == tables, source
        for table in tables:
            files = sorted(p.name for p in (root / source / table).glob("*.csv"))
            assert files == [f"{m}.csv" for m in MONTH_LABELS], (source, table)
            contract = contracts.get(source, table)
            assert contract is not None, (source, table)
            accepted = {c.name for c in contract.columns} | {a for c in contract.columns for a in c.aliases}
            with open(FIXTURES / source / f"{table}.csv", newline="", encoding="utf-8-sig") as f:
                connector = {normalise_name(h) for h in next(csv.reader(f))}
            rows = read_table(root, f"{source}/{table}")
            assert rows, (source, table)
            header = set(rows[0])
            # the contract's columns, or columns the connector's reference export has too: nothing invented
            assert header <= accepted | connector, (source, table, header - accepted - connector)
            required = {c.name for c in contract.columns if c.required}
            assert required <= header, (source, table)
            for r in rows:
                assert all(r[c] for c in required), (source, table, r)
            if contract.kind == "report":  # the key is unique within the batch
                keys = Counter(tuple(r.get(k, "") for k in contract.key) for r in rows)
                assert max(keys.values()) == 1, (source, table)


def test_conventions_of_each_connector(world, networks):
    root, _ = world
    # money units: micros where the connector uses them, whole cents underneath
    for source, table, column in (("twitter_ads", "promoted_tweet_report", "billed_charge_local_micro"),
                                  ("pinterest_ads", "pin_promotion_report", "spend_in_micro_dollar"),
                                  ("snapchat_ads", "ad_hourly_report", "spend")):
        values = [int(r[column]) for r in read_table(root, f"{source}/{table}")]
        assert all(v % 10_000 == 0 for v in values) and sum(values) > 0, source
    for r in read_table(root, "linkedin_ads/ad_analytics_by_creative"):
        assert Decimal(r["cost_in_local_currency"]) == Decimal(r["cost_in_usd"])  # a USD account
        assert int(r["clicks"]) >= int(r["landing_page_clicks"])
    # one account each, and one of them not in USD
    currencies = {p: set(n.currency.values()) for p, n in networks.items()}
    assert currencies == {"linkedin": {"USD"}, "x": {"USD"}, "tiktok": {"USD"}, "pinterest": {"GBP"},
                          "snapchat": {"USD"}}
    # hourly connectors: several hours a day; X: some days on two placements
    for p in ("tiktok", "snapchat"):
        parts = [v["parts"] for v in networks[p].stats().values()]
        assert max(parts) > 1, p
    placements = Counter(r["placement"] for r in read_table(root, "twitter_ads/promoted_tweet_report"))
    assert set(placements) == {"ALL_ON_TWITTER", "PUBLISHER_NETWORK"}
    # TikTok: a paused ad has a second history version and no rows from its pause on
    history = [r for r in networks["tiktok"].tables["ad_history"] if r["operation_status"] == "DISABLE"]
    assert len({r["ad_id"] for r in history}) == 1
    paused = history[0]
    pause_day = local_day(utc(paused["updated_at"]), networks["tiktok"].zone_of(paused["ad_id"]))
    days = [d for (ad, d) in networks["tiktok"].stats() if ad == paused["ad_id"]]
    assert days and max(days) < pause_day
    # Snapchat: one creative's UTMs as tag rows, one in its web view URL
    tagged = {r["creative_id"] for r in networks["snapchat"].tables["creative_url_tag_history"]}
    in_url = {c["id"] for c in networks["snapchat"].tables["creative_history"] if "utm_source=" in c["web_view_url"]}
    assert tagged and in_url and not tagged & in_url


# ---------------------------------------------------------------- ground truth


def test_summary_spend_clicks_and_claims_equal_the_files(world, networks):
    _, summary = world
    for p, n in networks.items():
        got: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for (ad, day), v in n.stats().items():
            g = got[(day.strftime("%Y-%m"), n.account[ad])]
            g["rows"] += 1
            for k in ("spend", "clicks", "impressions", "conversions", "value"):
                g[k] += v[k]
            assert v["all_clicks"] >= v["clicks"]
        for m in MONTH_LABELS:
            truth = summary.platform_spend(m, p)
            assert len(truth) == 1, (m, p)
            t = truth[0]
            g = got[(m, t.account_id)]
            assert (g["rows"], g["spend"], g["clicks"], g["impressions"], g["conversions"], g["value"]) == (
                t.ad_days, t.spend, t.link_clicks, t.impressions, t.claimed_purchases, t.claimed_purchase_value), (m, p)
            assert t.currency == n.currency[t.account_id]
            assert t.spend > 0 and t.link_clicks > 0
        assert {m for m, _ in got} == set(MONTH_LABELS)
        assert sum(g["conversions"] for g in got.values()) > 0, p
        # spend in whole cents, every day of an active ad
        assert all(v["spend"] == v["spend"].quantize(CENT) for v in n.stats().values())


def test_spend_reporting_per_platform(world, networks):
    root, summary = world
    rates: dict[dt.date, Decimal] = {}
    for r in read_table(root, "fx/rates"):
        if r["quote"] == "GBP":
            rates[dt.date.fromisoformat(r["date"])] = Decimal(r["rate"])

    def usd(amount: Decimal, day: dt.date) -> Decimal:
        for back in range(8):
            if day - dt.timedelta(days=back) in rates:
                return (amount / rates[day - dt.timedelta(days=back)]).quantize(CENT, ROUND_HALF_EVEN)
        raise AssertionError(day)

    for m in MONTH_LABELS:
        pinterest = sum(usd(v["spend"], d) for (_, d), v in networks["pinterest"].stats().items()
                        if d.strftime("%Y-%m") == m)
        assert summary.spend_reporting(m, "USD", platform="pinterest") == pinterest
        assert summary.spend_reporting(m, "USD", platform="tiktok") == summary.platform_spend(m, "tiktok")[0].spend
        every = summary.spend_reporting(m, platform=None)
        assert every == sum(summary.spend_reporting(m, platform=p) for p in AD_PLATFORMS)
        assert summary.spend_reporting(m) == summary.spend_reporting(m, platform="meta") < every


# ---------------------------------------------------------------- the sessions the ads sent


def test_sessions_from_each_networks_ads(world, networks, sessions):
    _, summary = world
    sent = by_network(networks, sessions)
    meta = {m: summary.counts[m]["ad_sessions_meta"] for m in MONTH_LABELS}
    for p, n in networks.items():
        rows = sent[p]
        per_month = Counter(s["started_at"][:7] for s in rows)
        for m in MONTH_LABELS:
            assert per_month[m] == summary.counts[m][f"ad_sessions_{p}"], (p, m)
            assert 10 <= per_month[m] < meta[m] / 5, (p, m)  # modest beside Meta
        with_click_id = 0
        for s in rows:
            url, dest = urlsplit(s["landing_url"]), urlsplit(n.url[s["utm_content"]])
            params, dest_params = dict(parse_qsl(url.query)), dict(parse_qsl(dest.query))
            assert url.path == dest.path
            assert {k: params[k] for k in UTMS} == {k: dest_params[k] for k in UTMS} == {k: s[k] for k in UTMS}
            assert not s["fbclid"] and not s["gclid"] and "fbclid" not in params
            if CLICK_IDS[p] in params:
                with_click_id += 1
        if CLICK_IDS[p]:
            assert with_click_id >= 0.75 * len(rows), p
        else:
            assert with_click_id == 0
    sources = {s["utm_source"] for rows in sent.values() for s in rows}
    assert {"linkedin", "lnkd.in", "twitter", "x", "tiktok", "TikTok", "tiktok.com", "pinterest", "Pinterest",
            "snapchat", "Snapchat"} <= sources
    assert {s["utm_campaign"] for s in sent["linkedin"]} == {"Corporate Gifting"}  # decoded from %20


def test_clicks_cover_the_sessions_of_each_ad_day_and_hour(networks, sessions):
    sent = by_network(networks, sessions)
    for p, n in networks.items():
        stats = n.stats()
        per_day = Counter()
        per_hour = Counter()
        for s in sent[p]:
            local = utc(s["started_at"].removesuffix("Z").replace("T", " ")).astimezone(ZoneInfo(n.zone_of(s["utm_content"])))
            if SPAN[0] <= local.date() < SPAN[1]:
                per_day[(s["utm_content"], local.date())] += 1
                per_hour[(s["utm_content"], local.date(), local.hour)] += 1
        assert per_day, p
        for key, count in per_day.items():
            assert key in stats, (p, key)  # an ad-day that sent a session has a stats row
            assert stats[key]["clicks"] >= count, (p, key)
        if p in ("tiktok", "snapchat"):
            hourly: dict[tuple[str, dt.date, int], int] = {}
            for r in n.tables["ad_hourly_report" if p == "snapchat" else "ad_report_hourly"]:
                when = r["date"] if p == "snapchat" else r["stat_time_hour"]
                clicks = r["swipes"] if p == "snapchat" else r["clicks"]
                hourly[(r["ad_id"], dt.date.fromisoformat(when[:10]), int(when[11:13]))] = int(clicks)
            for key, count in per_hour.items():
                assert hourly.get(key, 0) >= count, (p, key)


def test_networks_claim_the_orders_their_clicks_placed(world, networks, sessions):
    root, _ = world
    orders = latest(read_table(root, "shopify/order"), "id")
    rates = {(dt.date.fromisoformat(r["date"]), r["quote"]): Decimal(r["rate"]) for r in read_table(root, "fx/rates")}

    def in_currency(amount: Decimal, day: dt.date, currency: str) -> Decimal:
        if currency == "USD":
            return amount
        for back in range(8):
            rate = rates.get((day - dt.timedelta(days=back), currency))
            if rate is not None:
                return (amount * rate).quantize(CENT, ROUND_HALF_EVEN)
        raise AssertionError(day)

    for p, n in networks.items():
        stats = n.stats()
        placed: dict[tuple[str, dt.date], list[Decimal]] = defaultdict(list)
        for s in by_network(networks, sessions)[p]:
            if not s["order_id"]:
                continue
            ad = s["utm_content"]
            day = utc(s["started_at"].removesuffix("Z").replace("T", " ")).astimezone(ZoneInfo(n.zone_of(ad))).date()
            if SPAN[0] <= day < SPAN[1]:
                currency = n.currency[n.account[ad]]
                placed[(ad, day)].append(in_currency(Decimal(orders[s["order_id"]]["total_price"]), day, currency))
        assert placed, p
        for key, values in placed.items():  # the last click's ad claims the order, at its full total
            assert stats[key]["conversions"] >= len(values), (p, key)
            assert stats[key]["value"] >= sum(values), (p, key)
        claimed = sum(v["conversions"] for v in stats.values())
        assert claimed > sum(len(v) for v in placed.values())  # earlier clicks of the journeys claim too


# ---------------------------------------------------------------- choosing the networks


def test_ad_platforms_choose_the_exports_and_nothing_else_changes(tmp_path, world):
    root, summary = world
    only_meta = simulate(tmp_path / "meta", START, MONTHS, seed=11, ad_platforms=("meta",))
    written = {p.relative_to(tmp_path / "meta").as_posix(): p.read_bytes() for p in (tmp_path / "meta").rglob("*.csv")}
    everything = {p.relative_to(root).as_posix() for p in root.rglob("*.csv")}
    assert set(written) < everything
    assert {f.split("/")[0] for f in everything - set(written)} == set(SOURCES.values())
    assert [f for f, data in written.items() if (root / f).read_bytes() != data] == []  # byte-identical
    assert {s.platform for m in MONTH_LABELS for s in only_meta.spend[m].values()} == {"meta"}
    assert only_meta.counts == summary.counts and only_meta.sales == summary.sales
    assert only_meta.spend_reporting("2026-03") == summary.spend_reporting("2026-03")

    two = simulate(tmp_path / "two", START, MONTHS, seed=11, ad_platforms=("pinterest", "linkedin"))
    folders = {p.name for p in (tmp_path / "two").iterdir()}
    assert "facebook_ads" not in folders and {"linkedin_ads", "pinterest_ads"} <= folders
    assert not folders & {"twitter_ads", "tiktok_ads", "snapchat_ads"}
    assert two.ad_platforms == ("linkedin", "pinterest")
    assert {s.platform for s in two.spend["2026-03"].values()} == {"linkedin", "pinterest"}
    assert two.spend_reporting("2026-03") == 0  # no Meta export, no Meta spend
    assert (tmp_path / "two/generic/sessions/2026-03.csv").read_bytes() == (root / "generic/sessions/2026-03.csv").read_bytes()


def test_bad_ad_platforms_are_refused(tmp_path):
    with pytest.raises(ValueError, match="ad_platforms"):
        simulate(tmp_path, START, 1, ad_platforms=("meta", "tv"))
    with pytest.raises(ValueError, match="ad_platforms"):
        simulate(tmp_path, START, 1, ad_platforms="meta")
    assert not any(tmp_path.iterdir())
