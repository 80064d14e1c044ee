"""The three DAGs, run as Airflow runs them (`airflow dags test`), on one simulated month.

Each DAG run is a subprocess with its own project-local AIRFLOW_HOME (see conftest): in-process
`dag.test()` would need this process's Airflow configured for that home before anything imported
airflow, which the DAG integrity tests in the same session have already done.
"""

from __future__ import annotations

import json

import pytest

from socialroi import airflow_env

MONTH = "2026-03"  # simulated
EMPTY_MONTH = "2026-06"  # nothing landed for it: the gate must close
RAW_URI = "socialroi://warehouse/raw"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def simulated(e2e_project):
    from socialroi.simulate import simulate

    return simulate(e2e_project.landing, MONTH, 1, seed=7)


def test_month_runs_through_the_three_dags(e2e_project, simulated):
    import duckdb

    logical_date = e2e_project.close_date(MONTH)
    assert logical_date == "2026-04-03T06:01:00+00:00"  # not April's tick: see close_run_date

    e2e_project.run("socialroi_ingest_daily", logical_date)
    assert e2e_project.task_states("socialroi_ingest_daily") == {"ingest": "success", "announce_new_data": "success"}
    events = e2e_project.asset_events(RAW_URI)
    assert len(events) == 1 and json.loads(events[0])["loaded"] > 0, "new rows loaded: the Asset event fires"

    e2e_project.run("socialroi_transform", logical_date)
    assert e2e_project.task_states("socialroi_transform") == {"build": "success"}

    e2e_project.run("socialroi_close_monthly", logical_date)
    states = e2e_project.task_states("socialroi_close_monthly")
    assert states == dict.fromkeys(["ingest", "build", "validate", "publish"], "success")

    mart = e2e_project.publish / MONTH / "mart_attribution_channel_monthly.parquet"
    assert mart.exists(), f"not published: {mart}"
    rows = duckdb.sql(
        f"select month::varchar, model, sum(attributed_revenue) from read_parquet('{mart}') group by all order by model"
    ).fetchall()
    assert rows, "the published mart is empty"
    expected = simulated.net_sales_reporting(MONTH)
    for month, model, revenue in rows:
        assert str(month).startswith(MONTH)
        assert revenue == expected, f"{model}: attributed revenue {revenue} != net sales {expected}"


def test_closed_gate_publishes_nothing(e2e_project, simulated):
    """A month with no data fails at validate; publish does not run; what was published stays as it was.

    ingest and build are marked successful without running (`--mark-success-pattern`), to save
    half a minute: the gate judges completeness from the ledger, which has nothing for the month.
    """
    before = sorted(p.name for p in e2e_project.publish.glob("*")) if e2e_project.publish.exists() else []

    with pytest.raises(airflow_env.AirflowCommandError) as failure:
        e2e_project.run("socialroi_close_monthly", e2e_project.close_date(EMPTY_MONTH), mark_success="^(ingest|build)$")

    states = e2e_project.task_states("socialroi_close_monthly")
    assert states["publish"] == "upstream_failed", states
    assert states["validate"] == "failed", f"{states}\n{failure.value}"
    assert f"quality gate failed for {EMPTY_MONTH}" in str(failure.value)
    assert not (e2e_project.publish / EMPTY_MONTH).exists()
    after = sorted(p.name for p in e2e_project.publish.glob("*")) if e2e_project.publish.exists() else []
    assert after == before
