"""Property test through the real engine (ingest + dbt): random journeys and orders, every model.

Each example writes a generic sessions feed and orders/returns with random amounts, channels and
timings, loads them and builds the attribution models; then, for every model and month, per-order
credits lie in [0, 1] and sum to 1, and attributed revenue equals net sales to the cent.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from socialroi import settings as _settings
from socialroi.build import run_dbt
from socialroi.ingest import ingest_all

CHANNELS = [
    ("facebook", "paid_social"), ("instagram", "social"), ("google", "cpc"), ("google", "organic"),
    ("newsletter", "email"), ("", ""), ("tiktok", "paid_social"), ("x", "social"),
]
START = dt.datetime(2026, 3, 1)

journey = st.fixed_dictionaries({
    "user": st.integers(0, 25),
    "touches": st.lists(st.tuples(st.integers(0, len(CHANNELS) - 1), st.integers(0, 60 * 24 * 70)),
                        min_size=0, max_size=6),
    "order_minute": st.one_of(st.none(), st.integers(0, 60 * 24 * 70)),
    "cents": st.integers(1, 500_000),
    "discount_cents": st.integers(0, 2_000),
    "refund": st.one_of(st.none(), st.tuples(st.integers(1, 100_000), st.integers(0, 60 * 24 * 20))),
})


def _write(root: Path, journeys: list[dict]) -> None:
    sess_dir = root / "landing" / "generic" / "sessions"
    ord_dir = root / "landing" / "generic" / "orders"
    ret_dir = root / "landing" / "generic" / "returns"
    for d in (sess_dir, ord_dir, ret_dir):
        d.mkdir(parents=True, exist_ok=True)
    with (sess_dir / "s.csv").open("w", newline="") as s_fh, (ord_dir / "o.csv").open("w", newline="") as o_fh, \
            (ret_dir / "r.csv").open("w", newline="") as r_fh:
        s = csv.writer(s_fh)
        o = csv.writer(o_fh)
        r = csv.writer(r_fh)
        s.writerow(["session_id", "user_id", "started_at", "utm_source", "utm_medium", "utm_campaign", "order_id"])
        o.writerow(["order_id", "created_at", "currency", "gross_sales", "discount", "customer_id"])
        r.writerow(["order_id", "processed_at", "amount"])
        n_sessions = 0
        for i, j in enumerate(journeys):
            order_id = f"o{i}" if j["order_minute"] is not None else None
            for ch, minute in j["touches"]:
                src, med = CHANNELS[ch]
                n_sessions += 1
                s.writerow([f"s{n_sessions}", f"u{j['user']}", (START + dt.timedelta(minutes=minute)).isoformat() + "Z",
                            src, med, f"c{ch % 3}", ""])
            if order_id:
                created = START + dt.timedelta(minutes=j["order_minute"])
                gross = Decimal(j["cents"]) / 100
                discount = min(Decimal(j["discount_cents"]) / 100, gross)
                o.writerow([order_id, created.isoformat() + "Z", "USD", gross, discount, f"cust{j['user']}"])
                # the order's own session ties the order to the visitor
                n_sessions += 1
                s.writerow([f"s{n_sessions}", f"u{j['user']}", created.isoformat() + "Z", "", "", "", order_id])
                if j["refund"]:
                    amount = min(Decimal(j["refund"][0]) / 100, gross - discount)
                    if amount > 0:
                        r.writerow([order_id, (created + dt.timedelta(minutes=j["refund"][1])).isoformat() + "Z", amount])
        if n_sessions == 0:
            s.writerow(["s0", "u0", START.isoformat() + "Z", "", "", "", ""])


@pytest.mark.e2e
@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(journeys=st.lists(journey, min_size=1, max_size=40))
def test_credits_and_revenue_conservation_for_random_journeys(journeys, tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("prop")
    for key, sub in (("LANDING", "landing"), ("WAREHOUSE", "wh.duckdb"), ("PUBLISH", "publish"), ("STATE", "state")):
        monkeypatch.setenv(f"SOCIALROI_{key}", str(root / sub))
    monkeypatch.setenv("SOCIALROI_ORDER_SOURCE", "generic")
    monkeypatch.setenv("SOCIALROI_SALT", "x")
    _write(root, journeys)
    s = _settings.load()
    out = ingest_all(s)
    assert out["quarantined"] == 0, out["quarantined_files"]
    run_dbt(s, ["build", "--select", "+mart_attribution_channel_monthly", "+mart_net_sales_monthly", "--exclude", "test_type:data"])
    con = duckdb.connect(str(s.warehouse), read_only=True)
    bad_credit = con.execute(
        "select count(*) from intermediate.int_attribution_touch_credits where credit < 0 or credit > 1 + 1e-12"
    ).fetchone()[0]
    worst = con.execute(
        "select coalesce(max(abs(t - 1)), 0) from (select order_id, model, sum(credit) t "
        "from intermediate.int_attribution_touch_credits group by 1, 2)"
    ).fetchone()[0]
    orders_models = con.execute(
        "select count(distinct order_id || model) from intermediate.int_attribution_touch_credits"
    ).fetchone()[0]
    n_orders = con.execute("select count(*) from intermediate.int_orders_unioned").fetchone()[0]
    mismatches = con.execute(
        """
        with a as (select month, model, sum(attributed_revenue) r from marts.mart_attribution_channel_monthly group by 1, 2),
             n as (select month, sum(net_sales_reporting) r from marts.mart_net_sales_monthly group by 1)
        select count(*) from a full join n using (month) where a.r is distinct from n.r
        """
    ).fetchone()[0]
    n_models = con.execute("select count(distinct model) from marts.mart_attribution_channel_monthly").fetchone()[0]
    con.close()
    assert bad_credit == 0
    assert worst < 1e-9
    assert orders_models == n_orders * 9
    assert mismatches == 0
    assert n_models in (0, 9) and (n_orders == 0 or n_models == 9)
