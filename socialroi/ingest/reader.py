"""Open one landed file as a DuckDB table of text columns, whatever its encoding, dialect or format.

Python only looks at bytes in bulk (the encoding check decodes the file in 1 MiB blocks; a file in a
legacy or UTF-16 encoding is transcoded to UTF-8 the same way) and at the header line; the rows are
read by DuckDB's own readers, set-based.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from socialroi.ingest.contracts import normalise_name
from socialroi.personal import redact

# Python's csv module refuses fields over 128 KiB by default; DuckDB reads them, so the line lookups
# (csv_line, _first_bad_record) must too: a long note or JSON value is data, not an error
csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))

SNIFF_BYTES = 64 * 1024
BLOCK = 1 << 20
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
# Windows-1252 leaves these five bytes undefined: a file holding them is Latin-1 (C1 controls)
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_SEP_LINE = re.compile(r"^sep=(.)\s*$", re.IGNORECASE)


class FileProblem(Exception):
    """A file cannot be accepted. Carries the machine-readable reason for the ledger and quarantine.

    The message and the value found are redacted (`socialroi.personal.redact`): a row shifted by a stray
    delimiter can put an email or a phone number where an amount belongs, and DuckDB quotes whole lines."""

    def __init__(self, check: str, message: str, *, row: int | None = None, column: str | None = None,
                 expected: str | None = None, found: str | None = None):
        message = redact(message)
        found = redact(found) if isinstance(found, str) else found
        super().__init__(message)
        self.reason = {"check": check, "message": message, "row": row, "column": column,
                       "expected": expected, "found": found}


@dataclass
class Dialect:
    """How to read a file: detected, or stated by a feed mapping."""

    delimiter: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    timezone: str = "UTC"
    renames: dict[str, str] = field(default_factory=dict)  # export header (normalised) -> canonical
    constants: dict[str, str] = field(default_factory=dict)  # canonical -> constant text
    formats: dict[str, str] = field(default_factory=dict)  # canonical -> strptime format
    order_id_from: tuple[str, ...] = ()


def detect_encoding(path: Path) -> str:
    """utf-8 (with or without BOM), utf-16 (BOM), or a legacy single-byte code page (cp1252 / latin-1).

    The whole file is checked in blocks, so a non-ASCII byte far below the header still counts. A file
    that is valid UTF-8 in parts and not in others, or that holds NUL bytes, is refused (`encoding`).
    """
    with path.open("rb") as fh:
        utf16 = _utf16(fh)
        if utf16:
            return utf16
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        seen_multibyte = False
        legacy_cp1252 = True
        offset = 0
        while True:
            block = fh.read(BLOCK)
            if not block:
                break
            if b"\x00" in block:
                pos = block.index(b"\x00")
                raise FileProblem("encoding", f"{path.name}: binary content (NUL byte at offset {offset + pos}); "
                                  "expected a text export (CSV/TSV), Parquet or JSON lines",
                                  row=_row_of(_lines_before(path, offset + pos)),
                                  expected="text", found="binary")
            ascii_block = block.isascii()
            try:
                if not ascii_block or decoder.getstate()[0]:  # ASCII is UTF-8: no need to decode it
                    decoder.decode(block, final=False)
            except UnicodeDecodeError as exc:
                if seen_multibyte or _has_multibyte(block[: exc.start]):
                    line = _lines_before(path, offset + exc.start)
                    raise FileProblem(
                        "encoding", f"{path.name}: mixed encodings: valid UTF-8 and bytes that are not UTF-8 "
                        f"(line {line + 1}, byte {block[exc.start:exc.start + 1]!r}); re-export as UTF-8",
                        row=_row_of(line), expected="one encoding (UTF-8)",
                        found=repr(block[max(0, exc.start - 10):exc.start + 10])) from exc
                legacy_cp1252 = legacy_cp1252 and not _CP1252_UNDEFINED.search(block)
                for rest in iter(lambda: fh.read(BLOCK), b""):
                    legacy_cp1252 = legacy_cp1252 and not _CP1252_UNDEFINED.search(rest)
                return "cp1252" if legacy_cp1252 else "latin-1"
            if not ascii_block:  # an ASCII block has none of the bytes cp1252 leaves undefined
                seen_multibyte = True
                legacy_cp1252 = legacy_cp1252 and not _CP1252_UNDEFINED.search(block)
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise FileProblem("encoding", f"{path.name}: the file ends inside a UTF-8 character (truncated?)",
                              row=_row_of(_lines_before(path, offset)), expected="complete UTF-8",
                              found="truncated") from exc
    return "utf-8"


def _utf16(fh) -> str | None:
    """utf-16 (a BOM) or utf-16-le/-be (ASCII text with every other byte NUL) from a file's first bytes."""
    head = fh.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    fh.seek(0)
    sample = fh.read(SNIFF_BYTES)
    sample = sample[: len(sample) // 2 * 2]
    if sample and b"\x00" in sample:  # UTF-16 without a BOM: ASCII text with every other byte NUL
        half = len(sample) // 2
        if sample[1::2].count(0) > 0.9 * half:
            return "utf-16-le"
        if sample[0::2].count(0) > 0.9 * half:
            return "utf-16-be"
    return None


def _lines_before(path: Path, offset: int) -> int:
    """How many line breaks the file has before byte `offset`: counted only when a problem is found,
    not for every block of a good file."""
    lines = 0
    with path.open("rb") as fh:
        while offset > 0:
            block = fh.read(min(BLOCK, offset))
            if not block:
                break
            lines += block.count(b"\n")
            offset -= len(block)
    return lines


def _has_multibyte(block: bytes) -> bool:
    return not block.isascii()  # C speed; a regex over every block cost a second per 100 MB


def _row_of(line_index: int) -> int | None:
    """0-based line index -> 1-based data row (line 0 is the header)."""
    return line_index if line_index > 0 else None


def _first_record(text: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])


