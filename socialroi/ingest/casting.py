"""From a table of text columns to the contract's typed columns, with the batch checks.

Everything is set-based: a few aggregate queries decide each file's number and date formats and
find the first offending row of each check; one `select` casts the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from typing import Any

import duckdb

from socialroi import personal
from socialroi.ingest.contracts import SQL_TYPES, Column, TableContract
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

_NUMERIC = ("decimal", "precise", "rate", "double", "bigint")
_TIME = ("date", "timestamp")
_CURRENCY_CHARS = "$€£¥₹"
_OFFSET_RE = r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT)\s*$"
# an IANA zone name (Area/Location, Etc/GMT+5) after the time; abbreviations have no '/'
_ZONE_NAME_RE = r"\d\s+[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)+\s*$"
# the word after a time that is no offset, for the message
_ZONE_WORD_RE = re.compile(r"\d\s*([A-Za-z][A-Za-z0-9_/+-]*)\s*$")
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
        if not out and header:
            # not one column found: the first line is most likely a row (a file exported without its
            # header), and its values are not quoted back, since they may be personal
            raise FileProblem(
                "required_columns",
                f"missing required column(s) {missing}; the first line names none of the contract's columns "
                f"({len(header)} fields): is the header missing?",
                column=missing[0], expected=", ".join(missing), found=f"{len(header)} unknown field names")
        raise FileProblem(
            "required_columns",
            f"missing required column(s) {missing}; the header has {header}",
            column=missing[0], expected=", ".join(missing), found=", ".join(header),
        )
    return out


def placeholder_columns(contract: TableContract) -> list[Column]:
    """The metric columns in which the contract's `null_tokens` mean no value: numeric columns that are
    none of the table's key, scope, date, period, export time or required columns."""
    if not contract.null_tokens:
        return []
    named = {*contract.key, *contract.scope, *contract.period, contract.date, contract.export_time,
             contract.group_by, contract.line_number}
    return [c for c in contract.columns if c.type in _NUMERIC and c.name not in named and not c.required]


def with_placeholders_as_null(contract: TableContract, src: dict[str, str]) -> dict[str, str]:
    """`src` with the contract's `null_tokens` ("-", "N/A"; compared trimmed, ignoring case) read as an empty
    cell in its metric columns (`placeholder_columns`): the cast gives NULL and no check refuses it."""
    tokens = ", ".join(lit(t.upper()) for t in contract.null_tokens)
    longest = max((len(t) for t in contract.null_tokens), default=0)
    out = dict(src)
    for c in placeholder_columns(contract):
        if c.name in out:
            e = out[c.name]
            # (the length test first: a number's text is rarely that short, and it is cheaper than upper/trim)
            out[c.name] = f"(case when length({e}) <= {longest + 2} and upper(trim({e})) in ({tokens}) then null else {e} end)"
    return out


_JSON_NULL_MEMBER = r'"(?:[^"\\]|\\.)*":null,?'  # "name":null and its comma
_JSON_DANGLING_COMMA = r",([}\]])"  # the comma a last member's removal leaves


def with_derived_keys(contract: TableContract, src: dict[str, str], salt: str) -> dict[str, str]:
    """`src` with each `hash_of` column computed from its columns' text (never read from the file): the
    salted SHA-256 of their trimmed values (empty and absent alike NULL; a `scrub` column scrubbed, as it is
    stored) as a JSON list. A JSON column's
    members that are null are left out first: a JSON reader writes a member another row of the same file
    has (`"int_value":null`), so the same event exported in another file keeps its key."""
    out = dict(src)
    for c in contract.columns:
        if not c.hash_of:
            continue
        parts = []
        for name in c.hash_of:
            if name not in src:
                parts.append("cast(null as varchar)")
                continue
            v = f"nullif(trim(cast({src[name]} as varchar)), '')"
            if contract.column(name).scrub:
                # as stored: a key derived again from the stored columns (derive_missing_keys) is the same
                v = _SCRUB[contract.column(name).scrub](v, salt)
            if contract.column(name).type == "json":
                v = f"regexp_replace(regexp_replace({v}, {lit(_JSON_NULL_MEMBER)}, '', 'g'), {lit(_JSON_DANGLING_COMMA)}, '\\1', 'g')"
            parts.append(v)
        out[c.name] = f"sha256({lit(salt)} || to_json([{', '.join(parts)}]))"
    return out


