{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x attribution model x ad network x campaign x ad: attributed net sales and gross
-- profit (a channel's credit split equally over its touchpoints), spend, what the platform claimed,
-- ROAS. Ads are matched on the ad id in utm_content.
with

attributed as (
    select month, model, platform, coalesce(campaign_key, '(none)') as campaign_key, ad_id,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_gross_profit) as attributed_gross_profit,
        count(attributed_gross_profit) = count(*) as is_gross_profit_complete,
        {{ exact_sum("credit", "event_type = 'sale'") }} as attributed_orders
    from {{ attributed_events() }} as events
    where ad_id is not null and {{ in_build_months('month') }}
    group by 1, 2, 3, 4, 5
),

spend as (
    select month, platform, ad_id,
        {{ any_value('campaign_key') }} as campaign_key,
        {{ any_value('coalesce(utm_campaign, campaign_name)') }} as campaign,
        {{ any_value('ad_name') }} as ad_name,
        sum(spend_reporting) as spend,
        sum(platform_conversion_value_reporting) as platform_conversion_value,
        cast(sum(impressions) as bigint) as impressions,
        cast(sum(clicks) as bigint) as clicks
    from {{ ref('int_ad_spend_daily') }}
    where {{ in_build_months('month') }}
    group by 1, 2, 3
),

models as (select distinct model from {{ ref('int_attribution_touch_credits') }}),

spend_by_model as (select spend.*, models.model from spend cross join models),

final as (
    select
        coalesce(a.month, s.month) as month,
        coalesce(a.model, s.model) as model,
        coalesce(a.platform, s.platform) as platform,
        coalesce(s.campaign_key, a.campaign_key) as campaign_key,
        s.campaign,
        coalesce(a.ad_id, s.ad_id) as ad_id,
        s.ad_name,
        cast(coalesce(a.attributed_revenue, 0) as decimal(18, 2)) as attributed_revenue,
        cast({{ row_gross_profit('a') }} as decimal(18, 2)) as attributed_gross_profit,
        coalesce(a.is_gross_profit_complete, true) as is_gross_profit_complete,
        coalesce(a.attributed_orders, 0) as attributed_orders,
        cast(coalesce(s.spend, 0) as decimal(18, 2)) as spend,
        cast(s.platform_conversion_value as decimal(18, 2)) as platform_conversion_value,
        s.impressions,
        s.clicks,
        case when s.spend > 0 then cast(coalesce(a.attributed_revenue, 0) / s.spend as double precision) end as roas,
        case when s.spend > 0 then cast({{ row_gross_profit('a') }} / s.spend as double precision) end as poas,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from attributed as a
    full outer join spend_by_model as s
        on s.month = a.month and s.model = a.model and s.platform = a.platform and s.ad_id = a.ad_id
)

select * from final
