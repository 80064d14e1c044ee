"""The pre-publish quality gate: Great Expectations over aggregates that DuckDB computes.

`run_gate(settings, month)` opens the warehouse read-only, computes each check's aggregate in SQL
(a few hundred rows in all, never a whole table in pandas), puts them in one small dataframe, the
*month aggregates*, and runs the committed GX checkpoint `pre_publish` on it (a file context under
`expectations/`, see its README). Every expectation carries the name of its check in its `meta`;
the result names each check, passed or failed, with a message and a sample, and is written to
`<state>/gate/<month>.json` beside the month's Data Docs (`<state>/gate/<month>/data_docs/`).

Why one dataframe: a GX checkpoint passes the same batch parameters to all its validation
definitions, so each suite reads its own columns of one frame (a column is empty on the rows of
other checks, and GX skips empty values). Why aggregates: GX's SQL datasource cannot run on
DuckDB, and pandas must not hold the month's fact tables.

Checks (stable names): completeness, fx_coverage, credits_sum_to_one, revenue_reconciles,
spend_reconciles, roas_finite, no_personal_data, volume_band, and the landed batches' rules
generated from the source contracts: batch_keys, batch_ranges, batch_currencies, batch_required.
An override (`<state>/gate_overrides.yml`: a list of {month, check, who, why}) turns a failing
check into a pass and is recorded in the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from socialroi import months
from socialroi.personal import (PERSONAL_COLUMN_RE, PHONE_SEPARATED_RE, mask, sql_has_email, sql_has_embedded_phone,
                                sql_is_phone)
from socialroi.settings import EXPECTATIONS_DIR, Settings

CHECKPOINT = "pre_publish"
DATASOURCE = "socialroi_gate"
ASSET = "month_aggregates"
BATCH = "whole_frame"
SUBJECT = "subject"

CREDIT_TOLERANCE = 1e-9
VOLUME_BAND = (0.2, 5.0)  # this month / median of the previous months
VOLUME_HISTORY_MONTHS = 3  # bands apply once a metric has this many previous months
SAMPLE_SIZE = 5

# CONTRACTS: an event takes the last earlier rate up to 7 days back (dbt: int_fx_rates_daily)
FX_CARRY_FORWARD_DAYS = 7

CHECKS = (
    "completeness",
    "fx_coverage",
    "credits_sum_to_one",
    "revenue_reconciles",
    "spend_reconciles",
    "roas_finite",
    "no_personal_data",
    "volume_band",
    "batch_keys",
    "batch_ranges",
    "batch_currencies",
    "batch_required",
)


class GateConfigError(ValueError):
    """The gate's own configuration (override file, committed suites) is wrong: fix the file named."""


@dataclass(frozen=True)
class Measure:
    """One column of the month aggregates and the expectation on it."""

    column: str
    check: str
    suite: str
    min_value: float
    max_value: float
    description: str


MEASURES: tuple[Measure, ...] = (
    Measure("missing_days", "completeness", "file_ledger", 0, 0,
            "days of the month that no loaded file of an expected source covers"),
    Measure("events_without_rate", "fx_coverage", "int_revenue_events", 0, 0,
            "revenue events of the month without an exchange rate within 7 days, per currency"),
    Measure("credit_sum_error", "credits_sum_to_one", "fct_order_attribution", 0, CREDIT_TOLERANCE,
            "largest |sum of credits - 1| over the month's orders, per model"),
    Measure("sale_revenue_difference", "revenue_reconciles", "fct_order_attribution", 0, 0,
            "attributed sale revenue - net sales of the month's sale events (reporting currency), per model"),
    Measure("revenue_difference", "revenue_reconciles", "mart_attribution_channel_monthly", 0, 0,
            "attributed revenue - net sales of mart_net_sales_monthly (reporting currency), per model"),
    Measure("spend_difference", "spend_reconciles", "mart_attribution_channel_monthly", 0, 0,
            "mart spend - converted spend of int_ad_spend_daily, per model and platform"),
    Measure("roas_invalid_rows", "roas_finite", "mart_attribution_channel_monthly", 0, 0,
            "rows with spend > 0 whose ROAS is null or not finite, per mart and model"),
    Measure("source_spend_difference", "spend_reconciles", "int_ad_spend_daily", 0, 0,
            "int_ad_spend_daily spend - the raw platform rows' spend (account currency), per account"),
    Measure("spend_days_without_rate", "fx_coverage", "int_ad_spend_daily", 0, 0,
            "spend days of the month without an exchange rate within 7 days, per currency"),
    Measure("personal_columns", "no_personal_data", "published_marts", 0, 0,
            "mart columns whose name suggests personal data, per mart"),
    Measure("personal_values", "no_personal_data", "published_marts", 0, 0,
            "values that look like an email address or a phone number, per mart"),
    Measure("volume_ratio", "volume_band", "month_volumes", VOLUME_BAND[0], VOLUME_BAND[1],
            f"this month / median of the previous {VOLUME_HISTORY_MONTHS} months (orders, revenue, spend)"),
    Measure("batch_key_nulls", "batch_keys", "raw_landed_batches", 0, 0,
            "current rows of the month with a null key column, per landed table"),
    Measure("batch_key_duplicates", "batch_keys", "raw_landed_batches", 0, 0,
            "current rows of the month sharing their key with another row, per landed table"),
    Measure("batch_out_of_range", "batch_ranges", "raw_landed_batches", 0, 0,
            "values outside the contract's min/max (spend, impressions, clicks >= 0), per column"),
    Measure("batch_unknown_currencies", "batch_currencies", "raw_landed_batches", 0, 0,
            "currency codes that are not known ISO 4217 codes, per column"),
    Measure("batch_missing_required", "batch_required", "raw_landed_batches", 0, 0,
            "empty values in the contract's required columns, per column"),
)

SUITE_DESCRIPTIONS = {
    "file_ledger": "ingest.file_ledger: every expected source's loaded files cover every day of the month.",
    "int_revenue_events": "intermediate.int_revenue_events: every sale and return of the month has a rate.",
    "fct_order_attribution": "marts.fct_order_attribution: credits sum to 1 per order and model; "
                             "sale revenue equals the sale events' net sales to the cent.",
    "mart_attribution_channel_monthly": "marts.mart_attribution_channel_monthly (and the campaign mart's ROAS): "
                                        "revenue equals net sales and spend equals the platform files, per model.",
    "int_ad_spend_daily": "intermediate.int_ad_spend_daily: spend equals the raw platform rows in the account "
                          "currency; every spend day has a rate.",
    "published_marts": "every table of the marts schema: no column or value that looks like personal data.",
    "month_volumes": "orders, attributed revenue and spend within a band of the previous months' median.",
    "raw_landed_batches": "raw.<source>__<table>, the month's current rows: the rules of socialroi/contracts/*.yml "
                          "(keys unique and not null, ranges, known currencies, required values).",
}

ID_COLUMN_RE = re.compile(r"(^id$|_id$|_ids$|_key$|_hash$|^month$)")
# in an id or key, a phone is a number with a leading + or with separators (not a bare run of digits)
ID_PHONE_SEPARATED_RE = r"(\+.*|.*[0-9][ ().\-]+[0-9].*)"


# ---------------------------------------------------------------------------------------------
# Findings: the rows of the month aggregates
# ---------------------------------------------------------------------------------------------
@dataclass
class Finding:
    check: str
    subject: str
    column: str
    value: float
    detail: str  # the sentence a failure message uses
    sample: list[Any] = field(default_factory=list)


