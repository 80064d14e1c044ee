"""A project-local Airflow: ``.airflow/`` as AIRFLOW_HOME, SQLite, this project's ``dags/``.

Nothing here imports Airflow: every Airflow command runs in a subprocess with the environment
that :func:`environment` builds, because Airflow reads its configuration once, when it is first
imported. The DAG files import the close-month schedule from here, so it must stay cheap.

    python -m socialroi.airflow_env migrate                # once; re-running is a no-op
    python -m socialroi.airflow_env dags-test socialroi_close_monthly 2026-04-03T06:01:00+00:00  # closes March
    python -m socialroi.airflow_env run-month 2026-03      # ingest, transform, close March
    eval "$(python -m socialroi.airflow_env env)"          # then `airflow standalone` etc.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import shlex
import subprocess
import sys
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from socialroi import months
from socialroi.settings import MAX_GRACE_DAYS  # the close's run day must exist in every month

PROJECT_DIR = Path(__file__).resolve().parents[1]
DAGS_DIR = PROJECT_DIR / "dags"
DEFAULT_HOME = PROJECT_DIR / ".airflow"

# DuckDB has one writer at a time: every task that opens the warehouse takes this pool's one slot.
WAREHOUSE_POOL = "socialroi_warehouse"
WAREHOUSE_POOL_DESCRIPTION = "DuckDB single writer"

DAG_IDS = ("socialroi_ingest_daily", "socialroi_transform", "socialroi_close_monthly")

# socialroi_close_monthly runs at CLOSE_HOUR on day grace_days + 1 of each month, in the reporting time zone
# (so grace_days 0 closes a month 6 hours after it ends there, whichever side of UTC the zone is).
CLOSE_HOUR = 6
# A manual close run's logical date is this long after the close's tick (see close_run_date).
MANUAL_RUN_OFFSET = dt.timedelta(minutes=1)

_MARKER = ".socialroi-migrated"
_TAIL_LINES = 60


class AirflowCommandError(RuntimeError):
    """An Airflow command failed; the message ends with the tail of its output."""


def close_cron(grace_days: int) -> str:
    """The cron of socialroi_close_monthly: 06:00 on day ``grace_days + 1`` ("0 6 3 * *" for 2), read in the
    reporting time zone (the DAG's timetable carries the zone)."""
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise ValueError(
            f"grace_days must be between 0 and {MAX_GRACE_DAYS} (the run day must exist in every month), not {grace_days}"
        )
    return f"0 {CLOSE_HOUR} {grace_days + 1} * *"


def close_run_date(month: str, grace_days: int, timezone: str = "UTC") -> str:
    """The logical date (UTC, ISO) of the socialroi_close_monthly run that closes ``month`` (YYYY-MM),
    whose schedule is read in ``timezone`` (the reporting time zone).

    It is one minute after the schedule's tick in the following month: a manual run gets the last data
    interval that ended by its logical date, the one that ends at that tick and starts one tick earlier, in
    ``month``. (A date before the tick, e.g. midnight on the 3rd, would get the interval before and close
    the month before.) Not the tick itself: that is the logical date (= data_interval_start) of the
    scheduled run that closes the *following* month, and Airflow keeps one run per DAG and logical date:
    the scheduler would skip that month's close as already run, a backfill would skip it as done, and
    `airflow dags test` would delete it. A whole minute past the tick is never a tick of the close's or the
    daily ingest's schedule (zone offsets are whole quarter hours).
    """
    close_cron(grace_days)  # validates grace_days
    year, mon = (int(part) for part in month.split("-"))
    year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    tick = dt.datetime(year, mon, grace_days + 1, CLOSE_HOUR, tzinfo=zoneinfo.ZoneInfo(timezone))
    return (tick.astimezone(dt.UTC) + MANUAL_RUN_OFFSET).isoformat()


def month_closed_at(run_after: dt.datetime | str, grace_days: int, timezone: str = "UTC") -> str:
    """The month (YYYY-MM) that a manual close run at ``run_after`` closes when it has no logical date (and
    so no data interval: Airflow 3's default for `airflow dags trigger` and the REST API): the one a run with
    logical date ``run_after`` closes, i.e. the month before that of the last tick at or before ``run_after``."""
    close_cron(grace_days)  # validates grace_days
    if isinstance(run_after, str):
        run_after = dt.datetime.fromisoformat(run_after)
    if run_after.tzinfo is None:
        run_after = run_after.replace(tzinfo=dt.UTC)
    zone = zoneinfo.ZoneInfo(timezone)
    local = run_after.astimezone(zone)
    months_back = 1 if local >= dt.datetime(local.year, local.month, grace_days + 1, CLOSE_HOUR, tzinfo=zone) else 2
    index = local.year * 12 + local.month - 1 - months_back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def environment(home: Path | str | None = None, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for Airflow commands: ``base`` (default: os.environ) plus the project's Airflow settings.

    AIRFLOW_HOME is ``home`` (default ``<project>/.airflow``) with its SQLite database; the DAGs
    folder is this project's ``dags/``; examples, usage tracking and analytics are off; parallelism
    is small (2 cores here). SOCIALROI_* variables in ``base`` pass through to the tasks.
    """
    env = dict(os.environ if base is None else base)
    home = Path(home or DEFAULT_HOME).resolve()
    pythonpath = [str(PROJECT_DIR)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__API__HOST": "127.0.0.1",  # `airflow standalone`: UI on loopback only
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "GX_ANALYTICS_ENABLED": "false",
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(pythonpath)),
        }
    )
    env.setdefault("AIRFLOW__CORE__PARALLELISM", "2")
    env.setdefault("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", "True")
    return env


def _airflow(args: Sequence[str], env: Mapping[str, str], *, echo: bool = False, timeout: float | None = None) -> None:
    """Run ``airflow ARGS`` with this interpreter; raise AirflowCommandError with the output's tail."""
    cmd = [sys.executable, "-m", "airflow", *args]
    tail: collections.deque[str] = collections.deque(maxlen=_TAIL_LINES)
    with subprocess.Popen(
        cmd,
        env=dict(env),
        cwd=PROJECT_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                tail.append(line.rstrip("\n"))
                if echo:
                    sys.stdout.write(line)
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AirflowCommandError(f"`airflow {shlex.join(args)}` timed out after {timeout}s") from None
    if rc != 0:
        raise AirflowCommandError(
            f"`airflow {shlex.join(args)}` exited with {rc} (AIRFLOW_HOME={env.get('AIRFLOW_HOME')}); "
            f"last {len(tail)} lines of output:\n" + "\n".join(tail)
        )


def is_migrated(env: Mapping[str, str]) -> bool:
    home = Path(env["AIRFLOW_HOME"])
    marker = home / _MARKER
    return marker.exists() and (home / "airflow.db").exists() and marker.read_text().strip() == _marker_text(env)


def _marker_text(env: Mapping[str, str]) -> str:
    return f"apache-airflow {metadata.version('apache-airflow')} {env['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN']}"


def migrate(env: Mapping[str, str], *, force: bool = False, echo: bool = False) -> bool:
    """Create or upgrade the metadata database and the warehouse pool; skip if already done.

    Returns True when it ran the migration, False when the home was already migrated by this
    Airflow version (a marker file in AIRFLOW_HOME records it).
    """
    if not force and is_migrated(env):
        return False
    home = Path(env["AIRFLOW_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    _airflow(["db", "migrate"], env, echo=echo)
    _airflow(["pools", "set", WAREHOUSE_POOL, "1", WAREHOUSE_POOL_DESCRIPTION], env, echo=echo)
    (home / _MARKER).write_text(_marker_text(env) + "\n")
    return True


def run_dag_test(
    dag_id: str,
    logical_date: str,
    env: dict,
    *,
    mark_success: str | None = None,
    echo: bool = False,
    timeout: float | None = None,
) -> None:
    """Run one whole DAG run in a subprocess (``airflow dags test DAG_ID LOGICAL_DATE``).

    Raises AirflowCommandError, with the tail of the output, when the run fails (a failed task
    fails the run). ``env`` comes from :func:`environment`; migrate it first. ``mark_success`` is a
    regex of task ids to mark successful without running them (``--mark-success-pattern``).
    """
    args = ["dags", "test", dag_id, logical_date]
    if mark_success:
        args += ["--mark-success-pattern", mark_success]
    _airflow(args, env, echo=echo, timeout=timeout)


@contextmanager
def _environ(env: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` is ``env`` inside the block (settings read it), and as it was after."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _close_schedule(env: Mapping[str, str]) -> tuple[int, str]:
    """grace_days and the reporting time zone as the DAG file will read them at parse time, in the
    subprocess's environment (SOCIALROI_* variables there, else the config file)."""
    from socialroi import settings as _settings

    with _environ(env):
        loaded = _settings.load()
    return loaded.grace_days, loaded.reporting_timezone


def run_month(month: str, env: dict, *, close_only: bool = False, echo: bool = False) -> None:
    """Run the three DAGs for ``month`` as the scheduler would: ingest, transform, then the close.

    All three get the logical date of the run that closes the month (see :func:`close_run_date`);
    the close run's data interval then starts in ``month``.
    """
    logical_date = close_run_date(month, *_close_schedule(env))
    dag_ids = DAG_IDS[-1:] if close_only else DAG_IDS
    for dag_id in dag_ids:
        run_dag_test(dag_id, logical_date, env, echo=echo)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialroi.airflow_env", description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help=f"AIRFLOW_HOME (default {DEFAULT_HOME})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("migrate", help="create/upgrade the SQLite metadata DB and the warehouse pool (skipped if done)")
    p.add_argument("--force", action="store_true", help="migrate even if the marker says it is done")
    p = sub.add_parser("dags-test", help="run one whole DAG run in one process: airflow dags test DAG_ID DATE")
    p.add_argument("dag_id")
    p.add_argument("logical_date", help="ISO date or datetime, e.g. 2026-04-03T06:01:00+00:00 (closes March: see close_run_date)")
    p = sub.add_parser("run-month", help="ingest, transform, then close and publish one month")
    p.add_argument("month", type=months.argument, help="YYYY-MM")
    p.add_argument(
        "--close-only", action="store_true", help="run socialroi_close_monthly only (it ingests and builds too)"
    )
    sub.add_parser("env", help='print the environment as shell exports: eval "$(python -m socialroi.airflow_env env)"')
    args = parser.parse_args(argv)

    env = environment(args.home)
    try:
        if args.command == "env":
            for key in sorted(env):
                if os.environ.get(key) != env[key]:
                    sys.stdout.write(f"export {key}={shlex.quote(env[key])}\n")
            return 0
        if args.command == "migrate":
            ran = migrate(env, force=args.force, echo=True)
            sys.stdout.write(f"{env['AIRFLOW_HOME']}: {'migrated' if ran else 'already migrated'}\n")
            return 0
        migrate(env, echo=True)
        if args.command == "dags-test":
            run_dag_test(args.dag_id, args.logical_date, env, echo=True)
        else:
            run_month(args.month, env, close_only=args.close_only, echo=True)
    except AirflowCommandError as exc:
        sys.stderr.write(f"error: {str(exc).splitlines()[0]}\n")  # the output was shown as it ran
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
