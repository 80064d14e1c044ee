"""The simulator's tracker layouts (GA4 connector, GA4 BigQuery export, Snowplow) and Stripe: files per contract,
describing the same sessions and orders as the generic feed and the Shopify connector of the same world, and a
ground truth for Stripe recomputed from its files.

Everything is parsed from the written files with `csv`, `json` and `Decimal`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from landing_tables import read_table

from socialroi.ingest import contracts
from socialroi.ingest.contracts import normalise_name
from socialroi.simulate import SESSIONS_LAYOUTS, SimulationSummary, simulate

START, MONTHS, SEED, SCALE = "2026-03", 2, 13, 0.3
MONTH_LABELS = ["2026-03", "2026-04"]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "connectors"


def read_jsonl(root: Path, table: str) -> list[dict]:
    return [json.loads(line) for path in sorted((root / table).rglob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def header_of(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def latest_by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        if r["id"] not in out or r["_fivetran_synced"] >= out[r["id"]]["_fivetran_synced"]:
            out[r["id"]] = r
    return out


def cents(text: str) -> int:
    return int(Decimal(text) * 100)


# ---------------------------------------------------------------- fixtures: one world, every layout


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, SimulationSummary]]:
    out = {}
    for sessions, sales in (("generic", "connector"), ("ga4", "stripe"), ("ga4_bigquery", "generic"),
                            ("snowplow", "connector")):
        root = tmp_path_factory.mktemp(f"{sessions}-{sales}")
        out[(sessions, sales)] = root, simulate(root, START, MONTHS, seed=SEED, scale=SCALE, sessions_layout=sessions,
                                                sales_layout=sales)
    return out


@pytest.fixture(scope="module")
def generic_sessions(runs) -> list[dict[str, str]]:
    return read_table(runs[("generic", "connector")][0], "generic/sessions")


@pytest.fixture(scope="module")
def shopify_orders(runs) -> dict[str, dict[str, str]]:
    return latest_by_id(read_table(runs[("generic", "connector")][0], "shopify/order"))


# ---------------------------------------------------------------- files and contracts


@pytest.mark.parametrize(("layout", "tables"), [
    (("ga4", "stripe"), ["ga4/event", "stripe/charge", "stripe/refund", "stripe/customer"]),
    (("snowplow", "connector"), ["snowplow/events"]),
])
def test_csv_files_follow_their_contracts(runs, layout, tables):
    root, summary = runs[layout]
    for table in tables:
        source, name = table.split("/")
        contract = contracts.get(source, name)
        accepted = {c.name for c in contract.columns} | {a for c in contract.columns for a in c.aliases}
        required = {c.name for c in contract.columns if c.required}
        paths = sorted((root / table).glob("*.csv"))
        assert [p.stem for p in paths] == MONTH_LABELS, table  # one file per month
        assert [f for f in summary.files if f.startswith(table + "/")] == [f"{table}/{m}.csv" for m in MONTH_LABELS]
        for path in paths:
            header = [normalise_name(h) for h in header_of(path)]
            assert set(header) <= accepted, (table, set(header) - accepted)  # nothing the contract does not know
            assert required <= set(header), table
        rows = read_table(root, table)
        for r in rows:
            assert all(r[c] for c in required), table
        if contract.kind == "report":
            assert len({tuple(r[k] for k in contract.key) for r in rows}) == len(rows), table


def test_generic_sessions_are_not_written_with_a_tracker_layout(runs):
    for (sessions, _), (root, _) in runs.items():
        assert (root / "generic" / "sessions").exists() == (sessions == "generic")
        assert (root / "ga4").exists() == sessions.startswith("ga4")
        assert (root / "snowplow").exists() == (sessions == "snowplow")


def test_other_files_do_not_depend_on_the_layouts(runs):
    a, b = snapshot(runs[("generic", "connector")][0]), snapshot(runs[("snowplow", "connector")][0])
    common = (a.keys() & b.keys())
    assert {k.split("/")[0] for k in common} >= {"shopify", "facebook_ads", "fx", "instagram_business"}
    assert [k for k in common if a[k] != b[k]] == []
    c = snapshot(runs[("ga4", "stripe")][0])
    assert [k for k in a.keys() & c.keys() if a[k] != c[k]] == []


def test_same_arguments_give_identical_bytes(tmp_path):
    for sessions, sales in (("ga4", "stripe"), ("ga4_bigquery", "stripe"), ("snowplow", "stripe")):
        one = simulate(tmp_path / f"{sessions}-a", START, 1, seed=3, scale=0.2, sessions_layout=sessions,
                       sales_layout=sales)
        two = simulate(tmp_path / f"{sessions}-b", START, 1, seed=3, scale=0.2, sessions_layout=sessions,
                       sales_layout=sales)
        assert snapshot(tmp_path / f"{sessions}-a") == snapshot(tmp_path / f"{sessions}-b")
        assert one.to_json() == two.to_json()
        assert one.sessions_layout == sessions


def test_layouts_are_validated_and_listed(tmp_path):
    assert SESSIONS_LAYOUTS == ("generic", "ga4", "ga4_bigquery", "snowplow")
    with pytest.raises(ValueError, match="sessions_layout"):
        simulate(tmp_path, START, 1, sessions_layout="ga3")
    assert not any(tmp_path.iterdir())


# ---------------------------------------------------------------- GA4


def _ga4_sessions(events: list[dict[str, str]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    """Connector events per (user_pseudo_id, ga_session_id), in time order."""
    sessions: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for e in events:
        sessions[(e["user_pseudo_id"], e["param_ga_session_id"])].append(e)
    for evs in sessions.values():
        evs.sort(key=lambda e: e["timestamp"])
    return sessions


def test_ga4_connector_events_describe_the_generic_sessions(runs, generic_sessions, shopify_orders):
    root, summary = runs[("ga4", "stripe")]
    events = read_table(root, "ga4/event")
    sessions = _ga4_sessions(events)
    assert len(sessions) == len(generic_sessions) == sum(summary.counts[m]["sessions"] for m in MONTH_LABELS)
    assert Counter(e["name"] for e in events)["session_start"] == len(generic_sessions)
    got = Counter()
    purchases = {}
    for (cookie, gsid), evs in sessions.items():
        first = evs[0]
        assert first["name"] == "session_start" and evs[1]["name"] == "page_view"
        assert first["param_ga_session_id"] == gsid and evs[1]["param_page_location"] == first["param_page_location"]
        assert len({e["param_ga_session_number"] for e in evs}) == 1 and len({e["user_id"] for e in evs}) == 1
        order = [e for e in evs if e["name"] == "purchase"]
        assert len(order) <= 1
        if order:
            assert order[0] is evs[-1]
            purchases[order[0]["ecommerce_transaction_id"]] = order[0]["ecommerce_purchase_revenue"]
        got[(cookie, first["timestamp"][:19].replace(" ", "T") + "Z", first["user_id"], first["param_page_location"],
             first["param_page_referrer"], first["collected_traffic_source_manual_source"],
             first["collected_traffic_source_manual_medium"], first["collected_traffic_source_manual_campaign_name"],
             first["collected_traffic_source_manual_content"], first["collected_traffic_source_manual_term"],
             first["collected_traffic_source_gclid"], order[0]["ecommerce_transaction_id"] if order else "")] += 1
    want = Counter((s["user_id"], s["started_at"], s["customer_id"], s["landing_url"], s["referrer"], s["utm_source"],
                    s["utm_medium"], s["utm_campaign"], s["utm_content"], s["utm_term"], s["gclid"], s["order_id"])
                   for s in generic_sessions)
    assert got == want
    # the purchase's revenue is the order's total
    assert purchases and all(Decimal(v) == Decimal(shopify_orders[k]["total_price"]) for k, v in purchases.items())
    # GA4 dates events in the property's zone (the shop's, New York): the first file starts the evening before
    assert min(e["date"] for e in events) == "2026-02-28"
    assert all(e["date"] <= e["timestamp"][:10] for e in events)


def test_ga4_bigquery_export_holds_the_same_events(runs):
    connector = read_table(runs[("ga4", "stripe")][0], "ga4/event")
    root, summary = runs[("ga4_bigquery", "generic")]
    assert [f for f in summary.files if f.startswith("ga4/")] == [f"ga4/events_export/{m}.jsonl" for m in MONTH_LABELS]
    events = read_jsonl(root, "ga4/events_export")
    assert len(events) == len(connector)
    fixture = [json.loads(line) for line in (FIXTURES / "ga4" / "events_export.jsonl").read_text().splitlines()]
    known = {k for r in fixture for k in r}
    assert {k for e in events for k in e} <= known  # the export's own fields, nothing invented
    required = {c.name for c in contracts.get("ga4", "events_export").columns if c.required}
    assert all(e[k] for e in events for k in required)

    def param(e: dict, key: str):
        for p in e["event_params"]:
            if p["key"] == key:
                v = p["value"]
                return next((x for x in (v["string_value"], v["int_value"], v["double_value"]) if x is not None), None)
        return None

    def flat(e: dict) -> tuple:
        micros = int(e["event_timestamp"])
        ecommerce = e["ecommerce"] or {}
        cts = e["collected_traffic_source"] or {}
        return (e["event_name"], e["user_pseudo_id"], str(param(e, "ga_session_id")), micros, param(e, "page_location"),
                param(e, "page_referrer") or "", cts.get("manual_source") or "", cts.get("gclid") or "",
                ecommerce.get("transaction_id") or "", e["event_date"])

    def flat_connector(e: dict) -> tuple:
        secs, frac = e["timestamp"].split(".")
        micros = int(dt.datetime.fromisoformat(secs).replace(tzinfo=dt.UTC).timestamp()) * 1_000_000 + int(frac)
        return (e["name"], e["user_pseudo_id"], e["param_ga_session_id"], micros, e["param_page_location"],
                e["param_page_referrer"], e["collected_traffic_source_manual_source"],
                e["collected_traffic_source_gclid"], e["ecommerce_transaction_id"], e["date"].replace("-", ""))

    assert Counter(map(flat, events)) == Counter(map(flat_connector, connector))
    for e in events:
        assert isinstance(param(e, "ga_session_id"), int)
        if e["event_name"] == "purchase":
            assert param(e, "transaction_id") == e["ecommerce"]["transaction_id"]
            assert param(e, "value") == e["ecommerce"]["purchase_revenue"] > 0


# ---------------------------------------------------------------- Snowplow


def test_snowplow_events_describe_the_generic_sessions(runs, generic_sessions, shopify_orders):
    root, summary = runs[("snowplow", "connector")]
    events = read_table(root, "snowplow/events")
    assert len({e["event_id"] for e in events}) == len(events)
    by_session: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        by_session[e["domain_sessionid"]].append(e)
        assert e["collector_tstamp"] >= e["derived_tstamp"] == e["dvce_created_tstamp"]
        assert e["collector_tstamp"][:7] in MONTH_LABELS
    assert len(by_session) == len(generic_sessions) == sum(summary.counts[m]["sessions"] for m in MONTH_LABELS)
    got = Counter()
    visitor_of_cookie = {}
    for evs in by_session.values():
        evs.sort(key=lambda e: e["derived_tstamp"])
        first = evs[0]
        assert first["event"] == "page_view" and all(e["domain_userid"] == first["domain_userid"] for e in evs)
        assert all(not e["mkt_source"] and not e["mkt_clickid"] for e in evs[1:])
        query = first["page_urlquery"]
        assert first["page_url"] == f"{first['page_urlscheme']}://{first['page_urlhost']}{first['page_urlpath']}" + (
            f"?{query}" if query else "")
        transactions = [e for e in evs if e["event"] == "transaction"]
        assert len(transactions) <= 1
        if transactions:
            t = transactions[0]
            assert (t["tr_currency"], Decimal(t["tr_total"])) == ("USD", Decimal(shopify_orders[t["tr_orderid"]]["total_price"]))
        got[(first["derived_tstamp"][:19].replace(" ", "T") + "Z", first["user_id"], first["page_url"],
             first["page_referrer"], first["mkt_source"], first["mkt_medium"], first["mkt_campaign"],
             first["mkt_content"], first["mkt_term"], first["mkt_clickid"],
             transactions[0]["tr_orderid"] if transactions else "")] += 1
        visitor_of_cookie.setdefault(first["domain_userid"], set()).add(first["domain_sessionidx"])
    want = Counter((s["started_at"], s["customer_id"], s["landing_url"], s["referrer"], s["utm_source"],
                    s["utm_medium"], s["utm_campaign"], s["utm_content"], s["utm_term"], s["gclid"], s["order_id"])
                   for s in generic_sessions)
    assert got == want
    assert len(visitor_of_cookie) == len({s["user_id"] for s in generic_sessions})
    # session indexes count each visitor's sessions 1, 2, ...
    assert all(idx == {str(k) for k in range(1, len(idx) + 1)} for idx in visitor_of_cookie.values())
    assert {e["refr_medium"] for e in events if e["refr_urlhost"]} >= {"search", "social", "internal"}


# ---------------------------------------------------------------- Stripe


def test_stripe_charges_are_the_shopify_orders(runs, shopify_orders):
    root, summary = runs[("ga4", "stripe")]
    charges = latest_by_id(read_table(root, "stripe/charge"))
    succeeded = [c for c in charges.values() if c["status"] == "succeeded"]
    failed = [c for c in charges.values() if c["status"] == "failed"]
    by_order = {json.loads(c["metadata"])["order_id"]: c for c in succeeded}
    assert len(by_order) == len(succeeded)  # one succeeded charge per order
    live = {o for o, c in by_order.items() if c["livemode"] == "true"}
    counted = {i for i, o in shopify_orders.items() if o["test"] == "false" and o["_fivetran_deleted"] == "false"}
    tests = {i for i, o in shopify_orders.items() if o["test"] == "true"}
    assert live == counted and set(by_order) - live == tests
    for order_id, c in by_order.items():
        o = shopify_orders[order_id]
        assert int(c["amount"]) == cents(o["total_price"])
        assert c["created"] == o["created_at"][:19] and c["currency"] == "usd"
        assert (c["paid"], c["captured"]) == ("true", "true")
        assert json.loads(c["metadata"])["order_name"] == o["name"]
    assert failed and all(c["paid"] == "false" and c["failure_code"] and not c["balance_transaction_id"]
                          for c in failed)
    assert {json.loads(c["metadata"])["order_id"] for c in failed} <= set(by_order)
    # refunds: Stripe refunds what Shopify refunded (merchandise and tax), through the charge
    refunds = read_table(root, "stripe/refund")
    by_charge = defaultdict(int)
    for r in refunds:
        assert r["metadata"] == "{}" and r["status"] == "succeeded"
        by_charge[r["charge_id"]] += int(r["amount"])
    generic_root = runs[("generic", "connector")][0]
    shop_refunds = {r["id"]: r for r in read_table(generic_root, "shopify/refund")}
    refunded = defaultdict(int)
    for rl in read_table(generic_root, "shopify/order_line_refund"):
        refunded[shop_refunds[rl["refund_id"]]["order_id"]] += cents(rl["subtotal"]) + cents(rl["total_tax"])
    assert len(refunds) == len(shop_refunds) > 0
    assert {json.loads(c["metadata"])["order_id"]: by_charge[c["id"]] for c in succeeded if by_charge[c["id"]]} == \
        dict(refunded)
    for c in succeeded:  # the charge's latest export knows what was refunded by then
        assert int(c["amount_refunded"]) == by_charge[c["id"]]
        assert (c["refunded"] == "true") == (by_charge[c["id"]] == int(c["amount"]))
    customers = latest_by_id(read_table(root, "stripe/customer"))
    assert {c["customer_id"] for c in succeeded if c["customer_id"]} == set(customers)


def test_stripe_ground_truth_recomputed_from_its_files(runs):
    root, summary = runs[("ga4", "stripe")]
    charges = latest_by_id(read_table(root, "stripe/charge"))
    per_month: dict[str, dict] = defaultdict(lambda: {"orders": 0, "gross": Decimal(0), "returns": Decimal(0),
                                                     "refunds": 0})
    for c in charges.values():
        if c["status"] == "succeeded" and c["livemode"] == "true":
            per_month[c["created"][:7]]["orders"] += 1
            per_month[c["created"][:7]]["gross"] += Decimal(c["amount"]) / 100
    for r in read_table(root, "stripe/refund"):
        per_month[r["created"][:7]]["returns"] += Decimal(r["amount"]) / 100
        per_month[r["created"][:7]]["refunds"] += 1
    shopify = runs[("generic", "connector")][1]
    for m in MONTH_LABELS:
        t = summary.totals(m)
        assert (t.orders, t.gross_sales, t.returns, t.refunds) == tuple(per_month[m].values()), m
        assert t.net_sales == t.gross_sales - t.returns
        assert (t.discounts, t.tax, t.shipping, t.gift_card_sales, t.cost_of_goods) == (0, 0, 0, 0, 0)
        # Stripe's gross is Shopify's merchandise after discounts, plus tax, shipping and gift cards
        s = shopify.totals(m)
        assert t.orders == s.orders
        assert t.gross_sales == s.gross_sales - s.discounts + s.tax + s.shipping + s.gift_card_sales
    # sale and return events carry Stripe's amounts, so the reporting currency reconciles the same way
    sales = sum((e.amount for e in summary.events if e.kind == "sale"), Decimal(0))
    returns = sum((e.amount for e in summary.events if e.kind == "return"), Decimal(0))
    assert sales - returns == sum((summary.net_sales(m) for m in MONTH_LABELS), Decimal(0))
    # the other layouts' truth is unchanged by the sessions layout
    assert runs[("snowplow", "connector")][1].totals("2026-03") == shopify.totals("2026-03")