# an ISO 4217 code written before or after an amount ("EUR 7.25", "-USD 5", "12,00 EUR"); only a known
# code is taken off (so "12 pcs" or "abc5" stay text and are refused), and a leading minus stays
_CODES = "|".join(sorted(CURRENCIES))
_CODE_RE = f"^(-?)\\s*(?:{_CODES})\\s*|\\s*(?:{_CODES})$"


def _clean_number(expr: str) -> str:
    """Strip currency symbols/codes, spaces (incl. no-break and narrow no-break spaces, the French
    thousands separator), apostrophes (the Swiss one) and parentheses; keep digits, separators and sign."""
    s = f"trim(regexp_replace({expr}, '[\\x{{00A0}}\\x{{2007}}\\x{{2009}}\\x{{202F}}]', ' ', 'g'))"
    s = f"regexp_replace({s}, '{_CODE_RE}', '\\1', 'i')"
    return f"regexp_replace({s}, '[{_CURRENCY_CHARS}\\s()+''’]', '', 'g')"


def _groups(decimal: str | None, thousands: str | None, bigint: bool) -> list[str]:
    """The thousands separators a number may be grouped by: the mapping's `thousands`, else those that
    go with the decimal (either '.' or ',' in a whole number while the file's decimal is unknown)."""
    if thousands:
        return [thousands]
    if decimal == ",":
        return [".", " "]
    if decimal is None and bigint:
        return [",", ".", " ", "'", "’"]
    return [",", " ", "'", "’"]


def _number_expr(expr: str, col: Column, decimal: str | None, thousands: str | None = None) -> str:
    """A number as written, exactly, or NULL (a `type` problem).

    The common value ("12.50", "1234", "-3") is read by DuckDB's own cast, behind a few cheap tests
    (substring and length tests, no pattern); only a value that fails them (a currency, a separator, a
    space, parentheses, more decimals than the type holds) reaches the patterns: there currency codes and
    symbols come off, the thousands separators must group by 3 digits (1,234.56, 1.234,56, 1 234,56,
    1'234.56, as goes with the decimal), a '+' may only lead, and (x) is negative."""
    bigint = col.type == "bigint"
    target = SQL_TYPES[col.type]
    places = {"decimal": 3, "precise": 9}.get(col.type)
    dec = decimal or "."
    seps = [g for g in _groups(decimal, thousands, bigint) if g != dec]
    x = expr
    # fast path
    if bigint:
        fast = f"try_cast({x} as BIGINT)"
        # DuckDB's integer cast also reads hex (0x1F) and rounds 12.5: those are no double of that value
        fast = f"case when not contains({x}, '.') and try_cast({x} as DOUBLE) = {fast} then {fast} end"
    else:
        text = x if dec == "." else f"replace({x}, ',', '.')"
        guards = [f"not contains({x}, {lit(',' if dec == '.' else '.')})"]
        if places:
            # an exponent or more decimals than the type holds would be rounded by the cast
            guards += [f"not contains({x}, 'e')", f"not contains({x}, 'E')",
                       f"(strpos({x}, {lit(dec)}) = 0 or strlen({x}) - strpos({x}, {lit(dec)}) <= {places})"]
        fast = f"case when {' and '.join(guards)} then try_cast({text} as {target}) end"
    # slow path: cleaned, validated, then cast
    s = f"trim(regexp_replace({x}, '[\\x{{00A0}}\\x{{2007}}\\x{{2009}}\\x{{202F}}\\t]', ' ', 'g'))"
    s = f"regexp_replace({s}, '{_CODE_RE}', '\\1', 'i')"
    # (12.50), ($12.50), (12,00 EUR): negative
    neg = f"(case when contains({x}, '(') then regexp_matches({x}, '^[^()]*\\([^()]*\\)[^()]*$') else false end)"
    cleaned = f"trim(regexp_replace({s}, '[{_CURRENCY_CHARS}()]', '', 'g'))"
    # the cleaned text is bound once (a lambda's parameter): written out, DuckDB ran its patterns once
    # per use, and the slow path cost 3.6 times the old one on a file of "$1,234.50"
    s = "_num"
    d = re.escape(dec)
    ints = "|".join(f"\\d{{1,3}}({re.escape(g)}\\d{{3}})+" for g in seps) + "|\\d*"
    if bigint and decimal is None:
        ints = "\\d{1,3}(\\.\\d{3})+|" + ints
    frac = f"({d}0*)?" if bigint else f"({d}\\d*)?" + ("" if places else "([eE][+-]?\\d+)?")
    pattern = f"^[+-]?\\s*({ints}){frac}$"
    n = s
    for g in seps:
        n = f"replace({n}, {lit(g)}, '')"
    n = f"replace({n}, ' ', '')"  # after the sign
    if dec == ",":
        n = f"replace({n}, ',', '.')"
    normalised, n = n, "_digits"  # bound once too, by a lambda of its own
    if bigint:
        val = f"try_cast(split_part({n}, '.', 1) as BIGINT)"
        if decimal is None:  # "1.234": '.' groups thousands too while the file's decimal is unknown
            dotted = "^[+-]?\\s*\\d{1,3}(\\.\\d{3})+$"
            val = f"case when regexp_matches({s}, {lit(dotted)}) then try_cast(replace({n}, '.', '') as BIGINT) else {val} end"
    elif places:
        # decimal places beyond the type's are accepted only when they are zeros
        val = (f"case when regexp_matches({n}, '\\.\\d{{{places}}}\\d*[1-9]\\d*$') then null "
               f"else try_cast({n} as {target}) end")
    else:
        val = f"try_cast({n} as {target})"
    val = f"list_transform([{normalised}], lambda _digits: {val})[1]"
    checked = f"list_transform([{cleaned}], lambda _num: case when regexp_matches(_num, {lit(pattern)}) then {val} end)[1]"
    slow = f"(case when {neg} then -1 else 1 end) * {checked}"
    # (a CASE, not coalesce(): DuckDB evaluates coalesce's second argument on every row, CASE's
    # branches only on theirs; the repeated fast expression is computed once)
    return f"(case when {fast} is not null then {fast} else {slow} end)"


