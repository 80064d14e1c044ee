"""Publish a validated month: a new immutable version directory, switched in by one atomic rename.

Layout under SOCIALROI_PUBLISH:
    .versions/<YYYY-MM>/v0001/   each publish of a month (Parquet + CSV per table, manifest.json, report)
    <YYYY-MM> -> .versions/<YYYY-MM>/vNNNN   symlink replaced with os.replace: readers see old or new
    socialroi.duckdb             read-only BI database built from the published versions only
A publish whose data equals the current version's writes nothing; one that changes the numbers of an
already published month writes restatement.json (what changed, by how much, why) in the new version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from socialroi import __version__, months, report, warehouse
from socialroi.personal import redact
from socialroi.settings import PROJECT_DIR, Settings

# table -> columns whose totals the manifest and restatements report
PUBLISHED_TABLES: dict[str, tuple[str, ...]] = {
    "mart_net_sales_monthly": ("net_sales_reporting", "gross_profit_reporting", "orders"),
    "mart_attribution_channel_monthly": ("attributed_revenue", "attributed_gross_profit", "spend"),
    "mart_attribution_campaign_monthly": ("attributed_revenue", "spend"),
    "fct_order_attribution": ("attributed_revenue", "credit"),
    "mart_markov_removal_effects": ("conversions_global",),
    "mart_attribution_ad_monthly": ("attributed_revenue", "spend"),
    "mart_attribution_post_monthly": ("attributed_revenue",),
    "mart_platform_claims_monthly": ("claimed_revenue", "attributed_revenue"),
    "mart_discount_dependence_monthly": ("attributed_revenue", "attributed_revenue_with_code"),
    "mart_push_pull_monthly": ("attributed_revenue", "spend"),
    "mart_customer_ltv_by_acquisition": ("customers", "lifetime_net_sales"),
}
OPTIONAL_TABLES: dict[str, tuple[str, ...]] = {}
# how a table's rows belong to a month (default: its `month` column); LTV: the cohorts' values at the month's end
MONTH_FILTER = {"mart_customer_ltv_by_acquisition": "as_of_month = '{month}'"}
# each table's grain (the columns of its dbt unique_combination test): a restatement counts the rows added,
# removed and changed by it
GRAIN: dict[str, tuple[str, ...]] = {
    "mart_net_sales_monthly": ("month", "source_currency"),
    "mart_attribution_channel_monthly": ("month", "model", "channel_group", "platform"),
    "mart_attribution_campaign_monthly": ("month", "model", "channel_group", "platform", "campaign_key"),
    "fct_order_attribution": ("order_id", "model", "touchpoint_id"),
    "mart_markov_removal_effects": ("month", "channel_group", "platform"),
    "mart_attribution_ad_monthly": ("month", "model", "platform", "campaign_key", "ad_id"),
    "mart_attribution_post_monthly": ("month", "model", "platform", "handle", "post_id"),
    "mart_platform_claims_monthly": ("month", "model", "platform"),
    "mart_discount_dependence_monthly": ("month", "model", "channel_group", "platform", "handle"),
    "mart_push_pull_monthly": ("month", "model", "motion"),
    "mart_customer_ltv_by_acquisition": ("cohort_month", "as_of_month", "model", "channel_group", "platform"),
}
# tables whose rows of a month depend on the data of earlier months (values as of the month's end): a file of
# an earlier month changes them, though it is none of the month's inputs
HISTORY_TABLES = frozenset({"mart_customer_ltv_by_acquisition"})


class PublishRefused(RuntimeError):
    """Publishing a month is not allowed (gate not passed, or data changed since validation)."""


def sql_path(path: Path | str) -> str:
    """A file's path as a DuckDB string literal: a folder may hold an apostrophe ("Finance's reports")."""
    return "'" + str(path).replace("'", "''") + "'"


