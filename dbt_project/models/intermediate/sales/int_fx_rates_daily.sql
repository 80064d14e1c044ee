-- One row per currency per day: the rate to the reporting currency, carried forward from the last
-- published rate at most 7 days back (a currency-day without one that fresh has no row: its events
-- convert to NULL and the month cannot close). The reporting currency is 1 on every day.
{%- set reporting = var('socialroi__reporting_currency') %}
with

rates as (
    select rate_date, base, quote, rate from {{ ref('stg_fx__rates') }}
    union all
    select distinct rate_date, base, base, cast(1 as decimal(18, 10)) from {{ ref('stg_fx__rates') }}
),

bounds as (
    -- every day any rate, order, return or ad stat falls on, a day either side for time-zone shifts
    select min(lo) - 1 as first_day, max(hi) + 1 as last_day from (
        select min(rate_date) as lo, max(rate_date) as hi from rates
        union all select cast(min(created_at) as date), cast(max(created_at) as date) from {{ ref('int_orders_unioned') }}
        union all select cast(min(processed_at) as date), cast(max(processed_at) as date) from {{ ref('int_returns_unioned') }} where is_order_counted
        union all select min(date), max(date) from {{ ref('int_ad_stats_unioned') }}
    ) as x
),

spine as (
    select cast(day as date) as day
    from bounds, generate_series(cast(bounds.first_day as timestamp), cast(bounds.last_day as timestamp), interval 1 day) as t(day)
),

pairs as (select distinct base, quote from rates),

grid as (
    select spine.day, pairs.base, pairs.quote, rates.rate, rates.rate_date
    from spine
    cross join pairs
    left join rates on rates.rate_date = spine.day and rates.base = pairs.base and rates.quote = pairs.quote
),

filled as (
    select
        day, base, quote,
        max(rate) over (partition by base, quote, grp) as rate,
        max(rate_date) over (partition by base, quote, grp) as rate_date
    from (
        select *, count(rate) over (partition by base, quote order by day rows unbounded preceding) as grp
        from grid
    ) as g
),

usable as (
    select * from filled where rate is not null and day - rate_date <= 7
),

to_reporting as (
    select
        x.day as rate_day,
        x.quote as currency,
        {{ round_divide('r.rate', 'x.rate', 10, 10, 10) }} as rate_to_reporting,
        least(x.rate_date, r.rate_date) as rate_published_on,
        x.base
    from usable as x
    inner join usable as r on r.base = x.base and r.day = x.day and r.quote = '{{ reporting }}'
),

final as (
    select rate_day, currency, rate_to_reporting, rate_published_on from to_reporting
    where currency <> '{{ reporting }}'
    -- the freshest rate; between bases as fresh, the reporting currency's own rates first, then the
    -- base's code (a rebuild picks the same rate)
    qualify row_number() over (
        partition by rate_day, currency
        order by rate_published_on desc, case when base = '{{ reporting }}' then 0 else 1 end, base) = 1
    union all
    -- the reporting currency converts to itself at 1 on every day, whatever the rate file holds or lacks
    select day, '{{ reporting }}', cast(1 as decimal(18, 10)), day
    from spine
)

select * from final