def _header_record(lines: list[str], delimiter: str, path: Path, skip: int) -> list[str]:
    """The header's names. A quote opened in the header and not closed (the names would swallow the rows
    below, data and all) is refused (`quoting`), naming the header's line and column, quoting no text
    beyond the name before the open quote. A quoted line break that closes (a wrapped name) is a name."""
    text = "\n".join(lines)
    try:
        record = next(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True), [])
        swallowed = any("\n" in name and delimiter in name for name in record)
    except csv.Error:
        swallowed = True
    if not swallowed:
        return record
    line_fields = _first_record(lines[0], delimiter)  # the first line alone: its last field holds the open quote
    column = len(line_fields)
    after = f" (after {redact(line_fields[-2].strip())[:40]!r})" if column > 1 else ""
    raise FileProblem("quoting", f"{path.name}: the header (line {skip + 1}) opens a quote in column {column}{after} "
                      "that is not closed on its line; expected a closing quote: fix the header's quotes",
                      expected="a closing quote in the header",
                      found=f"a quote opened in column {column} of the header and not closed")


def detect_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most fields (quotes respected)."""
    best, best_n = ",", 0
    for cand in (",", ";", "\t", "|"):
        n = len(_first_record(header_line, cand))
        if n > best_n:
            best, best_n = cand, n
    return best


def unique_names(raw: list[str]) -> list[str]:
    """Normalise header names; duplicated names get a numeric suffix (name, name_2, ...)."""
    seen: dict[str, int] = {}
    names = [normalise_name(name) or f"column_{i + 1}" for i, name in enumerate(raw)]
    used = set(names)  # a suffix never takes a name the header has itself ("note, note, note_2")
    out = []
    for norm in names:
        if norm in seen:
            n = seen[norm]
            while f"{norm}_{n + 1}" in used:
                n += 1
            seen[norm] = n + 1
            norm = f"{norm}_{n + 1}"
            used.add(norm)
        else:
            seen[norm] = 1
        out.append(norm)
    return out


def _transcode(path: Path, encoding: str) -> Path:
    """A UTF-8 copy of a file in another encoding, written in blocks (DuckDB then reads UTF-8)."""
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="socialroi-")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
            for block in iter(lambda: src.read(BLOCK), b""):
                dst.write(decoder.decode(block))
            dst.write(decoder.decode(b"", final=True))
    except (UnicodeDecodeError, LookupError) as exc:
        os.unlink(tmp)
        raise FileProblem("encoding", f"{path.name}: cannot be decoded as {encoding}: {exc}",
                          expected=encoding, found=str(exc)) from exc
    return Path(tmp)


def read_text_table(con: duckdb.DuckDBPyConnection, path: Path, dialect: Dialect, target: str) -> list[str]:
    """Create temp view `target` with every column as VARCHAR plus `_row` (1-based data row).

    Returns the normalised header names. Raises FileProblem for unreadable files.
    """
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise FileProblem("not_empty", f"{path.name}: the file is empty (0 bytes)")
    if suffix in PARQUET_SUFFIXES:
        return _materialise_typed(con, f"read_parquet('{_q(path)}')", target, path)
    if suffix in JSON_SUFFIXES:
        return _read_json(con, path, dialect, target)
    encoding = (dialect.encoding or detect_encoding(path)).lower().replace("_", "-")
    if encoding in ("utf8", "utf-8-sig"):
        encoding = "utf-8"
    readable = path if encoding == "utf-8" else _transcode(path, encoding)
    temps = [] if readable == path else [readable]
    try:
        with readable.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
        text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
        lines = text.splitlines()
        if not any(line.strip() for line in lines):
            raise FileProblem("not_empty", f"{path.name}: no header and no rows (blank lines only)")
        skip, delimiter = _csv_layout(lines, dialect)
        lines = lines[skip:]
        if not lines or not lines[0].strip():
            raise FileProblem("not_empty", f"{path.name}: the first line (the header) is blank", row=None)
        raw_names = _header_record(lines, delimiter, path, skip)
        names = unique_names(raw_names)
        cols = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
        delim = "\\t" if delimiter == "\t" else delimiter.replace("'", "''")
        # A good file is read once, as it is; only a file DuckDB refuses is looked at again, for what
        # can be mended without guessing (line endings that change within the file, a line longer than
        # DuckDB's default limit), and read again
        mended: set[str] = set()
        max_line = ""
        while True:
            src = (
                f"read_csv('{_q(readable)}', header=true, auto_detect=false, columns={cols}, delim='{delim}', "
                f"quote='\"', escape='\"', encoding='utf-8', strict_mode=true, null_padding=false, skip={skip}"
                f"{max_line})"
            )
            try:
                return _materialise(con, src, target, path, line_offset=skip)
            except FileProblem as problem:
                if ("newlines" not in mended and "state machine reached an invalid state" in problem.reason["message"]
                        and _mixed_newlines(readable)):
                    # CRLF and LF in one file (a header from one tool, rows appended by another): DuckDB's
                    # reader takes one line ending per file; the file is read with every CRLF as LF
                    mended.add("newlines")
                    readable = _lf_newlines(readable)
                    temps.append(readable)
                    continue
                if "max_line" not in mended and _LINE_TOO_LONG.search(problem.reason["message"]):
                    # a value longer than DuckDB's default line (a long URL or note): read again with room for
                    # a line as long as the file, within MAX_LINE_BYTES (a larger buffer costs every read)
                    mended.add("max_line")
                    limit = min(readable.stat().st_size + 1, MAX_LINE_BYTES)
                    if limit > int(_LINE_TOO_LONG.search(problem.reason["message"]).group(1)):
                        max_line = f", max_line_size={limit}"
                        continue
                if problem.reason["check"] in ("field_count", "quoting"):
                    _locate(problem, path, readable, delimiter, skip, len(raw_names))
                raise
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


def _mixed_newlines(path: Path) -> bool:
    """Whether a file has both CRLF and bare LF line breaks (quoted ones included: only asked after
    DuckDB refused the file). Read in blocks; a CR at a block's end pairs with an LF at the next's start."""
    crlf = lf = 0
    last = b""
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(BLOCK), b""):
            crlf += block.count(b"\r\n") + (last == b"\r" and block[:1] == b"\n")
            lf += block.count(b"\n")
            if crlf and lf > crlf:
                return True
            last = block[-1:]
    return bool(crlf) and lf > crlf


def _lf_newlines(path: Path) -> Path:
    """A copy of a UTF-8 file with every CRLF as LF (a quoted CRLF too), written in blocks. The line count
    stays the same, so rows and lines are named as in the file landed."""
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="socialroi-")
    with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
        carry = b""
        for block in iter(lambda: src.read(BLOCK), b""):
            block = carry + block
            carry = b"\r" if block.endswith(b"\r") else b""
            dst.write(block[:-1].replace(b"\r\n", b"\n") if carry else block.replace(b"\r\n", b"\n"))
        dst.write(carry)
    return Path(tmp)


def _read_json(con: duckdb.DuckDBPyConnection, path: Path, dialect: Dialect, target: str) -> list[str]:
    """JSON (an array of records, or JSON lines) through the same encodings as CSV. What costs nothing is
    looked at first (a BOM, UTF-16's NUL bytes, in the first block); a file DuckDB refuses as invalid UTF-8
    is then scanned (`detect_encoding`) and read again transcoded: a good UTF-8 file is read as before.

    Returns the header names; an empty array (`[]`) has none and no rows: a quiet period's export."""
    with path.open("rb") as fh:
        encoding = (dialect.encoding or _utf16(fh) or "utf-8").lower().replace("_", "-")
    readable = path if encoding in ("utf-8", "utf8", "utf-8-sig") else _transcode(path, encoding)
    temps = [] if readable == path else [readable]
    try:
        while True:
            with readable.open("rb") as fh:
                head = fh.read(SNIFF_BYTES)
            body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
            # DuckDB's format detection reads an array after a UTF-8 BOM as one value: name the format
            fmt = "array" if body is not head and body.lstrip().startswith(b"[") else "auto"
            try:
                return _materialise_json(con, readable, fmt, target, path, body)
            except FileProblem as problem:
                if not temps and "invalid utf-8" in problem.reason["message"].lower():
                    legacy = detect_encoding(path)  # refuses mixed encodings and binary content itself
                    if legacy != "utf-8":
                        readable = _transcode(path, legacy)
                        temps.append(readable)
                        continue
                raise
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


def _materialise_json(con: duckdb.DuckDBPyConnection, readable: Path, fmt: str, target: str, path: Path,
                      head: bytes) -> list[str]:
    src = f"read_json_auto('{_q(readable)}', format='{fmt}', sample_size=-1)"
    try:
        rel = con.sql(f"select * from {src}")
        columns, types = rel.columns, rel.types
        # no records: DuckDB names one JSON column `json`
        empty = columns == ["json"] and str(types[0]).upper() == "JSON" and \
            con.execute(f"select count(*) from {src}").fetchone()[0] == 0
    except duckdb.Error as exc:
        raise _problem(exc, path, 0) from exc
    if empty:
        if not head.lstrip().startswith(b"["):
            raise FileProblem("not_empty", f"{path.name}: no records (blank lines only)")
        con.execute(f"create or replace temp table {target}__data as select cast(null as varchar) as _none where false")
        con.execute(f"create or replace temp view {target} as select * exclude (_none), rowid + 1 as _row "
                    f"from {target}__data")
        return []
    # a column of numbers that are not all integers is inferred DOUBLE, which rounds an 18-digit id among
    # them (120210000000000309 -> 1.202100000000003e+17): such columns are read as JSON, each value then
    # text as written, like a CSV's. The types are those just inferred: the read infers nothing again
    spec = [(name, *_json_text_type(dtype)) for name, dtype in zip(columns, types, strict=True)]
    if any(changed for _, _, changed in spec):
        cols = ", ".join(f"'{name.replace(chr(39), chr(39) * 2)}': '{sql.replace(chr(39), chr(39) * 2)}'"
                         for name, sql, _ in spec)
        src = f"read_json('{_q(readable)}', format='{fmt}', columns={{{cols}}})"
    return _materialise_typed(con, src, target, path)


def _json_text_type(dtype: duckdb.DuckDBPyType) -> tuple[str, bool]:
    """(the type to read a JSON column as, whether it differs from the inferred one): DOUBLE and FLOAT,
    within structs and lists too, become JSON."""
    kind = dtype.id
    if kind in ("double", "float"):
        return "JSON", True
    if kind == "struct":
        parts, changed = [], False
        for child, ctype in dtype.children:
            sql, c = _json_text_type(ctype)
            parts.append(f'"{child.replace(chr(34), chr(34) * 2)}" {sql}')
            changed = changed or c
        return f"STRUCT({', '.join(parts)})", changed
    if kind == "list":
        sql, changed = _json_text_type(dtype.child)
        return f"{sql}[]", changed
    return str(dtype), False


def _csv_layout(lines: list[str], dialect: Dialect) -> tuple[int, str]:
    """(lines to skip before the header, delimiter) from a CSV's first lines: Excel's `sep=;` hint line
    names the delimiter and is skipped; else the mapping's, else the one that splits the header most."""
    sep = _SEP_LINE.match(lines[0]) if lines else None
    skip = 1 if sep else 0
    header = lines[skip] if len(lines) > skip else ""
    return skip, dialect.delimiter or (sep.group(1) if sep else detect_delimiter(header))


def csv_line(path: Path, dialect: Dialect, row: int | None) -> int | None:
    """The 1-based line where data row `row` of a CSV file starts, counting an Excel `sep=` line, the
    header, blank lines (which are not rows) and line breaks inside quoted values. Read only when a
    problem is reported; None for Parquet and JSON (their rows are not lines of a header file)."""
    if row is None or row < 1 or path.suffix.lower() not in CSV_SUFFIXES:
        return None
    encoding = (dialect.encoding or detect_encoding(path)).lower().replace("_", "-")
    encoding = "utf-8-sig" if encoding in ("utf8", "utf-8") else encoding
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        skip, delimiter = _csv_layout([fh.readline(), fh.readline()], dialect)
        fh.seek(0)
        for _ in range(skip):
            fh.readline()
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader, None)  # the header
        records, start = 0, reader.line_num + 1
        for record in reader:
            if record:  # DuckDB's reader skips blank lines: they are not rows
                records += 1
                if records == row:
                    return start + skip
            start = reader.line_num + 1
    return None


