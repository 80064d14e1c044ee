"""Task bodies: the functions the Airflow DAGs and the `socialroi` command line both call.

Each takes plain arguments (a month as "YYYY-MM") and returns a small JSON-able summary, so an
Airflow task is one call and a data engineer can run any step by hand without Airflow.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

from socialroi import settings as _settings


class BadDataError(RuntimeError):
    """The data, not the machine, is wrong: retrying will not help (Airflow: fail without retry)."""


class GateFailed(BadDataError):
    """The pre-publish quality gate closed for a month; `.result` names the failed checks."""

    def __init__(self, month: str, result: dict[str, Any]):
        self.month = month
        self.result = result
        failed = ", ".join(c["check"] for c in result.get("failed", [])) or "unknown"
        super().__init__(f"quality gate failed for {month}: {failed}; see {result.get('report_path', 'the gate report')}")


def month_of(data_interval_start: dt.datetime | dt.date | str, timezone: str = "UTC") -> str:
    """The reporting month a monthly run closes: the calendar month of its data_interval_start, read in
    ``timezone`` (the reporting time zone, in which the close's schedule runs); a naive time is UTC."""
    if isinstance(data_interval_start, str):
        data_interval_start = dt.datetime.fromisoformat(data_interval_start)
    if isinstance(data_interval_start, dt.datetime):
        if data_interval_start.tzinfo is None:
            data_interval_start = data_interval_start.replace(tzinfo=dt.UTC)
        data_interval_start = data_interval_start.astimezone(zoneinfo.ZoneInfo(timezone))
    return f"{data_interval_start.year:04d}-{data_interval_start.month:02d}"


def ingest(settings: _settings.Settings | None = None) -> dict[str, Any]:
    """Load every new file under the landing folder; quarantine bad ones. Returns counts per outcome."""
    from socialroi.ingest import ingest_all

    return ingest_all(settings or _settings.load())


def build(month: str | None = None, settings: _settings.Settings | None = None) -> dict[str, Any]:
    """Run `dbt build` (seeds, models, dbt tests) for the warehouse; with a month, its monthly marts."""
    from socialroi.build import dbt_build

    return dbt_build(settings or _settings.load(), month=month)


def validate(month: str, settings: _settings.Settings | None = None) -> dict[str, Any]:
    """Run the pre-publish gate for a month; raise GateFailed naming the failed checks."""
    from socialroi.gate import run_gate

    result = run_gate(settings or _settings.load(), month)
    if not result["success"]:
        raise GateFailed(month, result)
    return result


def publish(month: str, settings: _settings.Settings | None = None, reason: str | None = None) -> dict[str, Any]:
    """Publish a validated month as a new immutable version; refresh the BI database. `reason`: why an
    already published month changes (restatement.json; else SOCIALROI_RESTATEMENT_REASON)."""
    from socialroi.publish import publish_month

    return publish_month(settings or _settings.load(), month, reason)


def run(month: str, settings: _settings.Settings | None = None) -> dict[str, Any]:
    """All steps for one month, in order: ingest, build, validate, publish."""
    settings = settings or _settings.load()
    out = {"ingest": ingest(settings), "build": build(month, settings)}
    out["validate"] = validate(month, settings)
    out["publish"] = publish(month, settings)
    return out


def published_path(month: str, settings: _settings.Settings | None = None) -> Path:
    return (settings or _settings.load()).publish / month