def _time_candidates(col: Column) -> list[str]:
    return list(TIMESTAMP_FORMATS if col.type == "timestamp" else DATE_FORMATS)


def _time_expr(expr: str, col: Column, fmt: str | None, tz: str) -> str:
    if fmt is None or fmt == "iso":
        # as written: DuckDB's date and time casts skip leading and trailing spaces, and the patterns
        # below allow trailing ones (trimming every value cost more than the cast)
        v = f"nullif({expr}, '')"
        if col.type == "date":
            return f"coalesce(try_cast({v} as DATE), try_cast(try_cast({v} as TIMESTAMP) as DATE))"
        # "10:00:00 +02:00" and "10:00:00 +0200": DuckDB wants no space before the offset
        compact = f"regexp_replace({v}, '(\\d)\\s+([+-]\\d{{2}}:?\\d{{2}}|[+-]\\d{{2}}|Z)\\s*$', '\\1\\2')"
        with_offset = f"timezone('UTC', try_cast({compact} as TIMESTAMPTZ))"
        # (but not a date alone with a trailing space: "2026-01-05 " reads as a date and a missing time)
        naive = f"coalesce(try_cast({v} as TIMESTAMP), try_cast(trim({v}) as TIMESTAMP))"
        if tz not in ("UTC", "Etc/UTC"):
            naive = f"timezone('UTC', timezone({lit(tz)}, {naive}))"
        # "...T10:00:00Z", the commonest form, skips the general offset pattern and the time zone
        # conversion: a TIMESTAMP cast reads it as the UTC time it is
        utc = f"try_cast({v} as TIMESTAMP)"
        # a zone name after the time ("... America/New_York"): DuckDB's TIMESTAMP cast ignores it, its
        # TIMESTAMPTZ cast honours an IANA name. Only a value that does not end in a digit, or that holds
        # a '/' (Etc/GMT+5), can carry one: those alone reach the zone patterns. An abbreviation (PDT,
        # IST) or any other word is no time (NULL: a `type` problem, explained by `_type_expected`).
        named = f"timezone('UTC', try_cast({v} as TIMESTAMPTZ))"
        plain = f"({v}[-1] between '0' and '9' and not contains({v}, '/'))"
        return (f"(case when ends_with({v}, 'Z') then {utc} "
                f"when regexp_matches({v}, {lit(_OFFSET_RE)}) then {with_offset} "
                f"when {plain} then {naive} "
                f"when regexp_matches({v}, {lit(_ZONE_NAME_RE)}) then {named} "
                f"when regexp_matches({v}, '\\d\\s*$') then {naive} end)")
    parsed = f"try_strptime(nullif(trim({expr}), ''), {lit(fmt)})"
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


