"""The gate's spend reconciliation to the platforms' raw rows (socialroi.gate.RAW_SPEND_SQL), for every ad
network, through the real ingest and dbt build of a simulated month (connector layouts, all six networks).

The month's spend in int_ad_spend_daily must equal what each platform's raw rows add up to; a cent of spend
that staging made up, or lost, closes the gate naming the platform. Before, only Meta was reconciled to its
raw rows and the five others only to the intermediate table itself.
"""

from __future__ import annotations

import dataclasses
import shutil

import duckdb
import pytest
from project_env import project

from socialroi import gate, tasks
from socialroi.simulate import simulate

MONTH = "2026-06"
PLATFORMS = ("linkedin", "meta", "pinterest", "snapchat", "tiktok", "x")


def _spend_check(s) -> dict:
    result = gate.run_gate(s, MONTH)
    return next(c for c in result["checks"] if c["check"] == "spend_reconciles")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    with project(tmp_path_factory.mktemp("gate-raw-spend")) as s:
        simulate(s.landing, MONTH, 1, seed=5, scale=0.1)
        assert tasks.ingest(s)["quarantined"] == 0
        tasks.build(None, s)
        yield s


def test_every_networks_spend_is_reconciled_to_its_raw_rows(built):
    check = _spend_check(built)
    assert check["success"], check["message"]
    assert "not reconciled to raw rows" not in check["message"]
    con = duckdb.connect(str(built.warehouse), read_only=True)
    try:
        networks = {r[0] for r in con.execute(
            "select distinct platform from intermediate.int_ad_spend_daily where month = ?", [MONTH]).fetchall()}
    finally:
        con.close()
    assert networks == set(PLATFORMS)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_spend_staging_made_up_closes_the_gate_naming_the_network(built, tmp_path, platform):
    wh = tmp_path / "wh.duckdb"
    shutil.copy(built.warehouse, wh)
    con = duckdb.connect(str(wh))
    try:
        # one ad-day a cent dearer than its raw rows in the account currency (the check compares those)
        row = con.execute("select ad_id, date from intermediate.int_ad_spend_daily where platform = ? and month = ? "
                          "and spend > 0 order by all limit 1", [platform, MONTH]).fetchone()
        con.execute("update intermediate.int_ad_spend_daily set spend = spend + 0.01 where platform = ? and ad_id = ? "
                    "and date = ?", [platform, *row])
    finally:
        con.close()
    check = _spend_check(dataclasses.replace(built, warehouse=wh))
    assert not check["success"]
    assert f"{platform} account" in check["message"] and "!= raw rows" in check["message"], check["message"]
