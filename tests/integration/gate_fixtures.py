"""A small, exact warehouse for the quality gate's tests, written with SQL (no dbt, no simulator).

Four months (2026-01..2026-04) of: Meta spend in two ad accounts (USD and EUR), one order a day,
daily USD->EUR rates, and the marts built from them by hand with two attribution models, so every
total is known to the cent. The ledger, landing tables and `raw` views are the loader's own
(`ensure_tables`), so the batch checks read exactly what they read in production.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb

MONTH = "2026-04"
MONTHS = ("2026-01", "2026-02", "2026-03", MONTH)
EXPECTED_SOURCES = ("facebook_ads", "shopify", "fx")
ACCOUNTS = {"A1": ("USD", "10.000", "1"), "A2": ("EUR", "5.000", "1.1")}  # currency, daily spend, rate to USD


def _days(month: str) -> list[dt.date]:
    first = dt.date(int(month[:4]), int(month[5:]), 1)
    out = []
    d = first
    while d.month == first.month:
        out.append(d)
        d += dt.timedelta(days=1)
    return out


def _sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _file(con: duckdb.DuckDBPyConnection, seq: int, source: str, table: str, name: str, rows: int,
          period: tuple[dt.date, dt.date] | tuple[None, None]) -> str:
    sha = _sha(f"{source}/{table}/{name}")
    con.execute(
        "insert into ingest.file_ledger values (?, ?, ?, ?, ?, ?, ?, 'loaded', null, timestamp '2026-05-02 06:00:00', "
        "null, timestamp '2026-05-02 05:00:00', ?, null, 'test', null)",
        [f"{source}/{table}/{name}", sha, source, table, rows, period[0], period[1], seq],
    )
    return sha


def build_warehouse(path: Path) -> Path:
    from socialroi.ingest import contracts
    from socialroi.ingest.loader import add_columns, ensure_tables

    con = duckdb.connect(str(path))
    try:
        ensure_tables(con)
        # the rows below are written as a load writes them; a load adds the optional columns its file fills
        for source, table in [("facebook_ads", "account_history"), ("facebook_ads", "basic_ad"),
                              ("shopify", "order"), ("fx", "rates")]:
            contract = contracts.get(source, table)
            add_columns(con, contract, [n for n, _ in contract.stored_columns])
        seq = 0
        seq += 1
        sha = _file(con, seq, "facebook_ads", "account_history", "accounts.csv", 2, (None, None))
        for i, (acct, (cur, _, _)) in enumerate(ACCOUNTS.items()):
            con.execute(
                "insert into landing.facebook_ads__account_history (id, name, currency, _fivetran_synced, "
                "_file_sha256, _row) values (?, ?, ?, timestamp '2026-01-01 00:00:00', ?, ?)",
                [acct, f"Account {acct}", cur, sha, i])
        for month in MONTHS:
            days = _days(month)
            period = (days[0], days[-1])
            seq += 1
            sha = _file(con, seq, "facebook_ads", "basic_ad", f"{month}.csv", 2 * len(days), period)
            con.execute(
                """
                insert into landing.facebook_ads__basic_ad (ad_id, date, account_id, impressions, inline_link_clicks,
                    spend, _file_sha256, _row)
                select 'ad-' || a.id, d.day, a.id, 1000, 10, a.spend, ?, row_number() over ()
                from (select unnest(?) as day) d
                cross join (select unnest(?) as id, unnest(?) as spend) a
                """,
                [sha, days, list(ACCOUNTS), [float(v[1]) for v in ACCOUNTS.values()]])
            seq += 1
            sha = _file(con, seq, "shopify", "order", f"{month}.csv", len(days), period)
            con.execute(
                """
                insert into landing.shopify__order (id, currency, created_at, _file_sha256, _row)
                select 'o-' || cast(day as varchar), 'USD', cast(day as timestamp) + interval 12 hour, ?,
                       row_number() over ()
                from (select unnest(?) as day)
                """, [sha, days])
            seq += 1
            sha = _file(con, seq, "fx", "rates", f"{month}.csv", len(days), period)
            con.execute(
                """
                insert into landing.fx__rates (date, base, quote, rate, _file_sha256, _row)
                select day, 'USD', 'EUR', 0.9090909091, ?, row_number() over () from (select unnest(?) as day)
                """, [sha, days])
        con.execute(_MODELS_SQL)
    finally:
        con.close()
    return path


_MODELS_SQL = """
create schema if not exists intermediate;
create schema if not exists marts;

create table intermediate.int_revenue_events as
select 'sale:' || id as event_id, id as order_id, 'sale' as event_type, created_at as event_at,
       cast(created_at as date) as event_date, strftime(created_at, '%Y-%m') as month, 'USD' as currency,
       cast(100 as decimal(18, 3)) as net_sales, cast(1 as decimal(18, 10)) as rate_to_reporting,
       cast(100 as decimal(18, 2)) as net_sales_reporting
