"""End-to-end fixtures: a throw-away project (landing, warehouse, publish, state, AIRFLOW_HOME).

The DAGs run in subprocesses (`airflow dags test`, through socialroi.airflow_env), never in this
process: Airflow reads its configuration once per process, and this pytest process may already
have imported it for the DAG integrity tests with another AIRFLOW_HOME.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from socialroi import airflow_env

GRACE_DAYS = 2
DAG_RUN_TIMEOUT = 150  # seconds per DAG run


@dataclass
class E2EProject:
    root: Path
    env: dict[str, str]

    @property
    def landing(self) -> Path:
        return Path(self.env["SOCIALROI_LANDING"])

    @property
    def publish(self) -> Path:
        return Path(self.env["SOCIALROI_PUBLISH"])

    def close_date(self, month: str) -> str:
        """The logical date of the socialroi_close_monthly run that closes ``month``."""
        return airflow_env.close_run_date(month, GRACE_DAYS)

    def run(self, dag_id: str, logical_date: str, mark_success: str | None = None) -> None:
        airflow_env.run_dag_test(dag_id, logical_date, self.env, mark_success=mark_success, timeout=DAG_RUN_TIMEOUT)

    def task_states(self, dag_id: str) -> dict[str, str | None]:
        """Task id -> state in the DAG's latest run, read from the SQLite metadata DB."""
        with sqlite3.connect(Path(self.env["AIRFLOW_HOME"]) / "airflow.db") as con:
            rows = con.execute(
                """
                select ti.task_id, ti.state
                from task_instance as ti
                where ti.dag_id = ?
                  and ti.run_id = (select run_id from dag_run where dag_id = ? order by id desc limit 1)
                """,
                [dag_id, dag_id],
            ).fetchall()
        return dict(rows)

    def asset_events(self, uri: str) -> list[str]:
        """The `extra` of every event of the Asset with this URI."""
        with sqlite3.connect(Path(self.env["AIRFLOW_HOME"]) / "airflow.db") as con:
            rows = con.execute(
                "select e.extra from asset_event as e join asset as a on a.id = e.asset_id where a.uri = ?", [uri]
            ).fetchall()
        return [r[0] for r in rows]


@pytest.fixture(scope="session")
def e2e_project(tmp_path_factory) -> E2EProject:
    """A migrated, project-local Airflow home and socialroi folders, all under one temporary folder."""
    root = tmp_path_factory.mktemp("socialroi-e2e")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOCIALROI_", "AIRFLOW"))}
    base.update(
        {
            "SOCIALROI_LANDING": str(root / "landing"),
            "SOCIALROI_WAREHOUSE": str(root / "warehouse" / "socialroi.duckdb"),
            "SOCIALROI_PUBLISH": str(root / "publish"),
            "SOCIALROI_STATE": str(root / "state"),
            "SOCIALROI_SALT": "e2e-test-salt",
            "SOCIALROI_GRACE_DAYS": str(GRACE_DAYS),
        }
    )
    env = airflow_env.environment(home=root / "airflow", base=base)
    airflow_env.migrate(env)
    return E2EProject(root=root, env=env)