def _first_bad_record(readable: Path, delimiter: str, skip: int, n_fields: int) -> tuple[int, int, str] | None:
    """(data row, line where it starts, what is wrong) of a UTF-8 CSV's first record that DuckDB's strict
    reader refuses: a field count other than the header's, or a quote left open. Rows and lines are counted
    as `csv_line` counts them (blank lines are not rows; quoted line breaks belong to their row)."""
    with readable.open(encoding="utf-8", errors="replace", newline="") as fh:
        if fh.read(1) != "\ufeff":
            fh.seek(0)
        for _ in range(skip):
            fh.readline()
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        try:
            next(reader, None)  # the header
        except csv.Error:
            return None
        records, start = 0, reader.line_num + 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return None
            except csv.Error:
                return records + 1, start + skip, "a quoted value that is not closed before the end of the file or the next delimiter"
            if record:
                records += 1
                if len(record) != n_fields:
                    return records, start + skip, f"{len(record)} fields"
            start = reader.line_num + 1


def _locate(problem: FileProblem, path: Path, readable: Path, delimiter: str, skip: int, n_fields: int) -> None:
    """Put the exact row and line of a CSV reader error into its problem (DuckDB's own line number counts
    neither blank lines nor quoted line breaks as a person reading the file would)."""
    found = _first_bad_record(readable, delimiter, skip, n_fields)
    if found is None:
        return
    row, line, what = found
    reason = problem.reason
    check = "quoting" if what.startswith("a quoted") else "field_count"
    expected = "a closing quote" if check == "quoting" else f"{n_fields} fields, as the header has"
    reason.update(check=check, row=row, expected=expected, found=what)
    reason["message"] = f"{path.name}: cannot be read (row {row}, line {line}): expected {expected}, found {what}"
    problem.args = (reason["message"],)


