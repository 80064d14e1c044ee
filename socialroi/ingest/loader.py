"""Load landed files into the warehouse: once per content hash, whole files or nothing.

- `landing.<source>__<table>`: every accepted file's rows, typed, with `_file_sha256` and `_row` (an
  optional column appears with the first file that fills it).
- `raw.<source>__<table>`: the current rows (re-exports replace by period or key; see contracts/README.md).
- `ingest.file_ledger`: one row per file seen, with its outcome and reason.
Loaded files move to `<landing>/_archive/`, refused ones to `<landing>/_quarantine/` with a reason file.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import traceback
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from socialroi import warehouse
from socialroi.ingest import contracts as C
from socialroi.ingest.casting import (
    batch_problems,
    decide_formats,
    ident,
    lit,
    raise_first,
    raw_copies,
    resolve_columns,
    typed_select,
    with_derived_keys,
    with_placeholders_as_null,
)
from socialroi.ingest.reader import (
    Dialect,
    FileProblem,
    csv_line,
    drop_text_table,
    read_text_table,
    replace_text_table,
)
from socialroi.settings import Settings

log = logging.getLogger(__name__)

ARCHIVE = "_archive"
QUARANTINE = "_quarantine"
DATA_SUFFIXES = {".csv", ".txt", ".tsv", ".parquet", ".pq", ".jsonl", ".ndjson", ".json"}

LEDGER_DDL = """
create schema if not exists ingest;
create schema if not exists landing;
create schema if not exists raw;
create table if not exists ingest.file_ledger (
    file_path varchar not null,      -- path below the landing folder, as landed
    sha256 varchar not null,         -- content hash: the file's identity
    source varchar not null,
    table_name varchar not null,
    rows bigint,
    period_start date,
    period_end date,
    outcome varchar not null,        -- loaded | quarantined | duplicate | superseded
    reason json,                     -- {check, message, row, column, expected, found[, resolved_by]}
    ingested_at timestamp not null,
    exported_at timestamp,           -- the export's own time, when the file states it
    file_mtime timestamp,
    seq bigint not null,             -- order of ingestion
    feed varchar,
    fingerprint varchar,             -- contract (and feed mapping) version the file was checked against
    stored_path varchar              -- where the file is kept now (archive or quarantine)
);
"""


@dataclass
class LandedFile:
    path: Path
    rel: str
    source: str
    table: str
    feed: str | None
    mtime: dt.datetime | None = None  # read when the file is first looked at, before it is moved


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def safe_name(name: str) -> str:
    """A file name as text the ledger can hold: a name whose bytes are not UTF-8 (a Windows ZIP or SMB drop
    in a legacy code page; Python keeps such bytes as surrogates) with those bytes escaped (`caf\\xe9`)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(landing: Path) -> list[LandedFile]:
    """Every data file below landing/<source>/<table>/ (any depth), in a stable order."""
    out = []
    if not landing.exists():
        return out
    for path in sorted(landing.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.name.endswith(".reason.json"):
            continue
        rel_parts = tuple(safe_name(p) for p in path.relative_to(landing).parts)
        if rel_parts[0] in (ARCHIVE, QUARANTINE) or any(p.startswith(".") for p in rel_parts):
            continue
        # a file outside <source>/<table>/ or of an unknown kind is not skipped silently: it is
        # quarantined (unknown_table, file_format) so that someone sees it
        source = rel_parts[0].lower() if len(rel_parts) > 1 else ""
        table = rel_parts[1].lower() if len(rel_parts) > 2 else ""
        feed = rel_parts[2] if source == "generic" and len(rel_parts) > 3 else None
        out.append(LandedFile(path, "/".join(rel_parts), source, table, feed))
    return out


FEED_EXAMPLES = {"delimiter": ";", "decimal": ",", "thousands": ".", "encoding": "cp1252", "timezone": "Europe/Berlin"}
FEED_KEYS = {"description", "delimiter", "decimal", "thousands", "encoding", "timezone", "columns", "order_id_from"}


def load_feed(settings: Settings, feed: str, contract: C.TableContract | None = None) -> tuple[Dialect, str]:
    """A generic feed's mapping (feeds/<feed>.yml) as a Dialect, with its fingerprint.

    A mapping with unknown keys, or that maps a column the table does not have, is refused
    (`feed_mapping`) rather than half-applied: a typo must not silently drop a column."""
    path = settings.feeds / f"{feed}.yml"
    if not path.exists():
        raise FileProblem("feed_mapping", f"no mapping {path} for feed {feed!r}: write one (see docs/sources.md)",
                          expected=str(path))

    def bad(message: str, column: str | None = None, found: str | None = None) -> FileProblem:
        return FileProblem("feed_mapping", f"{path.name}: {message}", column=column, expected=str(path), found=found)

    def kind(value: Any) -> str:
        return f"{value!r} ({type(value).__name__})"

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise bad(f"cannot be read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise bad(f"not UTF-8 (byte {data[exc.start:exc.start + 1]!r} on line {line}); save the mapping as UTF-8",
                  found=repr(data[exc.start:exc.start + 1])) from exc
    try:
        spec = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise bad(f"not valid YAML: {exc}") from exc
    if not isinstance(spec, dict):
        raise bad(f"expected a mapping of settings (key: value lines), found a {type(spec).__name__}")
    unknown = sorted(set(spec) - FEED_KEYS, key=str)
    if unknown:
        raise bad(f"unknown key(s) {unknown}; known: {sorted(FEED_KEYS)}", found=", ".join(map(str, unknown)))
    for key in ("delimiter", "decimal", "thousands", "encoding", "timezone"):
        if spec.get(key) is not None and not isinstance(spec[key], str):
            raise bad(f"{key} must be text in quotes (e.g. {key}: \"{FEED_EXAMPLES[key]}\"), not {kind(spec[key])}",
                      found=str(spec[key]))
    columns = spec.get("columns") or {}
    if not isinstance(columns, dict):
        raise bad(f"columns must map each canonical column to the export's column (columns: {{order_id: Bestellung}}), "
                  f"not a {type(columns).__name__}", found=repr(columns)[:200])
    order_id_from = spec.get("order_id_from") or []
    if not isinstance(order_id_from, list) or not all(isinstance(x, (str, int)) for x in order_id_from):
        raise bad(f"order_id_from must be a list of the export's column names (order_id_from: [a, b]), "
                  f"not {kind(order_id_from)}", found=repr(order_id_from)[:200])
    known_columns = {c.name for c in contract.columns} if contract else None
    renames, constants, formats = {}, {}, {}
    for canon, m in columns.items():
        if known_columns is not None and canon not in known_columns:
            raise bad(f"maps {canon!r}, which {contract.qualified} does not have; columns: {sorted(known_columns)}",
                      column=str(canon), found=str(canon))
        if isinstance(m, (str, int)) and not isinstance(m, bool):
            m = {"column": m}
        shape = f"column {canon!r}: expected an export column name, or {{column, format}}, or {{value}}"
        if not isinstance(m, dict) or not ({"column", "value"} & set(m)) or set(m) - {"column", "value", "format"}:
            raise bad(shape, column=canon, found=repr(m))
        if "value" in m:
            if isinstance(m["value"], (dict, list)) or m["value"] is None:
                raise bad(f"column {canon!r}: value must be one constant (text, a number or a date), "
                          f"not {kind(m['value'])}", column=canon, found=repr(m["value"]))
            constants[canon] = str(m["value"])
        else:
            if not isinstance(m["column"], (str, int)) or isinstance(m["column"], bool):
                raise bad(f"column {canon!r}: column must be the export's column name, not {kind(m['column'])}",
                          column=canon, found=repr(m["column"]))
            renames[C.normalise_name(str(m["column"]))] = canon
        if "format" in m:
            if not isinstance(m["format"], str):
                raise bad(f"column {canon!r}: format must be a date format in quotes (e.g. format: \"%d.%m.%Y\"), "
                          f"not {kind(m['format'])}", column=canon, found=repr(m["format"]))
            formats[canon] = m["format"]
    for key in ("delimiter", "decimal", "thousands"):
        if spec.get(key) is not None and len(str(spec[key])) != 1 and str(spec[key]) != "\\t":
            raise bad(f"{key} must be one character, not {spec[key]!r}", found=str(spec[key]))
    if spec.get("timezone"):
        try:
            zoneinfo.ZoneInfo(str(spec["timezone"]))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise bad(f"unknown time zone {spec['timezone']!r} (an IANA name, e.g. Europe/Berlin)",
                      found=str(spec["timezone"])) from exc
    if spec.get("encoding"):
        try:
            codecs.lookup(str(spec["encoding"]))
        except LookupError as exc:
            raise bad(f"unknown encoding {spec['encoding']!r}", found=str(spec["encoding"])) from exc
    delimiter = spec.get("delimiter")
    d = Dialect(
        delimiter="\t" if delimiter == "\\t" else delimiter, encoding=spec.get("encoding"),
        decimal=spec.get("decimal"), thousands=spec.get("thousands"), timezone=spec.get("timezone") or "UTC",
        renames=renames, constants=constants, formats=formats,
        order_id_from=tuple(C.normalise_name(str(x)) for x in order_id_from),
    )
    return d, hashlib.sha256(data).hexdigest()[:16]


def core_columns(contract: C.TableContract) -> list[tuple[str, str]]:
    """The landing table's columns from the start: the required ones and those the views and the load
    read (key, scope, date, export time, deletion flag, line number). Other columns are added by the
    first file that has them (`Loader._add_columns`): a feed that never fills a column does not write
    10M NULLs per file into it, which costs DuckDB about as much as a filled column of numbers."""
    named = {*contract.key, *contract.scope, contract.date, contract.export_time, contract.deleted}
    cols = [(c.stored_name, c.sql_type) for c in contract.columns if c.required or c.name in named]
    if contract.line_number:
        cols.append((contract.line_number, "BIGINT"))
    return cols


def landing_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """landing table -> its columns, as the warehouse has them."""
    have: dict[str, set[str]] = {}
    for table, column in con.execute("select table_name, column_name from duckdb_columns() "
                                     "where schema_name = 'landing'").fetchall():
        have.setdefault(table, set()).add(column)
    return have


def add_columns(con: duckdb.DuckDBPyConnection, contract: C.TableContract, names: list[str]) -> None:
    """Give the landing table the named stored columns it lacks, and its raw view those columns."""
    present = landing_columns(con).get(contract.qualified, set())
    added = [(n, t) for n, t in contract.stored_columns if n in names and n not in present]
    for name, sql_type in added:
        con.execute(f"alter table landing.{contract.qualified} add column {ident(name)} {sql_type}")
    if added:
        con.execute(current_view_sql(contract, present | {name for name, _ in added}))


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The ledger, every contract's landing table and its current-rows view. Skipped when the schema
    statements are those that built the warehouse (their hash is kept in `ingest.schema_state`)."""
    statements = [LEDGER_DDL]
    for contract in C.all_contracts().values():
        cols = ", ".join(f"{ident(n)} {t}" for n, t in core_columns(contract))
        statements.append(
            f"create table if not exists landing.{contract.qualified} ({cols}, _file_sha256 varchar, _row bigint)"
        )
        statements.append(current_view_sql(contract))
    digest = hashlib.sha256("\n;\n".join(statements).encode()).hexdigest()
    con.execute("create schema if not exists ingest; "
                "create table if not exists ingest.schema_state (statements_sha256 varchar not null)")
    n = len(C.all_contracts())
    if con.execute(
        "select (select count(*) from ingest.schema_state where statements_sha256 = ?) = 1 "
        "and (select count(*) from duckdb_views() where schema_name = 'raw' and not internal) >= ? "
        "and (select count(*) from duckdb_tables() where schema_name = 'landing') >= ? "
        "and (select count(*) from duckdb_tables() where schema_name = 'ingest' and table_name = 'file_ledger') = 1",
        [digest, n, n],
    ).fetchone()[0]:
        return
    con.execute("begin")  # one transaction: a hundred DDL statements, one commit
    try:
        con.execute(LEDGER_DDL)
        have = landing_columns(con)
        for contract in C.all_contracts().values():
            q = contract.qualified
            cols = ", ".join(f"{ident(n)} {t}" for n, t in core_columns(contract))
            con.execute(f"create table if not exists landing.{q} ({cols}, _file_sha256 varchar, _row bigint)")
            present = have.get(q, {n for n, _ in core_columns(contract)})
            for n, t in core_columns(contract):
                if n not in present:  # a contract gained a core column: older files have NULL there
                    con.execute(f"alter table landing.{q} add column {ident(n)} {t}")
                    present.add(n)
            con.execute(current_view_sql(contract, present))
        con.execute("delete from ingest.schema_state; insert into ingest.schema_state values (?)", [digest])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def derive_missing_keys(con: duckdb.DuckDBPyConnection, salt: str) -> set[tuple[str, str]]:
    """A key the contract derives (`hash_of`) computed for rows stored without it (loaded before the contract
    derived it), from their stored columns: else they would share one NULL key, and only the newest file's
    rows of them would be current. Rows loaded since always have theirs: one `exists` test per such table.
    Returns the (source, table) whose rows it keyed."""
    have, keyed = landing_columns(con), set()
    for contract in C.all_contracts().values():
        q, present = contract.qualified, have.get(contract.qualified, set())
        for col in contract.columns:
            if not col.hash_of or col.stored_name not in present or not con.execute(
                    f"select exists (select 1 from landing.{q} where {ident(col.stored_name)} is null)").fetchone()[0]:
                continue
            stored = {c.name: ident(c.stored_name) for c in contract.columns if c.stored_name in present}
            key = with_derived_keys(contract, stored, salt)[col.name]
            con.execute(f"update landing.{q} set {ident(col.stored_name)} = {key} where {ident(col.stored_name)} is null")
            keyed.add((contract.source, contract.table))
    return keyed


def current_view_sql(contract: C.TableContract, present: set[str] | None = None) -> str:
    """raw.<table>: the rows of the newest export per (scope, date) for reports, per key (per group, with
    `group_by`) for entities.

    Every contract column, NULL where the landing table has not got it (yet): `present` names the
    columns it has (None: all)."""
    q = contract.qualified
    row = ", ".join(f"t.{ident(n)}" if present is None or n in present else f"cast(null as {t}) as {ident(n)}"
                    for n, t in contract.stored_columns) + ", t._file_sha256, t._row"

    def this_table(alias: str) -> str:  # the same bytes may be loaded into two tables: join on the table too
        return f"and {alias}.source = {lit(contract.source)} and {alias}.table_name = {lit(contract.table)}"

    if contract.kind == "report":
        # a row is current unless a newer file of the same scope covers its date (the file's period); where
        # the date column is a timestamp (hourly rows), the file covers the times from its first row's to its
        # last row's, not whole days: an export of hours 09-23 leaves an earlier export's hours 00-08
        same_scope = " and ".join(f"fs.{ident(c)} is not distinct from t.{ident(c)}" for c in contract.scope) or "true"
        scope_cols = ", ".join(ident(c) for c in contract.scope)
        newer = (
            "(coalesce(f.exported_at, timestamp '0001-01-01'), f.file_mtime, f.seq) > "
            "(coalesce(l.exported_at, timestamp '0001-01-01'), l.file_mtime, l.seq)"
        )
        d = ident(contract.date)
        if contract.column(contract.date).type == "timestamp":
            w = "over (partition by _file_sha256)"
            files = (f"(select *, min(_lo) {w} as _from, max(_hi) {w} as _to from (select _file_sha256"
                     f"{', ' + scope_cols if scope_cols else ''}, min({d}) as _lo, max({d}) as _hi from landing.{q} "
                     "group by all))")
            covers = f"t.{d} between fs._from and fs._to"
        else:
            files = f"(select distinct _file_sha256{', ' + scope_cols if scope_cols else ''} from landing.{q})"
            covers = f"cast(t.{d} as date) between f.period_start and f.period_end"
        return f"""
            create or replace view raw.{q} as
            select {row} from landing.{q} t
            join ingest.file_ledger l on l.sha256 = t._file_sha256 and l.outcome in ('loaded', 'superseded')
                {this_table('l')}
            where not exists (
                select 1 from {files} fs
                join ingest.file_ledger f on f.sha256 = fs._file_sha256 and f.outcome in ('loaded', 'superseded')
                    {this_table('f')}
                where {same_scope} and {covers}
                  and {newer}
            )
            """
    # A row is current when its file is the newest (export time, then file time, then ingestion order)
    # of the files holding its key; where rows state their own export time (a connector's synced-at),
    # the row's time decides first, then the file's rank: a stale row in a file exported later does
    # not override a fresher row of an earlier file. Files are ranked once (the ledger is small); each
    # key's newest file comes from an aggregate over the key, export time and file columns alone, and
    # the rows are semi-joined to it: unlike a window over whole rows, a filter on the view (a month
    # build's time filter) reaches the scan of the rows, and no row is sorted.
    # a table of groups (an order's line items, `group_by`) is replaced a whole group at a time: a newer
    # export of an order with a line fewer leaves no stale line behind
    keys = [ident(contract.group_by)] if contract.group_by else [ident(k) for k in contract.key]
    same_key = " and ".join(f"newest.{k} is not distinct from t.{k}" for k in keys)
    if contract.export_time:
        rank = (f"struct_pack(e := coalesce(cast(k.{ident(contract.export_time)} as timestamp), "
                "timestamp '0001-01-01'), o := kf.file_order)")
        newest_file = f"max({rank}).o as file_order"
    else:
        newest_file = "max(kf.file_order) as file_order"
    deleted = f"where coalesce(t.{ident(contract.deleted)}, false) = false" if contract.deleted else ""
    return f"""
        create or replace view raw.{q} as
        with files as (
            select sha256, row_number() over (
                order by exported_at asc nulls first, file_mtime asc nulls first, seq asc) as file_order
            from ingest.file_ledger l
            where l.outcome in ('loaded', 'superseded') {this_table('l')}
        )
        select {row} from landing.{q} t
        join files f on f.sha256 = t._file_sha256
        semi join (
            select {', '.join(f'k.{k}' for k in keys)}, {newest_file}
            from landing.{q} k join files kf on kf.sha256 = k._file_sha256
            group by all
        ) newest on {same_key} and newest.file_order = f.file_order
        {deleted}
        """


class Loader:
    def __init__(self, settings: Settings, con: duckdb.DuckDBPyConnection):
        self.settings = settings
        self.con = con
        self.salt = settings.salt
        self.now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.touched: set[tuple[str, str]] = set()  # (source, table) that received rows or a re-sent file

    # ---- bookkeeping -------------------------------------------------------------------------
    def _next_seq(self) -> int:
        return self.con.execute("select coalesce(max(seq), 0) + 1 from ingest.file_ledger").fetchone()[0]

    def _ledger(self, f: LandedFile, sha: str, outcome: str, *, rows: int | None = None, period=(None, None),
                reason: dict | None = None, exported_at=None, fingerprint: str | None = None,
                stored: Path | None = None) -> None:
        self.con.execute(
            "delete from ingest.file_ledger where file_path = ? and sha256 = ?", [f.rel, sha]
        )
        mtime = f.mtime or (_mtime(f.path) if f.path.exists() else None)
        self.con.execute(
            "insert into ingest.file_ledger values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [f.rel, sha, f.source, f.table, rows, period[0], period[1], outcome,
             json.dumps(reason) if reason else None, self.now, exported_at, mtime, self._next_seq(), f.feed,
             fingerprint, str(stored) if stored else None],
        )

    def _move(self, f: LandedFile, area: str, sha: str) -> Path:
        dest = self.settings.landing / area / f.rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() and dest != f.path:
            if sha256_of(dest) == sha:
                f.path.unlink()
                return dest
            dest = dest.with_name(f"{dest.stem}.{sha[:12]}{dest.suffix}")
        if dest != f.path:
            shutil.move(str(f.path), dest)
        return dest

    # ---- one file ------------------------------------------------------------------------------
    def process(self, f: LandedFile) -> str:
        """Check and load one file; returns its outcome. An unexpected error while handling the file (a bug,
        not a verdict on its bytes) rolls back the file's transaction and quarantines it (`internal`), and
        the run goes on; an error that leaves the ledger itself in doubt is raised."""
        f.rel, f.source, f.table = safe_name(f.rel), safe_name(f.source), safe_name(f.table)
        f.feed = safe_name(f.feed) if f.feed else f.feed
        try:
            return self._process(f)
        except Exception as exc:  # noqa: BLE001 - one file's bug must not block every other file
            self._rollback()
            return self._internal_error(f, exc)

    def _rollback(self) -> None:
        try:
            self.con.execute("rollback")
        except duckdb.TransactionException:
            pass  # no transaction open: the error came before (or after) the file's load

    def _internal_error(self, f: LandedFile, exc: Exception) -> str:
        if isinstance(exc, (duckdb.FatalException, duckdb.InternalException)):
            raise exc  # the database is in doubt: nothing more can be written safely
        try:
            sha = sha256_of(f.path) if f.path.exists() else None
        except OSError:
            sha = None
        if sha is None:
            raise exc  # the file has been moved (archived or quarantined) already: its ledger row stands
        if self.con.execute("select count(*) from ingest.file_ledger where file_path = ? and sha256 = ? "
                            "and outcome <> 'quarantined'", [f.rel, sha]).fetchone()[0]:
            raise exc  # the ledger has accepted these bytes: the error is not theirs to be refused for
        first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")
        problem = FileProblem("internal", f"{safe_name(f.path.name)}: unexpected "
                              f"error while loading: {type(exc).__name__}: {first}"[:2000],
                              expected="the file checked and loaded", found=f"{type(exc).__name__}: {first}"[:500])
        # never the same verdict for the same bytes: a re-run after the bug is fixed checks them again
        fingerprint = f"internal:{sha[:12]}:{self.now.isoformat()}"
        reason = {"file": f.rel, **problem.reason, "fingerprint": fingerprint}
        try:
            stored = self._quarantine(f, sha, reason)
            self._ledger(f, sha, "quarantined", reason=reason, fingerprint=fingerprint, stored=stored)
        except Exception as ledger_exc:
            raise ledger_exc from exc
        tb = "".join(traceback.format_tb(exc.__traceback__))  # the frames only: the message may quote data
        log.error("quarantined %s after an unexpected error: %s\n%s", f.rel, problem.reason["message"], tb)
        return "quarantined"

    def _process(self, f: LandedFile) -> str:
        try:
            f.mtime = _mtime(f.path)
            sha = sha256_of(f.path)
        except FileNotFoundError:
            # gone since discovery: another ingest took it (or someone removed it); nothing to record
            log.warning("skipped %s: no longer in the landing folder", f.rel)
            return "vanished"
        known = self.con.execute(
            "select outcome, fingerprint, reason from ingest.file_ledger where file_path = ? and sha256 = ?",
            [f.rel, sha],
        ).fetchone()
        contract = C.get(f.source, f.table)
        try:
            dialect, fingerprint = self._dialect(f, contract)
        except FileProblem as problem:
            dialect, fingerprint = None, None
            setup_problem = problem
        else:
            setup_problem = None
        if known and known[0] != "quarantined":
            if known[0] in ("loaded", "superseded"):
                self._received_again(f, sha, f.rel)
            self._move(f, ARCHIVE, sha)
            return "known"
        # the same bytes, checked against the same contract and mapping: the same verdict, nothing to redo
        # (a contract or mapping that appeared or changed since gives the file another chance)
        if known and known[0] == "quarantined" and known[1] == fingerprint:
            reason = json.loads(known[2]) if known[2] else {}
            reason.pop("resolved_by", None)  # bytes replaced once, dropped in again: they wait again
            stored = self._quarantine(f, sha, reason)  # the reason file goes back too
            self.con.execute("update ingest.file_ledger set stored_path = ?, reason = ? where file_path = ? "
                             "and sha256 = ?", [str(stored), json.dumps(reason) if reason else None, f.rel, sha])
            return "known"
        # the same bytes already loaded into the same table (under another name): a duplicate. The same
        # bytes in another table's folder are that table's data (a connector may export identical tables)
        loaded_elsewhere = self.con.execute(
            "select file_path, seq from ingest.file_ledger where sha256 = ? and source = ? and table_name = ? "
            "and outcome in ('loaded', 'superseded')",
            [sha, f.source, f.table],
        ).fetchone()
        if loaded_elsewhere:
            message = f"same bytes as {loaded_elsewhere[0]}, already loaded"
            if self._received_again(f, sha, loaded_elsewhere[0]):
                message += "; received again after newer files, so it counts as the newest by file time and order"
            stored = self._move(f, ARCHIVE, sha)
            self._ledger(f, sha, "duplicate", reason={"check": "duplicate", "message": message}, stored=stored)
            self._resolve_quarantined(f, sha)
            return "duplicate"
        try:
            if setup_problem:
                raise setup_problem
            assert contract is not None and dialect is not None
            try:
                rows, period, exported = self._load(f, sha, contract, dialect, fingerprint)
            except duckdb.Error as exc:  # a value or mapping DuckDB refuses: this file's problem, not the run's
                first = str(exc).strip().splitlines()[0]
                raise FileProblem("parse", f"{f.path.name}: cannot be loaded: {first}", found=first) from exc
        except FileProblem as problem:
            reason = {"file": f.rel, **problem.reason, "fingerprint": fingerprint}
            stored = self._quarantine(f, sha, reason)
            self._ledger(f, sha, "quarantined", reason=reason, fingerprint=fingerprint, stored=stored)
            log.warning("quarantined %s: %s", f.rel, problem.reason["message"])
            return "quarantined"
        stored = self._move(f, ARCHIVE, sha)
        self.con.execute("update ingest.file_ledger set stored_path = ? where sha256 = ? and file_path = ?",
                         [str(stored), sha, f.rel])
        self.touched.add((f.source, f.table))
        self._resolve_quarantined(f, sha)
        return "loaded"

    def _received_again(self, f: LandedFile, sha: str, loaded_path: str) -> bool:
        """Bytes already loaded (at `loaded_path`) arrive again, under any name: not loaded twice.

        The same export dropped in again is a newer export than anything that replaced its rows since
        (a broken re-export fixed by re-sending the good one): its ledger entry takes this arrival's
        file time, whatever the order of files within a run, and, when files were loaded after it, the
        next ingestion order, so its rows are current again unless a later export time says otherwise.
        Returns whether files were loaded after it."""
        seq = self.con.execute("select seq from ingest.file_ledger where file_path = ? and sha256 = ?",
                               [loaded_path, sha]).fetchone()[0]
        newer_since = self.con.execute(
            "select count(*) from ingest.file_ledger where source = ? and table_name = ? and seq > ? "
            "and outcome in ('loaded', 'superseded')", [f.source, f.table, seq]).fetchone()[0]
        self.con.execute(
            "update ingest.file_ledger set seq = ?, file_mtime = greatest(file_mtime, ?) "
            "where file_path = ? and sha256 = ?",
            [self._next_seq() if newer_since else seq, f.mtime, loaded_path, sha])
        self.touched.add((f.source, f.table))
        return bool(newer_since)

    def _resolve_quarantined(self, f: LandedFile, sha: str) -> None:
        """A file accepted at a path where earlier bytes were quarantined fixes them: the refused copies
        leave the quarantine folder for the archive (nothing is deleted), their reason file beside them,
        and their ledger rows (still `quarantined`: that is what happened to those bytes) say what
        replaced them. The quarantine folder then holds only what still waits for a fix."""
        for old_sha, stored in self.con.execute(
            "select sha256, stored_path from ingest.file_ledger where file_path = ? and outcome = 'quarantined' "
            "and sha256 <> ? and coalesce(json_extract_string(reason, '$.resolved_by'), '') = ''",
            [f.rel, sha],
        ).fetchall():
            kept = Path(stored) if stored else None
            if kept is not None and kept.exists():
                dest = self.settings.landing / ARCHIVE / f.rel
                dest = dest.with_name(f"{dest.stem}.{old_sha[:12]}{dest.suffix}")
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(kept), dest)
                reason_file = kept.with_name(kept.name + ".reason.json")
                if reason_file.exists():
                    shutil.move(str(reason_file), dest.with_name(dest.name + ".reason.json"))
                kept = dest
            self.con.execute(
                "update ingest.file_ledger set stored_path = ?, reason = json_merge_patch(coalesce(reason, '{}'), ?) "
                "where file_path = ? and sha256 = ?",
                [str(kept) if kept else None, json.dumps({"resolved_by": sha}), f.rel, old_sha])
            log.info("%s: the quarantined copy %s is replaced by %s", f.rel, old_sha[:12], sha[:12])

    def _dialect(self, f: LandedFile, contract: C.TableContract | None) -> tuple[Dialect, str]:
        if safe_name(str(f.path)) != str(f.path):
            raise FileProblem("file_name", f"{f.rel}: the file name is not UTF-8 (its bytes that are not are shown "
                              "escaped, e.g. \\xe9); rename the file (or re-create the ZIP/share with UTF-8 names) "
                              "and drop it in again", expected="a UTF-8 file name", found=f.rel)
        if f.path.suffix.lower() not in DATA_SUFFIXES:
            kind = f.path.suffix.lower() or "no extension"
            raise FileProblem("file_format", f"{f.path.name}: {kind} files are not read; export CSV (any delimiter "
                              "and encoding), Parquet or JSON lines", expected=", ".join(sorted(DATA_SUFFIXES)),
                              found=kind)
        if not f.table:
            raise FileProblem("unknown_table", f"{f.rel}: files go in <source>/<table>/ below the landing folder "
                              "(see docs/sources.md)", expected="<source>/<table>/<file>", found=f.rel)
        if contract is None:
            tables = sorted(t for (s, t) in C.all_contracts() if s == f.source)
            hint = f"accepted tables for {f.source}: {tables}" if tables else \
                f"accepted sources: {sorted({s for s, _ in C.all_contracts()})}"
            raise FileProblem("unknown_table", f"no contract for {f.source}/{f.table}; {hint}",
                              expected=hint, found=f"{f.source}/{f.table}")
        if f.feed:
            try:
                dialect, fp = load_feed(self.settings, f.feed, contract)
            except FileProblem:
                raise
            except Exception as exc:  # a mapping load_feed did not foresee: refused, not the run's failure
                first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")
                raise FileProblem("feed_mapping", f"{f.feed}.yml: cannot be applied: {type(exc).__name__}: {first}",
                                  expected=str(self.settings.feeds / f"{f.feed}.yml"), found=first) from exc
            return dialect, f"{contract.fingerprint}:{fp}"
        return Dialect(), contract.fingerprint

    def _quarantine(self, f: LandedFile, sha: str, reason: dict[str, Any]) -> Path:
        stored = self._move(f, QUARANTINE, sha)
        reason_path = stored.with_name(stored.name + ".reason.json")
        reason_path.write_text(json.dumps({**reason, "sha256": sha}, indent=2, default=str) + "\n")
        return stored

    def _load(self, f: LandedFile, sha: str, contract: C.TableContract, dialect: Dialect, fingerprint: str):
        con = self.con
        header = read_text_table(con, f.path, dialect, "_txt")
        n = con.execute("select count(*) from _txt").fetchone()[0]
        # a header without rows is a quiet period's export (no returns that day): it loads, with 0 rows,
        # once its header passes; only a file without even a header is refused (not_empty)
        if not header and n == 0:
            # an empty JSON array: no records, so no names to check; it is the quiet period's export of
            # the columns the contract (and the feed mapping) requires
            header = self._empty_header(contract, dialect)
            replace_text_table(con, "_txt", "select " + "".join(f"cast(null as varchar) as {ident(c)}, "
                                                                   for c in header) + "_row from _txt")
        src = resolve_columns(contract, header, dialect)
        if contract.fill_down and contract.group_by:
            self._fill_down(contract, src)
        if dialect.order_id_from:
            missing = [c for c in dialect.order_id_from if c not in header]
            if missing:
                raise FileProblem("required_columns", f"order_id_from names columns the file lacks: {missing}",
                                  column=missing[0], expected=", ".join(missing), found=", ".join(header))
            cols = ", ".join(ident(c) for c in dialect.order_id_from)
            # hashed (with the salt): the identifying columns may be personal (an email, a name)
            replace_text_table(
                con, "_txt", f"select *, 'gen-' || left(sha256({lit(self.salt)} || "
                f"concat_ws('|', {cols})), 16) || '-' || row_number() over (partition by {cols} order by _row) "
                f"as _order_id from _txt"
            )
            src["order_id"] = ident("_order_id")
        # placeholders the contract accepts for "no value" ("-", "N/A" in a metric) are read as empty cells,
        # and keys the contract derives from other columns (`hash_of`) are computed, never read
        src = with_derived_keys(contract, with_placeholders_as_null(contract, src), self.salt)
        decimal, formats = decide_formats(con, "_txt", contract, src, dialect)
        line = ""
        if contract.line_number:
            line = (f", row_number() over (partition by {src[contract.group_by]} order by _row) "
                    f"as {ident(contract.line_number)}")

        q = contract.qualified
        # the columns this file fills, and the table's own; a column the file is the first to fill is added
        # (inside the load's transaction: a refused file adds nothing)
        filled = {c.stored_name for c in contract.columns if c.name in src} | {n for n, _ in core_columns(contract)}
        present = landing_columns(con).get(q, set())
        cols = [n for n, _ in contract.stored_columns if n in filled or n in present]
        collist = ", ".join(ident(c) for c in cols)
        # Most files are cast straight into the landing table, inside a transaction that the checks can
        # still roll back; a contract that collapses repeated rows goes through a temp table first.
        direct = not contract.collapse_identical
        typed = f"(select * from landing.{q} where _file_sha256 = {lit(sha)})" if direct else "_typed"

        padded: set[str] = set()  # text columns with values padded by spaces: trimmed by a second cast
        scrubbed: set[str] = set()  # `scrub` columns with a value that may be personal: scrubbed by a second cast

        def cast_all() -> list[dict]:
            """Cast the text (into landing, or into _typed); return the batch checks' problems."""
            exprs = typed_select(contract, src, decimal, formats, dialect, self.salt, padded, scrubbed)
            if direct:
                select = ", ".join(f"{exprs[n]} as {ident(n)}" for n in cols if n in exprs)
                con.execute(f"delete from landing.{q} where _file_sha256 = ?", [sha])
                con.execute(f"insert into landing.{q} ({collist}, _file_sha256, _row) "
                            f"select {select}{line}, {lit(sha)}, _row from _txt")
                copies = raw_copies(contract, src)
                raw = "(select _row" + "".join(f", {e} as {ident(n)}" for n, e in copies.items()) + " from _txt)"
                return batch_problems(con, typed, contract, src, raw=raw)
            exprs.update(raw_copies(contract, src))
            select = ", ".join(f"{e} as {ident(n)}" for n, e in exprs.items())
            con.execute(f"create or replace temp table _typed as select {select}{line}, _row from _txt")
            # a connector's repeated identical rows: the first of each stays
            same = ", ".join(ident(c) for c, _ in contract.stored_columns)
            con.execute("create or replace temp table _typed as select * exclude (_dup) from (select *, row_number() "
                        f"over (partition by {same} order by _row) as _dup from _typed) where _dup = 1")
            return batch_problems(con, "_typed", contract, src)

        con.execute("begin")
        try:
            add_columns(con, contract, cols)
            problems = cast_all()
            # rows of delimiters only (Excel's trailing `,,,,` rows) are skipped like blank lines: looked for
            # only when a key or required value is missing, as such a row makes it (a good file pays nothing)
            if any(p["check"] in ("key_not_null", "not_null") for p in problems) and self._skip_empty_rows(header):
                n = con.execute("select count(*) from _txt").fetchone()[0]
                problems = cast_all()
            # text is cast as written first (most exports pad nothing); a column with padded values is
            # trimmed, and the file cast and checked again
            padded.update(p["column"] for p in problems if p["check"] == "padded")
            # likewise a `scrub` column with a value that may hold personal data is scrubbed
            scrubbed.update(p["column"] for p in problems if p["check"] == "personal")
            if padded or scrubbed:
                problems = cast_all()
            # dates are cast as ISO first (what most exports write); a column ISO fails on gets its format
            # decided from the text, and the file is cast and checked again
            undecided = sorted({p["column"] for p in problems if p["check"] == "type"
                                and p["col"].type in ("date", "timestamp") and p["column"] not in dialect.formats})
            if undecided:
                decimal, formats = decide_formats(con, "_txt", contract, src, dialect, times=undecided)
                problems = cast_all()
            raise_first(problems, contract, line_of=lambda row: csv_line(f.path, dialect, row))
            period = (None, None)
            if contract.date:
                lo, hi = f"cast(min({ident(contract.date)}) as date)", f"cast(max({ident(contract.date)}) as date)"
                if contract.period and all(c in src for c in contract.period):
                    # the period the export states it covers, where wider than its rows' days
                    start, end = (ident(c) for c in contract.period)
                    lo = f"least({lo}, coalesce(min({start}), {lo}))"
                    hi = f"greatest({hi}, coalesce(max({end}), {hi}))"
                period = con.execute(f"select {lo}, {hi} from {typed}").fetchone()
            exported = None
            if contract.export_time:
                exported = con.execute(f"select cast(max({ident(contract.export_time)}) as timestamp) from {typed}"
                                       ).fetchone()[0]
            if not direct:
                con.execute(f"delete from landing.{q} where _file_sha256 = ?", [sha])
                con.execute(f"insert into landing.{q} ({collist}, _file_sha256, _row) "
                            f"select {collist}, {lit(sha)}, _row from _typed")
            self._ledger(f, sha, "loaded", rows=n, period=period, exported_at=exported, fingerprint=fingerprint)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        drop_text_table(con, "_txt")
        con.execute("drop table if exists _typed")
        return n, period, exported

    @staticmethod
    def _empty_header(contract: C.TableContract, dialect: Dialect) -> list[str]:
        renamed = {canon: src for src, canon in dialect.renames.items()}
        names = [renamed.get(c.name, c.name) for c in contract.columns
                 if c.required and c.name not in dialect.constants]
        return list(dict.fromkeys([*names, *dialect.order_id_from]))

    def _skip_empty_rows(self, header: list[str]) -> bool:
        """Drop the text table's rows whose every field is empty (or blank); returns whether it had any.
        Their `_row` numbers stay with the other rows, so a row is still named by its place in the file."""
        if not header:
            return False
        empty = " and ".join(f"coalesce(trim({ident(c)}), '') = ''" for c in header)
        if not self.con.execute(f"select exists (select 1 from _txt where {empty})").fetchone()[0]:
            return False
        replace_text_table(self.con, "_txt", f"select * from _txt where not ({empty})")
        return True

    def _fill_down(self, contract: C.TableContract, src: dict[str, str]) -> None:
        """Order fields that an export writes only on an order's first line, copied to its other lines."""
        group = src[contract.group_by]
        fills = []
        for name in contract.fill_down:
            if name in src and src[name].startswith('"'):
                e = src[name]
                fills.append(
                    f"first_value(nullif(trim({e}), '') ignore nulls) over (partition by {group} order by _row "
                    f"rows between unbounded preceding and unbounded following) as {e}"
                )
        if fills:
            replaced = ", ".join(src[n] for n in contract.fill_down if n in src and src[n].startswith('"'))
            replace_text_table(self.con, "_txt", f"select * replace ({', '.join(fills)}) from _txt")
            del replaced

    def mark_superseded(self) -> None:
        """A loaded file none of whose rows is current any more is `superseded` (and back, if it is again).

        Only tables that received a file in this run can change (`touched`)."""
        for contract in C.all_contracts().values():
            if (contract.source, contract.table) not in self.touched:
                continue
            if not contract.deleted and self.con.execute(
                "select count(*) <= 1 from ingest.file_ledger where source = ? and table_name = ? "
                "and outcome in ('loaded', 'superseded') and rows > 0", [contract.source, contract.table]
            ).fetchone()[0]:
                continue  # a table's only file is current (nothing can replace its rows)
            q = contract.qualified
            self.con.execute(
                f"""
                update ingest.file_ledger set outcome = case
                    when sha256 in (select distinct _file_sha256 from raw.{q}) then 'loaded' else 'superseded' end
                where source = ? and table_name = ? and outcome in ('loaded', 'superseded') and rows > 0
                """,
                [contract.source, contract.table],
            )


def quarantine_inbox(landing: Path) -> list[dict[str, Any]]:
    """Every file still waiting in ``<landing>/_quarantine/``, with the reason stored beside it."""
    root = Path(landing) / QUARANTINE
    out = []
    for reason_file in sorted(root.rglob("*.reason.json")) if root.is_dir() else []:
        try:
            reason = json.loads(reason_file.read_text())
        except (OSError, ValueError) as exc:
            reason = {"check": "unreadable_reason_file", "message": str(exc)}
        out.append({"file": str(reason_file.with_name(reason_file.name.removesuffix(".reason.json"))), "reason": reason})
    return out


def retry_quarantined(settings: Settings) -> int:
    """Put quarantined files back where they landed, so the next ingest checks them again.

    A file goes back to the path it landed at (its reason file names it; a second version of a name was
    kept under a suffixed name; the newest refused version goes back first, the others wait). Where a
    newer file of that name has landed since, it is left in quarantine: the newer drop is checked, and
    replaces it if accepted. Returns how many moved back."""
    qdir = settings.landing / QUARANTINE
    n = 0
    if not qdir.exists():
        return 0

    def quarantined_at(path: Path) -> float:  # when the version was refused: its reason file's time
        reason_file = path.with_name(path.name + ".reason.json")
        return (reason_file if reason_file.exists() else path).stat().st_mtime

    # newest version of a name first: it is the one that goes back (if it loads, the older versions are
    # resolved by it; putting an older one back first would let it resolve, and archive, the newer one)
    candidates = [p for p in qdir.rglob("*") if p.is_file() and not p.name.endswith(".reason.json")]
    back: set[str] = set()
    for path in sorted(candidates, key=lambda p: (-quarantined_at(p), p.as_posix())):
        reason_file = path.with_name(path.name + ".reason.json")
        landed = path.relative_to(qdir).as_posix()
        if reason_file.exists():
            try:
                landed = json.loads(reason_file.read_text()).get("file") or landed
            except ValueError:
                pass
        dest = settings.landing / landed
        if dest.exists():
            if sha256_of(dest) != sha256_of(path):
                why = "a newer refused version of it goes back first" if landed in back else "it has landed since"
                log.warning("left %s in quarantine: %s %s", path.relative_to(qdir), landed, why)
                continue
            path.unlink()  # the same bytes are back in the landing folder already
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, dest)
        reason_file.unlink(missing_ok=True)
        back.add(landed)
        n += 1
    return n