@dataclass
class Collector:
    findings: list[Finding] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, column: str, subject: str, value: float | Decimal | int | None, detail: str,
            sample: list[Any] | None = None) -> None:
        check = _MEASURE_BY_COLUMN[column].check
        v = float(value) if value is not None else -1.0
        self.findings.append(Finding(check, subject, column, v, detail, _jsonable(sample or [])))

    def note(self, check: str, text: str) -> None:
        self.notes[check].append(text)

    def error(self, column: str, exc: Exception) -> None:
        """A check whose aggregate cannot be computed fails (-1 is outside every measure's range)."""
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        self.add(column, f"{column}: not computed", -1.0, f"could not be computed: {first}")


_MEASURE_BY_COLUMN = {m.column: m for m in MEASURES}


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return str(v)
    return v


def _ranges(days: list[dt.date]) -> str:
    """[d1, d2, d3, d7] -> '2026-03-01..2026-03-03, 2026-03-07'."""
    days = sorted(set(days))
    parts: list[str] = []
    i = 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and (days[j + 1] - days[j]).days == 1:
            j += 1
        parts.append(days[i].isoformat() if i == j else f"{days[i].isoformat()}..{days[j].isoformat()}")
        i = j + 1
    return ", ".join(parts)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _exists(con, schema: str, table: str) -> bool:
    return con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
    ).fetchone()[0] > 0


# ---------------------------------------------------------------------------------------------
# The checks' aggregates (DuckDB SQL)
# ---------------------------------------------------------------------------------------------
def _expected_source_tables(name: str) -> tuple[str, list[str]] | None:
    """'facebook_ads' -> every table of the source; 'generic_sessions' -> generic/sessions."""
    from socialroi.ingest.contracts import all_contracts

    contracts = all_contracts()
    sources = {s for s, _ in contracts}
    if name in sources:
        return name, sorted(t for s, t in contracts if s == name)
    for (s, t) in contracts:
        if f"{s}_{t}" == name or f"{s}/{t}" == name or f"{s}__{t}" == name:
            return s, [t]
    return None


# report tables dated by the start of the account-local day as a UTC timestamp (X ads and organic): a file's period in the
# ledger is its rows' UTC dates, a day early for an account east of UTC; completeness takes its days in the
# account's zone (the latest account_history row's), from the file's landed rows.
# (source, table) -> (the rows' account column, the account history table with `timezone`)
LOCAL_DAY_START_TABLES = {("twitter_ads", "promoted_tweet_report"): ("account_id", "twitter_ads__account_history"),
                          ("twitter_organic", "organic_tweet_report"): ("account_id", "twitter_organic__account_history")}


def _ledger_with_local_periods(con, source: str, tables: list[str]) -> str:
    """ingest.file_ledger, with the account-local period of each file of LOCAL_DAY_START_TABLES."""
    parts = []
    for table in tables:
        spec = LOCAL_DAY_START_TABLES.get((source, table))
        if spec is None or not _exists(con, "landing", f"{source}__{table}") or not _exists(con, "raw", spec[1]):
            continue
        account, history = spec
        parts.append(f"""
            select r._file_sha256 as sha256, {_lit(table)} as table_name,
                min(cast(timezone(coalesce(nullif(z.timezone, ''), 'UTC'), timezone('UTC', r.date)) as date)) as lo,
                max(cast(timezone(coalesce(nullif(z.timezone, ''), 'UTC'), timezone('UTC', r.date)) as date)) as hi
            from landing.{source}__{table} as r
            left join (select id, arg_max(timezone, updated_at) as timezone from raw.{history} group by 1) as z
                on z.id = r.{account}
            group by 1""")
    if not parts:
        return "select * from ingest.file_ledger"
    return f"""
        select l.* replace (coalesce(p.lo, l.period_start) as period_start, coalesce(p.hi, l.period_end) as period_end)
        from ingest.file_ledger as l
        left join ({' union all '.join(parts)}) as p
            on p.sha256 = l.sha256 and p.table_name = l.table_name and l.source = {_lit(source)}"""


def check_completeness(con, settings: Settings, month: str, out: Collector) -> None:
    from socialroi.ingest.contracts import all_contracts

    start, end = months.bounds(month)
    n_days = (end - start).days + 1
    if not settings.expected_sources:
        out.note("completeness", "no expected_sources configured: nothing to judge")
        return
    out.note("completeness", "sources " + ", ".join(settings.expected_sources))
    for name in settings.expected_sources:
        resolved = _expected_source_tables(name)
        if resolved is None:
            out.add("missing_days", name, n_days,
                    f"{name}: not a known source or <source>_<table> (see socialroi/contracts/); "
                    "fix expected_sources in socialroi.yml")
            continue
        source, tables = resolved
        dated = [t for t in tables if all_contracts()[(source, t)].date]
        in_tables = ", ".join(_lit(t) for t in tables)
        if not dated:  # a reference table without dates: one loaded file is enough
            n = con.execute(
                f"select count(*) from ingest.file_ledger where source = ? and table_name in ({in_tables}) "
                "and outcome in ('loaded', 'superseded')", [source]).fetchone()[0]
            out.add("missing_days", name, 0 if n else n_days,
                    f"{name}: no file loaded" if not n else f"{name}: {n} file(s) loaded")
            continue
        in_dated = ", ".join(_lit(t) for t in dated)
        # a rate serves the days after it (weekends, holidays): an FX file covers its period and the
        # carry-forward window after it, as int_fx_rates_daily applies rates
        carry = FX_CARRY_FORWARD_DAYS if source == "fx" else 0
        # an export of entities (orders, sessions) holds rows only for days something happened, so its
        # rows' days understate what it covers: it also covers the rest of its last row's month up to the
        # last day that had ended, in the reporting zone, when it was exported (the export time it states,
        # else its file time: one taken on 30 June at 10:00 covers 29 June, not 30), and a quiet day between the
        # feed's first and last covered days is no gap in a month some file has rows in. A month no file
        # has a row in stays missing, and so do the days before the feed's first row.
        entity = [t for t in dated if all_contracts()[(source, t)].kind == "entity"]
        in_entity = ", ".join(_lit(t) for t in entity) or "null"
        exported_day = (f"cast(timezone({_lit(settings.reporting_timezone)}, "
                        "timezone('UTC', coalesce(exported_at, file_mtime))) as date)")
        missing = [r[0] for r in con.execute(
            f"""
            with ledger as ({_ledger_with_local_periods(con, source, dated)}),
            files as (
                select period_start, period_end, table_name in ({in_entity}) as is_entity,
                    case when table_name in ({in_entity})
                        then greatest(period_end, least({exported_day} - 1, last_day(period_end)))
                        else period_end + {carry} end as covered_to
                from ledger
                where source = ? and table_name in ({in_dated}) and outcome in ('loaded', 'superseded')
            ),
            quiet as (
                -- the span of the entity files, if one of them has rows in the month
                select min(period_start) as lo, max(covered_to) as hi from files where is_entity
                having bool_or(period_start <= cast(? as date) and period_end >= cast(? as date))
            )
            select cast(d as date) from generate_series(cast(? as date), cast(? as date), interval 1 day) g(d)
            where not exists (select 1 from files where period_start <= cast(d as date) and covered_to >= cast(d as date))
              and not exists (select 1 from quiet where cast(d as date) between lo and hi)
            order by 1
            """, [source, end, start, start, end]).fetchall()]
        what = name if len(tables) > 1 or name == source else f"{source}/{tables[0]}"
        out.add("missing_days", name, len(missing),
                f"{what}: no loaded file covers {_ranges(missing)} ({len(missing)} of {n_days} days; tables "
                f"{', '.join(dated)}); land the missing export" if missing else f"{what}: every day covered",
                [d.isoformat() for d in missing[:31]])


