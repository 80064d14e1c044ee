-- One row per first-order month (cohort) x month of the value (as_of_month: the cohort's month and every
-- later one) x attribution model x acquiring channel_group x platform: customers acquired (a customer is
-- split over the channels by the credits of their first order), and their net sales up to the end of
-- as_of_month (all their orders and returns, reporting currency) shared the same way; also within 90
-- days of the first order. A month's value is what was known at its close: a later month's sales never
-- change it. An amount is NULL (is_net_sales_complete false) once any of its customers' sales or returns up to
-- as_of_month has no FX rate: summed as 0 it would understate every later month, whose gate checks only its
-- own month's rates. Rebuilt whole: every month adds a column of values.
with recursive

persons as (select * from {{ ref('int_order_persons') }}),

first_orders as (
    select order_id, person_key, customer_key, first_order_at from persons where is_first_order
),

acquisition as (
    -- the first order's credits, by the channel of each credited touch
    select fo.person_key, fo.first_order_at, a.model, a.channel_group, a.platform,
        {{ exact_sum("a.credit") }} as credit,
        -- the same sum as a DECIMAL: the cent split ranks its cut-off remainders alike on every engine
        cast(sum(cast(a.credit as decimal(38, 18))) as decimal(38, 12)) as credit_exact
    from {{ ref('fct_order_attribution') }} as a
    inner join first_orders as fo on fo.order_id = a.order_id
    group by 1, 2, 3, 4, 5
),

value as (
    -- each customer's net sales (and orders) by month of the event
    select persons.person_key, ev.month,
        sum(ev.net_sales_reporting) as net_sales,
        coalesce(sum(ev.net_sales_reporting) filter (where ev.event_at < fo.first_order_at + interval '90 day'), 0)
            as net_sales_90d,
        count(*) filter (where ev.event_type = 'sale') as orders,
        -- events without an FX rate (net_sales_reporting NULL)
        count(*) filter (where ev.net_sales_reporting is null) as unpriced,
        count(*) filter (where ev.net_sales_reporting is null and ev.event_at < fo.first_order_at + interval '90 day')
            as unpriced_90d
    from persons
    inner join {{ ref('int_revenue_events') }} as ev on ev.order_id = persons.order_id
    inner join first_orders as fo on fo.person_key = persons.person_key
    group by 1, 2
),

split as (
    -- each customer's net sales of a month split over their acquiring channels by the first order's
    -- credits in exact cents (CONTRACTS "Splitting an amount by credits"): every model gives a cohort the
    -- same total, the ledger's, in every month
    select
        {{ month_of(to_reporting_tz('a.first_order_at')) }} as cohort_month,
        v.month, a.model, a.channel_group, a.platform, a.credit, v.orders, v.unpriced, v.unpriced_90d,
        {{ allocate_cents('cast(v.net_sales * 100 as bigint)', 'a.credit_exact', 'a.person_key, v.month, a.model', 'a.channel_group, a.platform') }} as net_sales_cents,
        {{ allocate_cents('cast(v.net_sales_90d * 100 as bigint)', 'a.credit_exact', 'a.person_key, v.month, a.model', 'a.channel_group, a.platform') }} as net_sales_90d_cents
    from acquisition as a
    inner join value as v on v.person_key = a.person_key
),

monthly as (
    select cohort_month, month, model, channel_group, platform,
        sum(net_sales_cents) as net_sales_cents, sum(net_sales_90d_cents) as net_sales_90d_cents,
        {{ exact_sum("credit * orders") }} as orders,
        sum(unpriced) as unpriced, sum(unpriced_90d) as unpriced_90d
    from split
    group by 1, 2, 3, 4, 5
),

acquired as (
    select {{ month_of(to_reporting_tz('first_order_at')) }} as cohort_month, model, channel_group, platform,
        {{ exact_sum("credit") }} as customers,
        sum(cast(credit as decimal(38, 12))) as customers_exact
    from acquisition
    group by 1, 2, 3, 4
),

event_months as (select month from {{ ref('int_revenue_events') }} where month is not null),

months as (
    -- every calendar month from the first event's to the last event's (or the build month's): a month
    -- without any sale or return still has its cohorts' values as of its end
    select min(month) as month,
        {% if var('socialroi__month', none) %}greatest(max(month), '{{ var("socialroi__month") }}'){% else %}max(month){% endif %} as last_month
    from event_months
    having count(*) > 0
    union all
    select {{ month_of("cast(month || '-01' as timestamp) + interval '1 month'") }}, last_month
    from months
    where month < last_month
),

grid as (
    -- every acquiring channel of a cohort, in the cohort's month and every later one
    select acquired.*, months.month as as_of_month
    from acquired
    inner join months on months.month >= acquired.cohort_month
),

cumulative as (
    select grid.*,
        sum(coalesce(m.net_sales_cents, 0)) over to_date as net_sales_cents,
        sum(coalesce(m.net_sales_90d_cents, 0)) over to_date as net_sales_90d_cents,
        sum(coalesce(m.orders, 0)) over to_date as orders,
        sum(coalesce(m.unpriced, 0)) over to_date as unpriced,
        sum(coalesce(m.unpriced_90d, 0)) over to_date as unpriced_90d
    from grid
    left join monthly as m
        on m.cohort_month = grid.cohort_month and m.month = grid.as_of_month and m.model = grid.model
        and m.channel_group = grid.channel_group and m.platform = grid.platform
    window to_date as (partition by grid.cohort_month, grid.model, grid.channel_group, grid.platform
                       order by grid.as_of_month rows between unbounded preceding and current row)
),

final as (
    select
        cohort_month,
        as_of_month,
        model,
        channel_group,
        platform,
        customers,
        case when unpriced = 0 then cast(cast(net_sales_cents as decimal(18, 0)) / 100 as decimal(18, 2)) end
            as lifetime_net_sales,
        case when unpriced_90d = 0 then cast(cast(net_sales_90d_cents as decimal(18, 0)) / 100 as decimal(18, 2)) end
            as net_sales_90d,
        -- exactly rounded: a DuckDB division of DECIMALs is a DOUBLE one
        case when customers_exact > 0 and unpriced = 0
            then {{ round_divide('cast(net_sales_cents as decimal(18, 0)) / 100', 'customers_exact', 2, 12) }} end
            as ltv_per_customer,
        unpriced = 0 as is_net_sales_complete,
        orders,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from cumulative
)

select * from final
