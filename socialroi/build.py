"""Run the dbt project in-process (one `dbt build`: seeds, models and their tests, in DAG order)."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from socialroi import settings as _settings
from socialroi.settings import DBT_DIR, Settings

log = logging.getLogger(__name__)


class BuildFailed(RuntimeError):
    """dbt reported errors or failing tests; the message names the nodes."""


def dbt_env(settings: Settings) -> dict[str, str]:
    return {
        "SOCIALROI_WAREHOUSE": str(settings.warehouse),
        "SOCIALROI_MEMORY_LIMIT": settings.memory_limit,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(DBT_DIR),
        "DBT_LOG_PATH": str(settings.state / "dbt_logs"),
        "DBT_TARGET_PATH": str(settings.state / "dbt_target"),
    }


def run_dbt(settings: Settings, args: list[str], month: str | None = None,
            env: dict[str, str] | None = None) -> dict[str, Any]:
    """Invoke dbt with the settings' vars (and `env` over dbt_env); return a summary of run_results. Raise BuildFailed on errors."""
    from dbt.cli.main import dbtRunner

    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    os.environ.update(dbt_env(settings) | (env or {}))
    # make sure the warehouse has the raw tables dbt's sources point at, even before any file landed
    from socialroi import warehouse
    from socialroi.ingest.loader import ensure_tables

    with warehouse.connection(settings) as con:
        ensure_tables(con)
    started = time.perf_counter()
    full = [*args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
            "--vars", json.dumps(settings.dbt_vars(month)), "--quiet"]
    result = dbtRunner().invoke(full)
    elapsed = time.perf_counter() - started
    run_results = Path(os.environ["DBT_TARGET_PATH"]) / "run_results.json"
    nodes = []
    if run_results.exists():
        data = json.loads(run_results.read_text())
        nodes = [
            {"node": r["unique_id"], "status": r["status"], "seconds": r.get("execution_time", 0.0),
             "message": r.get("message")}
            for r in data.get("results", [])
        ]
    bad = [n for n in nodes if n["status"] in ("error", "fail", "runtime error")]
    if not result.success or bad:
        names = "; ".join(f"{n['node']}: {n['message']}" for n in bad) or str(result.exception)
        raise BuildFailed(f"dbt {' '.join(args)} failed: {names}")
    return {"seconds": round(elapsed, 2), "nodes": len(nodes), "results": nodes}


def dbt_build(settings: Settings | None = None, month: str | None = None) -> dict[str, Any]:
    """`dbt build` the whole project; with a month, the attribution layer from that month on and that month's marts (README "Month builds").

    Without the dbt unit tests: they pin hand-checked journeys to the default settings, so an analyst's
    own settings (position weights, a step cap) would fail them; they run in the test suite (dbt's own
    advice: unit tests in development and CI, not in production builds)."""
    settings = settings or _settings.load()
    out = run_dbt(settings, ["build", "--exclude-resource-type", "unit_test"], month=month)
    log.info("dbt build: %d nodes in %.1f s", out["nodes"], out["seconds"])
    return {"seconds": out["seconds"], "nodes": out["nodes"], "month": month}