# Evidence for a file's decimal separator, on cleaned numbers. "1,234" and "1.234" alone are ambiguous
# (thousands or decimals?); "0.125", "12.50", "1.234.567", "1,234.5" are not.
_COMMA_DECIMAL = r",\d{1,2}$|,\d{4,}$|\..*,|\..*\.|^-?0,\d+$"
_DOT_DECIMAL = r"\.\d{1,2}$|\.\d{4,}$|,.*\.|,.*,|^-?0\.\d+$"
_AMBIGUOUS = r"^-?[1-9]\d{0,2}([.,]\d{3})+$"


def _first(cond: str, value: str) -> str:
    """The first row (and its text) where `cond` holds, as struct(r, v), or NULL."""
    return f"arg_min(struct_pack(r := _row, v := {value}), _row) filter (where {cond})"


def decide_formats(con: duckdb.DuckDBPyConnection, table: str, contract: TableContract,
                   src: dict[str, str], dialect: Dialect, times: list[str] | None = None
                   ) -> tuple[str | None, dict[str, str]]:
    """Decide the file's decimal separator, or raise if ambiguous; and the date format of each column in
    `times` (those that ISO parsing failed on: the loader tries ISO first, as most exports write it, and
    only asks about the columns where it failed; parsing every value twice would cost more).

    The decimal is None when nothing in the file tells (whole numbers only)."""
    numeric = [c for c in contract.columns if c.type in ("decimal", "precise", "rate", "double") and c.name in src]
    times = [c for c in contract.columns if c.type in _TIME and c.name in times] if times else []
    aggs = []
    for c in numeric:
        core = _clean_number(src[c.name])
        aggs += [
            _first(f"regexp_matches({core}, {lit(_COMMA_DECIMAL)})", src[c.name]),
            _first(f"regexp_matches({core}, {lit(_DOT_DECIMAL)})", src[c.name]),
            _first(f"regexp_matches({core}, {lit(_AMBIGUOUS)})", src[c.name]),
        ]
    for c in times:
        iso = _time_expr(src[c.name], c, "iso", dialect.timezone)
        aggs.append(f"count(*) filter (where {_nonempty(src[c.name])} and {iso} is null)")
    decimal = dialect.decimal
    if not decimal and dialect.thousands in (".", ","):  # a mapping stating only its thousands separator
        decimal = "," if dialect.thousands == "." else "."
    formats: dict[str, str] = dict(dialect.formats)
    if not aggs:
        return decimal, formats
    row = con.execute(f"select {', '.join(aggs)} from {table}").fetchone()
    n = len(numeric)
    comma = [(numeric[i], row[3 * i]) for i in range(n) if row[3 * i] is not None]
    dot = [(numeric[i], row[3 * i + 1]) for i in range(n) if row[3 * i + 1] is not None]
    ambiguous = [(numeric[i], row[3 * i + 2]) for i in range(n) if row[3 * i + 2] is not None]
    if not decimal:
        if comma and dot:
            (cc, ch), (dc, dh) = min(comma, key=lambda x: x[1]["r"]), min(dot, key=lambda x: x[1]["r"])
            later, col = (ch, cc) if ch["r"] > dh["r"] else (dh, dc)
            raise FileProblem(
                "number_format", f"row {later['r']}, column {col.name}: numbers use both ',' and '.' as decimal "
                f"separator in one file ({dh['v']!r} in {dc.name}, row {dh['r']}; {ch['v']!r} in {cc.name}, "
                f"row {ch['r']})", row=later["r"], column=col.name, expected="one decimal separator",
                found=later["v"])
        if comma:
            decimal = ","
        elif dot:
            decimal = "."
        elif ambiguous:
            col, hit = min(ambiguous, key=lambda x: x[1]["r"])
            advice = ("Add a feed mapping stating `decimal`" if contract.source == "generic" else
                      f"{contract.source}/{contract.table} takes no feed mapping (only generic feeds do): re-export "
                      "it with plain numbers (no thousands separator)")
            raise FileProblem("number_format", f"row {hit['r']}, column {col.name}: ambiguous number {hit['v']!r}: "
                              f"thousands or decimal separator? {advice}",
                              row=hit["r"], column=col.name, expected="a stated decimal separator", found=hit["v"])
    failing = [c for i, c in enumerate(times) if row[3 * n + i]]
    for c in failing:
        formats[c.name] = _choose_time_format(con, table, c, src[c.name], dialect.timezone, contract)
    return decimal, formats


