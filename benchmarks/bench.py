"""Benchmarks: print figures, assert nothing. Run with the project's venv:

    .venv/bin/python benchmarks/bench.py --touchpoints 1000000 [--touchpoints 10000000]

For each size it generates a generic sessions feed (one touchpoint per session) and orders with
DuckDB, then measures, each step in its own process (peak memory = that process's max RSS):
  ingest       socialroi's loader on the landed files (sessions, orders, FX rates) vs DuckDB's own read_csv of the same files
  attribution  the attribution models' own execution time from dbt's run_results.json (and dbt's
               start-up/parse time separately) vs a bare DuckDB sort of the same touchpoints by
               user and time, on the same warehouse
  month build  with --months K > 1 (touchpoints spread over K months): a month build of the last
               month after the full build (README "Month builds")
  gate         the pre-publish gate for one month
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ATTRIBUTION_MODELS = (
    "int_touchpoints", "int_identity_map", "int_order_persons", "int_journey_touchpoints", "int_order_touchpoints",
    "int_attribution_path_counts", "int_attribution_fits", "int_attribution_path_credits", "int_markov_removal_effects",
    "int_attribution_touch_credits", "int_return_attribution", "fct_order_attribution",
    "mart_attribution_channel_monthly", "mart_attribution_campaign_monthly", "mart_markov_removal_effects",
)


def run_child(code: str, env: dict[str, str]) -> tuple[dict, float]:
    """Run python code in a child; return its JSON result and its peak RSS in MiB."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{proc.stderr[-4000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out.setdefault("wall_seconds", time.perf_counter() - started)
    return out, out.get("peak_rss_mib", 0.0)


PEAK = "import resource; peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024"


LAST_MONTH = "2026-03"  # the benchmark's data ends with this month (the gate checks it)


def _first_month(months: int) -> str:
    """The first of `months` benchmark months ending with LAST_MONTH."""
    y, m = divmod(2026 * 12 + 2 - (months - 1), 12)
    return f"{y:04d}-{m + 1:02d}"


def generate(root: Path, touchpoints: int, env: dict[str, str], months: int = 1) -> None:
    """`touchpoints` sessions (and an order on 1 in 25) spread evenly over `months` months ending with LAST_MONTH."""
    import datetime as dt

    start = _first_month(months)
    days = (dt.date(2026, 4, 1) - dt.date.fromisoformat(start + "-01")).days
    code = textwrap.dedent(f"""
        import duckdb, json
        n = {touchpoints}
        days = {days}
        users = max(1, n // 5)
        con = duckdb.connect()
        con.execute("set preserve_insertion_order = false")
        sessions = '{root}/landing/generic/sessions/bench.csv'
        orders = '{root}/landing/generic/orders/bench.csv'
        con.execute(f'''
            copy (
                select
                    's' || i as session_id,
                    'u' || (hash(i) % {{users}}) as user_id,
                    strftime(timestamp '{start}-01' + to_seconds(cast(hash(i * 7) % ({{days}} * 86400) as bigint)), '%Y-%m-%dT%H:%M:%SZ') as started_at,
                    ['facebook', 'instagram', 'google', 'newsletter', null, 'tiktok'][cast(1 + hash(i * 3) % 6 as bigint)] as utm_source,
                    ['paid_social', 'social', 'cpc', 'email', null, 'paid_social'][cast(1 + hash(i * 3) % 6 as bigint)] as utm_medium,
                    'campaign_' || (hash(i * 5) % 20) as utm_campaign,
                    cast(hash(i * 11) % 200 as varchar) as utm_content,
                    case when hash(i * 13) % 25 = 0 then 'o' || i end as order_id
                from range({{n}}) t(i)
            ) to '{{sessions}}' (header, delimiter ',')''')
        con.execute(f'''
            copy (
                select 'o' || i as order_id,
                    strftime(timestamp '{start}-01' + to_seconds(cast(hash(i * 7) % ({{days}} * 86400) as bigint) + 60), '%Y-%m-%dT%H:%M:%SZ') as created_at,
                    'USD' as currency, cast(10 + hash(i) % 20000 / 100.0 as decimal(18, 2)) as gross_sales,
                    cast(0 as decimal(18, 2)) as discount
                from range({{n}}) t(i) where hash(i * 13) % 25 = 0
            ) to '{{orders}}' (header, delimiter ',')''')
        con.execute(f"copy (select cast(d as date) as date, 'USD' as base, 'EUR' as quote, 0.9 as rate from range(date '{start}-01' - interval 9 day, date '2026-04-05', interval 1 day) t(d)) to '{root}/landing/fx/rates/bench.csv' (header)")
        print(json.dumps({{"sessions": n}}))
    """)
    for sub in ("generic/sessions", "generic/orders", "fx/rates"):
        (root / "landing" / sub).mkdir(parents=True, exist_ok=True)
    run_child(code, env)