def check_fx_coverage(con, month: str, out: Collector) -> None:
    try:
        rows = con.execute(
            """
            select currency, count(*) filter (where rate_to_reporting is null),
                   list(distinct event_date order by event_date) filter (where rate_to_reporting is null),
                   count(*)
            from intermediate.int_revenue_events where month = ? group by 1 order by 1
            """, [month]).fetchall()
    except Exception as exc:  # noqa: BLE001 - any failure to compute is the check's failure
        out.error("events_without_rate", exc)
    else:
        for currency, n, dates, total in rows:
            dates = dates or []
            out.add("events_without_rate", f"int_revenue_events currency={currency}", n,
                    f"{n} of {total} revenue events in {currency} have no {currency} rate within 7 days "
                    f"on {_ranges(dates)}; land the rates in fx/rates/" if n else f"{currency}: all rated",
                    [d.isoformat() for d in dates[:31]])
    try:
        rows = con.execute(
            """
            select currency, count(distinct date) filter (where rate_to_reporting is null),
                   list(distinct date order by date) filter (where rate_to_reporting is null),
                   count(distinct date)
            from intermediate.int_ad_spend_daily where month = ? and currency is not null group by 1 order by 1
            """, [month]).fetchall()
        # a report row whose ad has no account in the history tables has no currency: no rate can help it
        unknown = con.execute(
            """
            select platform, count(*), list(distinct date order by date), list(distinct ad_id order by ad_id)
            from intermediate.int_ad_spend_daily where month = ? and currency is null group by 1 order by 1
            """, [month]).fetchall()
    except Exception as exc:  # noqa: BLE001
        out.error("spend_days_without_rate", exc)
    else:
        for platform, n, dates, ads in unknown:
            tables = ACCOUNT_TABLES.get(platform, "its account and history tables")
            shown = ", ".join(str(a) for a in ads[:10]) + (f" and {len(ads) - 10} more" if len(ads) > 10 else "")
            out.add("spend_days_without_rate", f"int_ad_spend_daily platform={platform} currency=(unknown)", n,
                    f"{platform}: {n} spend rows on {_ranges(dates)} have no account currency: ad(s) {shown} have "
                    f"stats but no account in {tables}; land those exports",
                    [{"platform": platform, "ad_id": a} for a in ads[:31]])
        for currency, n, dates, total in rows:
            dates = dates or []
            out.add("spend_days_without_rate", f"int_ad_spend_daily currency={currency}", n,
                    f"{n} of {total} spend days in {currency} have no {currency} rate within 7 days: "
                    f"{_ranges(dates)}; land the rates in fx/rates/" if n else f"{currency}: all rated",
                    [d.isoformat() for d in dates[:31]])


def check_credits(con, month: str, out: Collector) -> None:
    try:
        rows = con.execute(
            f"""
            with sums as (
                select model, order_id, sum(credit) as c
                from marts.fct_order_attribution where month = ? group by 1, 2
            ),
            models as (select distinct model from sums),
            orders as (
                select order_id from intermediate.int_revenue_events where month = ? and event_type = 'sale'
                union
                select order_id from sums
            ),
            grid as (
                select m.model, o.order_id, coalesce(s.c, 0) as c, abs(coalesce(s.c, 0) - 1) as err
                from models m cross join orders o
                left join sums s on s.model = m.model and s.order_id = o.order_id
            ),
            worst as (
                select model, list({{'order_id': order_id, 'credit_sum': c}} order by err desc, order_id)
                    filter (where err > {CREDIT_TOLERANCE}) as bad
                from grid group by 1
            )
            select g.model, max(g.err), count(*) filter (where g.err > {CREDIT_TOLERANCE}), count(*), any_value(w.bad)
            from grid g join worst w on w.model = g.model group by 1 order by 1
            """, [month, month]).fetchall()
    except Exception as exc:  # noqa: BLE001
        out.error("credit_sum_error", exc)
        return
    for model, err, bad, total, sample in rows:
        out.add("credit_sum_error", f"model={model}", err,
                f"{model}: {bad} of {total} orders have credits that do not sum to 1 (worst off by {err:.3g})"
                if bad else f"{model}: ok", (sample or [])[:SAMPLE_SIZE])
    out.note("credits_sum_to_one", f"{len(rows)} models checked")


def _note_returns_left_out(con, month: str, out: Collector, timezone: str = "UTC") -> None:
    """Returns processed in the month (in the reporting time zone, as the marts' months are) whose order
    is not a counted order of the ledger (an order before the loaded history, a test order) or, with Stripe,
    whose charge never counted as a sale (an authorisation never captured) are not net sales: said, with
    their amounts, never silent."""
    if not _exists(con, "intermediate", "int_returns_unioned"):
        return
    rows = con.execute(
        "select coalesce(currency, '(order unknown)'), count(*), sum(amount) from intermediate.int_returns_unioned "
        "where not is_order_counted and strftime(timezone(?, timezone('UTC', processed_at)), '%Y-%m') = ? "
        "group by 1 order by 1", [timezone, month]).fetchall()
    if rows:
        out.note("revenue_reconciles", f"{sum(n for _, n, _ in rows)} return(s) processed in {month} are not net "
                 "sales: their order is not in the loaded ledger or is a test order, or their charge never counted as a sale ("
                 + ", ".join(f"{amount} {cur}" for cur, _, amount in rows) + ")")


def check_revenue(con, month: str, out: Collector, expected_models: list[str] = (), timezone: str = "UTC") -> None:
    """Every model's attributed revenue equals the month's net sales, to the cent: the models found in
    the marts and the ones the build should have made (a model missing from the marts is a failure, not
    an empty check)."""
    expected = " union ".join(f"select {_lit(m)}" for m in expected_models)
    try:
        rows = con.execute(
            f"""
            with net as (
                select coalesce(sum(net_sales_reporting), 0) as v from marts.mart_net_sales_monthly where month = ?
            ),
            att as (
                select model, sum(attributed_revenue) as v from marts.mart_attribution_channel_monthly
                where month = ? group by 1
            ),
            models as (select model from att union select distinct model from marts.fct_order_attribution where month = ?
                       {'union ' + expected if expected else ''})
            select m.model, coalesce(att.v, 0) - net.v, coalesce(att.v, 0), net.v
            from models m cross join net left join att on att.model = m.model order by 1
            """, [month, month, month]).fetchall()
    except Exception as exc:  # noqa: BLE001
        out.error("revenue_difference", exc)
    else:
        if rows:
            out.note("revenue_reconciles", f"net sales {rows[0][3]} ({len(rows)} models)")
            _note_returns_left_out(con, month, out, timezone)
        for model, diff, att, net in rows:
            out.add("revenue_difference", f"model={model}", diff,
                    f"{model}: attributed revenue {att} != net sales {net} (difference {diff})" if diff
                    else f"{model}: {att}", [{"model": model, "attributed_revenue": att, "net_sales_reporting": net}])
    try:
        rows = con.execute(
            """
            with sales as (
                select order_id, sum(net_sales_reporting) as v from intermediate.int_revenue_events
                where month = ? and event_type = 'sale' group by 1
            ),
            fct as (
                select model, order_id, sum(attributed_revenue) as v from marts.fct_order_attribution
                where month = ? group by 1, 2
            ),
            models as (select distinct model from fct),
            orders as (select order_id from sales union select order_id from fct),
            grid as (
                select m.model, o.order_id, coalesce(f.v, 0) as attributed, coalesce(s.v, 0) as net
                from models m cross join orders o
                left join fct f on f.model = m.model and f.order_id = o.order_id
                left join sales s on s.order_id = o.order_id
            )
            select model, sum(attributed) - sum(net), sum(attributed), sum(net),
                   count(*) filter (where attributed <> net),
                   list({'order_id': order_id, 'attributed_revenue': attributed, 'net_sales_reporting': net}
                        order by abs(attributed - net) desc, order_id) filter (where attributed <> net)
            from grid group by 1 order by 1
            """, [month, month]).fetchall()
    except Exception as exc:  # noqa: BLE001
        out.error("sale_revenue_difference", exc)
        return
    for model, diff, att, net, bad, sample in rows:
        out.add("sale_revenue_difference", f"model={model}", diff,
                f"{model}: fct_order_attribution sale revenue {att} != sale events' net sales {net} "
                f"(difference {diff}; {bad} orders differ)" if diff or bad else f"{model}: {att}",
                (sample or [])[:SAMPLE_SIZE])
        if bad and not diff:  # differences that cancel out still fail: the order level must match too
            out.findings[-1].value = float(bad)