def _choose_time_format(con, table: str, col: Column, expr: str, tz: str,
                        contract: TableContract | None = None) -> str:
    cands = _time_candidates(col)
    exprs = [_time_expr(expr, col, f, tz) for f in cands]
    fails = con.execute(
        "select " + ", ".join(f"count(*) filter (where {_nonempty(expr)} and {e} is null)" for e in exprs)
        + f" from {table}"
    ).fetchone()
    valid = [i for i, n in enumerate(fails) if n == 0]
    if not valid:
        # no format reads every row: the one that reads the most, so that the cast check names the row that
        # breaks it (a 31 June among US dates), not the first row of all, which only ISO cannot read
        iso = _time_expr(expr, col, "iso", tz)
        iso_fails = con.execute(f"select count(*) filter (where {_nonempty(expr)} and {iso} is null) from {table}").fetchone()[0]
        best = min(range(len(cands)), key=lambda i: (fails[i], i))
        return cands[best] if fails[best] < iso_fails else "iso"
    if len(valid) > 1:
        first = exprs[valid[0]]
        diff = con.execute(
            "select " + ", ".join(_first(f"{first} <> {exprs[i]}", expr) for i in valid[1:])
            + f" from {table}"
        ).fetchone()
        clash = [(cands[i], d) for i, d in zip(valid[1:], diff, strict=True) if d is not None]
        if clash:
            fmt, hit = min(clash, key=lambda x: x[1]["r"])
            advice = ("add a feed mapping with its `format`" if contract is None or contract.source == "generic" else
                      f"{contract.source}/{contract.table} takes no feed mapping (only generic feeds do): re-export "
                      "it with ISO 8601 dates (YYYY-MM-DD)")
            raise FileProblem("date_format", f"row {hit['r']}, column {col.name}: ambiguous dates, e.g. {hit['v']!r} "
                              f"parses as {cands[valid[0]]} and as {fmt}, and no row tells which; {advice}",
                              row=hit["r"], column=col.name,
                              expected="an unambiguous date format", found=hit["v"])
    return cands[valid[0]]


def typed_select(contract: TableContract, src: dict[str, str], decimal: str | None, formats: dict[str, str],
                 dialect: Dialect, salt: str, padded: Container[str] = (),
                 scrubbed: Container[str] = ()) -> dict[str, str]:
    """Canonical column -> typed SQL expression (NULL for columns the file does not have).

    A text column (`is_text`) is taken as written, unless it is in `padded` (the loader's second cast,
    once `batch_problems` has found values with leading or trailing spaces): then it is trimmed. Most
    files pad nothing, and trimming every value cost a fifth of a load. Likewise a `scrub` column is
    scrubbed of personal data when it is in `scrubbed` (`batch_problems` found a value that may hold
    some): the scrub of five columns cost a sixth of a load of a file that had none."""
    out: dict[str, str] = {}
    for c in contract.columns:
        if c.name not in src:
            out[c.stored_name] = f"cast(null as {c.sql_type})"
            continue
        e = src[c.name]
        text = f"nullif(trim({e}, {lit(_PAD)}), '')" if c.name in padded else \
            f"nullif(trim({e}), '')" if not is_text(c) else f"nullif({e}, '')"
        if c.pii == "hash":
            norm = f"lower(trim({e}))" if "mail" in c.name else f"regexp_replace({e}, '[^0-9]', '', 'g')"
            out[c.stored_name] = f"case when nullif({norm}, '') is null then null else sha256({lit(salt)} || {norm}) end"
        elif c.type in _NUMERIC:
            out[c.stored_name] = _number_expr(e, c, decimal, dialect.thousands)
        elif c.type in _TIME:
            out[c.stored_name] = _time_expr(e, c, formats.get(c.name, "iso"), dialect.timezone)
        elif c.type == "boolean":
            out[c.stored_name] = _bool_expr(e)
        elif c.currency:
            out[c.stored_name] = f"upper({text})"
        elif c.upper:  # a code: ' igdeals10' and 'IGDEALS10' are one key
            out[c.stored_name] = f"nullif(upper(trim({e})), '')"
        elif c.accepted:
            out[c.stored_name] = f"lower({text})"
        elif c.scrub and c.name in scrubbed:
            out[c.stored_name] = _SCRUB[c.scrub](text, salt)
        else:
            out[c.stored_name] = text
    return out


