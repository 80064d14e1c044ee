"""The three DAGs parse, are wired as documented, and schedule the month they claim to close.

No metadata database: a DagBag of dags/, the timetables queried directly (after the same
serialization round trip the scheduler sees), task callables called with socialroi stubbed.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pendulum
import pytest

from socialroi import airflow_env

PROJECT_DIR = Path(__file__).resolve().parents[2]
DAGS_DIR = PROJECT_DIR / "dags"

DAG_IDS = {"socialroi_ingest_daily", "socialroi_transform", "socialroi_close_monthly"}
WAREHOUSE_TASKS = {
    "socialroi_ingest_daily": {"ingest"},
    "socialroi_transform": {"build"},
    "socialroi_close_monthly": {"ingest", "build", "validate", "publish"},
}


def _core_timetable(dag):
    """The timetable as the scheduler has it: the DAG serialized and read back."""
    from airflow.serialization.serialized_objects import DagSerialization

    return DagSerialization.deserialize_dag(DagSerialization.serialize_dag(dag)).timetable


def _utc(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz="UTC")


def test_dagbag_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dags) == DAG_IDS


def test_pools_named_by_tasks_exist():
    """Every pool a task names is one that `airflow_env migrate` creates (else the DagBag warns)."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_DIR), known_pools={"default_pool", airflow_env.WAREHOUSE_POOL})
    assert bag.import_errors == {}
    assert bag.dag_warnings == set()
    unaware = DagBag(dag_folder=str(DAGS_DIR), known_pools={"default_pool"})
    assert {w.dag_id for w in unaware.dag_warnings} == DAG_IDS  # the check does bite


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_dag_conventions(dagbag, dag_id):
    from _common import TAGS

    dag = dagbag.dags[dag_id]
    assert dag.fileloc.endswith(f"/{dag_id}.py"), "DAG id = file name"
    assert dag.max_active_runs == 1
    assert dag.doc_md and dag.doc_md.strip().startswith(f"### {dag_id}")
    assert "socialroi" in dag.tags and set(dag.tags) <= TAGS, f"tags {dag.tags} outside {sorted(TAGS)}"
    for task in dag.tasks:
        assert task.retries == 2 and task.retry_delay <= dt.timedelta(minutes=1)
        assert task.retry_policy is not None, "retries only for transient errors"


