"""From a table of text columns to the contract's typed columns, with the batch checks.

Everything is set-based: a few aggregate queries decide each file's number and date formats and
find the first offending row of each check; one `select` casts the whole file.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from socialroi.ingest.contracts import Column, TableContract
from socialroi.ingest.reader import Dialect, FileProblem

# ISO 4217 codes in use (and a few common historic/alternative ones)
CURRENCIES = set(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
    CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF
    GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP
    LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB
    PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP
    SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
    ZWL""".split()
)

_NUMERIC = ("decimal", "rate", "double", "bigint")
_TIME = ("date", "timestamp")
_CURRENCY_CHARS = "$€£¥₹"
_OFFSET_RE = r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT)$"
DATE_FORMATS = ("%Y/%m/%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%m/%d/%y", "%d/%m/%y", "%Y%m%d",
                "%b %d, %Y", "%d %b %Y", "%B %d, %Y", "%d-%m-%Y", "%m-%d-%Y")
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                     "%d/%m/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M",
                     "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M") + DATE_FORMATS


def lit(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def resolve_columns(contract: TableContract, header: list[str], dialect: Dialect) -> dict[str, str]:
    """Canonical column -> SQL text expression over the file's columns (or a constant)."""
    present = set(header)
    out: dict[str, str] = {}
    captured: dict[str, str] = {}
    renamed = {canon: src for src, canon in dialect.renames.items()}
    for col in contract.columns:
        if col.name in renamed:
            src = renamed[col.name]
            if src not in present:
                raise FileProblem("required_columns", f"the feed mapping maps {col.name} to column {src!r}, "
                                  f"which the file does not have", column=src, expected=src,
                                  found=", ".join(header))
            out[col.name] = ident(src)
            continue
        if col.name in dialect.constants:
            out[col.name] = lit(dialect.constants[col.name])
            continue
        if col.name in present:
            out[col.name] = ident(col.name)
            continue
        for alias in col.aliases:
            if alias.startswith("re:"):
                rx = re.compile(alias[3:] + "$")
                hit = next((h for h in header if rx.match(h)), None)
                if hit:
                    out[col.name] = ident(hit)
                    for group, value in rx.match(hit).groupdict().items():
                        if value:
                            captured[group] = value.upper() if group == "currency" else value
                    break
            elif alias in present:
                out[col.name] = ident(alias)
                break
    for name, value in captured.items():
        out.setdefault(name, lit(value))
    missing = [c.name for c in contract.columns if c.required and c.name not in out]
    if dialect.order_id_from and "order_id" in missing:
        missing.remove("order_id")
    if missing:
        raise FileProblem(
            "required_columns",
            f"missing required column(s) {missing}; the header has {header}",
            column=missing[0], expected=", ".join(missing), found=", ".join(header),
        )
    return out


def _clean_number(expr: str) -> str:
    """Strip currency symbols/codes, spaces and parentheses; keep digits, separators and sign."""
    s = f"trim(replace({expr}, chr(160), ' '))"
    s = f"regexp_replace({s}, '^[A-Za-z]{{3}}\\s*|\\s*[A-Za-z]{{3}}$', '')"
    return f"regexp_replace({s}, '[{_CURRENCY_CHARS}\\s()+'']', '', 'g')"


def _is_paren_negative(expr: str) -> str:
    return f"regexp_matches(trim({expr}), '^\\(.*\\)$')"


def _number_expr(expr: str, col: Column, decimal: str) -> str:
    core = _clean_number(expr)
    if col.type == "bigint":
        grouped = f"regexp_matches({core}, '^-?\\d{{1,3}}([.,]\\d{{3}})+$')"
        val = f"try_cast(case when {grouped} then regexp_replace({core}, '[.,]', '', 'g') else {core} end as BIGINT)"
    else:
        if decimal == ",":
            norm = f"replace(replace({core}, '.', ''), ',', '.')"
        else:
            norm = f"replace({core}, ',', '')"
        target = {"decimal": "DECIMAL(18,3)", "rate": "DECIMAL(18,10)", "double": "DOUBLE"}[col.type]
        if col.type == "decimal":  # exact money: refuse more than 3 decimal places rather than round
            val = f"case when regexp_matches({norm}, '\\.\\d{{4,}}$') then null else try_cast({norm} as {target}) end"
        else:
            val = f"try_cast({norm} as {target})"
    return f"(case when {_is_paren_negative(expr)} then -1 else 1 end) * {val}"


def _time_candidates(col: Column) -> list[str]:
    return list(TIMESTAMP_FORMATS if col.type == "timestamp" else DATE_FORMATS)


def _time_expr(expr: str, col: Column, fmt: str | None, tz: str) -> str:
    v = f"nullif(trim({expr}), '')"
    if fmt is None or fmt == "iso":
        if col.type == "date":
            return f"coalesce(try_cast({v} as DATE), try_cast(try_cast({v} as TIMESTAMP) as DATE))"
        with_offset = f"timezone('UTC', try_cast({v} as TIMESTAMPTZ))"
        naive = f"timezone('UTC', timezone({lit(tz)}, try_cast({v} as TIMESTAMP)))"
        return f"(case when regexp_matches({v}, {lit(_OFFSET_RE)}) then {with_offset} else {naive} end)"
    parsed = f"try_strptime({v}, {lit(fmt)})"
    if col.type == "date":
        return f"cast({parsed} as DATE)"
    if "%z" in fmt:
        return f"timezone('UTC', {parsed})"
    return f"timezone('UTC', timezone({lit(tz)}, {parsed}))"


def _bool_expr(expr: str) -> str:
    v = f"lower(trim({expr}))"
    return (f"(case when {v} in ('true','t','1','yes','y') then true "
            f"when {v} in ('false','f','0','no','n') then false end)")


def _nonempty(expr: str) -> str:
    return f"(nullif(trim({expr}), '') is not null)"


def decide_formats(con: duckdb.DuckDBPyConnection, table: str, contract: TableContract,
                   src: dict[str, str], dialect: Dialect) -> tuple[str, dict[str, str]]:
    """Decide the file's decimal separator and each date column's format, or raise if ambiguous."""
    numeric = [c for c in contract.columns if c.type in ("decimal", "rate", "double") and c.name in src]
    times = [c for c in contract.columns if c.type in _TIME and c.name in src and c.name not in dialect.formats]
    aggs = []
    for c in numeric:
        core = _clean_number(src[c.name])
        aggs += [
            f"count(*) filter (where regexp_matches({core}, ',\\d{{1,2}}$|,\\d{{4,}}$|\\..*,'))",
            f"count(*) filter (where regexp_matches({core}, '\\.\\d{{1,2}}$|\\.\\d{{4,}}$|,.*\\.'))",
            f"arg_min({src[c.name]}, _row) filter (where regexp_matches({core}, '^-?\\d{{1,3}}([.,]\\d{{3}})+$'))",
        ]
    for c in times:
        iso = _time_expr(src[c.name], c, "iso", dialect.timezone)
        aggs.append(f"count(*) filter (where {_nonempty(src[c.name])} and {iso} is null)")
    decimal = dialect.decimal or "."
    formats: dict[str, str] = dict(dialect.formats)
    if not aggs:
        return decimal, formats
    row = con.execute(f"select {', '.join(aggs)} from {table}").fetchone()
    comma = sum(row[i] for i in range(0, 3 * len(numeric), 3))
    dot = sum(row[i] for i in range(1, 3 * len(numeric), 3))
    ambiguous = next((row[i] for i in range(2, 3 * len(numeric), 3) if row[i] is not None), None)
    if not dialect.decimal:
        if comma and dot:
            raise FileProblem("number_format", "numbers use both ',' and '.' as decimal separator in one file",
                              expected="one decimal separator", found=f"{comma} with ',' and {dot} with '.'")
        if comma:
            decimal = ","
        elif dot:
            decimal = "."
        elif ambiguous is not None:
            raise FileProblem("number_format", f"ambiguous number {ambiguous!r}: thousands or decimal separator? "
                              "Add a feed mapping stating `decimal`", expected="a stated decimal separator",
                              found=ambiguous)
    offset = 3 * len(numeric)
    failing = [c for i, c in enumerate(times) if row[offset + i]]
    for c in failing:
        formats[c.name] = _choose_time_format(con, table, c, src[c.name], dialect.timezone)
    return decimal, formats


def _choose_time_format(con, table: str, col: Column, expr: str, tz: str) -> str:
    cands = _time_candidates(col)
    exprs = [_time_expr(expr, col, f, tz) for f in cands]
    fails = con.execute(
        "select " + ", ".join(f"count(*) filter (where {_nonempty(expr)} and {e} is null)" for e in exprs)
        + f" from {table}"
    ).fetchone()
    valid = [i for i, n in enumerate(fails) if n == 0]
    if not valid:
        return "iso"  # the cast check will name the first row that no format parses
    if len(valid) > 1:
        first = exprs[valid[0]]
        diff = con.execute(
            "select " + ", ".join(f"arg_min({expr}, _row) filter (where {first} <> {exprs[i]})" for i in valid[1:])
            + f" from {table}"
        ).fetchone()
        clash = [(cands[i], d) for i, d in zip(valid[1:], diff) if d is not None]
        if clash:
            raise FileProblem("date_format", f"column {col.name}: ambiguous dates, e.g. {clash[0][1]!r} parses as "
                              f"{cands[valid[0]]} and as {clash[0][0]}; add a feed mapping with its `format`",
                              column=col.name, expected="an unambiguous date format", found=clash[0][1])
    return cands[valid[0]]


def typed_select(contract: TableContract, src: dict[str, str], decimal: str, formats: dict[str, str],
                 dialect: Dialect, salt: str) -> dict[str, str]:
    """Canonical column -> typed SQL expression (NULL for columns the file does not have)."""
    out: dict[str, str] = {}
    for c in contract.columns:
        if c.name not in src:
            out[c.stored_name] = f"cast(null as {c.sql_type})"
            continue
        e = src[c.name]
        if c.pii == "hash":
            norm = f"lower(trim({e}))" if "mail" in c.name else f"regexp_replace({e}, '[^0-9]', '', 'g')"
            out[c.stored_name] = f"case when nullif({norm}, '') is null then null else sha256({lit(salt)} || {norm}) end"
        elif c.type in _NUMERIC:
            out[c.stored_name] = _number_expr(e, c, decimal)
        elif c.type in _TIME:
            out[c.stored_name] = _time_expr(e, c, formats.get(c.name, "iso"), dialect.timezone)
        elif c.type == "boolean":
            out[c.stored_name] = _bool_expr(e)
        elif c.currency:
            out[c.stored_name] = f"upper(nullif(trim({e}), ''))"
        else:
            out[c.stored_name] = f"nullif(trim({e}), '')"
    return out


def raw_copies(contract: TableContract, src: dict[str, str]) -> dict[str, str]:
    """The text columns the checks quote back (as `__raw_<name>`), kept beside the typed ones."""
    return {f"__raw_{c.name}": src[c.name] for c in contract.columns if c.name in src and not c.pii}


def check_batch(con: duckdb.DuckDBPyConnection, typed: str, contract: TableContract,
                src: dict[str, str]) -> None:
    """The batch expectations, first offending row first: raise FileProblem naming row, column, value."""
    problems: list[dict[str, Any]] = []
    aggs: list[tuple[str, Column, str]] = []
    for c in contract.columns:
        if c.name not in src or c.pii:
            continue
        t, s = ident(c.stored_name), ident(f"__raw_{c.name}")
        if c.type not in ("varchar", "json"):
            aggs.append(("type", c, f"arg_min(struct_pack(r := _row, v := {s}), _row) filter (where {_nonempty(s)} and {t} is null)"))
        if c.required:
            aggs.append(("not_null", c, f"arg_min(struct_pack(r := _row, v := {s}), _row) filter (where {t} is null and not {_nonempty(s)})"))
        if c.min is not None:
            aggs.append(("range", c, f"arg_min(struct_pack(r := _row, v := {s}), _row) filter (where {t} < {c.min})"))
        if c.max is not None:
            aggs.append(("range", c, f"arg_min(struct_pack(r := _row, v := {s}), _row) filter (where {t} > {c.max})"))
        if c.currency:
            known = ", ".join(lit(x) for x in sorted(CURRENCIES))
            aggs.append(("currency_known", c, f"arg_min(struct_pack(r := _row, v := {s}), _row) filter (where {t} is not null and {t} not in ({known}))"))
        if c.type in _TIME:
            aggs.append(("not_future", c, f"arg_min(struct_pack(r := _row, v := {s}), _row) filter (where cast({t} as DATE) > current_date + 1)"))
    if aggs:
        res = con.execute(
            "select " + ", ".join(a[2] for a in aggs) + f" from {typed}"
        ).fetchone()
        for (check, col, _), hit in zip(aggs, res):
            if hit is not None:
                problems.append({"check": check, "column": col.name, "row": hit["r"], "found": hit["v"], "col": col})
    if not problems and contract.key:
        keys = ", ".join(ident(k) for k in contract.key)
        nulls = " or ".join(f"{ident(k)} is null" for k in contract.key)
        hit = con.execute(
            f"select min(_row) filter (where {nulls}), "
            f"(select min(_row) from (select _row, count(*) over (partition by {keys}) as n from {typed}) where n > 1) "
            f"from {typed}"
        ).fetchone()
        if hit[0] is not None:
            problems.append({"check": "key_not_null", "column": ",".join(contract.key), "row": hit[0], "found": None})
        elif hit[1] is not None:
            problems.append({"check": "key_unique", "column": ",".join(contract.key), "row": hit[1], "found": None})
    if not problems:
        return
    p = min(problems, key=lambda x: (x["row"], x["check"]))
    col: Column | None = p.get("col")
    expected = {
        "type": f"a {col.type if col else ''} value",
        "not_null": "a value (required column)",
        "range": f"a value in [{col.min if col else ''}, {col.max if col else ''}]" if col else "",
        "currency_known": "an ISO 4217 currency code",
        "not_future": "a date not after tomorrow",
        "key_not_null": f"key {list(contract.key)} not null",
        "key_unique": f"key {list(contract.key)} unique within the file",
    }[p["check"]]
    found = "" if p["found"] is None else repr(p["found"])
    raise FileProblem(
        p["check"],
        f"row {p['row']} (line {p['row'] + 1}), column {p['column']}: expected {expected}"
        + (f", found {found}" if found else ""),
        row=p["row"], column=p["column"], expected=expected, found=p["found"],
    )
