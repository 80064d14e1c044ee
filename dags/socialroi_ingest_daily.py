"""
### socialroi_ingest_daily: load what landed

Once a day, loads every new file under the landing folder (`SOCIALROI_LANDING/<source>/<table>/`)
into the DuckDB warehouse and records each file in the ledger `ingest.file_ledger`
(`loaded`, `quarantined`, `duplicate`, `superseded`). Re-running is safe: files already loaded
are recognised by their hash.

When the run loaded something new, `announce_new_data` emits the Asset `socialroi://warehouse/raw`,
which triggers `socialroi_transform` (dbt build). When nothing new loaded, that task is *skipped*
and no Asset event is emitted.

**Quarantined files.** A file that cannot be read or fails its batch expectations is not loaded
at all; it is moved to `SOCIALROI_LANDING/_quarantine/<source>/<table>/` with
`<file name>.reason.json` beside it (`check` names the failed expectation). The other files
still load, so the run succeeds. To see what is in quarantine:

* the `ingest` task log has one WARNING line per file quarantined in this run (file, failed
  check, message, row and column where known), then the run's counts per outcome and, if any
  file still waits in `_quarantine/`, a WARNING with how many;
* the `ingest` task's XCom `return_value` is the ingest summary (`quarantined_files`: this run's)
  plus `quarantine`: every file still waiting in `_quarantine/`, with its reason (Grid view,
  task `ingest`, XCom tab). The run itself succeeds: one bad file does not stop the others;
* outside Airflow: `socialroi files` prints the ledger (`--json` for machines).

Fix the cause and the file loads on the next run: drop a corrected export into the landing folder,
or, when a feed mapping in `feeds/` was the fix, move the quarantined files back
(`socialroi.ingest.retry_quarantined`, which also removes their reason files). Until then the
`ingest` log reminds you on every run how many files wait in quarantine.

Warehouse access is serialised by the one-slot pool `socialroi_warehouse` (DuckDB has one writer).
"""

from __future__ import annotations

from typing import Any

from _common import DEFAULT_ARGS, RAW_ASSET, START_DATE, WAREHOUSE_TASK, count, ingest_and_report
from airflow.sdk import dag, task
from airflow.sdk.exceptions import AirflowSkipException


@dag(
    dag_id="socialroi_ingest_daily",
    schedule="@daily",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
    tags=["socialroi", "ingest", "daily"],
)
def socialroi_ingest_daily() -> None:
    @task(**WAREHOUSE_TASK)
    def ingest() -> dict[str, Any]:
        """Load new landing files; log each file quarantined, with its reason; return the summary."""
        return ingest_and_report()

    @task(outlets=[RAW_ASSET])
    def announce_new_data(summary: dict[str, Any], outlet_events: Any = None) -> int | None:
        """Emit the raw-data Asset event (triggers socialroi_transform) only when rows were loaded."""
        loaded = count(summary, "loaded")
        if loaded == 0:
            raise AirflowSkipException("nothing new loaded: no Asset event, socialroi_transform not triggered")
        if outlet_events is not None:
            outlet_events[RAW_ASSET].extra = {"loaded": loaded, "quarantined": count(summary, "quarantined")}
        return loaded

    announce_new_data(ingest())


socialroi_ingest_daily()
