"""
### socialroi_transform: keep the warehouse current

Runs whenever `socialroi_ingest_daily` loaded new rows (it is scheduled on the Asset
`socialroi://warehouse/raw`), and runs one `dbt build` over the whole project: seeds, models and
the tests dbt interleaves with them. No month is passed: every model and every month's marts are
rebuilt; closing and publishing a month is `socialroi_close_monthly`'s job.

A failing dbt test fails the task at once (bad data is not retried); a locked warehouse file is
retried twice. Warehouse access is serialised by the one-slot pool `socialroi_warehouse`.
"""

from __future__ import annotations

from typing import Any

from _common import DEFAULT_ARGS, RAW_ASSET, START_DATE, WAREHOUSE_TASK, bad_data_fails
from airflow.sdk import dag, task


@dag(
    dag_id="socialroi_transform",
    schedule=RAW_ASSET,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
    tags=["socialroi", "transform", "asset-triggered"],
)
def socialroi_transform() -> None:
    @task(**WAREHOUSE_TASK)
    def build() -> dict[str, Any]:
        """dbt build of the whole project (no month)."""
        from socialroi import tasks

        with bad_data_fails():
            return tasks.build()

    build()


socialroi_transform()