from raw.shopify__order
union all  -- two returns a month, of the month's first two orders, processed on the 20th
select 'return:' || id, id, 'return', created_at + interval 19 day, cast(created_at + interval 19 day as date),
       strftime(created_at, '%Y-%m'), 'USD', cast(-10 as decimal(18, 3)), cast(1 as decimal(18, 10)),
       cast(-10 as decimal(18, 2))
from raw.shopify__order where day(created_at) <= 2;

create table intermediate.int_ad_spend_daily as
select b.date, 'meta' as platform, b.account_id, 'c1' as campaign_id, 'spring' as campaign_name, b.ad_id,
       a.currency, b.spend, b.impressions, b.inline_link_clicks as clicks, strftime(b.date, '%Y-%m') as month,
       'spring' as campaign_key,
       cast(case a.currency when 'EUR' then 1.1 else 1 end as decimal(18, 10)) as rate_to_reporting,
       cast(round(b.spend * case a.currency when 'EUR' then 1.1 else 1 end, 2) as decimal(18, 2)) as spend_reporting
from raw.facebook_ads__basic_ad b join raw.facebook_ads__account_history a on a.id = b.account_id;

create table marts.fct_order_attribution as
with credits as (
    select * from (values
        ('last_touch', 'tp-meta', 'Paid Social', 'meta', 'spring', 1.0::double),
        ('linear', 'tp-meta', 'Paid Social', 'meta', 'spring', 0.5),
        ('linear', 'tp-ig', 'Organic Social', 'instagram', null, 0.5)
    ) as t(model, touchpoint, channel_group, platform, campaign, credit)
)
select e.month, e.order_id, e.event_date as order_date, cast(hash(e.order_id) % 1000 as bigint) as customer_key,
       true as is_first_order, c.model, c.touchpoint || ':' || e.order_id as touchpoint_id,
       e.event_at - interval 1 hour as touched_at, c.channel_group, c.platform, cast(null as varchar) as placement,
       c.campaign, cast(null as varchar) as ad_id, cast(null as varchar) as post_id, cast(null as varchar) as handle,
       c.credit, cast(e.net_sales_reporting * c.credit as decimal(18, 2)) as attributed_revenue,
       cast(e.net_sales_reporting * c.credit * 0.4 as decimal(18, 2)) as attributed_gross_profit, 'USD' as currency
from intermediate.int_revenue_events e cross join credits c where e.event_type = 'sale';

create table marts.mart_net_sales_monthly as
select month, 'USD' as source_currency, count(*) filter (where event_type = 'sale') as orders,
       count(*) filter (where event_type = 'return') as returns_count, sum(net_sales) as net_sales,
       cast(sum(net_sales_reporting) as decimal(18, 2)) as net_sales_reporting,
       cast(sum(net_sales_reporting) * 0.4 as decimal(18, 2)) as gross_profit_reporting, 'USD' as reporting_currency
from intermediate.int_revenue_events group by 1;

create table marts.mart_attribution_channel_monthly as
with event_credit as (  -- a return inherits its order's credits
    select e.month, f.model, f.channel_group, f.platform,
           cast(e.net_sales_reporting * f.credit as decimal(18, 2)) as revenue
    from intermediate.int_revenue_events e
    join marts.fct_order_attribution f on f.order_id = e.order_id
),
spend as (select month, platform, sum(spend_reporting) as spend from intermediate.int_ad_spend_daily group by 1, 2),
revenue as (
    select month, model, channel_group, platform, cast(sum(revenue) as decimal(18, 2)) as attributed_revenue
    from event_credit group by 1, 2, 3, 4
)
select r.month, r.model, r.channel_group, r.platform, r.attributed_revenue,
       cast(r.attributed_revenue * 0.4 as decimal(18, 2)) as attributed_gross_profit,
       cast(coalesce(s.spend, 0) as decimal(18, 2)) as spend,
       case when coalesce(s.spend, 0) > 0 then cast(r.attributed_revenue as double) / cast(s.spend as double) end as roas,
       'USD' as currency
from revenue r left join spend s on s.month = r.month and s.platform = r.platform;

create table marts.mart_attribution_campaign_monthly as
select month, model, channel_group, platform, 'spring' as campaign, 'spring' as campaign_key, attributed_revenue,
       spend, roas, 'USD' as currency
from marts.mart_attribution_channel_monthly where platform = 'meta';

create table marts.mart_markov_removal_effects as
select month, 'Paid Social' as channel_group, 'meta' as platform, 0.5 as removal_effect, 10.0 as conversions_global,
       false as merged_into_other
from marts.mart_net_sales_monthly;
"""