def _leaf_columns(name: str, dtype: duckdb.DuckDBPyType, expr: str) -> list[tuple[str, str]]:
    """(output name, text expression) for one typed column: structs are flattened into parent_child
    columns (as connectors flatten them) and also kept whole as JSON; lists and maps become JSON."""
    kind = dtype.id
    if kind == "struct":
        out = [(name, f"to_json({expr})::varchar")]
        for child, ctype in dtype.children:
            out += _leaf_columns(f"{name}_{child}", ctype, f"{expr}.\"{child.replace(chr(34), chr(34) * 2)}\"")
        return out
    if kind in ("list", "map", "array"):
        return [(name, f"to_json({expr})::varchar")]
    if str(dtype).upper() == "JSON":  # mixed types: text as written, without JSON quotes for strings
        return [(name, f"json_extract_string({expr}, '$')")]
    return [(name, f"cast({expr} as varchar)")]


def _materialise_typed(con: duckdb.DuckDBPyConnection, src: str, target: str, path: Path) -> list[str]:
    """Parquet / JSON: every value as text, compared and cast like a CSV's."""
    try:
        rel = con.sql(f"select * from {src}")
        leaves: list[tuple[str, str]] = []
        for col, dtype in zip(rel.columns, rel.types, strict=True):
            leaves += _leaf_columns(col, dtype, '"' + col.replace('"', '""') + '"')
    except duckdb.Error as exc:
        raise _problem(exc, path, 0) from exc
    names = unique_names([n for n, _ in leaves])
    select = ", ".join(f'{e} as "{n}"' for (_, e), n in zip(leaves, names, strict=True))
    return _materialise(con, f"(select {select} from {src})", target, path)