# spend in the account currency, per account, straight from the raw rows the platform's staging
# model reads; a platform without a rule here is named in the message as not reconciled to its files
# Each platform's spend from its raw rows, for the month's days ($1..$2), per account (account_id, spend), in
# the account currency, read independently of staging: what int_ad_spend_daily must add up to. Micros are
# converted (to 3 decimals, as staging's micros_to_amount), and amounts with more decimals (LinkedIn's cost,
# TikTok's spend: `precise`) rounded to the 3 places staging keeps, at the grain staging sums them at. Where the
# report rows name no account (the account comes from history tables), the platform's total is compared
# instead: ALL_ACCOUNTS.
ALL_ACCOUNTS = "(all accounts)"
_MICROS = "cast(cast({} as decimal(38, 0)) * 0.000001 as decimal(18, 3))"
RAW_SPEND_SQL = {
    "meta": """
        with connector as (
            select account_id, date, spend from raw.facebook_ads__basic_ad where date between $1 and $2
        ),
        export as (
            select account_id, day as date, spend from raw.facebook_ads__ads_manager_export ex
            where day between $1 and $2
              and not exists (select 1 from raw.facebook_ads__basic_ad b where b.account_id = ex.account_id and b.date = ex.day)
        )
        select account_id, sum(spend) as spend from (select * from connector union all select * from export) group by 1
    """,
    "linkedin": f"""
        select '{ALL_ACCOUNTS}' as account_id,
            sum(cast(coalesce(cost_in_local_currency, cost_in_usd) as decimal(18, 3))) as spend
        from raw.linkedin_ads__ad_analytics_by_creative where day between $1 and $2
    """,
    "pinterest": f"""
        select advertiser_id as account_id, sum({_MICROS.format("spend_in_micro_dollar")}) as spend
        from raw.pinterest_ads__pin_promotion_report where date between $1 and $2 group by 1
    """,
    "snapchat": f"""
        select '{ALL_ACCOUNTS}' as account_id, sum({_MICROS.format("micros")}) as spend
        from (select cast(date as date) as day, ad_id, sum(spend) as micros from raw.snapchat_ads__ad_hourly_report
              where cast(date as date) between $1 and $2 group by 1, 2)
    """,
    "tiktok": f"""
        select '{ALL_ACCOUNTS}' as account_id, sum(cast(spend as decimal(18, 3))) as spend
        from (select cast(stat_time_hour as date) as day, ad_id, sum(spend) as spend
              from raw.tiktok_ads__ad_report_hourly where cast(stat_time_hour as date) between $1 and $2 group by 1, 2)
    """,
    # X's report date is the start of the account-local day as a UTC timestamp: the day is the account's
    "x": f"""
        with zones as (
            select id, arg_max(timezone, updated_at) as timezone from raw.twitter_ads__account_history group by 1
        ),
        days as (
            select r.account_id, r.promoted_tweet_id,
                cast(timezone(coalesce(nullif(z.timezone, ''), 'UTC'), timezone('UTC', r.date)) as date) as day,
                sum(r.billed_charge_local_micro) as micros
            from raw.twitter_ads__promoted_tweet_report as r left join zones as z on z.id = r.account_id
            group by all
        )
        select account_id, sum({_MICROS.format("micros")}) as spend from days where day between $1 and $2 group by 1
    """,
}
RAW_SPEND_TABLES = {
    "meta": ("facebook_ads__basic_ad", "facebook_ads__ads_manager_export"),
    "linkedin": ("linkedin_ads__ad_analytics_by_creative",),
    "pinterest": ("pinterest_ads__pin_promotion_report",),
    "snapchat": ("snapchat_ads__ad_hourly_report",),
    "tiktok": ("tiktok_ads__ad_report_hourly",),
    "x": ("twitter_ads__promoted_tweet_report", "twitter_ads__account_history"),
}
# where each network's staging finds an ad's account, hence its currency (named when a report row has none)
ACCOUNT_TABLES = {
    "meta": "facebook_ads/account_history",
    "linkedin": "linkedin_ads/creative_history, campaign_history and account_history",
    "pinterest": "pinterest_ads/advertiser_history",
    "snapchat": "snapchat_ads/ad_history, ad_squad_history, campaign_history and ad_account_history",
    "tiktok": "tiktok_ads/ad_history and advertiser",
    "x": "twitter_ads/promoted_tweet_history, line_item_history and campaign_history",
}
RAW_SPEND_BY_PLATFORM = frozenset({"linkedin", "snapchat", "tiktok"})


def check_spend(con, month: str, out: Collector) -> None:
    start, end = months.bounds(month)
    try:
        rows = con.execute(
            """
            with daily as (
                select platform, sum(spend_reporting) as v, count(*) filter (where spend_reporting is null) as unconverted
                from intermediate.int_ad_spend_daily where month = ? group by 1
            ),
            mart as (
                select model, platform, sum(spend) as v from marts.mart_attribution_channel_monthly
                where month = ? group by 1, 2
            ),
            models as (
                select distinct model from mart
                union all select '(no attribution rows)' where not exists (select 1 from mart)
            ),
            platforms as (select platform from daily union select platform from mart where v <> 0)
            select m.model, p.platform, coalesce(mart.v, 0) - coalesce(daily.v, 0), coalesce(mart.v, 0),
                   coalesce(daily.v, 0), coalesce(daily.unconverted, 0)
            from models m cross join platforms p
            left join mart on mart.model = m.model and mart.platform = p.platform
            left join daily on daily.platform = p.platform
            order by 1, 2
            """, [month, month]).fetchall()
    except Exception as exc:  # noqa: BLE001
        out.error("spend_difference", exc)
    else:
        per_platform = {platform: daily for _, platform, _, _, daily, _ in rows}
        if per_platform:
            out.note("spend_reconciles", "spend " + ", ".join(f"{p} {v}" for p, v in per_platform.items()))
        for model, platform, diff, mart, daily, unconverted in rows:
            extra = f"; {unconverted} spend rows have no rate (see fx_coverage)" if unconverted else ""
            out.add("spend_difference", f"model={model} platform={platform}", diff,
                    f"{model}/{platform}: mart spend {mart} != platform files converted {daily} (difference {diff}){extra}"
                    if diff else f"{model}/{platform}: {mart}",
                    [{"model": model, "platform": platform, "mart_spend": mart, "files_spend_reporting": daily}])
    try:
        platforms = [r[0] for r in con.execute(
            "select distinct platform from intermediate.int_ad_spend_daily where month = ? order by 1", [month]).fetchall()]
    except Exception as exc:  # noqa: BLE001
        out.error("source_spend_difference", exc)
        return
    unreconciled = []
    for platform in platforms:
        sql = RAW_SPEND_SQL.get(platform)
        if sql is None or not all(_exists(con, "raw", t) for t in RAW_SPEND_TABLES[platform]):
            unreconciled.append(platform)
            continue
        try:
            rows = con.execute(
                f"""
                with raw_spend as ({sql}),
                daily as (
                    select case when $5 then '{ALL_ACCOUNTS}' else account_id end as account_id,
                        case when count(distinct currency) > 1 then 'in several currencies' else any_value(currency) end
                            as currency,
                        sum(spend) as v
                    from intermediate.int_ad_spend_daily where month = $3 and platform = $4 group by 1
                )
                select coalesce(d.account_id, r.account_id), d.currency, coalesce(d.v, 0) - coalesce(r.spend, 0),
                       coalesce(d.v, 0), coalesce(r.spend, 0)
                from daily d full join raw_spend r on r.account_id = d.account_id
                order by 1
                """, [start, end, month, platform, platform in RAW_SPEND_BY_PLATFORM]).fetchall()
        except Exception as exc:  # noqa: BLE001
            out.error("source_spend_difference", exc)
            continue
        for account, currency, diff, daily, raw in rows:
            out.add("source_spend_difference", f"platform={platform} account={account}", diff,
                    f"{platform} account {account}: int_ad_spend_daily {daily} {currency or ''} != raw rows {raw} "
                    f"(difference {diff}, account currency)" if diff else f"{platform}/{account}: {daily}",
                    [{"platform": platform, "account_id": account, "currency": currency, "int_ad_spend_daily": daily,
                      "raw": raw}])
    if unreconciled:
        out.note("spend_reconciles", "not reconciled to raw rows (no rule in socialroi.gate.RAW_SPEND_SQL): "
                 + ", ".join(unreconciled))