@pytest.mark.parametrize("dag_id", sorted(DAG_IDS))
def test_warehouse_tasks_share_the_one_slot_pool(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    in_pool = {t.task_id for t in dag.tasks if t.pool == airflow_env.WAREHOUSE_POOL}
    assert in_pool == WAREHOUSE_TASKS[dag_id]
    assert all(t.pool_slots == 1 for t in dag.tasks)


def test_close_monthly_order(dagbag):
    dag = dagbag.dags["socialroi_close_monthly"]
    assert {t.task_id for t in dag.tasks} == {"ingest", "build", "validate", "publish"}
    assert dag.get_task("ingest").downstream_task_ids == {"build"}
    assert dag.get_task("build").downstream_task_ids == {"validate"}
    assert dag.get_task("validate").downstream_task_ids == {"publish"}
    assert dag.get_task("publish").upstream_task_ids == {"validate"}
    assert dag.get_task("publish").trigger_rule == "all_success"


def test_ingest_daily_emits_the_asset_transform_waits_for(dagbag):
    from _common import RAW_ASSET

    ingest = dagbag.dags["socialroi_ingest_daily"]
    transform = dagbag.dags["socialroi_transform"]
    assert ingest.get_task("announce_new_data").outlets == [RAW_ASSET]
    assert ingest.get_task("ingest").outlets == []
    assert ingest.get_task("ingest").downstream_task_ids == {"announce_new_data"}
    assert transform.timetable.asset_condition == RAW_ASSET
    assert [t.task_id for t in transform.tasks] == ["build"]


def test_announce_skips_when_nothing_new_loaded(dagbag):
    from airflow.sdk.exceptions import AirflowSkipException

    announce = dagbag.dags["socialroi_ingest_daily"].get_task("announce_new_data").python_callable
    with pytest.raises(AirflowSkipException):
        announce({"loaded": 0, "quarantined": 2})
    assert announce({"loaded": 3}) == 3
    assert announce({"loaded": ["a.csv"]}) == 1


def test_close_monthly_closes_the_previous_month(dagbag):
    dag = dagbag.dags["socialroi_close_monthly"]
    assert dag.timetable.expression == airflow_env.close_cron(2) == "0 6 3 * *"  # socialroi.yml: grace_days 2
    timetable = _core_timetable(dag)

    # A run whose logical date falls in April 2026 (manual, or `airflow dags test`) closes March.
    interval = timetable.infer_manual_data_interval(run_after=_utc(2026, 4, 3, 6))
    assert (interval.start, interval.end) == (_utc(2026, 3, 3, 6), _utc(2026, 4, 3, 6))
    assert interval.start.month == 3
    assert timetable.infer_manual_data_interval(run_after=_utc(2026, 4, 20)).start == _utc(2026, 3, 3, 6)
    # Before the tick, the last complete interval is February's: the grace period has not passed.
    assert timetable.infer_manual_data_interval(run_after=_utc(2026, 4, 3)).start.month == 2

    # The scheduler: after February's run, the next run happens on 3 April 06:00 and covers March.
    from airflow.timetables.base import DataInterval, TimeRestriction

    info = timetable.next_dagrun_info(
        last_automated_data_interval=DataInterval(_utc(2026, 2, 3, 6), _utc(2026, 3, 3, 6)),
        restriction=TimeRestriction(earliest=dag.start_date, latest=None, catchup=True),
    )
    assert info.run_after == _utc(2026, 4, 3, 6)
    assert info.data_interval.start == _utc(2026, 3, 3, 6)


def test_grace_days_setting_moves_the_close(monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("SOCIALROI_GRACE_DAYS", "4")
    bag = DagBag(dag_folder=str(DAGS_DIR / "socialroi_close_monthly.py"))
    assert bag.import_errors == {}
    dag = bag.dags["socialroi_close_monthly"]
    assert dag.timetable.expression == "0 6 5 * *"
    interval = _core_timetable(dag).infer_manual_data_interval(run_after=_utc(2026, 1, 5, 6))
    assert interval.start == _utc(2025, 12, 5, 6)


@pytest.mark.parametrize("timezone", ["UTC", "America/Los_Angeles", "Asia/Tokyo"])
@pytest.mark.parametrize("grace_days", [0, 2, 27])
@pytest.mark.parametrize("month", ["2025-12", "2026-02", "2026-03"])
def test_close_run_date_closes_its_month(grace_days, month, timezone):
    """`airflow_env.close_run_date` (used by run-month and the e2e test) gives a run closing that month,
    after the month has ended in the reporting time zone."""
    from airflow.timetables.interval import CronDataIntervalTimetable

    from socialroi.tasks import month_of

    timetable = CronDataIntervalTimetable(airflow_env.close_cron(grace_days), timezone)
    run_after = pendulum.parse(airflow_env.close_run_date(month, grace_days, timezone))
    interval = timetable.infer_manual_data_interval(run_after=run_after)
    assert month_of(interval.start, timezone) == month
    year, mon = (int(p) for p in month.split("-"))
    month_end = pendulum.datetime(year, mon, 1, tz=timezone).add(months=1)
    assert interval.end >= month_end.add(hours=airflow_env.CLOSE_HOUR)


@pytest.mark.parametrize("timezone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_the_close_runs_in_the_reporting_time_zone(monkeypatch, timezone):
    """grace_days 0 closes a month 6 hours after it ends in the reporting zone: in UTC, that was before the
    month had ended in Los Angeles (06:00 UTC on the 1st is 22:00 or 23:00 there), and with the month read
    in UTC a zone ahead of UTC closed the month before."""
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("SOCIALROI_GRACE_DAYS", "0")
    monkeypatch.setenv("SOCIALROI_REPORTING_TIMEZONE", timezone)
    bag = DagBag(dag_folder=str(DAGS_DIR / "socialroi_close_monthly.py"))
    assert bag.import_errors == {}
    dag = bag.dags["socialroi_close_monthly"]
    run_after = pendulum.parse(airflow_env.close_run_date("2026-03", 0, timezone))
    interval = _core_timetable(dag).infer_manual_data_interval(run_after=run_after)
    assert interval.end == pendulum.datetime(2026, 4, 1, 6, tz=timezone)
    # the DAG file's own month rule, from the module the DagBag loaded
    module = next(m for m in list(sys.modules.values())
                  if getattr(m, "__file__", None) == dag.fileloc and getattr(m, "REPORTING_TIMEZONE", None) == timezone)
    assert module._month(interval.start) == "2026-03"


def test_grace_days_out_of_range():
    with pytest.raises(ValueError, match="grace_days"):
        airflow_env.close_cron(28)


def test_failed_gate_fails_validate_without_retry(dagbag, monkeypatch, caplog):
    from airflow.sdk import RetryAction
    from airflow.sdk.exceptions import AirflowFailException

    from socialroi import tasks

    result = {"success": False, "failed": [{"check": "net_sales_reconcile"},
                                           {"check": "completeness", "message": "fx: no loaded file covers 2026-03-28"}]}

    def closed_gate(month, settings=None):
        assert month == "2026-03"
        raise tasks.GateFailed(month, result)

    monkeypatch.setattr(tasks, "validate", closed_gate)
    validate = dagbag.dags["socialroi_close_monthly"].get_task("validate")
    with pytest.raises(AirflowFailException, match="net_sales_reconcile, completeness") as info:
        validate.python_callable(data_interval_start=_utc(2026, 3, 3, 6))
    assert isinstance(info.value.__cause__, tasks.BadDataError)
    # what to fix is in the task's log, not only in the gate's report file
    assert "FAILED completeness: fx: no loaded file covers 2026-03-28" in caplog.text
    # Even if a BadDataError escaped the conversion, the retry policy would not retry it.
    decision = validate.retry_policy.evaluate(tasks.GateFailed("2026-03", result), try_number=1, max_tries=3)
    assert decision.action == RetryAction.FAIL


def test_retry_policy_retries_only_transient_errors(dagbag):
    import duckdb
    from airflow.sdk import RetryAction

    policy = dagbag.dags["socialroi_transform"].get_task("build").retry_policy
    lock = duckdb.IOException('IO Error: Could not set lock on file "w.duckdb": Conflicting lock is held')
    assert policy.evaluate(lock, try_number=1, max_tries=3).action == RetryAction.RETRY
    assert policy.evaluate(duckdb.IOException("IO Error: disk busy"), 1, 3).action == RetryAction.RETRY
    assert policy.evaluate(duckdb.BinderException("no such column"), 1, 3).action == RetryAction.FAIL
    assert policy.evaluate(RuntimeError("dbt: Could not set lock on file"), 1, 3).action == RetryAction.RETRY
    assert policy.evaluate(TimeoutError(), 1, 3).action == RetryAction.RETRY
    assert policy.evaluate(KeyError("month"), 1, 3).action == RetryAction.FAIL


def test_dag_files_import_no_heavy_modules():
    """Parsing the DAGs must not import duckdb, pandas, dbt or great_expectations (STYLE: thin DAG files)."""
    code = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = [{str(DAGS_DIR)!r}, {str(PROJECT_DIR)!r}]
        from airflow.dag_processing.dagbag import DagBag
        before = set(sys.modules)
        bag = DagBag(dag_folder={str(DAGS_DIR)!r})
        assert not bag.import_errors, bag.import_errors
        heavy = ("duckdb", "pandas", "dbt", "great_expectations", "pyarrow", "socialroi.tasks")
        print(sorted(m for m in set(sys.modules) - before if m.split(".")[0] in heavy or m in heavy))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_airflow_environment_is_project_local(tmp_path):
    env = airflow_env.environment(home=tmp_path / "af", base={"PYTHONPATH": "/elsewhere", "SOCIALROI_LANDING": "/x"})
    assert env["AIRFLOW_HOME"] == str(tmp_path / "af")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == f"sqlite:///{tmp_path / 'af' / 'airflow.db'}"
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(DAGS_DIR)
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False" and env["DO_NOT_TRACK"] == "1"
    assert 2 <= int(env["AIRFLOW__CORE__PARALLELISM"]) <= 4
    assert env["PYTHONPATH"].split(":") == [str(PROJECT_DIR), "/elsewhere"]
    assert env["SOCIALROI_LANDING"] == "/x"
    assert not airflow_env.is_migrated(env)


@pytest.mark.parametrize("timezone", ["UTC", "America/Los_Angeles", "Asia/Dhaka", "Asia/Kathmandu"])
@pytest.mark.parametrize("grace_days", [0, 2, 27])
def test_close_run_date_is_no_scheduled_runs_logical_date(grace_days, timezone):
    """A scheduled close's logical date is its data_interval_start: the tick in the month it closes. The
    manual run that closes March (run-month, `airflow dags test`) must not take April's tick as its logical
    date: Airflow keeps one run per (dag_id, logical_date), so the scheduler then skipped April's close
    ("run already exists; skipping dagrun creation"), a backfill skipped April as done, and a later
    `dags test` of March deleted the scheduled April run. Nor may it be a daily ingest's midnight tick."""
    from airflow.timetables.base import DataInterval, TimeRestriction
    from airflow.timetables.interval import CronDataIntervalTimetable

    close = CronDataIntervalTimetable(airflow_env.close_cron(grace_days), timezone)
    logical = pendulum.parse(airflow_env.close_run_date("2026-03", grace_days, timezone))
    # the scheduler's runs around it: the ones that close March, April and May
    march = close.infer_manual_data_interval(run_after=logical)
    restriction = TimeRestriction(earliest=pendulum.datetime(2024, 1, 1, tz="UTC"), latest=None, catchup=True)
    scheduled, last = [], DataInterval(close._get_prev(march.start), march.start)
    for _ in range(3):
        info = close.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        scheduled.append(info.logical_date)
        last = info.data_interval
    assert scheduled[0] == march.start, "the first is March's own close"
    assert logical not in scheduled, f"{logical} is a scheduled close's logical date"
    utc = logical.in_timezone("UTC")
    assert (utc.hour, utc.minute, utc.second) != (0, 0, 0), "a daily ingest's (@daily, UTC) logical date"


@pytest.mark.parametrize("timezone", ["UTC", "America/Los_Angeles", "Asia/Tokyo"])
@pytest.mark.parametrize("grace_days", [0, 2, 27])
def test_month_closed_at_matches_the_timetables_manual_interval(grace_days, timezone):
    """A run without a logical date (Airflow 3's default for `airflow dags trigger` and the REST API) has no
    data interval: it closes the month a manual run with logical date = its run_after would close."""
    from airflow.timetables.interval import CronDataIntervalTimetable

    from socialroi.tasks import month_of

    timetable = CronDataIntervalTimetable(airflow_env.close_cron(grace_days), timezone)
    moment = _utc(2025, 12, 20)
    while moment < _utc(2027, 1, 10):
        expected = month_of(timetable.infer_manual_data_interval(run_after=moment).start, timezone)
        assert airflow_env.month_closed_at(moment, grace_days, timezone) == expected, moment
        moment = moment.add(hours=7, minutes=13)
    tick = pendulum.parse(airflow_env.close_run_date("2026-03", grace_days, timezone)).subtract(minutes=1)
    assert airflow_env.month_closed_at(tick, grace_days, timezone) == "2026-03"
    assert airflow_env.month_closed_at(tick.subtract(seconds=1), grace_days, timezone) == "2026-02"


def test_close_without_logical_date_closes_the_last_complete_month(dagbag, monkeypatch):
    """`airflow dags trigger socialroi_close_monthly` (no --logical-date): no data interval, but a run_after."""
    import types

    from socialroi import tasks

    seen = []
    monkeypatch.setattr(tasks, "build", lambda month, settings=None: seen.append(month) or {"month": month})
    build = dagbag.dags["socialroi_close_monthly"].get_task("build").python_callable
    run = types.SimpleNamespace(run_after=_utc(2026, 4, 20, 9), logical_date=None)
    assert build(data_interval_start=None, dag_run=run) == {"month": "2026-03"}
    assert build(data_interval_start=None, dag_run=types.SimpleNamespace(run_after=_utc(2026, 4, 3, 5))) == {
        "month": "2026-02"}  # before the 3rd's 06:00 tick: February is the last month closed by schedule
    assert build(data_interval_start=_utc(2026, 1, 3, 6), dag_run=run) == {"month": "2026-01"}  # interval first
    assert seen == ["2026-03", "2026-02", "2026-01"]