# personal data in free text (contract `scrub:`): an identifier that is an email or phone is hashed,
# emails in text and URLs are replaced, and so are a URL's personal query parameters
_SCRUB: dict[str, Callable[[str, str], str]] = {
    "id": personal.sql_pseudonymise_id,
    "text": lambda e, _salt: personal.sql_scrub_text(e),
    "note": lambda e, _salt: personal.sql_scrub_note(e),
    "url": lambda e, _salt: personal.sql_scrub_url(e),
    "json": lambda e, _salt: personal.sql_scrub_json(e),
    "ga4_params": lambda e, _salt: personal.sql_scrub_ga4_params(e),
}


def is_text(c: Column) -> bool:
    """Stored as its text (trimmed where the file pads it): `batch_problems` sees its padding."""
    return not c.pii and c.type in ("varchar", "json")


_PAD = " \t\u00a0"  # what a padded text column is trimmed of: spaces, tabs, no-break spaces


def _padded(t: str) -> str:
    """A value that starts or ends with a space, a tab or a no-break space (U+00A0, which would make
    "o1\u00a0" another key than "o1"), or is only those. The first character's code and the last
    character: on 10M keys as cheap as the two `like` tests of spaces alone were."""
    return f"(ascii({t}) in (32, 9, 160) or {t}[-1] in (' ', {lit(chr(9))}, {lit(chr(160))}))"


def _identity(c: Column, contract: TableContract) -> bool:
    """A key or scope column: an id there that Excel mangled makes a re-export another row (spend doubles).
    Not every `*_id` column: the test costs a scan of each value, and the ingest has no time to spare."""
    return c.name in contract.key or c.name in contract.scope or c.name == "id"


# an id that Excel turned into a number in scientific notation ("2.03041E+15"): only values holding
# a '+' reach the pattern
_SCI_ID_RE = r"^\s*[0-9](\.[0-9]+)?[eE]\+[0-9]+\s*$"


def _sci_id(t: str) -> str:
    # (a CASE: DuckDB's AND evaluated the pattern on every row, doubling the test's cost)
    return f"(case when contains({t}, '+') then regexp_matches({t}, {lit(_SCI_ID_RE)}) else false end)"


def _has_raw_copy(c: Column) -> bool:
    # a text column's typed value is its trimmed text: the checks quote that, no copy needed (a
    # currency or code is upper-cased and an `accepted` value lower-cased: those quote the text as written)
    return not c.pii and (c.type not in ("varchar", "json") or bool(c.currency) or bool(c.accepted) or c.upper)


def raw_copies(contract: TableContract, src: dict[str, str]) -> dict[str, str]:
    """The text columns the checks quote back (as `__raw_<name>`), kept beside the typed ones: those
    a cast can fail on."""
    return {f"__raw_{c.name}": src[c.name] for c in contract.columns if c.name in src and _has_raw_copy(c)}


def _range_text(col: Column) -> str:
    if col.at_most:
        return f"a value from {col.min if col.min is not None else '-inf'} to the row's {col.at_most}"
    if col.positive:
        return "a value above 0"
    if col.min is not None and col.max is not None:
        return f"a value from {col.min} to {col.max}"
    return f"a value >= {col.min}" if col.min is not None else f"a value <= {col.max}"


