"""Open one landed file as a DuckDB table of text columns, whatever its encoding, dialect or format.

Only the header and the first bytes are looked at in Python (encoding, delimiter, header names);
the rows are read by DuckDB's own readers, set-based.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from socialroi.ingest.contracts import normalise_name

SNIFF_BYTES = 64 * 1024


class FileProblem(Exception):
    """A file cannot be accepted. Carries the machine-readable reason for the ledger and quarantine."""

    def __init__(self, check: str, message: str, *, row: int | None = None, column: str | None = None,
                 expected: str | None = None, found: str | None = None):
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


def _encoding(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a multi-byte character cut by the sample's end
            return "utf-8"
        return "latin-1"


def _decode(head: bytes, encoding: str) -> str:
    text = head.decode("utf-16" if encoding == "utf-16" else encoding, errors="ignore")
    return text.lstrip("\ufeff")


def _first_record(text: str, delimiter: str) -> list[str]:
    return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])


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
    out = []
    for i, name in enumerate(raw):
        norm = normalise_name(name) or f"column_{i + 1}"
        if norm in seen:
            seen[norm] += 1
            norm = f"{norm}_{seen[norm]}"
        else:
            seen[norm] = 1
        out.append(norm)
    return out


def read_text_table(con: duckdb.DuckDBPyConnection, path: Path, dialect: Dialect, target: str) -> list[str]:
    """Create temp table `target` with every column as VARCHAR plus `_row` (1-based data row).

    Returns the normalised header names. Raises FileProblem for unreadable files.
    """
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise FileProblem("not_empty", f"{path.name}: the file is empty (0 bytes)")
    if suffix in (".parquet", ".pq"):
        src = f"read_parquet('{_q(path)}')"
        return _materialise(con, src, target, path)
    if suffix in (".jsonl", ".ndjson", ".json"):
        src = f"read_json_auto('{_q(path)}', format='newline_delimited')"
        return _materialise(con, src, target, path)
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    encoding = dialect.encoding or _encoding(head)
    text = _decode(head, encoding)
    header_line = text.splitlines()[0] if text.splitlines() else ""
    if not header_line.strip():
        raise FileProblem("header", f"{path.name}: no header line", row=0)
    delimiter = dialect.delimiter or detect_delimiter(header_line)
    raw_names = _first_record(text, delimiter)
    names = unique_names(raw_names)
    cols = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    delim = "\\t" if delimiter == "\t" else delimiter.replace("'", "''")
    enc = {"utf-8": "utf-8", "utf-16": "utf-16", "latin-1": "latin-1"}.get(encoding.lower().replace("_", "-"), encoding)
    src = (
        f"read_csv('{_q(path)}', header=true, auto_detect=false, columns={cols}, delim='{delim}', "
        f"quote='\"', escape='\"', encoding='{enc}', strict_mode=true, null_padding=false)"
    )
    return _materialise(con, src, target, path)


def _materialise(con: duckdb.DuckDBPyConnection, src: str, target: str, path: Path) -> list[str]:
    typed = not src.startswith("read_csv")
    try:
        if typed:  # Parquet / JSON: compare as text, like a CSV
            orig = [r[0] for r in con.execute(f"describe select * from {src}").fetchall()]
            names = unique_names(orig)
            cols = ", ".join(f'cast("{o}" as varchar) as "{n}"' for o, n in zip(orig, names))
        else:
            cols = "*"
        con.execute(f"create or replace temp table {target} as select {cols}, row_number() over () as _row from {src}")
    except duckdb.Error as exc:
        msg = str(exc).strip()
        first = msg.splitlines()[0]
        m = re.search(r"Line:\s*(\d+)", msg)
        row = int(m.group(1)) - 1 if m else None
        detail = "; ".join(line.strip() for line in msg.splitlines()[1:4] if line.strip())
        check = "parse"
        if "unicode" in msg.lower() or "encod" in msg.lower():
            check = "encoding"
        elif "Expected Number of Columns" in msg:
            check = "field_count"
        raise FileProblem(check, f"{path.name}: cannot be read: {first} {detail}".strip(), row=row,
                          found=detail or None) from exc
    return [r[0] for r in con.execute(f"describe {target}").fetchall() if r[0] != "_row"]


def _q(path: Path) -> str:
    return str(path).replace("'", "''")
