-- One row per first-order month (cohort) x attribution model x acquiring channel_group x platform:
-- customers acquired (a customer is split over the channels by the credits of their first order),
-- and their lifetime net sales to date (all their orders and returns, reporting currency) shared the
-- same way; also within 90 days of the first order. Rebuilt whole: lifetime value grows with history.
with

persons as (select * from {{ ref('int_order_persons') }}),

first_orders as (
    select order_id, person_key, customer_key, first_order_at from persons where is_first_order
),

acquisition as (
    -- the first order's credits, by the channel of each credited touch
    select fo.person_key, fo.customer_key, fo.first_order_at, a.model, a.channel_group, a.platform,
        {{ exact_sum("a.credit") }} as credit,
        -- the same sum as a DECIMAL: the cent split ranks its cut-off remainders alike on every engine
        cast(sum(cast(a.credit as decimal(38, 18))) as decimal(38, 12)) as credit_exact
    from {{ ref('fct_order_attribution') }} as a
    inner join first_orders as fo on fo.order_id = a.order_id
    group by 1, 2, 3, 4, 5, 6
),

value as (
    select persons.person_key,
        sum(ev.net_sales_reporting) as lifetime_net_sales,
        sum(ev.net_sales_reporting) filter (where ev.event_at < fo.first_order_at + interval '90 day') as net_sales_90d,
        count(distinct persons.order_id) as orders
    from persons
    inner join {{ ref('int_revenue_events') }} as ev on ev.order_id = persons.order_id
    inner join first_orders as fo on fo.person_key = persons.person_key
    group by 1
),

split as (
    -- each customer's lifetime and 90-day net sales split over their acquiring channels by the first
    -- order's credits in exact cents (CONTRACTS "Splitting an amount by credits"): every model gives a
    -- cohort the same total, the ledger's
    select a.*, v.orders,
        {{ allocate_cents('cast(v.lifetime_net_sales * 100 as bigint)', 'a.credit_exact', 'a.person_key, a.model', 'a.channel_group, a.platform') }} as lifetime_cents,
        {{ allocate_cents('cast(v.net_sales_90d * 100 as bigint)', 'a.credit_exact', 'a.person_key, a.model', 'a.channel_group, a.platform') }} as net_sales_90d_cents
    from acquisition as a
    inner join value as v on v.person_key = a.person_key
),

final as (
    select
        {{ month_of(to_reporting_tz('first_order_at')) }} as cohort_month,
        model,
        channel_group,
        platform,
        {{ exact_sum("credit") }} as customers,
        cast(cast(sum(lifetime_cents) as decimal(18, 0)) / 100 as decimal(18, 2)) as lifetime_net_sales,
        cast(cast(sum(net_sales_90d_cents) as decimal(18, 0)) / 100 as decimal(18, 2)) as net_sales_90d,
        -- exactly rounded: a DuckDB division of DECIMALs is a DOUBLE one
        case when sum(credit) > 0 then {{ round_divide('cast(sum(lifetime_cents) as decimal(18, 0)) / 100', 'sum(cast(credit as decimal(38, 12)))', 2, 12) }} end as ltv_per_customer,
        {{ exact_sum("credit * orders") }} as orders,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from split
    group by 1, 2, 3, 4
)

select * from final