def bench_ingest(root: Path, env: dict[str, str], repeat: int = 1) -> dict:
    """The median of `repeat` runs of each (a fresh warehouse and landing folder each time)."""
    import shutil
    import statistics

    pristine = root / "landing.pristine"
    if not pristine.exists():
        shutil.copytree(root / "landing", pristine)
    runs = []
    for _ in range(repeat):
        shutil.rmtree(root / "landing", ignore_errors=True)
        shutil.copytree(pristine, root / "landing")
        for name in ("wh.duckdb", "wh.duckdb.wal", "bare.duckdb", "bare.duckdb.wal"):
            (root / name).unlink(missing_ok=True)
        runs.append(_bench_ingest_once(root, env))
    med = {k: statistics.median(r[k] for r in runs) for k in ("bare_seconds", "ours_seconds", "ours_peak_mib",
                                                               "bare_peak_mib")}
    rows = runs[0]["rows"]
    return {"rows": rows, **med, "bare_rows_per_s": rows / med["bare_seconds"],
            "ours_rows_per_s": rows / med["ours_seconds"], "ratio_of_bare_speed": med["bare_seconds"] / med["ours_seconds"],
            "runs": len(runs)}


def _bench_ingest_once(root: Path, env: dict[str, str]) -> dict:
    # the same files on both sides: every landed file (sessions, orders, FX rates), each into its own table
    paths = sorted(str(p) for p in (root / "landing").rglob("*.csv"))
    bare, bare_peak = run_child(textwrap.dedent(f"""
        import duckdb, json, time
        con = duckdb.connect('{root}/bare.duckdb')
        t = time.perf_counter()
        rows = 0
        for i, path in enumerate({paths!r}):
            con.execute(f"create or replace table t{{i}} as select * from read_csv('{{path}}')")
            rows += con.execute(f"select count(*) from t{{i}}").fetchone()[0]
        dt = time.perf_counter() - t
        {PEAK}
        print(json.dumps({{"rows": rows, "seconds": dt, "peak_rss_mib": peak}}))
    """), env)
    ours, ours_peak = run_child(textwrap.dedent(f"""
        import json, time
        from socialroi import settings
        from socialroi.ingest import ingest_all
        s = settings.load()
        t = time.perf_counter()
        out = ingest_all(s)
        dt = time.perf_counter() - t
        {PEAK}
        print(json.dumps({{"loaded": out["loaded"], "quarantined": out["quarantined_files"], "seconds": dt, "peak_rss_mib": peak}}))
    """), env)
    if ours["quarantined"]:
        raise SystemExit(f"benchmark input was quarantined: {ours['quarantined']}")
    return {"rows": bare["rows"], "bare_seconds": bare["seconds"], "bare_rows_per_s": bare["rows"] / bare["seconds"],
            "ours_seconds": ours["seconds"], "ours_rows_per_s": bare["rows"] / ours["seconds"],
            "ratio_of_bare_speed": bare["seconds"] / ours["seconds"], "ours_peak_mib": ours_peak,
            "bare_peak_mib": bare_peak}