def ingest_all(settings: Settings, files: list[LandedFile] | None = None) -> dict[str, Any]:
    """Load every new landed file. Returns counts per outcome and the quarantined files with reasons."""
    counts = {"loaded": 0, "quarantined": 0, "duplicate": 0, "known": 0, "vanished": 0}
    with warehouse.connection(settings) as con:
        # discovered once the warehouse is ours: an ingest that held it has moved its files by then
        files = discover(settings.landing) if files is None else files
        ensure_tables(con)
        keyed = derive_missing_keys(con, settings.salt)
        loader = Loader(settings, con)
        loader.touched |= keyed  # their files' outcomes (superseded or not) are judged again
        for i, f in enumerate(files, 1):
            outcome = loader.process(f)
            counts[outcome] += 1
            if len(files) >= 20 and i % max(1, len(files) // 10) == 0:
                log.info("ingest: %d/%d files", i, len(files))
        loader.mark_superseded()
        quarantined = [
            {"file": r[0], "reason": json.loads(r[1])}
            for r in con.execute(
                "select file_path, reason from ingest.file_ledger where outcome = 'quarantined' and ingested_at = ? "
                "order by seq", [loader.now]
            ).fetchall()
        ]
        superseded = con.execute("select count(*) from ingest.file_ledger where outcome = 'superseded'").fetchone()[0]
    return {**counts, "superseded_total": superseded, "files_seen": len(files), "quarantined_files": quarantined}