def _materialise(con: duckdb.DuckDBPyConnection, src: str, target: str, path: Path, line_offset: int = 0) -> list[str]:
    # `_row` is the temp table's rowid + 1: a table created from a reader in insertion order (DuckDB's
    # default, preserve_insertion_order) numbers its rows in file order. A row_number() window would
    # cost a third of the read.
    try:
        con.execute(f"create or replace temp table {target}__data as select * from {src}")
    except duckdb.Error as exc:
        raise _problem(exc, path, line_offset) from exc
    con.execute(f"create or replace temp view {target} as select *, rowid + 1 as _row from {target}__data")
    return [r[0] for r in con.execute(f"describe {target}__data").fetchall()]


def replace_text_table(con: duckdb.DuckDBPyConnection, target: str, select: str) -> None:
    """Re-point the text table `target` at the result of `select` (which must carry `_row`)."""
    n = con.execute("select count(*) from duckdb_tables() where temporary and table_name like ?",
                    [f"{target}__fixed%"]).fetchone()[0]
    con.execute(f"create temp table {target}__fixed{n} as {select}")
    con.execute(f"create or replace temp view {target} as select * from {target}__fixed{n}")


def drop_text_table(con: duckdb.DuckDBPyConnection, target: str) -> None:
    con.execute(f"drop view if exists {target}")
    for (name,) in con.execute("select table_name from duckdb_tables() where temporary and (table_name = ? "
                               "or table_name like ?)", [f"{target}__data", f"{target}__fixed%"]).fetchall():
        con.execute(f"drop table {name}")