def batch_problems(con: duckdb.DuckDBPyConnection, typed: str, contract: TableContract,
                   src: dict[str, str], raw: str | None = None) -> list[dict[str, Any]]:
    """Every check's first offending row, and a `padded` entry (no row) per text column whose values
    have leading or trailing spaces.

    `typed` holds the cast columns and `_row`; the text the checks quote back is in `typed` too (the
    `__raw_<name>` columns of `raw_copies`), or, when `raw` names a relation with `_row` and those
    columns, there: then one scan of `typed` first says whether any row can be offending, and only
    if one can is `raw` joined in to find and quote it. A window runs only if a key repeats."""
    problems: list[dict[str, Any]] = []
    # check, column, condition, value quoted, a condition without the text (true on a superset of rows)
    aggs: list[tuple[str, Column, str, str, str]] = []
    for c in contract.columns:
        if c.name not in src or c.pii:
            continue
        t = ident(c.stored_name)
        s = ident(f"__raw_{c.name}") if _has_raw_copy(c) else t
        if c.type not in ("varchar", "json"):
            aggs.append(("type", c, f"{_nonempty(s)} and {t} is null", s, f"{t} is null"))
        elif c.type == "varchar" and _identity(c, contract):
            aggs.append(("type", c, _sci_id(t), s, _sci_id(t)))
        if c.required:
            empty = f" and not {_nonempty(s)}" if s != t else ""
            aggs.append(("not_null", c, f"{t} is null{empty}", s, f"{t} is null"))
        if c.min is not None:
            aggs.append(("range", c, f"{t} < {c.min}", s, f"{t} < {c.min}"))
        if c.positive:
            aggs.append(("range", c, f"{t} <= 0", s, f"{t} <= 0"))
        if c.max is not None:
            aggs.append(("range", c, f"{t} > {c.max}", s, f"{t} > {c.max}"))
        if c.at_most and c.at_most in src:
            other = ident(next(o.stored_name for o in contract.columns if o.name == c.at_most))
            aggs.append(("range", c, f"{t} > {other}", s, f"{t} > {other}"))
        if c.currency:
            known = ", ".join(lit(x) for x in sorted(CURRENCIES))
            cond = f"{t} is not null and {t} not in ({known})"
            aggs.append(("currency_known", c, cond, s, cond))
        if c.accepted:
            cond = f"{t} is not null and {t} not in ({', '.join(lit(x) for x in c.accepted)})"
            aggs.append(("accepted_values", c, cond, s, cond))
        if c.type in _TIME:
            cond = f"cast({t} as DATE) > current_date + 1"
            aggs.append(("not_future", c, cond, s, cond))
    first = [f"arg_min(struct_pack(r := _row, v := {v}), _row) filter (where {cond})" for _, _, cond, v, _ in aggs]
    # `padded`: a text column with values padded by spaces (cast as written): the loader trims it and casts
    # again; found in the same scan as the other checks
    texts = [c for c in contract.columns if c.name in src and is_text(c)]
    pads = [f"bool_or({_padded(ident(c.stored_name))})" for c in texts]
    # `personal`: a `scrub` column (cast as written) with a value that may hold personal data: the loader
    # scrubs it and casts again; found in the same scan
    scrubs = [c for c in texts if c.scrub]
    texts = texts + scrubs
    pads += [f"bool_or({personal.sql_may_hold_personal(c.scrub, ident(c.stored_name))})" for c in scrubs]
    keys = ", ".join(ident(k) for k in contract.key)
    checked = [k for k in contract.key if k not in contract.key_nullable] if contract.key else []
    keyed = [f"min(_row) filter (where {ident(k)} is null)" for k in checked]
    if contract.key:
        # whether any key repeats: a row equal to the one before it in key order (NULL equal to NULL, as
        # group by has it). DuckDB sorts 10M string keys in about 60% of a hash aggregate's time.
        key = f"struct_pack({keys})"
        keyed.append(f"(select count(*) filter (where same) from (select {key} is not distinct from "
                     f"lag({key}) over (order by {keys}) as same from {typed}))")
    if raw is None:
        row = con.execute("select " + ", ".join([*pads, *first, *keyed, "true"]) + f" from {typed}").fetchone()
        padded, row = row[: len(pads)], row[len(pads):]
        hits = row[: len(first)]
    else:
        maybe = [m for *_, m in aggs]
        candidates = f"count(*) filter (where {' or '.join(f'({m})' for m in maybe)})" if maybe else "0"
        row = con.execute("select " + ", ".join([*pads, candidates, *keyed, "true"]) + f" from {typed}").fetchone()
        padded, row = row[: len(pads)], row[len(pads):]
        hits = [None] * len(first)
        if row[0]:
            hits = con.execute("select " + ", ".join(first) + f" from {typed} join {raw} using (_row)").fetchone()
        row = row[1:]
    problems += [{"check": "padded" if i < len(texts) - len(scrubs) else "personal", "column": c.name, "row": None,
                  "found": None} for i, (c, hit) in enumerate(zip(texts, padded, strict=True)) if hit]
    for (check, col, *_), hit in zip(aggs, hits, strict=True):
        if hit is not None:
            problems.append({"check": check, "column": col.name, "row": hit["r"], "found": hit["v"], "col": col})
    if contract.key:
        key_hits = row[len(first):] if raw is None else row
        for k, r in zip(checked, key_hits[: len(checked)], strict=True):
            if r is not None:
                problems.append({"check": "key_not_null", "column": k, "row": r, "found": None})
        if key_hits[len(checked)]:
            dup = con.execute(
                "select struct_pack(r := _row, first := first_row) from (select _row, "
                f"row_number() over (partition by {keys} order by _row) as n, "
                f"min(_row) over (partition by {keys}) as first_row from {typed}) where n = 2 order by _row limit 1"
            ).fetchone()[0]
            problems.append({"check": "key_unique", "column": ",".join(contract.key), "row": dup["r"],
                             "found": f"the key of row {dup['first']}"})
    return problems