def check_roas(con, month: str, out: Collector) -> None:
    for table, keys in (("mart_attribution_channel_monthly", "channel_group, platform"),
                        ("mart_attribution_campaign_monthly", "channel_group, platform, campaign")):
        if not _exists(con, "marts", table):
            if table == "mart_attribution_channel_monthly":
                out.error("roas_invalid_rows", RuntimeError(f"marts.{table} does not exist: run socialroi build"))
            continue
        try:
            rows = con.execute(
                f"""
                select model, count(*) filter (where spend > 0 and (roas is null or not isfinite(roas))),
                       count(*) filter (where spend > 0),
                       list(struct_pack({keys}, spend, roas := cast(roas as varchar)))
                           filter (where spend > 0 and (roas is null or not isfinite(roas)))
                from marts.{table} where month = ? group by 1 order by 1
                """, [month]).fetchall()
        except Exception as exc:  # noqa: BLE001
            out.error("roas_invalid_rows", exc)
            continue
        for model, bad, total, sample in rows:
            out.add("roas_invalid_rows", f"{table} model={model}", bad,
                    f"{table} {model}: {bad} of {total} rows with spend have a null or infinite ROAS" if bad
                    else f"{table} {model}: ok", (sample or [])[:SAMPLE_SIZE])


def check_personal_data(con, month: str, out: Collector) -> None:
    cols = con.execute(
        "select table_name, column_name, data_type from information_schema.columns where table_schema = 'marts' "
        "order by table_name, ordinal_position").fetchall()
    by_table: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for t, c, typ in cols:
        by_table[t].append((c, typ))
    for table, columns in by_table.items():
        names = [c for c, _ in columns]
        flagged = [c for c in names if PERSONAL_COLUMN_RE.search(c.lower())]
        out.add("personal_columns", f"marts.{table}", len(flagged),
                f"marts.{table} has column(s) whose name suggests personal data: {', '.join(flagged)}; drop them "
                "or publish a surrogate key" if flagged else f"marts.{table}: ok", [{"table": table, "column": c}
                                                                                  for c in flagged])
        # every text column is scanned for emails and phones (an id copied from a UTM can be either); in ids
        # and keys only a number with a + or separators counts as a phone (a numeric id, even one starting
        # with 0, is phone-shaped)
        text = [(c, not ID_COLUMN_RE.search(c.lower())) for c, typ in columns if typ.upper().startswith("VARCHAR")]
        if not text:
            out.add("personal_values", f"marts.{table}", 0, f"marts.{table}: no text columns")
            continue
        # the month's rows: by `month`, or (LTV) the values as of the month's end
        where = "where month = ?" if "month" in names else "where as_of_month = ?" if "as_of_month" in names else ""
        aggs = []
        for c, phones in text:
            e = _ident(c)
            mail = sql_has_email(e)
            aggs.append(f"count(*) filter (where {mail})")
            aggs.append(f"any_value({e}) filter (where {mail})")
            # a whole value that is a phone, or one inside the text written with its + ("call +1 415 555 0130")
            phone = (f"({sql_is_phone(e, PHONE_SEPARATED_RE if phones else ID_PHONE_SEPARATED_RE)} "
                     f"or {sql_has_embedded_phone(e)})")
            aggs.append(f"count(*) filter (where {phone})")
            aggs.append(f"any_value({e}) filter (where {phone})")
        try:
            res = con.execute(f"select {', '.join(aggs)} from marts.{_ident(table)} {where}",
                              [month] if where else []).fetchone()
        except Exception as exc:  # noqa: BLE001
            out.error("personal_values", exc)
            continue
        hits = []
        for i, (c, _) in enumerate(text):
            n_mail, mail, n_phone, phone_value = res[4 * i: 4 * i + 4]
            if n_mail:
                hits.append({"table": table, "column": c, "kind": "email", "rows": n_mail, "example": mask(mail)})
            if n_phone:
                hits.append({"table": table, "column": c, "kind": "phone", "rows": n_phone,
                             "example": mask(phone_value)})
        total = sum(h["rows"] for h in hits)
        out.add("personal_values", f"marts.{table}", total,
                f"marts.{table}: " + "; ".join(f"{h['rows']} value(s) of {h['column']} look like {h['kind']} "
                                               f"({h['example']})" for h in hits) if hits else f"marts.{table}: ok",
                hits[:SAMPLE_SIZE])


def check_volumes(con, month: str, out: Collector) -> None:
    history = [months.shift(month, -k) for k in range(1, VOLUME_HISTORY_MONTHS + 1)]
    in_months = ", ".join(_lit(m) for m in [month, *history])
    metrics = {
        "orders": f"select month, sum(orders) from marts.mart_net_sales_monthly where month in ({in_months}) group by 1",
        # every model attributes the same total (revenue_reconciles): the sum over models / models
        "attributed_revenue": f"select month, sum(attributed_revenue) / count(distinct model) "
                              f"from marts.mart_attribution_channel_monthly where month in ({in_months}) group by 1",
        "spend": f"select month, sum(spend_reporting) from intermediate.int_ad_spend_daily "
                 f"where month in ({in_months}) group by 1",
    }
    lo, hi = VOLUME_BAND
    for metric, sql in metrics.items():
        try:
            values = {m: float(v or 0) for m, v in con.execute(sql).fetchall()}
        except Exception as exc:  # noqa: BLE001
            out.error("volume_ratio", exc)
            continue
        past = [values[m] for m in history if m in values]
        if len(past) < VOLUME_HISTORY_MONTHS:
            out.note("volume_band", f"{metric}: {len(past)} previous month(s) of history; the band applies from "
                     f"{VOLUME_HISTORY_MONTHS}")
            continue
        median = statistics.median(past)
        current = values.get(month, 0.0)
        if median <= 0:
            out.note("volume_band", f"{metric}: the previous months' median is {median:g}; no band")
            continue
        ratio = current / median
        out.add("volume_ratio", f"metric={metric}", ratio,
                f"{metric} {current:,.2f} is {ratio:.2f}x the median {median:,.2f} of {', '.join(sorted(history))} "
                f"(band {lo}x-{hi}x); if this is real, add an override to gate_overrides.yml"
                if not lo <= ratio <= hi else f"{metric}: {ratio:.2f}x",
                [{"metric": metric, "month": current, "median": median, "history": {m: values[m] for m in history}}])


