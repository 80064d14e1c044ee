"""Snowplow's dbt-snowplow-fractribution integration test through the real pipeline (ingest + dbt).

Input: Snowplow's own sessions (with its channel classification) and conversions, derived from its raw
events (tests/integration/test_ingest_reference.py checks that our Snowplow staging reproduces those
sessions from the same events). Landed as the generic sessions and orders feeds, with Snowplow's
conventions set: channel = the tracker's channel group, 30-day lookback, exposure transform, one fit
over the whole window (fit_months 2, US Pacific months), and no open journey for people who converted. Expected: its
paths to conversion and non-conversion, path summary, and shapley (fractribution) and last-touch
channel attribution."""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from socialroi import settings as _settings
from socialroi.attribution.paths import transform_path
from socialroi.build import run_dbt
from socialroi.ingest import ingest_all

FIXTURES = Path(__file__).parents[1] / "fixtures"
EXPECTED = FIXTURES / "reference" / "snowplow-fractribution"
SESSIONS = FIXTURES / "connectors" / "snowplow" / "expected"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("snowplow")
    mp = pytest.MonkeyPatch()
    for key, sub in (("LANDING", "landing"), ("WAREHOUSE", "wh.duckdb"), ("PUBLISH", "publish"), ("STATE", "state")):
        mp.setenv(f"SOCIALROI_{key}", str(root / sub))
    mp.setenv("SOCIALROI_SALT", "x")
    mp.setenv("SOCIALROI_ORDER_SOURCE", "generic")
    # Snowplow fits once over its window 2022-06-03 .. 2022-08-01 (inclusive; the last session is at 06:37
    # UTC on Aug 1). We fit per reporting month on a trailing window: reporting in US Pacific time puts
    # the whole window in June and July, and fit_months 2 makes the July fit see all of it.
    mp.setenv("SOCIALROI_REPORTING_TIMEZONE", "America/Los_Angeles")
    landing = root / "landing" / "generic"
    (landing / "sessions").mkdir(parents=True)
    (landing / "orders").mkdir(parents=True)
    with (landing / "sessions" / "snowplow_sessions.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["session_id", "user_id", "customer_id", "started_at", "channel_group", "utm_source", "utm_medium"])
        for i, r in enumerate(_read(SESSIONS / "sessions_by_customer_id.csv")):
            w.writerow([f"{r['customer_id']}|{i}", r["customer_id"], r["customer_id"], r["visit_start_tstamp"],
                        r["channel"], r["source"], r["medium"]])
    with (landing / "orders" / "snowplow_conversions.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["order_id", "created_at", "currency", "gross_sales", "customer_id"])
        for r in _read(SESSIONS / "conversions_by_customer_id.csv"):
            w.writerow([f"o-{r['customer_id']}", r["conversion_tstamp"], "USD", r["revenue"], r["customer_id"]])
    s = dataclasses.replace(_settings.load(), attribution={
        "channel_unit": "channel_group", "lookback_days": 30, "path_transform": "exposure", "fit_months": 2,
        "open_journeys_after_conversion": False, "promo_codes_as_touch": False})
    out = ingest_all(s)
    assert out["quarantined"] == 0 and out["loaded"] == 2
    # unit tests run elsewhere, on the default vars
    run_dbt(s, ["build", "--select", "+mart_attribution_channel_monthly", "--exclude", "test_type:data", "test_type:unit"])
    con = duckdb.connect(str(s.warehouse), read_only=True)
    yield con
    con.close()
    mp.undo()


def _our_paths(con) -> dict[tuple[str, bool], str]:
    rows = con.execute(
        "select split_part(touchpoint_id, '|', 1) as customer, is_converting, string_agg(channel, ' > ' order by touched_at, touchpoint_id) "
        "from intermediate.int_journey_touchpoints group by journey_id, customer, is_converting").fetchall()
    return {(customer, converting): path for customer, converting, path in rows}


def test_paths_to_conversion_and_non_conversion_match_snowplow(built):
    ours = _our_paths(built)
    conv = {(r["customer_id"], True): r["path"] for r in _read(EXPECTED / "paths_to_conversion_expected.csv")}
    non = {(r["customer_id"], False): r["path"] for r in _read(EXPECTED / "paths_to_non_conversion_expected.csv")}
    assert len(conv) == 6 and len(non) == 61
    assert ours == {**conv, **non}


def test_path_summary_matches_snowplow(built):
    counts: Counter[tuple[str, str]] = Counter()
    for path_key, conversions, non_conversions in built.execute(
            "select path_key, sum(conversions), sum(non_conversions) from intermediate.int_attribution_path_counts "
            "group by 1").fetchall():
        key = " > ".join(transform_path(path_key.split(" > "), "exposure"))
        counts[(key, "c")] += conversions
        counts[(key, "n")] += non_conversions
    expected = _read(EXPECTED / "path_summary_expected.csv")
    assert {r["transformed_path"] for r in expected} == {k for k, _ in counts}
    for r in expected:
        assert (counts[(r["transformed_path"], "c")], counts[(r["transformed_path"], "n")]) == (
            int(r["conversions"]), int(r["non_conversions"])), r


@pytest.mark.parametrize(("peer", "model"), [("shapley", "fractribution"), ("last_touch", "last_touch")])
def test_channel_attribution_matches_snowplow(built, peer, model):
    rows = built.execute(
        "select platform_or_channel, sum(attributed_orders), sum(attributed_revenue) from ("
        "  select channel_group as platform_or_channel, attributed_orders, attributed_revenue"
        "  from marts.mart_attribution_channel_monthly where model = ?) group by 1", [model]).fetchall()
    ours = {channel: (orders, revenue) for channel, orders, revenue in rows}
    expected = [r for r in _read(EXPECTED / "channel_attribution_expected.csv") if r["ATTRIBUTION_TYPE"] == peer]
    assert len(expected) == 6
    total = defaultdict(Decimal)
    for r in expected:
        orders, revenue = ours.get(r["CHANNEL"], (0.0, Decimal("0.00")))
        assert orders == pytest.approx(float(r["CONVERSIONS"]), abs=1e-6), r
        # ours is in exact cents (largest remainder); Snowplow's is a float
        assert abs(revenue - Decimal(r["REVENUE"])) <= Decimal("0.01"), r
        total["ours"] += revenue
        total["peer"] += Decimal(r["REVENUE"])
    assert total["ours"] == sum(Decimal(r["revenue"]) for r in _read(SESSIONS / "conversions_by_customer_id.csv"))
