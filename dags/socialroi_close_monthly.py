"""
### socialroi_close_monthly: close, check and publish a month

Closes the previous calendar month once late data has had time to arrive: at 06:00 on day
`grace_days + 1` of each month in the reporting time zone (`grace_days` and `reporting_timezone`
from `socialroi.yml` / `SOCIALROI_GRACE_DAYS` / `SOCIALROI_REPORTING_TIMEZONE`, default 2 and UTC,
so cron `0 6 3 * *` in UTC). The timetable is `CronDataIntervalTimetable` in that zone: the run on
3 April covers 3 March 06:00 to 3 April 06:00, and **the month closed is the calendar month of
`data_interval_start` in the reporting zone** (March); that scheduled run's logical date is 3 March 06:00.
A manual run or `airflow dags test` with logical date D closes the month of the last complete interval
that ended by D: `2026-04-03T06:01:00+00:00` closes March 2026 (`2026-04-03` at midnight would close
February). Do not give a manual run a tick itself (`2026-04-03T06:00:00+00:00`): it is the logical date of
the scheduled run that closes *April*, and Airflow keeps one run per logical date, so the scheduler would
skip April's close as already run (and a backfill skip it as done; `dags test` deletes a run with its date).
`python -m socialroi.airflow_env run-month 2026-03` picks the right date (a minute after the tick).
A run triggered without a logical date (Airflow 3's default for `airflow dags trigger` and the REST API)
has no data interval: it closes the month a run with logical date = its `run_after` would (on 20 April,
March; at 05:00 on 3 April, February).

Tasks, in order, all with the month as `YYYY-MM`:

1. `ingest`: load what landed since the last run, logging quarantined files (as
   `socialroi_ingest_daily` does; it emits no Asset event: this DAG builds itself);
2. `build`: `dbt build` with the month as a var (the attribution layer from that month on, that month's marts);
3. `validate`: the pre-publish quality gate (completeness, bands, reconciliation, marts). A closed
   gate fails the task at once, without retries, with the failed checks in the message and the
   gate report's path; `publish` then does not run and the previous report stays as it was;
4. `publish`: a new immutable version under `SOCIALROI_PUBLISH/<YYYY-MM>/`.

Bad data never retries; a locked warehouse file is retried twice. Every task opens the warehouse,
so all run in the one-slot pool `socialroi_warehouse` (DuckDB has one writer).
"""

from __future__ import annotations

from typing import Any

from _common import DEFAULT_ARGS, START_DATE, WAREHOUSE_TASK, bad_data_fails, ingest_and_report
from airflow.sdk import CronDataIntervalTimetable, chain, dag, task
from airflow.sdk.exceptions import AirflowFailException

from socialroi.airflow_env import close_cron, month_closed_at
from socialroi.settings import load as load_settings

# Read at parse time: the settings module imports only yaml.
_SETTINGS = load_settings()
GRACE_DAYS = _SETTINGS.grace_days
REPORTING_TIMEZONE = _SETTINGS.reporting_timezone
SCHEDULE = CronDataIntervalTimetable(close_cron(GRACE_DAYS), timezone=REPORTING_TIMEZONE)


def _month(data_interval_start: Any, dag_run: Any = None) -> str:
    """The month this run closes: the calendar month of its data_interval_start, in the reporting zone; for a
    run without a logical date (no data interval), the month a run with logical date = its run_after closes."""
    from socialroi.tasks import month_of

    if data_interval_start is not None:
        return month_of(data_interval_start, REPORTING_TIMEZONE)
    run_after = getattr(dag_run, "run_after", None)
    if run_after is None:
        raise AirflowFailException("this run has neither a data interval nor a run_after: trigger it with a logical date")
    return month_closed_at(run_after, GRACE_DAYS, REPORTING_TIMEZONE)


@dag(
    dag_id="socialroi_close_monthly",
    schedule=SCHEDULE,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
    tags=["socialroi", "publish", "monthly"],
)
def socialroi_close_monthly() -> None:
    @task(**WAREHOUSE_TASK)
    def ingest() -> dict[str, Any]:
        """Load new landing files, logging quarantined ones (as socialroi_ingest_daily does)."""
        return ingest_and_report()

    @task(**WAREHOUSE_TASK)
    def build(data_interval_start: Any = None, dag_run: Any = None) -> dict[str, Any]:
        from socialroi import tasks

        with bad_data_fails():
            return tasks.build(_month(data_interval_start, dag_run))

    @task(**WAREHOUSE_TASK)
    def validate(data_interval_start: Any = None, dag_run: Any = None) -> dict[str, Any]:
        from socialroi import tasks

        with bad_data_fails():
            return tasks.validate(_month(data_interval_start, dag_run))

    @task(**WAREHOUSE_TASK)
    def publish(data_interval_start: Any = None, dag_run: Any = None) -> dict[str, Any]:
        from socialroi import tasks

        with bad_data_fails():
            return tasks.publish(_month(data_interval_start, dag_run))

    chain(ingest(), build(), validate(), publish())


socialroi_close_monthly()