def batch_rules() -> list[dict[str, Any]]:
    """Every landed table's batch rules, generated from socialroi/contracts/*.yml (as the loader applies them)."""
    from socialroi.ingest.casting import CURRENCIES  # noqa: F401 - the same list the loader checks against
    from socialroi.ingest.contracts import all_contracts

    rules: list[dict[str, Any]] = []
    for _, c in sorted(all_contracts().items()):
        q = c.qualified
        stored = {col.name: col.stored_name for col in c.columns}
        key = [stored.get(k, k) for k in c.key]
        if key:
            not_null = [stored.get(k, k) for k in c.key if k not in c.key_nullable]
            if not_null:
                rules.append({"table": q, "rule": "key_not_null", "column": ",".join(not_null),
                              "measure": "batch_key_nulls", "key": not_null})
            rules.append({"table": q, "rule": "key_unique", "column": ",".join(key), "measure": "batch_key_duplicates",
                          "key": key})
        for col in c.columns:
            if col.pii:
                continue
            if col.min is not None or col.max is not None or col.positive:
                rules.append({"table": q, "rule": "range", "column": col.name, "measure": "batch_out_of_range",
                              "min": col.min, "max": col.max, "positive": col.positive})
            if col.currency:
                rules.append({"table": q, "rule": "currency_known", "column": col.name,
                              "measure": "batch_unknown_currencies"})
            if col.required and col.name not in c.key:
                rules.append({"table": q, "rule": "required", "column": col.name, "measure": "batch_missing_required"})
    return rules


def _rule_condition(rule: dict[str, Any]) -> str:
    from socialroi.ingest.casting import CURRENCIES

    col = _ident(rule["column"]) if rule["rule"] not in ("key_not_null", "key_unique") else ""
    if rule["rule"] == "key_not_null":
        return " or ".join(f"{_ident(k)} is null" for k in rule["key"])
    if rule["rule"] == "range":
        parts = []
        if rule.get("min") is not None:
            parts.append(f"{col} < {rule['min']}")
        if rule.get("max") is not None:
            parts.append(f"{col} > {rule['max']}")
        if rule.get("positive"):
            parts.append(f"{col} <= 0")
        return " or ".join(parts)
    if rule["rule"] == "currency_known":
        return f"{col} is not null and upper({col}) not in ({', '.join(_lit(x) for x in sorted(CURRENCIES))})"
    if rule["rule"] == "required":
        return f"{col} is null"
    raise ValueError(rule["rule"])


def _rule_label(rule: dict[str, Any]) -> str:
    if rule["rule"] == "range":
        lo, hi = rule.get("min"), rule.get("max")
        bound = " and ".join(x for x in (f">= {lo}" if lo is not None else "", f"<= {hi}" if hi is not None else "",
                                         "> 0" if rule.get("positive") else "") if x)
        return f"{rule['column']} {bound}"
    return {"key_not_null": f"key ({rule['column']}) not null", "key_unique": f"key ({rule['column']}) unique",
            "currency_known": f"{rule['column']} a known currency", "required": f"{rule['column']} required"}[rule["rule"]]