def _code_version() -> str:
    try:
        sha = subprocess.run(["git", "-C", str(PROJECT_DIR), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha = ""
    return f"{__version__}+{sha}" if sha else __version__


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


def _current_version(settings: Settings, month: str) -> Path | None:
    link = settings.publish / month
    return link.resolve() if link.is_symlink() and link.resolve().exists() else None


def _gate_result(settings: Settings, month: str) -> dict[str, Any]:
    path = settings.state / "gate" / f"{month}.json"
    if not path.exists():
        raise PublishRefused(f"{month} has not been validated: run `socialroi validate --month {month}` first")
    result = json.loads(path.read_text())
    if not result.get("success"):
        failed = ", ".join(c["check"] for c in result.get("failed", []))
        raise PublishRefused(f"the quality gate failed for {month} ({failed}); the published report stays as it was")
    return result


def _totals(con: Any, source: str, types: dict[str, str], totals: tuple[str, ...]) -> dict[str, Any]:
    """Row count and column totals of `source` (a table and its filter, or a Parquet file); for a table with a
    `model` column also each model's totals: the sum over all models counts every sale once per model."""
    # a float column (credits, customers) summed exactly: a float sum's last digits depend on the
    # order DuckDB adds the rows in, and would show as a change of 1e-13 between two publishes
    agg = ", ".join(f'cast(sum(cast("{c}" as decimal(38, 18))) as decimal(38, 12))'
                    if types[c] in ("DOUBLE", "FLOAT") else f'sum("{c}")' for c in totals)
    row = con.execute(f"select count(*), {agg} from {source}").fetchone()
    out: dict[str, Any] = {"rows": row[0], "totals": {c: _jsonable(v) for c, v in zip(totals, row[1:], strict=True)}}
    if "model" in types:
        out["totals_by_model"] = {
            m: {c: _jsonable(v) for c, v in zip(totals, vals, strict=True)}
            for m, *vals in con.execute(f"select model, {agg} from {source} group by model order by model").fetchall()}
    return out


# the first characters that make Excel (and LibreOffice, Google Sheets) read a CSV cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_columns(types: dict[str, str]) -> str:
    """The CSV's select list: a text cell that a spreadsheet would run as a formula (a campaign named
    "=HYPERLINK(...)", "+...", "-...", "@...") starts with an apostrophe, so it reads as text. Amounts are
    numbers, never text: -20.00 stays as it is. Parquet and the BI database keep every value as it is."""
    starts = ", ".join("'" + c.replace("'", "''") + "'" for c in FORMULA_START)
    cols = []
    for c, typ in types.items():
        e = '"' + c.replace('"', '""') + '"'
        cols.append(f"case when left({e}, 1) in ({starts}) then chr(39) || {e} else {e} end as {e}"
                    if typ.upper().startswith("VARCHAR") else e)
    return ", ".join(cols)


def export_month(settings: Settings, month: str, out: Path,
                 fingerprint: str | None = None) -> dict[str, dict[str, Any]]:
    """Write the month's rows of every published table as Parquet and CSV; return counts and totals. With
    `fingerprint` (the gate's), first check that the marts are still the ones validated, in the same read-only
    connection as the export: while it is open no build can change them."""
    stats: dict[str, dict[str, Any]] = {}
    with warehouse.connection(settings, read_only=True) as con:
        if fingerprint:
            from socialroi.gate import _fingerprint

            if _fingerprint(con, month) != fingerprint:
                raise PublishRefused(f"the marts of {month} changed since they were validated: "
                                     f"run `socialroi validate --month {month}` again, then publish")
        tables = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        for table, totals in {**PUBLISHED_TABLES, **OPTIONAL_TABLES}.items():
            if table not in tables:
                if table in PUBLISHED_TABLES:
                    raise PublishRefused(f"marts.{table} does not exist: run `socialroi build` first")
                continue
            types = {r[0]: r[1] for r in con.execute(f"describe marts.{table}").fetchall()}
            cols = list(types)
            order = ", ".join(f'"{c}"' for c in cols)
            where = MONTH_FILTER.get(table, "month = '{month}'").format(month=month)
            rel = f"(select * from marts.{table} where {where} order by {order})"
            con.execute(f"copy {rel} to {sql_path(out / (table + '.parquet'))} (format parquet)")
            con.execute(f"copy (select {_csv_columns(types)} from {rel}) to {sql_path(out / (table + '.csv'))} "
                        "(format csv, header true)")
            stats[table] = _totals(con, f"marts.{table} where {where}", types, totals)
        first, last = _input_window(settings, month)
        inputs = [
            # a file's name is whatever its exporter typed: its emails and phones are masked (the sha256 names it)
            {"file": redact(r[0]), "sha256": r[1], "outcome": r[2]}
            for r in con.execute(
                "select file_path, sha256, outcome from ingest.file_ledger where outcome in ('loaded', 'superseded') "
                "and (period_start is null or (period_start <= ? and period_end >= ?)) "
                "order by file_path, sha256", [last, first]).fetchall()
        ]
    stats["_inputs"] = {"files": inputs}
    return stats


def _content_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.glob("*.csv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _change(table: str, col: str, was: Any, value: Any) -> dict[str, Any]:
    delta = None
    try:
        delta = str(Decimal(str(value or 0)) - Decimal(str(was or 0)))
    except ArithmeticError:
        pass
    return {"table": table, "column": col, "before": was, "after": value, "change": delta}


def _total_changes(table: str, before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Each total's change. A table with a `model` column is compared model by model (its sum over all models
    counts each sale once per model): one entry per group of `models` whose before and after are the same."""
    if "totals_by_model" not in before and "totals_by_model" not in after:
        return [_change(table, col, before["totals"].get(col), value) for col, value in after["totals"].items()
                if str(before["totals"].get(col)) != str(value)]
    old, new = before.get("totals_by_model", {}), after.get("totals_by_model", {})
    changes = []
    for col in after["totals"]:
        groups: dict[tuple[str, str], list[str]] = {}
        for m in sorted({*old, *new}):
            was, value = old.get(m, {}).get(col), new.get(m, {}).get(col)
            if str(was) != str(value):
                groups.setdefault((was, value), []).append(m)
        changes += [{**_change(table, col, was, value), "models": ms} for (was, value), ms in groups.items()]
    return changes


def _row_changes(con: Any, table: str, old: Path | None, new: Path) -> dict[str, Any] | None:
    """Rows added, removed and changed (same key, another value) by the table's grain, between two versions."""
    key = GRAIN.get(table)
    new_cols = [r[0] for r in con.execute(f"describe select * from {sql_path(new)}").fetchall()]
    if not key or not set(key) <= set(new_cols):
        return None
    if old is None or not old.exists():
        return {"key": list(key), "added": con.execute(f"select count(*) from {sql_path(new)}").fetchone()[0],
                "removed": 0, "changed": 0}
    old_cols = [r[0] for r in con.execute(f"describe select * from {sql_path(old)}").fetchall()]
    if not set(key) <= set(old_cols):
        return None
    on = " and ".join(f'o."{k}" is not distinct from n."{k}"' for k in key)
    values = [c for c in new_cols if c in old_cols and c not in key]
    differs = " or ".join(f'o."{c}" is distinct from n."{c}"' for c in values) or "false"
    added, removed, changed = con.execute(
        f"select count(*) filter (where o.__old is null), count(*) filter (where n.__new is null), "
        f"count(*) filter (where o.__old and n.__new and ({differs})) "
        f"from (select *, true as __old from {sql_path(old)}) as o "
        f"full outer join (select *, true as __new from {sql_path(new)}) as n "
        f"on {on}").fetchone()
    return {"key": list(key), "added": added, "removed": removed, "changed": changed}


def _input_window(settings: Settings, month: str) -> tuple[dt.date, dt.date]:
    """The first and last ledger dates a file of ``month`` may have: the ledger's periods are UTC dates (an
    order at 23:00 in Los Angeles on 30 June is on 1 July there), so outside UTC the month's days widen by
    one on each side (no zone is a day or more from UTC); the manifest may then list a neighbour's file too."""
    first, last = months.bounds(month)
    if settings.reporting_timezone != "UTC":
        first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    return first, last


def _history_inputs_since(settings: Settings, month: str, since: str | None) -> list[str]:
    """Files of earlier months (their period ends before the month) loaded since `since` (a version's created_at):
    none of the month's inputs, but they feed its HISTORY_TABLES."""
    if not since:
        return []
    at = dt.datetime.fromisoformat(since).astimezone(dt.UTC).replace(tzinfo=None)  # the ledger's times are UTC
    with warehouse.connection(settings, read_only=True) as con:
        return [redact(r[0]) for r in con.execute(
            "select distinct file_path from ingest.file_ledger where outcome in ('loaded', 'superseded') "
            "and period_end < ? and ingested_at >= ? order by 1", [_input_window(settings, month)[0], at]).fetchall()]


def _restatement(old: dict[str, Any], new: dict[str, Any], reason: str, old_dir: Path, new_dir: Path,
                 history_inputs_added: list[str]) -> dict[str, Any]:
    import duckdb

    changes: list[dict[str, Any]] = []
    row_changes: dict[str, Any] = {}
    con = duckdb.connect()
    try:
        for table, info in new["tables"].items():
            old_file = old_dir / f"{table}.parquet"
            before: dict[str, Any] = {"rows": 0, "totals": {}}
            if old_file.exists():
                types = {r[0]: r[1] for r in con.execute(f"describe select * from {sql_path(old_file)}").fetchall()}
                cols = tuple(c for c in info["totals"] if c in types)
                before = _totals(con, sql_path(old_file), types, cols) if cols else before
            changes += _total_changes(table, before, info)
            if before["rows"] != info["rows"]:
                changes.append({"table": table, "column": "rows", "before": before["rows"], "after": info["rows"],
                                "change": info["rows"] - before["rows"]})
            rows = _row_changes(con, table, old_file if old_file.exists() else None, new_dir / f"{table}.parquet")
            if rows and (rows["added"] or rows["removed"] or rows["changed"]):
                if table in HISTORY_TABLES:
                    rows["depends_on_history"] = True
                    rows["note"] = (
                        "values as of the month's end over every earlier month: "
                        + ("files of earlier months loaded since the restated version (history_inputs_added) "
                           "changed them" if history_inputs_added else
                           "the history behind them changed (earlier months' data or the rules), "
                           "with no file of an earlier month loaded since the restated version"))
                row_changes[table] = rows
    finally:
        con.close()
    old_files = {(f["file"], f["sha256"]) for f in old.get("inputs", [])}
    new_files = {(f["file"], f["sha256"]) for f in new.get("inputs", [])}
    return {
        "month": new["month"],
        "restates_version": old.get("version"),
        "version": new["version"],
        "reason": reason,
        "inputs_added": sorted(f for f, _ in new_files - old_files),
        "inputs_removed": sorted(f for f, _ in old_files - new_files),
        "history_inputs_added": history_inputs_added,
        "changes": changes,
        "row_changes": row_changes,
    }


def amount(value: Any) -> str:
    """An amount as the report and `socialroi report` print it: NULL (not known, e.g. gross profit where no
    cost of goods is known) is "unknown", never "None" nor 0."""
    return "unknown" if value is None else str(value)


def headline(con: Any, folder: Path) -> tuple[list[str], list[tuple[str, list[Decimal]]], list[Decimal]]:
    """A published month's attributed revenue by channel (rows) and model (columns), with each model's
    total. A channel that no model credits in the month has no row; a cell its model does not credit
    is 0.00 (the mart holds no row for it). Every total is the month's net sales (the gate checks it)."""
    path = folder / "mart_attribution_channel_monthly.parquet"
    rows = con.execute(f"select channel_group || ' / ' || platform, model, attributed_revenue from {sql_path(path)}").fetchall()
    models = sorted({m for _, m, _ in rows})
    values = {(c, m): v for c, m, v in rows}
    zero = Decimal("0.00")
    table = [(c, [values.get((c, m), zero) for m in models]) for c in sorted({c for c, _, _ in rows})]
    totals = [sum((r[1][i] for r in table), zero) for i in range(len(models))]
    return models, table, totals


def write_report(folder: Path, month: str, settings: Settings) -> None:
    """A short human-readable report beside the tables (Markdown)."""
    import duckdb

    con = duckdb.connect()
    ch = folder / "mart_attribution_channel_monthly.parquet"
    ns = folder / "mart_net_sales_monthly.parquet"
    lines = [f"# socialroi report, {month}", "", f"Amounts in {settings.reporting_currency}.", ""]
    # a month without a sale (no row) sold 0.00 at a gross profit of 0.00: nothing of unknown cost
    net = con.execute(f"select sum(net_sales_reporting), sum(gross_profit_reporting), sum(orders), "
                      f"bool_and(is_cost_complete), sum(net_sales_costed_reporting), count(*) from {sql_path(ns)}"
                      ).fetchone()
    if net[5] == 0:
        net = (Decimal("0.00"), Decimal("0.00"), 0, True, Decimal("0.00"), 0)
    partial = "" if net[3] is not False else (
        f" (cost of goods is unknown for some sales or returns: gross profit covers {'none' if net[4] is None else net[4]} "
        "of the net sales, those of known cost; see is_cost_complete and is_gross_profit_complete)")
    lines += [f"Net sales: {amount(net[0])}; gross profit: {amount(net[1])}{partial}; orders: {amount(net[2])}.", ""]
    models, table, totals = headline(con, folder)
    lines.append("Attributed revenue (net sales after returns) by channel and attribution model; each model's "
                 "total is the month's net sales.")
    lines.append("")
    lines.append("| channel | " + " | ".join(models) + " |")
    lines.append("|---|" + "---:|" * len(models))
    lines += [f"| {c} | " + " | ".join(amount(v) for v in vs) + " |" for c, vs in table]
    lines.append("| **total** | " + " | ".join(f"**{amount(t)}**" for t in totals) + " |")
    # a paid platform's spend and its returns under one model (last touch, if it is run), over its rows that
    # carry spend (every model's rows carry the same spend)
    model = "last_touch" if "last_touch" in models else (models or [""])[0]
    spend = con.execute(
        f"select platform, sum(spend), sum(attributed_revenue) / sum(spend), sum(attributed_gross_profit) / sum(spend) "
        f"from {sql_path(ch)} where spend > 0 and model = ? group by 1 order by 1", [model]).fetchall()
    if spend:
        label = model.replace("_", " ")
        lines += ["", f"| ad network | spend | ROAS ({label}) | POAS ({label}) |", "|---|---:|---:|---:|"]
        lines += [f"| {p} | {s} | {r:.2f} | " + ("n/a" if g is None else f"{g:.2f}") + " |" for p, s, r, g in spend]
    # the CFO's other questions (push vs pull, claims vs truth, discount codes, accounts, LTV) under that model
    lines += report.sections(con, folder, month, model)
    (folder / "report.md").write_text("\n".join(lines) + "\n")
    con.close()


def _published_dirs(settings: Settings) -> dict[str, Path]:
    """Each published month's current version directory, each link resolved once. Only a month's own link
    (`2026-06`) counts: `.2026-06.link`, the new link a publish makes before renaming it over the month, is
    none (a publish stopped between the two left it; it points to a version not yet published)."""
    out = {}
    for p in settings.publish.iterdir():
        if p.is_symlink() and months.MONTH_RE.fullmatch(p.name):
            target = p.resolve()
            if target.is_dir():
                out[p.name] = target
    return out


def _published_versions(settings: Settings) -> dict[str, str]:
    """Each published month's current version directory name."""
    return {m: d.name for m, d in _published_dirs(settings).items()}


def _bi_database_is_current(settings: Settings) -> bool:
    """socialroi.duckdb exists and was built from exactly the versions now published."""
    import duckdb

    target = settings.publish / "socialroi.duckdb"
    if not target.exists():
        return False
    try:
        con = duckdb.connect(str(target), read_only=True)
        try:
            built = dict(con.execute("select month, version from published_versions").fetchall())
        finally:
            con.close()
    except duckdb.Error:
        return False
    return built == _published_versions(settings)


def build_bi_database(settings: Settings) -> Path:
    """socialroi.duckdb from every month's current published version, written whole then renamed."""
    import duckdb

    target = settings.publish / "socialroi.duckdb"
    # each month's version resolved once: its rows and its published_versions entry are the same version's,
    # even if the month is switched meanwhile
    dirs = dict(sorted(_published_dirs(settings).items()))
    fd, tmp_name = tempfile.mkstemp(prefix=".socialroi.", suffix=".duckdb", dir=settings.publish)
    os.close(fd)
    os.unlink(tmp_name)
    con = duckdb.connect(tmp_name)
    try:
        tables = {*PUBLISHED_TABLES, *OPTIONAL_TABLES}
        for table in sorted(tables):
            files = [str(d / f"{table}.parquet") for d in dirs.values() if (d / f"{table}.parquet").exists()]
            if files:
                con.execute(f"create table {table} as select * from read_parquet([{', '.join(map(sql_path, files))}], union_by_name = true)")
        con.execute(
            "create table published_versions as select * from (values " + ", ".join(
                f"('{m}', '{d.name}')" for m, d in dirs.items()) + ") as t(month, version)"
            if dirs else "create table published_versions (month varchar, version varchar)"
        )
    finally:
        con.close()
    os.replace(tmp_name, target)
    return target


@contextmanager
def _publish_lock(settings: Settings) -> Iterator[None]:
    """One publish at a time per publish folder (an exclusive lock on `.publish.lock`, released when the process
    ends, however it ends): two at once numbered one month's versions alike, and of two months the BI database
    renamed last could lack the other's version."""
    import fcntl

    settings.publish.mkdir(parents=True, exist_ok=True)
    with open(settings.publish / ".publish.lock", "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def publish_month(settings: Settings, month: str, reason: str | None = None) -> dict[str, Any]:
    with _publish_lock(settings):
        return _publish_month(settings, month, reason)


def _publish_month(settings: Settings, month: str, reason: str | None) -> dict[str, Any]:
    gate = _gate_result(settings, month)
    versions_dir = settings.publish / ".versions" / month
    versions_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=versions_dir))
    try:
        stats = export_month(settings, month, staging, gate.get("data_fingerprint"))
        inputs = stats.pop("_inputs")["files"]
        content = _content_hash(staging)
        current = _current_version(settings, month)
        old_manifest = json.loads((current / "manifest.json").read_text()) if current else None
        if old_manifest and old_manifest.get("content_sha256") == content:
            shutil.rmtree(staging)
            # nothing written: the BI database is left as it is (byte for byte) unless it is missing or was
            # not built from the versions now published (a publish that stopped before rebuilding it)
            bi = settings.publish / "socialroi.duckdb"
            if not _bi_database_is_current(settings):
                build_bi_database(settings)
            return {"month": month, "version": old_manifest["version"], "path": str(settings.publish / month),
                    "changed": False, "bi_database": str(bi)}
        existing = sorted(int(p.name[1:]) for p in versions_dir.glob("v[0-9]*"))
        version = (existing[-1] + 1) if existing else 1
        manifest = {
            "month": month,
            "version": version,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "code_version": _code_version(),
            "reporting_currency": settings.reporting_currency,
            "reporting_timezone": settings.reporting_timezone,
            "content_sha256": content,
            "inputs": inputs,
            "tables": stats,
            "gate": {k: gate.get(k) for k in ("success", "checks", "data_fingerprint", "overrides")},
            "overrides": gate.get("overrides", []),
        }
        if old_manifest:
            why = reason or os.environ.get("SOCIALROI_RESTATEMENT_REASON") or "inputs or rules changed since the last publish"
            history = _history_inputs_since(settings, month, old_manifest.get("created_at"))
            restatement = _restatement(old_manifest, manifest, why, current, staging, history)
            (staging / "restatement.json").write_text(json.dumps(restatement, indent=2) + "\n")
            manifest["restates_version"] = old_manifest["version"]
        docs = gate.get("docs_path")
        if docs and Path(docs).exists():
            shutil.copytree(docs, staging / "data_docs")
        gate_file = settings.state / "gate" / f"{month}.json"
        shutil.copy(gate_file, staging / "gate_result.json")
        write_report(staging, month, settings)
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        final = versions_dir / f"v{version:04d}"
        os.rename(staging, final)
        final.chmod(0o755)  # readable by BI users; files read-only: a version never changes
        for p in final.rglob("*"):
            p.chmod(0o444 if p.is_file() else 0o755)
        link_tmp = settings.publish / f".{month}.link"
        if link_tmp.is_symlink() or link_tmp.exists():
            link_tmp.unlink()
        link_tmp.symlink_to(final.relative_to(settings.publish))
        os.replace(link_tmp, settings.publish / month)  # the one atomic switch
    except BaseException:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        raise
    bi = build_bi_database(settings)
    return {"month": month, "version": version, "path": str(settings.publish / month), "changed": True,
            "bi_database": str(bi)}
