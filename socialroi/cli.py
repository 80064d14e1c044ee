"""The `socialroi` command line: every pipeline step by hand, the same functions the DAGs call."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from socialroi import months, tasks
from socialroi import settings as _settings
from socialroi.simulate import ADS_LAYOUTS, SALES_LAYOUTS, SESSIONS_LAYOUTS
from socialroi.simulate._catalog import AD_PLATFORMS


def _ad_platforms(value: str) -> str:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in AD_PLATFORMS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"{value!r}: choose among {','.join(AD_PLATFORMS)}")
    return ",".join(names)


def _print(obj: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(obj, indent=2, default=str))
    else:
        for k, v in obj.items():
            if isinstance(v, (list, dict)) and not v:
                continue
            print(f"{k}: {json.dumps(v, default=str) if isinstance(v, (list, dict)) else v}")


def cmd_simulate(args: argparse.Namespace, s: _settings.Settings) -> int:
    from socialroi.simulate import simulate

    out = Path(args.out) if args.out else s.landing
    summary = simulate(out, args.start, args.months, seed=args.seed, sales_layout=args.sales_layout,
                       ads_layout=args.ads_layout, scale=args.scale, reporting_currency=s.reporting_currency,
                       ad_platforms=tuple(args.ad_platforms.split(",")), sessions_layout=args.sessions_layout)
    months = getattr(summary, "months", None)
    print(f"wrote sample exports for {args.months} month(s) from {args.start} to {out}"
          + (f" ({', '.join(months)})" if months else ""))
    return 0


def cmd_ingest(args: argparse.Namespace, s: _settings.Settings) -> int:
    if args.retry_quarantined:
        from socialroi.ingest import retry_quarantined

        print(f"moved {retry_quarantined(s)} quarantined file(s) back to the landing folder")
    from socialroi.ingest import quarantine_inbox

    out = tasks.ingest(s)
    _print(out, args.json)
    this_run = {str(q["file"]) for q in out.get("quarantined_files", [])}
    for q in out.get("quarantined_files", []) if not args.json else []:
        print(f"QUARANTINED {q['file']}: {q['reason'].get('message')}", file=sys.stderr)
    # the backlog too: a file retried (--retry-quarantined) and refused again is `known`, not new, but it
    # still waits in quarantine
    for q in quarantine_inbox(s.landing) if not args.json else []:
        landed = q["reason"].get("file") if isinstance(q["reason"], dict) else None  # as landed, like this run's
        if landed not in this_run:
            print(f"STILL QUARANTINED {q['file']}: {q['reason'].get('message')}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace, s: _settings.Settings) -> int:
    _print(tasks.build(args.month, s), args.json)
    return 0


def cmd_validate(args: argparse.Namespace, s: _settings.Settings) -> int:
    try:
        result = tasks.validate(args.month, s)
    except tasks.GateFailed as exc:
        for c in exc.result.get("failed", []):
            print(f"FAILED {c['check']}: {c.get('message')}", file=sys.stderr)
        raise
    print(f"gate passed for {args.month}: {len(result.get('checks', []))} checks; report {result.get('report_path')}")
    return 0


def cmd_publish(args: argparse.Namespace, s: _settings.Settings) -> int:
    out = tasks.publish(args.month, s, reason=args.reason)
    print(f"published {args.month} version {out['version']} at {out['path']}"
          + ("" if out.get("changed", True) else " (unchanged: nothing written)"))
    return 0


def cmd_run(args: argparse.Namespace, s: _settings.Settings) -> int:
    tasks.run(args.month, s)
    print(f"published {args.month} at {s.publish / args.month}")
    return 0


def cmd_files(args: argparse.Namespace, s: _settings.Settings) -> int:
    from socialroi import warehouse

    # the ledger's row as the contract names it (the human listing prints the first seven)
    cols = ["file_path", "outcome", "rows", "period_start", "period_end", "sha256", "reason", "source", "table_name",
            "ingested_at"]
    with warehouse.connection(s, read_only=True) as con:
        rows = con.execute(
            f"select {', '.join(cols)} from ingest.file_ledger "
            + ("where outcome = ? " if args.outcome else "") + "order by seq",
            [args.outcome] if args.outcome else [],
        ).fetchall()
    if args.json:  # the reason as the JSON object it is, not a string of JSON
        order = ["file_path", "sha256", "source", "table_name", "rows", "period_start", "period_end", "outcome",
                 "reason", "ingested_at"]
        out = [dict(zip(cols, r, strict=True)) for r in rows]
        print(json.dumps([{k: json.loads(d[k]) if k == "reason" and d[k] else d[k] for k in order} for d in out],
                         indent=2, default=str))
        return 0
    for r in rows:
        detail = json.loads(r[6]) if r[6] else {}
        reason = detail.get("message", "")
        if detail.get("resolved_by"):
            reason += f" (replaced by a later file at this path, {detail['resolved_by'][:12]})"
        print(f"{r[1]:<12} {r[2] if r[2] is not None else '':>8}  {str(r[3] or ''):<10} {str(r[4] or ''):<10}  {r[0]}"
              + (f"  -- {reason}" if reason else ""))
    return 0


def cmd_report(args: argparse.Namespace, s: _settings.Settings) -> int:
    """Print the headline table of a published month: revenue by platform and model."""
    import duckdb

    from socialroi import publish

    folder = s.publish / args.month
    path = folder / "mart_attribution_channel_monthly.parquet"
    if not path.exists():
        print(f"{args.month} is not published at {folder}", file=sys.stderr)
        return 1
    con = duckdb.connect()
    models, table, totals = publish.headline(con, folder)
    rows = [("channel", *models), *((c, *map(str, vs)) for c, vs in table), ("total", *map(str, totals))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        print("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True))))
        if n in (0, len(rows) - 2):
            print("  ".join("-" * w for w in widths))
    # a month without a sale (the mart has no row) sold 0.00
    net = con.execute("select case when count(*) = 0 then 0.00::decimal(18, 2) else sum(net_sales_reporting) end "
                      f"from {publish.sql_path(folder / 'mart_net_sales_monthly.parquet')}").fetchone()[0]
    print(f"net sales {args.month}: {publish.amount(net)} {s.reporting_currency}; report: {folder / 'report.md'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="socialroi", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = p.add_subparsers(dest="command", required=True)

    sp = sub.add_parser("simulate", help="write sample exports")
    sp.add_argument("--start", type=months.argument, required=True)
    sp.add_argument("--months", type=int, default=3)
    sp.add_argument("--seed", type=int, default=7)
    sp.add_argument("--out", help="landing folder (default: SOCIALROI_LANDING)")
    sp.add_argument("--sales-layout", default="connector", choices=SALES_LAYOUTS,
                    help="Shopify connector tables, Shopify admin export, generic orders, or Stripe payments")
    sp.add_argument("--sessions-layout", default="generic", choices=SESSIONS_LAYOUTS,
                    help="web sessions as the generic feed, GA4 events (Fivetran connector, or BigQuery JSON export "
                         "with ga4_bigquery) or Snowplow atomic events")
    sp.add_argument("--ads-layout", default="connector", choices=ADS_LAYOUTS)
    sp.add_argument("--ad-platforms", default=",".join(AD_PLATFORMS), type=_ad_platforms,
                    help=f"comma-separated ad networks to write (default: all of {','.join(AD_PLATFORMS)})")
    sp.add_argument("--scale", type=float, default=1.0)
    sp.set_defaults(func=cmd_simulate)

    sp = sub.add_parser("ingest", help="load new landed files; quarantine bad ones")
    sp.add_argument("--retry-quarantined", action="store_true", help="check quarantined files again first")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_ingest)

    sp = sub.add_parser("build", help="dbt build (seeds, models, tests)")
    sp.add_argument("--month", type=months.argument)
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_build)

    for name, func, hlp in (("validate", cmd_validate, "run the quality gate for a month"),
                            ("publish", cmd_publish, "publish a validated month"),
                            ("run", cmd_run, "ingest, build, validate and publish a month"),
                            ("report", cmd_report, "print a published month's headline table")):
        sp = sub.add_parser(name, help=hlp)
        sp.add_argument("--month", type=months.argument, required=True)
        if name == "publish":
            sp.add_argument("--reason", help="why an already published month changes (kept in restatement.json)")
        sp.set_defaults(func=func)

    sp = sub.add_parser("files", help="the file ledger: every file seen, its outcome and reason")
    sp.add_argument("--outcome", choices=["loaded", "quarantined", "duplicate", "superseded"])
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=cmd_files)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        s = _settings.load()
        return args.func(args, s)
    except BrokenPipeError:  # `socialroi files | head`: the reader stopped; no traceback (Python's documented recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # one line that says what to do; the traceback only with -v
        if args.verbose:
            raise
        print(f"socialroi {args.command}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