def check_batches(con, month: str, out: Collector) -> None:
    from socialroi.ingest.contracts import all_contracts

    start, end = months.bounds(month)
    columns: dict[str, set[str]] = defaultdict(set)
    for t, col in con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'raw'").fetchall():
        columns[t].add(col)
    # tables nothing was ever loaded into have no rows to check (DuckDB's row count of the landing table)
    empty = {r[0] for r in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'landing' and estimated_size = 0").fetchall()}
    by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rule in batch_rules():
        by_table[rule["table"]].append(rule)
    contracts = {c.qualified: c for c in all_contracts().values()}
    checked = 0
    for q, rules in by_table.items():
        if q not in columns or q in empty:
            continue
        c = contracts[q]
        cols = columns[q]
        date_cond = f"cast({_ident(c.date)} as date) between $1 and $2" if c.date and c.date in cols else ""
        where = f"where {date_cond}" if date_cond else ""
        params = [start, end] if where else []
        aggs, usable = [], []
        for rule in rules:
            needed = rule.get("key") or [rule["column"]]
            if not all(n in cols for n in needed):
                continue
            usable.append(rule)
            if rule["rule"] == "key_unique":
                keys = ", ".join(_ident(k) for k in rule["key"])
                aggs.append(f"(select coalesce(sum(n), 0) from (select count(*) as n from raw.{_ident(q)} {where} "
                            f"group by {keys} having count(*) > 1))")
            else:
                aggs.append(f"count(*) filter (where {_rule_condition(rule)})")
        if not usable:
            continue
        try:
            res = con.execute(f"select count(*), {', '.join(aggs)} from raw.{_ident(q)} {where}", params).fetchone()
        except Exception as exc:  # noqa: BLE001
            out.error(usable[0]["measure"], exc)
            continue
        checked += 1
        rows_of_month = res[0]
        for rule, n in zip(usable, res[1:], strict=True):
            sample: list[Any] = []
            if n:
                sample = _batch_sample(con, q, rule, date_cond, params)
            where_txt = "of the month" if where else "(all current rows: the table has no date)"
            out.add(rule["measure"], f"raw.{q}: {_rule_label(rule)}", n,
                    f"raw.{q}: {n} of {rows_of_month} rows {where_txt} break '{_rule_label(rule)}' "
                    f"(socialroi/contracts/{c.source}.yml)" + (f", e.g. {sample[0]}" if sample else "")
                    if n else f"raw.{q}: ok", sample)
    out.note("batch_keys", f"{checked} landed tables with rows checked")


def _batch_sample(con, q: str, rule: dict[str, Any], date_cond: str, params: list[Any]) -> list[dict[str, Any]]:
    """Up to SAMPLE_SIZE offending rows, named by their file and line."""
    where = f"where {date_cond}" if date_cond else ""
    if rule["rule"] == "key_unique":
        keys = ", ".join(_ident(k) for k in rule["key"])
        cond = f"({keys}) in (select ({keys}) from raw.{_ident(q)} {where} group by {keys} having count(*) > 1)"
    else:
        cond = _rule_condition(rule)
    show = rule.get("key") or [rule["column"]]
    cols = ", ".join(f"cast(t.{_ident(k)} as varchar)" for k in show)
    where_t = f"where ({date_cond}) and ({cond})" if date_cond else f"where {cond}"
    try:
        rows = con.execute(
            f"""
            select l.file_path, t._row, [{cols}] from (select * from raw.{_ident(q)} {where_t}) t
            left join (select distinct sha256, file_path from ingest.file_ledger
                       where outcome in ('loaded', 'superseded')) l on l.sha256 = t._file_sha256
            order by 1, 2 limit {SAMPLE_SIZE}
            """, params).fetchall()
    except Exception:  # noqa: BLE001 - a sample is a courtesy
        return []
    return [{"file": f, "line": (r + 1) if r is not None else None, "values": dict(zip(show, v, strict=True))} for f, r, v in rows]


# ---------------------------------------------------------------------------------------------
# Fingerprint: what publish compares
# ---------------------------------------------------------------------------------------------
def _fingerprint(con, month: str) -> str:
    """sha256 of each mart's row count and column totals for the month (doubles to 1e-6, exactly)."""
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
    doc: dict[str, Any] = {}
    for table in tables:
        cols = con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position", [table]).fetchall()
        names = [c for c, _ in cols]
        aggs = ["count(*)"]
        labels = ["rows"]
        for c, typ in cols:
            t, e = typ.upper(), _ident(c)
            if t.startswith(("DOUBLE", "FLOAT", "REAL")):
                aggs.append(f"sum(case when isfinite({e}) then cast(round({e}, 6) as decimal(38, 6)) end)")
                aggs.append(f"count(*) filter (where not isfinite({e}))")
                labels += [c, f"{c}:not_finite"]
            elif t.startswith("DECIMAL") or "INT" in t:
                aggs.append(f"sum({e})")
                labels.append(c)
            elif t == "BOOLEAN":
                aggs.append(f"count(*) filter (where {e})")
                labels.append(c)
        # the month's rows: by `month`, or (LTV) the values as of the month's end
        where = "where month = ?" if "month" in names else "where as_of_month = ?" if "as_of_month" in names else ""
        row = con.execute(f"select {', '.join(aggs)} from marts.{_ident(table)} {where}",
                          [month] if where else []).fetchone()
        doc[table] = {label: (str(v) if v is not None else None) for label, v in zip(labels, row, strict=True)}
    text = json.dumps({"month": month, "marts": doc}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def data_fingerprint(settings: Settings, month: str) -> str:
    """The month's mart fingerprint now; publish compares it with the gate result's `data_fingerprint`."""
    import duckdb

    months.bounds(month)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return _fingerprint(con, month)
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------
# Overrides
# ---------------------------------------------------------------------------------------------
def load_overrides(path: Path, month: str | None = None) -> list[dict[str, str]]:
    """The override file: a YAML list of {month, check, who, why}; every field required, nothing else allowed."""
    if not path.exists():
        return []
    try:
        doc = yaml.safe_load(path.read_text()) or []
    except yaml.YAMLError as exc:
        raise GateConfigError(f"{path}: not valid YAML: {exc}") from exc
    if isinstance(doc, dict) and set(doc) == {"overrides"}:
        doc = doc["overrides"] or []
    if not isinstance(doc, list):
        raise GateConfigError(f"{path}: expected a list of {{month, check, who, why}} entries")
    out = []
    for i, entry in enumerate(doc, 1):
        if not isinstance(entry, dict):
            raise GateConfigError(f"{path}: entry {i} is not a mapping of month, check, who, why")
        unknown = set(entry) - {"month", "check", "who", "why"}
        missing = [k for k in ("month", "check", "who", "why") if not str(entry.get(k) or "").strip()]
        if unknown or missing:
            raise GateConfigError(f"{path}: entry {i}: " + "; ".join(
                ([f"unknown key(s) {sorted(unknown)}"] if unknown else [])
                + ([f"missing {', '.join(missing)}"] if missing else [])) + " (each entry: month, check, who, why)")
        e = {k: str(entry[k]).strip() for k in ("month", "check", "who", "why")}
        if e["check"] not in CHECKS:
            raise GateConfigError(f"{path}: entry {i}: unknown check {e['check']!r}; checks: {', '.join(CHECKS)}")
        try:
            months.bounds(e["month"])
        except ValueError as exc:
            raise GateConfigError(f"{path}: entry {i}: {exc}") from exc
        if month is None or e["month"] == month:
            out.append(e)
    return out


# ---------------------------------------------------------------------------------------------
# Great Expectations: the committed file context
# ---------------------------------------------------------------------------------------------
def _import_gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    return gx


def _suite_names() -> list[str]:
    return list(dict.fromkeys(m.suite for m in MEASURES))


def _contracts_meta() -> dict[str, Any]:
    rules: dict[str, list[str]] = defaultdict(list)
    for r in batch_rules():
        rules[f"raw.{r['table']}"].append(_rule_label(r))
    return {"generated_from": "socialroi/contracts/*.yml by socialroi.gate.write_suites()", "rules": dict(rules)}


def _describe(m: Measure) -> str:
    bound = f"= {m.min_value:g}" if m.min_value == m.max_value else f"between {m.min_value:g} and {m.max_value:g}"
    return f"{m.check}: {m.column} {bound} on every row. {m.column} = {m.description}."


_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ID_NAMESPACE = uuid.UUID("6f1d0c5e-2a43-4b8e-9d61-0c9a3e5b7f21")
_GENERATED = ("great_expectations.yml", "expectations", "validation_definitions", "checkpoints")


def write_suites(root: Path = EXPECTATIONS_DIR) -> list[Path]:
    """(Re)generate the committed GX file context under `root` from MEASURES and the source contracts.

    Ids are made deterministic, so regenerating unchanged definitions rewrites identical bytes (a test
    checks the committed files are current). Returns the files written, relative to `root`.
    """
    gx = _import_gx()
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    root = Path(root)
    with tempfile.TemporaryDirectory(prefix="socialroi-gx-") as tmp:
        ctx_dir = Path(tmp) / "gx"
        context = gx.get_context(mode="file", context_root_dir=ctx_dir)
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        # Data Docs: the validation pages (each shows its suite's expectations and results) and the index;
        # no separate suite pages and no tutorial buttons: half the rendering time, nothing lost for a reader
        sites = context.variables.data_docs_sites
        sites["local_site"]["show_how_to_buttons"] = False
        sites["local_site"]["site_section_builders"] = {"expectations": "0", "profiling": "0"}
        context.variables.data_docs_sites = sites
        context.variables.save()
        batch = context.data_sources.add_pandas(DATASOURCE).add_dataframe_asset(ASSET) \
            .add_batch_definition_whole_dataframe(BATCH)
        definitions = []
        for name in _suite_names():
            meta: dict[str, Any] = {"guards": SUITE_DESCRIPTIONS[name],
                                    "checks": sorted({m.check for m in MEASURES if m.suite == name})}
            if name == "raw_landed_batches":
                meta["contracts"] = _contracts_meta()
            suite = context.suites.add(gx.ExpectationSuite(name=name, meta=meta))
            for m in (m for m in MEASURES if m.suite == name):
                suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(
                    column=m.column, min_value=m.min_value, max_value=m.max_value,
                    meta={"check": m.check}, description=_describe(m)))
            definitions.append(context.validation_definitions.add(
                gx.ValidationDefinition(name=f"{name}__month", data=batch, suite=suite)))
        context.checkpoints.add(gx.Checkpoint(
            name=CHECKPOINT, validation_definitions=definitions, actions=[],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [SUBJECT]},
        ))
        files = sorted(p for p in ctx_dir.rglob("*") if p.is_file()
                       and p.relative_to(ctx_dir).parts[0] in _GENERATED)
        mapping: dict[str, str] = {}
        texts: dict[Path, str] = {}
        for p in files:
            text = p.read_text()
            for found in _UUID_RE.findall(text):
                mapping.setdefault(found, str(uuid.uuid5(_ID_NAMESPACE, f"socialroi-gate:{len(mapping)}")))
            texts[p] = text
        for part in _GENERATED:
            target = root / part
            if target.is_dir():
                shutil.rmtree(target)
        written = []
        for p, text in texts.items():
            text = _UUID_RE.sub(lambda m: mapping[m.group(0)], text)
            if p.name == "great_expectations.yml":
                text = re.sub(r"(?m)^analytics_enabled:.*$", "analytics_enabled: false", text)
            rel = p.relative_to(ctx_dir)
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
            written.append(rel)
    return written