# DuckDB's own diagnostics, matched anywhere on a line and quoted as matched (fixed text and numbers): never
# more of the line, which may be the file's data
_SAFE_DETAIL = re.compile(r"Expected Number of Columns: \d+ Found: \d+|Value with unterminated quote found\.|"
                          r"Invalid unicode \(byte sequence mismatch\) detected(?: in value construction)?\.?|"
                          r"Maximum line size of \d+ bytes exceeded\.(?: Actual Size: ?\d+ bytes\.)?")
_LINE_TOO_LONG = re.compile(r"Maximum line size of (\d+) bytes exceeded")
MAX_LINE_BYTES = 1 << 30  # the longest line read (as Python's csv field limit above); DuckDB's default is 2 MB


def _problem(exc: duckdb.Error, path: Path, line_offset: int) -> FileProblem:
    """A reader error as a FileProblem naming the check, the row and what was found. The offending line
    itself is not quoted (it may hold personal data): the row number says where to look."""
    msg = re.sub(r"(['\"])[^'\"\n]*/([^/'\"\n]+)\1", r"\1\2\1", str(exc).strip())  # paths as bare file names
    lines = [ln.strip() for ln in msg.splitlines() if ln.strip()]
    first = lines[0]
    m = re.search(r"Line:\s*(\d+)", msg)
    row = int(m.group(1)) - 1 - line_offset if m else None
    # only DuckDB's own diagnostics, as matched: the line after "Original Line:" (or on it) is the file's data
    detail = "; ".join(dict.fromkeys(d.group(0) for ln in lines[1:8] if not ln.startswith("Original Line")
                                     for d in _SAFE_DETAIL.finditer(ln)))
    low = msg.lower()
    check, expected, found = "parse", None, None
    columns = re.search(r"Expected Number of Columns:\s*(\d+)\s*Found:\s*(\d+)", msg)
    if "unicode" in low or "encod" in low:
        check = "encoding"
    elif "unterminated quote" in low:
        check, expected, found = "quoting", "a closing quote", "a value with an unterminated quote"
    elif columns:
        check, expected, found = "field_count", f"{columns.group(1)} fields", f"{columns.group(2)} fields"
    where = f" (row {row}, line {row + 1 + line_offset})" if row is not None else ""
    text = f"{path.name}: cannot be read{where}: {re.sub(r'CSV Error on Line: [0-9]+', '', first)} {detail}"
    return FileProblem(check, text.strip(), row=row, expected=expected, found=found or detail or first)


def _q(path: Path) -> str:
    return str(path).replace("'", "''")