def _build(env: dict[str, str], month: str | None = None) -> tuple[dict, float]:
    """One `dbt build` in a child process: its wall time, dbt's per-node times and the child's peak memory."""
    return run_child(textwrap.dedent(f"""
        import json, time, os
        from socialroi import settings
        from socialroi.build import dbt_build
        s = settings.load()
        t = time.perf_counter()
        dbt_build(s, month={month!r})
        total = time.perf_counter() - t
        rr = json.load(open(os.environ["DBT_TARGET_PATH"] + "/run_results.json"))
        times = {{r["unique_id"].split(".")[-1]: r["execution_time"] for r in rr["results"]}}
        {PEAK}
        print(json.dumps({{"total": total, "times": times, "elapsed": rr.get("elapsed_time"), "peak_rss_mib": peak}}))
    """), env)


def bench_month_build(env: dict[str, str], month: str) -> dict:
    """A month build (README "Month builds") of `month`, after the full build, on the same data."""
    out, peak = _build(env, month)
    model_times = {k: v for k, v in out["times"].items() if k in ATTRIBUTION_MODELS}
    return {"month": month, "attribution_seconds": sum(model_times.values()), "end_to_end_build_seconds": out["total"],
            "build_peak_mib": peak}


def bench_attribution(root: Path, env: dict[str, str]) -> dict:
    out, peak = _build(env)
    # The same touchpoints sorted by user and time twice, with the build's memory_limit: into an
    # in-memory temp table, and into a table of the warehouse file, written as the models write theirs
    # (and as the ingest baseline writes read_csv's table). Both are printed.
    sort, sort_peak = run_child(textwrap.dedent(f"""
        import duckdb, json, time
        from socialroi import settings
        s = settings.load()
        con = duckdb.connect('{root}/wh.duckdb', read_only=False)
        con.execute(f"set memory_limit = '{{s.memory_limit}}'")
        con.execute("set TimeZone = 'UTC'")
        # int_touchpoints is a view (the build classifies sessions inside the journeys): its rows are
        # written to a table first, untimed, so that the sort reads stored touchpoints
        con.execute("create or replace table main.bench_touchpoints as select * from intermediate.int_touchpoints")
        con.execute("checkpoint")
        n = con.execute("select count(*) from main.bench_touchpoints").fetchone()[0]
        t = time.perf_counter()
        con.execute("create or replace temp table sorted as select * from main.bench_touchpoints order by user_id, touched_at")
        in_memory = time.perf_counter() - t
        con.execute("drop table sorted")
        t = time.perf_counter()
        con.execute("create or replace table main.bench_sorted as select * from main.bench_touchpoints order by user_id, touched_at")
        written = time.perf_counter() - t
        con.execute("drop table main.bench_sorted")
        con.execute("drop table main.bench_touchpoints")
        {PEAK}
        print(json.dumps({{"rows": n, "seconds": in_memory, "written_seconds": written, "peak_rss_mib": peak}}))
    """), env)
    model_times = {k: v for k, v in out["times"].items() if k in ATTRIBUTION_MODELS}
    attribution = sum(model_times.values())
    all_nodes = sum(out["times"].values())
    return {"touchpoints": sort["rows"], "attribution_seconds": attribution, "bare_sort_seconds": sort["seconds"],
            "ratio": attribution / sort["seconds"], "written_sort_seconds": sort["written_seconds"],
            "ratio_written": attribution / sort["written_seconds"], "all_dbt_nodes_seconds": all_nodes,
            "dbt_startup_and_parse_seconds": out["total"] - all_nodes, "end_to_end_build_seconds": out["total"],
            "build_peak_mib": peak, "sort_peak_mib": sort_peak, "slowest": sorted(model_times.items(), key=lambda x: -x[1])[:5], "model_times": model_times}