# ---------------------------------------------------------------------------------------------
# The gate
# ---------------------------------------------------------------------------------------------
def _subjects(findings: list[Finding]) -> list[str]:
    """Each finding's subject, made unique (the frame's row label in GX's unexpected lists)."""
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.subject] += 1
    named = [f"{f.subject} [{f.column}]" if counts[f.subject] > 1 else f.subject for f in findings]
    again: dict[str, int] = defaultdict(int)
    for n in named:
        again[n] += 1
    return [f"{n} #{i}" if again[n] > 1 else n for i, n in enumerate(named)]


def _frame(findings: list[Finding]):
    import pandas as pd

    data: dict[str, list[Any]] = {"check": [f.check for f in findings], SUBJECT: _subjects(findings)}
    for m in MEASURES:
        data[m.column] = [f.value if f.column == m.column else None for f in findings]
    frame = pd.DataFrame(data)
    for m in MEASURES:
        frame[m.column] = frame[m.column].astype("float64")
    return frame


def _run_checkpoint(frame, month: str, docs_dest: Path) -> list[tuple[dict[str, Any], bool, list[str], str]]:
    """Run the committed checkpoint on the frame in a scratch copy of the context; write Data Docs.

    Returns, per expectation: (meta, success, unexpected subjects, exception text).
    """
    gx = _import_gx()
    from great_expectations.core.run_identifier import RunIdentifier

    if not (EXPECTATIONS_DIR / "checkpoints" / f"{CHECKPOINT}.json").exists():
        raise GateConfigError(f"{EXPECTATIONS_DIR} has no checkpoint {CHECKPOINT!r}: run "
                              "`python -c 'from socialroi.gate import write_suites; write_suites()'`")
    out: list[tuple[dict[str, Any], bool, list[str], str]] = []
    with tempfile.TemporaryDirectory(prefix="socialroi-gate-") as tmp:
        ctx_dir = Path(tmp) / "gx"
        shutil.copytree(EXPECTATIONS_DIR, ctx_dir, ignore=shutil.ignore_patterns("uncommitted", "*.md"))
        context = gx.get_context(mode="file", context_root_dir=ctx_dir)
        checkpoint = context.checkpoints.get(CHECKPOINT)
        result = checkpoint.run(batch_parameters={"dataframe": frame},
                                run_id=RunIdentifier(run_name=f"{CHECKPOINT}_{month}"))
        for suite_result in result.run_results.values():
            for r in suite_result.results:
                cfg = r.expectation_config
                unexpected = [str(x.get(SUBJECT)) for x in (r.result or {}).get("unexpected_index_list") or []
                              if isinstance(x, dict)]
                exc = ""
                info = r.exception_info or {}
                infos = [info] if "raised_exception" in info else list(info.values())
                for i in infos:
                    if isinstance(i, dict) and i.get("raised_exception"):
                        exc = str(i.get("exception_message") or "")
                meta = dict(cfg.meta or {})
                meta["column"] = cfg.kwargs.get("column")
                out.append((meta, bool(r.success), unexpected, exc))
        context.build_data_docs()
        site = ctx_dir / "uncommitted" / "data_docs" / "local_site"
        if docs_dest.exists():
            shutil.rmtree(docs_dest)
        docs_dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(site, docs_dest)
    return out


def _summarise(collector: Collector, gx_results, overrides: list[dict[str, str]]) -> list[dict[str, Any]]:
    by_subject = {(f.column, s): f for s, f in zip(_subjects(collector.findings), collector.findings, strict=True)}
    per_check: dict[str, dict[str, Any]] = {c: {"success": True, "failures": [], "sample": [], "seen": False}
                                            for c in CHECKS}
    for meta, success, unexpected, exc in gx_results:
        check = meta.get("check")
        if check not in per_check:
            continue
        entry = per_check[check]
        entry["seen"] = True
        if success:
            continue
        entry["success"] = False
        if exc:
            entry["failures"].append(f"{meta.get('column')}: the expectation raised {exc}")
        for subject in unexpected:
            f = by_subject.get((meta.get("column"), subject))
            if f is None:
                entry["failures"].append(f"{subject}: out of range")
                continue
            entry["failures"].append(f.detail)
            entry["sample"].extend(f.sample[:SAMPLE_SIZE])
        if not unexpected and not exc:
            entry["failures"].append(f"{meta.get('column')}: failed")
    checks = []
    for name in CHECKS:
        entry = per_check[name]
        rows = [f for f in collector.findings if f.check == name]
        notes = collector.notes.get(name, [])
        if not entry["seen"]:
            entry["success"] = False
            entry["failures"].append("no expectation of the committed suites ran for this check: regenerate them "
                                     "with socialroi.gate.write_suites()")
        if entry["success"]:
            message = f"ok: {len(rows)} aggregate row(s) within range"
            if notes:
                message += "; " + "; ".join(notes)
        else:
            message = "; ".join(entry["failures"])
            if notes:
                message += " (" + "; ".join(notes) + ")"
        check = {"check": name, "success": entry["success"], "message": message,
                 "sample": _jsonable(entry["sample"][:2 * SAMPLE_SIZE])}
        override = next((o for o in overrides if o["check"] == name), None)
        if override and not check["success"]:
            check["success"] = True
            check["overridden"] = {"who": override["who"], "why": override["why"]}
            check["message"] = f"overridden by {override['who']} ({override['why']}): {message}"
        checks.append(check)
    return checks


def run_gate(settings: Settings, month: str, *, overrides_path: Path | None = None) -> dict[str, Any]:
    """Validate a month before publishing; write the result JSON and Data Docs; return the result."""
    import duckdb

    started = time.perf_counter()
    months.bounds(month)
    overrides_path = overrides_path or settings.state / "gate_overrides.yml"
    overrides = load_overrides(overrides_path, month)
    gate_dir = settings.state / "gate"
    docs_path = gate_dir / month / "data_docs"
    report_path = gate_dir / f"{month}.json"
    if not settings.warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {settings.warehouse}: run `socialroi ingest` and `socialroi build`")

    collector = Collector()
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        steps = (
            ("missing_days", lambda: check_completeness(con, settings, month, collector)),
            ("events_without_rate", lambda: check_fx_coverage(con, month, collector)),
            ("credit_sum_error", lambda: check_credits(con, month, collector)),
            ("revenue_difference", lambda: check_revenue(con, month, collector, settings.attribution_models(),
                                                         settings.reporting_timezone)),
            ("spend_difference", lambda: check_spend(con, month, collector)),
            ("roas_invalid_rows", lambda: check_roas(con, month, collector)),
            ("personal_values", lambda: check_personal_data(con, month, collector)),
            ("volume_ratio", lambda: check_volumes(con, month, collector)),
            ("batch_key_nulls", lambda: check_batches(con, month, collector)),
        )
        for column, step in steps:
            try:
                step()
            except duckdb.Error as exc:  # a missing table or column: the check fails, the others still run
                collector.error(column, exc)
        fingerprint = _fingerprint(con, month)
    finally:
        con.close()
    aggregated = time.perf_counter()

    frame = _frame(collector.findings)
    gx_results = _run_checkpoint(frame, month, docs_path)
    checks = _summarise(collector, gx_results, overrides)
    applied = [{**o, "applied": any(c.get("overridden") and c["check"] == o["check"] for c in checks)}
               for o in overrides]
    result = {
        "success": all(c["success"] for c in checks),
        "month": month,
        "checks": checks,
        "failed": [c for c in checks if not c["success"]],
        "report_path": str(report_path),
        "docs_path": str(docs_path),
        "data_fingerprint": fingerprint,
        "overrides": applied,
        "checkpoint": CHECKPOINT,
        "validated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": {"aggregates": round(aggregated - started, 3), "total": round(time.perf_counter() - started, 3)},
    }
    report_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = report_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, default=str) + "\n")
    os.replace(tmp, report_path)
    return result
