{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x attribution model x app x handle x organic post: attributed net sales and gross
-- profit of the post's touchpoints (matched on the post id in utm_content), beside the post's
-- impressions and engagements in the month.
with

attributed as (
    select month, model, platform, handle, post_id,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_gross_profit) as attributed_gross_profit,
        count(attributed_gross_profit) = count(*) as is_gross_profit_complete,
        {{ exact_sum("credit", "event_type = 'sale'") }} as attributed_orders
    from {{ attributed_events() }} as events
    where post_id is not null and {{ in_build_months('month') }}
    group by 1, 2, 3, 4, 5
),

stats as (
    select {{ month_of('date') }} as month, platform, post_id, {{ any_value('handle') }} as handle,
        {{ any_value('permalink') }} as permalink, min(posted_at) as posted_at,
        cast(sum(impressions) as bigint) as impressions, cast(sum(engagements) as bigint) as engagements,
        cast(sum(link_clicks) as bigint) as link_clicks
    from {{ ref('int_post_stats_unioned') }}
    group by 1, 2, 3
),

final as (
    select
        a.month,
        a.model,
        a.platform,
        coalesce(a.handle, stats.handle) as handle,
        a.post_id,
        stats.permalink,
        stats.posted_at,
        cast(a.attributed_revenue as decimal(18, 2)) as attributed_revenue,
        cast(a.attributed_gross_profit as decimal(18, 2)) as attributed_gross_profit,
        coalesce(a.is_gross_profit_complete, true) as is_gross_profit_complete,
        a.attributed_orders,
        stats.impressions,
        stats.engagements,
        stats.link_clicks,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from attributed as a
    left join stats on stats.month = a.month and stats.platform = a.platform and stats.post_id = a.post_id
)

select * from final