def bench_gate(root: Path, env: dict[str, str]) -> dict:
    out, peak = run_child(textwrap.dedent(f"""
        import json, time
        from socialroi import settings
        from socialroi.gate import run_gate
        s = settings.load()
        t = time.perf_counter()
        r = run_gate(s, "{LAST_MONTH}")
        dt = time.perf_counter() - t
        {PEAK}
        print(json.dumps({{"seconds": dt, "success": r["success"], "failed": [c["check"] for c in r["failed"]], "peak_rss_mib": peak}}))
    """), env)
    return {"seconds": out["seconds"], "peak_mib": peak, "failed_checks": out["failed"]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--touchpoints", type=int, action="append", help="sizes to run (repeatable)")
    p.add_argument("--keep", action="store_true", help="keep the generated data")
    p.add_argument("--ingest-only", action="store_true", help="stop after the ingest figures")
    p.add_argument("--repeat", type=int, default=3, help="ingest runs per size; the median is printed")
    p.add_argument("--months", type=int, default=1,
                   help="spread the touchpoints over this many months ending with 2026-03; above 1, a month build of the last month is timed too")
    args = p.parse_args()
    for n in args.touchpoints or [1_000_000]:
        root = Path(tempfile.mkdtemp(prefix=f"socialroi-bench-{n}-"))
        env = dict(os.environ, SOCIALROI_LANDING=str(root / "landing"), SOCIALROI_WAREHOUSE=str(root / "wh.duckdb"),
                   SOCIALROI_STATE=str(root / "state"), SOCIALROI_PUBLISH=str(root / "publish"),
                   SOCIALROI_ORDER_SOURCE="generic", SOCIALROI_EXPECTED_SOURCES="generic_sessions,fx",
                   SOCIALROI_SALT="bench", GX_ANALYTICS_ENABLED="false", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        print(f"== {n:,} touchpoints (data in {root})", flush=True)
        generate(root, n, env, args.months)
        ing = bench_ingest(root, env, max(1, args.repeat))
        print(f"ingest (median of {ing['runs']}): {ing['rows']:,} rows; DuckDB read_csv {ing['bare_rows_per_s']:,.0f} rows/s "
              f"({ing['bare_seconds']:.2f} s); socialroi ingest {ing['ours_rows_per_s']:,.0f} rows/s "
              f"({ing['ours_seconds']:.2f} s, peak {ing['ours_peak_mib']:.0f} MiB); "
              f"speed = {ing['ratio_of_bare_speed']:.2f} x read_csv (goal >= 0.5)", flush=True)
        if args.ingest_only:
            if not args.keep:
                import shutil

                shutil.rmtree(root, ignore_errors=True)
            continue
        att = bench_attribution(root, env)
        print(f"attribution: {att['touchpoints']:,} touchpoints; models {att['attribution_seconds']:.2f} s; "
              f"bare sort by user, time: into memory {att['bare_sort_seconds']:.2f} s, ratio {att['ratio']:.1f}; "
              f"written to the warehouse {att['written_sort_seconds']:.2f} s, ratio {att['ratio_written']:.1f} (goal <= 3); "
              f"all dbt nodes {att['all_dbt_nodes_seconds']:.1f} s; dbt start-up+parse {att['dbt_startup_and_parse_seconds']:.1f} s; "
              f"end to end {att['end_to_end_build_seconds']:.1f} s; peak {att['build_peak_mib']:.0f} MiB (goal < 4096)", flush=True)
        print("  slowest models: " + ", ".join(f"{k} {v:.1f} s" for k, v in att["slowest"]), flush=True)
        if args.months > 1:
            mb = bench_month_build(env, LAST_MONTH)
            print(f"month build of {mb['month']} (1 of {args.months} months, after the full build): models "
                  f"{mb['attribution_seconds']:.2f} s; end to end {mb['end_to_end_build_seconds']:.1f} s; "
                  f"peak {mb['build_peak_mib']:.0f} MiB", flush=True)
        try:
            gate = bench_gate(root, env)
            print(f"gate: {gate['seconds']:.1f} s, peak {gate['peak_mib']:.0f} MiB, failed checks {gate['failed_checks']}")
        except SystemExit as exc:
            print(f"gate: not measured ({str(exc).splitlines()[-1]})")
        if not args.keep:
            import shutil

            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
