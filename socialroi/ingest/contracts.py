"""Source contracts: each landing table's columns, types, keys and aliases, declared once in YAML.

Loading, batch validation and the README's table of accepted layouts are all driven from here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# libyaml's loader where PyYAML was built with it (20 contracts parse in 0.1 s instead of 0.7 s)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

CONTRACT_DIR = Path(__file__).resolve().parents[1] / "contracts"

SQL_TYPES = {
    "varchar": "VARCHAR",
    "json": "VARCHAR",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "decimal": "DECIMAL(18,3)",
    "precise": "DECIMAL(38,9)",  # a platform's metric with more decimals than money has (LinkedIn cost)
    "rate": "DECIMAL(18,10)",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


def normalise_name(name: str) -> str:
    """Header name to lower_snake_case: 'Amount spent (USD)' -> 'amount_spent_usd'."""
    name = name.replace("\ufeff", "").strip().lower()
    name = re.sub(r"[^0-9a-z]+", "_", name)
    stripped = name.strip("_")
    # keep a connector's leading underscore (_fivetran_synced, _7_d_click)
    return ("_" + stripped) if name.startswith("_") and stripped else stripped


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "varchar"
    required: bool = False
    aliases: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    positive: bool = False  # strictly above 0 (a rate: 0 would divide by zero or zero an amount)
    currency: bool = False
    pii: str | None = None  # "hash"
    scrub: str | None = None  # "id", "text", "note", "url", "json" or "ga4_params": personal data removed from free text (socialroi.personal)
    accepted: tuple[str, ...] = ()  # the only values allowed (compared lower-cased); empty = any
    upper: bool = False  # a code compared as its trimmed upper case (a promo code): stored so, keyed so
    at_most: str | None = None  # another column of the row this one may not exceed (a discount, its gross)
    hash_of: tuple[str, ...] = ()  # a key derived from these columns of the row (an export without an id)

    @property
    def stored_name(self) -> str:
        return f"{self.name}_hash" if self.pii == "hash" else self.name

    @property
    def sql_type(self) -> str:
        return "VARCHAR" if self.pii == "hash" else SQL_TYPES[self.type]


@dataclass(frozen=True)
class TableContract:
    source: str
    table: str
    kind: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    date: str | None = None
    scope: tuple[str, ...] = ()
    export_time: str | None = None
    deleted: str | None = None
    group_by: str | None = None
    line_number: str | None = None
    fill_down: tuple[str, ...] = ()
    collapse_identical: bool = False  # a connector that repeats identical rows: keep one of each
    key_nullable: tuple[str, ...] = ()  # key columns a connector may leave empty (a version it does not fill)
    period: tuple[str, ...] = ()  # (start, end) date columns stating the period a report covers
    null_tokens: tuple[str, ...] = ()  # placeholders ("-", "N/A") a platform writes for no value: NULL in metrics
    description: str = ""
    fingerprint: str = field(default="", compare=False)

    @property
    def qualified(self) -> str:
        return f"{self.source}__{self.table}"

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.qualified} has no column {name!r}")

    @property
    def stored_columns(self) -> list[tuple[str, str]]:
        """(name, SQL type) of the landed table, in contract order, without bookkeeping columns."""
        cols = [(c.stored_name, c.sql_type) for c in self.columns]
        if self.line_number:
            cols.append((self.line_number, "BIGINT"))
        return cols


def _column(name: str, spec: dict[str, Any] | None) -> Column:
    spec = dict(spec or {})
    unknown = set(spec) - {"type", "required", "aliases", "min", "max", "positive", "currency", "pii", "accepted", "scrub",
                       "upper", "at_most", "hash_of"}
    if unknown:
        raise ValueError(f"column {name}: unknown contract keys {sorted(unknown)}")
    if spec.get("pii") not in (None, "hash"):
        raise ValueError(f"column {name}: `pii` is `hash` or absent, not {spec.get('pii')!r}")
    if spec.get("scrub") not in (None, "id", "text", "note", "url", "json", "ga4_params"):
        raise ValueError(f"column {name}: `scrub` is one of id, text, note, url, json, ga4_params, not {spec.get('scrub')!r}")
    if spec.get("scrub") and (spec.get("pii") or spec.get("type", "varchar") not in ("varchar", "json")):
        raise ValueError(f"column {name}: `scrub` needs a varchar or json column that is not `pii`")
    if spec.get("type", "varchar") not in SQL_TYPES:
        raise ValueError(f"column {name}: unknown type {spec.get('type')!r}; known: {sorted(SQL_TYPES)}")
    if spec.get("accepted") and spec.get("type", "varchar") != "varchar":
        raise ValueError(f"column {name}: `accepted` values need a varchar column")
    if spec.get("hash_of") is not None and (
            not isinstance(spec["hash_of"], list) or not spec["hash_of"] or spec.get("type", "varchar") != "varchar"
            or spec.get("required") or spec.get("pii") or spec.get("aliases")):
        raise ValueError(f"column {name}: `hash_of` lists the columns a varchar key is derived from (not read from "
                         "the file: no aliases, not required, not pii)")
    return Column(
        name=name,
        type=spec.get("type", "varchar"),
        required=bool(spec.get("required", False)),
        aliases=tuple(spec.get("aliases", ())),
        min=spec.get("min"),
        max=spec.get("max"),
        positive=bool(spec.get("positive", False)),
        currency=bool(spec.get("currency", False)),
        pii=spec.get("pii"),
        scrub=spec.get("scrub"),
        accepted=tuple(str(v).lower() for v in spec.get("accepted", ())),
        upper=bool(spec.get("upper", False)),
        at_most=spec.get("at_most"),
        hash_of=tuple(spec.get("hash_of") or ()),
    )


def _parse(path: Path) -> dict[tuple[str, str], TableContract]:
    text = path.read_text()
    doc = yaml.load(text, Loader=_YAML_LOADER)
    source = doc["source"]
    out = {}
    for table, spec in doc["tables"].items():
        columns = tuple(_column(n, s) for n, s in spec["columns"].items())
        names = {c.name for c in columns}
        if spec.get("period") is not None and len(spec["period"]) != 2:
            raise ValueError(f"{path.name}: {table}: period names two columns, its start and its end")
        for ref in [*spec.get("key", []), *spec.get("scope", []), *spec.get("key_nullable", []), spec.get("date"),
                    *spec.get("period", []), *(c.at_most for c in columns), *(h for c in columns for h in c.hash_of),
                    spec.get("export_time"), spec.get("deleted")]:
            if ref and ref not in names and ref != spec.get("line_number"):
                raise ValueError(f"{path.name}: {table} refers to unknown column {ref!r}")
        unknown = set(spec) - {"kind", "key", "date", "scope", "export_time", "deleted", "group_by", "line_number",
                               "fill_down", "collapse_identical", "key_nullable", "period", "null_tokens", "columns",
                               "description"}
        if unknown:
            raise ValueError(f"{path.name}: {table}: unknown contract keys {sorted(unknown)}")
        if spec.get("kind") not in ("report", "entity"):
            raise ValueError(f"{path.name}: {table}: kind must be report or entity")
        tokens = spec.get("null_tokens", [])
        if not isinstance(tokens, list) or not all(isinstance(t, str) and t.strip() for t in tokens):
            raise ValueError(f"{path.name}: {table}: null_tokens lists the placeholders (text, not empty) that mean "
                             "no value in a metric column")
        fp = hashlib.sha256(yaml.dump({"t": spec}, Dumper=_YAML_DUMPER, sort_keys=True).encode()).hexdigest()[:16]
        out[(source, table)] = TableContract(
            source=source,
            table=table,
            kind=spec["kind"],
            columns=columns,
            key=tuple(spec.get("key", ())),
            date=spec.get("date"),
            scope=tuple(spec.get("scope", ())),
            export_time=spec.get("export_time"),
            deleted=spec.get("deleted"),
            group_by=spec.get("group_by"),
            line_number=spec.get("line_number"),
            fill_down=tuple(spec.get("fill_down", ())),
            collapse_identical=bool(spec.get("collapse_identical", False)),
            key_nullable=tuple(spec.get("key_nullable", ())),
            period=tuple(spec.get("period", ())),
            null_tokens=tuple(t.strip() for t in tokens),
            description=doc.get("description", ""),
            fingerprint=fp,
        )
    return out


@lru_cache(maxsize=1)
def all_contracts() -> dict[tuple[str, str], TableContract]:
    out: dict[tuple[str, str], TableContract] = {}
    for path in sorted(CONTRACT_DIR.glob("*.yml")):
        out.update(_parse(path))
    return out


def get(source: str, table: str) -> TableContract | None:
    return all_contracts().get((source, table))
