"""Shared wiring for the socialroi DAGs: pool, default args, retry policy, the raw-data Asset.

Not a DAG file (it defines no DAG). Kept cheap to import: the Airflow SDK and the standard
library only; socialroi's task bodies are imported inside the tasks.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from airflow.sdk import Asset, RetryDecision, RetryPolicy
from airflow.sdk.exceptions import AirflowFailException

from socialroi.airflow_env import WAREHOUSE_POOL

log = logging.getLogger("socialroi.ingest")

# Emitted by socialroi_ingest_daily when a run loaded new rows; socialroi_transform runs on it.
RAW_ASSET = Asset(name="socialroi_raw", uri="socialroi://warehouse/raw", group="socialroi")

START_DATE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

# The fixed tag vocabulary: the project, the stage, the cadence.
TAGS = frozenset({"socialroi", "ingest", "transform", "publish", "daily", "monthly", "asset-triggered"})

# Errors worth retrying: the warehouse file locked by another process, timeouts, dropped connections.
# Matched by class name along the exception's MRO so that duckdb need not be imported to parse a DAG.
_TRANSIENT_CLASSES = frozenset(
    {
        "duckdb.IOException",
        "_duckdb.IOException",
        "builtins.TimeoutError",
        "builtins.ConnectionError",
        "subprocess.TimeoutExpired",
    }
)
_TRANSIENT_MESSAGES = ("could not set lock on file", "conflicting lock", "database is locked")
RETRY_DELAY = dt.timedelta(seconds=20)


class TransientOnly(RetryPolicy):
    """Retry (up to the task's ``retries``) only errors that a second try can cure; fail the rest at once.

    Bad data (socialroi.tasks.BadDataError, or AirflowFailException raised from it) and bugs fail
    on the first try: retrying them costs minutes and changes nothing.
    """

    def evaluate(self, exception: BaseException, try_number: int, max_tries: int, context: Any = None) -> RetryDecision:
        names = {f"{c.__module__}.{c.__qualname__}" for c in type(exception).__mro__}
        if "socialroi.tasks.BadDataError" in names:
            return RetryDecision.fail(reason="bad data: a retry would fail the same way")
        text = str(exception).lower()
        if names & _TRANSIENT_CLASSES or any(m in text for m in _TRANSIENT_MESSAGES):
            return RetryDecision.retry(delay=RETRY_DELAY, reason=f"transient: {type(exception).__name__}")
        return RetryDecision.fail(reason=f"not transient: {type(exception).__name__}")


DEFAULT_ARGS: dict[str, Any] = {
    "owner": "socialroi",
    "retries": 2,
    "retry_delay": RETRY_DELAY,
    "retry_policy": TransientOnly(),
    "execution_timeout": dt.timedelta(hours=1),
}

# Keyword arguments for every task that opens the DuckDB warehouse (one writer at a time).
WAREHOUSE_TASK = {"pool": WAREHOUSE_POOL}


@contextmanager
def bad_data_fails() -> Iterator[None]:
    """Turn socialroi's BadDataError into AirflowFailException: failed at once, no retry, reason kept."""
    from socialroi.tasks import BadDataError

    try:
        yield
    except BadDataError as exc:
        # a closed gate: each failed check's message in the task log (what to fix), as `socialroi validate` prints
        for check in (getattr(exc, "result", None) or {}).get("failed", []):
            log.error("FAILED %s: %s", check.get("check"), check.get("message"))
        raise AirflowFailException(f"{type(exc).__name__}: {exc}") from exc


def count(summary: dict[str, Any], outcome: str) -> int | None:
    """How many files an ingest summary reports for an outcome (a count or a list of files)."""
    value = summary.get(outcome)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (list, tuple, dict)):
        return len(value)
    return None


def describe(item: dict[str, Any]) -> str:
    """One log line for a quarantined file: path, failed check, message, and where in the file."""
    reason = item.get("reason")
    reason = reason if isinstance(reason, dict) else {"message": reason}
    where = ", ".join(f"{k} {reason[k]}" for k in ("row", "column", "expected", "found") if reason.get(k) is not None)
    return f"{item.get('file')}: check {reason.get('check', '?')}: {reason.get('message', '')}" + (
        f" ({where})" if where else ""
    )


def ingest_and_report() -> dict[str, Any]:
    """Run socialroi's ingest; log every file it quarantined, with its reason, and the quarantine backlog.

    Returns the ingest summary (`quarantined_files`: this run's) plus `quarantine`: every file still
    waiting in `<landing>/_quarantine/`, with its reason, for the task's XCom.
    """
    from socialroi import settings, tasks
    from socialroi.ingest import quarantine_inbox

    config = settings.load()
    with bad_data_fails():
        summary = dict(tasks.ingest(config))
    for item in summary.get("quarantined_files") or []:
        log.warning("Quarantined in this run: %s", describe(item))
    inbox = quarantine_inbox(config.landing)
    log.info("Ingest summary: %s", {k: v for k, v in summary.items() if isinstance(v, int)})
    if inbox:
        log.warning(
            "%d file(s) wait in quarantine under %s (reasons: this task's XCom `quarantine`, `socialroi files`)",
            len(inbox),
            config.landing / "_quarantine",
        )
    return {**summary, "quarantine": inbox}
