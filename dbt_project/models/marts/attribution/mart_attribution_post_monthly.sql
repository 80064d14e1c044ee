{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x attribution model x app x handle x organic post: attributed net sales and gross
-- profit of the post's touchpoints (matched on the post id in utm_content), beside the post's
-- impressions and engagements in the month. Every post with stats in the month has a row under every
-- model, 0.00 where nothing was credited (an account that sold nothing shows as such), and every
-- credited post one, stats or not.
{%- set models = var('socialroi__models') %}
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

post_days as (
    select {{ month_of('date') }} as month, *
    from {{ ref('int_post_stats_unioned') }}
),

stats as (
    select month, platform, post_id, {{ any_value('handle') }} as handle,
        {{ any_value('permalink') }} as permalink, min(posted_at) as posted_at,
        cast(sum(impressions) as bigint) as impressions, cast(sum(engagements) as bigint) as engagements,
        cast(sum(link_clicks) as bigint) as link_clicks
    from post_days
    where {{ in_build_months('month') }}
    group by 1, 2, 3
),

posts as (
    -- every post's link and time, from all its days: a post credited in a month where it has no stats
    -- (posted before it, a story whose day has passed) is still named
    select platform, post_id, {{ any_value('permalink') }} as permalink, min(posted_at) as posted_at
    from {{ ref('int_post_stats_unioned') }}
    group by 1, 2
),

stats_by_model as (
    select stats.*, models.model
    from stats
    cross join (
        {%- for m in models %}
        select '{{ m }}' as model{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as models
),

final as (
    select
        coalesce(a.month, s.month) as month,
        coalesce(a.model, s.model) as model,
        coalesce(a.platform, s.platform) as platform,
        coalesce(a.handle, s.handle) as handle,
        coalesce(a.post_id, s.post_id) as post_id,
        coalesce(s.permalink, p.permalink) as permalink,
        coalesce(s.posted_at, p.posted_at) as posted_at,
        cast(coalesce(a.attributed_revenue, 0) as decimal(18, 2)) as attributed_revenue,
        cast({{ row_gross_profit('a') }} as decimal(18, 2)) as attributed_gross_profit,
        coalesce(a.is_gross_profit_complete, true) as is_gross_profit_complete,
        coalesce(a.attributed_orders, 0) as attributed_orders,
        s.impressions,
        s.engagements,
        s.link_clicks,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from attributed as a
    full outer join stats_by_model as s
        on s.month = a.month and s.model = a.model and s.platform = a.platform and s.post_id = a.post_id
    left join posts as p on p.platform = coalesce(a.platform, s.platform) and p.post_id = coalesce(a.post_id, s.post_id)
)

select * from final
