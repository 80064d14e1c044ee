{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x attribution model x ad network: what the platform claims (its reported
-- conversions and their value, its own attribution window) beside the deduplicated attributed net
-- sales and orders, and the ledger's net sales and orders for the month (what really happened,
-- counted once).
with

claims as (
    select month, platform,
        -- every window the platform's rows report under, in order (one arbitrary value hid the others and
        -- could change between builds)
        string_agg(distinct attribution_window, ', ' order by attribution_window) as platform_attribution_window,
        sum(platform_conversion_value_reporting) as claimed_revenue, sum(spend_reporting) as spend,
        {{ exact_sum('platform_conversions') }} as claimed_conversions
    from {{ ref('int_ad_spend_daily') }}
    where {{ in_build_months('month') }}
    group by 1, 2
),

attributed as (
    select month, model, platform, sum(attributed_revenue) as attributed_revenue,
        {{ exact_sum("credit", "event_type = 'sale'") }} as attributed_orders
    from {{ attributed_events() }} as events
    -- paid media: the same rule as the push/pull mart (macros/touchpoints.sql channel_motion)
    where {{ channel_motion('channel_group') }} = 'push' and {{ in_build_months('month') }}
    group by 1, 2, 3
),

ledger as (
    select month, sum(net_sales_reporting) as ledger_net_sales,
        count(*) filter (where event_type = 'sale') as ledger_orders
    from {{ ref('int_revenue_events') }}
    where {{ in_build_months('month') }}
    group by 1
),

all_claims as (
    select month, sum(claimed_revenue) as claimed_revenue_all_platforms,
        {{ exact_sum('claimed_conversions') }} as claimed_orders_all_platforms
    from claims
    group by 1
),

models as (select distinct model from {{ ref('int_attribution_touch_credits') }}),

final as (
    select
        claims.month,
        models.model,
        claims.platform,
        claims.platform_attribution_window,
        cast(claims.claimed_revenue as decimal(18, 2)) as claimed_revenue,
        cast(coalesce(attributed.attributed_revenue, 0) as decimal(18, 2)) as attributed_revenue,
        cast(claims.claimed_revenue - coalesce(attributed.attributed_revenue, 0) as decimal(18, 2)) as over_claim,
        case when attributed.attributed_revenue > 0 then cast(claims.claimed_revenue / attributed.attributed_revenue as double precision) end as claim_ratio,
        cast(claims.spend as decimal(18, 2)) as spend,
        cast(all_claims.claimed_revenue_all_platforms as decimal(18, 2)) as claimed_revenue_all_platforms,
        cast(ledger.ledger_net_sales as decimal(18, 2)) as ledger_net_sales,
        claims.claimed_conversions,
        coalesce(attributed.attributed_orders, 0) as attributed_orders,
        all_claims.claimed_orders_all_platforms,
        coalesce(ledger.ledger_orders, 0) as ledger_orders,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from claims
    cross join models
    left join attributed on attributed.month = claims.month and attributed.model = models.model and attributed.platform = claims.platform
    left join all_claims on all_claims.month = claims.month
    left join ledger on ledger.month = claims.month
)

select * from final