_ABBREVIATION_RE = re.compile(r"[A-Z]{2,5}")  # PDT, CEST, BST, IST: each names several zones, or none


def _type_expected(col: Column | None, found: Any) -> str:
    """What a `type` problem's cell should hold; said of the value found where that tells more than
    the type (the found value is one string, explained here in Python at no cost to the cast)."""
    if col is None:
        return "a value"
    text = found if isinstance(found, str) else ""
    if col.type == "varchar" and re.match(_SCI_ID_RE, text):
        return "an id as written, not an id in scientific notation (opened in Excel?)"
    places = {"decimal": 3, "precise": 9}.get(col.type)
    if places and (m := re.search(r"[.,](\d+)\D*$", text)) and m.group(1)[places:].strip("0"):
        return (f"a number with at most {places} decimal places ({col.type}); this one has more than {places} "
                "decimal places (not rounded)")
    if col.type == "timestamp" and (m := _ZONE_WORD_RE.search(text)) and m.group(1) not in ("Z", "UTC", "GMT"):
        word = m.group(1)
        how = "write a UTC offset (+02:00) or an IANA time zone name (Europe/Berlin)"
        if _ABBREVIATION_RE.fullmatch(word):
            return (f"a timestamp with a UTC offset or an IANA time zone name: {word!r} is a time zone "
                    f"abbreviation, which is ambiguous (IST, BST, CST each name several zones); {how}")
        return f"a timestamp with a UTC offset or an IANA time zone name: {word!r} is an unknown time zone; {how}"
    return f"a {col.type} value"


def raise_first(problems: list[dict[str, Any]], contract: TableContract,
                line_of: Callable[[int], int | None] | None = None) -> None:
    """Raise FileProblem for the first offending row of `problems` (from `batch_problems`), if any;
    `line_of` gives a row's line in the file (a CSV's), for the message."""
    problems = [p for p in problems if p["check"] not in ("padded", "personal")]
    if not problems:
        return
    # a key cell whose value does not cast is null too: its `type` problem, which quotes the value, is
    # the one to report, not `key_not_null`, which cannot
    typed = {(x["row"], x["column"]) for x in problems if x["check"] == "type"}
    problems = [x for x in problems if x["check"] != "key_not_null" or (x["row"], x["column"]) not in typed]
    # the first offending row; on one row, the most specific check (key_not_null before not_null)
    p = min(problems, key=lambda x: (x["row"], x["check"]))
    col: Column | None = p.get("col")
    expected = {
        "type": _type_expected(col, p["found"]),
        "not_null": "a value (required column)",
        "range": _range_text(col) if col else "",
        "currency_known": "an ISO 4217 currency code",
        "accepted_values": (f"one of {', '.join(col.accepted)}" + ("" if col.required else " or empty")) if col else "",
        "not_future": "a date not after tomorrow",
        "key_not_null": f"key {list(contract.key)} not null",
        "key_unique": f"key {list(contract.key)} unique within the file",
    }[p["check"]]
    # a cell of a typed or coded column is quoted only when it holds no words (it may be a shifted name)
    value = p["found"]
    if p["check"] in ("type", "range", "currency_known", "accepted_values"):
        value = personal.cell_shown(value, coded=p["check"] in ("currency_known", "accepted_values"))
    found = "" if value is None else (repr(value) if value == p["found"] else value)
    line = line_of(p["row"]) if line_of else None
    raise FileProblem(
        p["check"],
        f"row {p['row']}" + (f" (line {line})" if line else "") + f", column {p['column']}: expected {expected}"
        + (f", found {found}" if found else ""),
        row=p["row"], column=p["column"], expected=expected, found=value,
    )
