"""The demo job: run the real Airflow DAGs for each sample month, then print the latest report.

    python -m socialroi.demo --start 2026-06 --months 3
"""

from __future__ import annotations

import argparse
import sys
import time

from socialroi import airflow_env, cli, months
from socialroi import settings as _settings


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--start", required=True)
    p.add_argument("--months", type=int, default=3)
    args = p.parse_args(argv)
    env = airflow_env.environment()
    airflow_env.migrate(env)
    run_months = months.following(args.start, args.months)
    for month in run_months:
        t0 = time.perf_counter()
        print(f"== {month}: airflow dags test socialroi_ingest_daily, socialroi_transform, socialroi_close_monthly")
        airflow_env.run_month(month, env)
        print(f"   done in {time.perf_counter() - t0:.0f} s")
    s = _settings.load()
    print(f"\nPublished reports: {s.publish}/<YYYY-MM>/ (Parquet, CSV, report.md, manifest.json, data_docs/)")
    print(f"BI database (DuckDB 2.0): {s.publish / 'socialroi.duckdb'}\n")
    return cli.main(["report", "--month", run_months[-1]])


if __name__ == "__main__":
    sys.exit(main())
