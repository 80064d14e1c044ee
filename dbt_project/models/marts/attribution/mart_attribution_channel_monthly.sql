{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x attribution model x channel_group x platform: attributed net sales and
-- gross profit (sales of the month's orders plus returns processed in the month, each split by its
-- order's credits), attributed orders, spend, ROAS and POAS. Amounts in the reporting currency.
{%- set models = var('socialroi__models') %}
with

attributed as (
    select
        month,
        model,
        channel_group,
        platform,
        sum(attributed_revenue) filter (where event_type = 'sale') as attributed_sales,
        coalesce(sum(attributed_revenue) filter (where event_type = 'return'), 0) as attributed_returns,
        sum(attributed_revenue) as attributed_revenue,
        sum(attributed_gross_profit) as attributed_gross_profit,
        count(attributed_gross_profit) = count(*) as is_gross_profit_complete,
        {{ exact_sum("credit", "event_type = 'sale'") }} as attributed_orders
    from {{ attributed_events() }} as events
    where {{ in_build_months('month') }}
    group by 1, 2, 3, 4
),

spend as (
    select month, channel_group, platform, sum(spend) as spend, sum(platform_conversion_value) as platform_conversion_value
    from {{ ref('int_spend_by_network_monthly') }}
    group by 1, 2, 3
),

models as (
    {%- for m in models %}
    select '{{ m }}' as model{% if not loop.last %} union all{% endif %}
    {%- endfor %}
),

spend_by_model as (
    select spend.*, models.model from spend cross join models
),

final as (
    select
        coalesce(a.month, s.month) as month,
        coalesce(a.model, s.model) as model,
        coalesce(a.channel_group, s.channel_group) as channel_group,
        coalesce(a.platform, s.platform) as platform,
        cast(coalesce(a.attributed_sales, 0) as decimal(18, 2)) as attributed_sales,
        cast(coalesce(a.attributed_returns, 0) as decimal(18, 2)) as attributed_returns,
        cast(coalesce(a.attributed_revenue, 0) as decimal(18, 2)) as attributed_revenue,
        cast({{ row_gross_profit('a') }} as decimal(18, 2)) as attributed_gross_profit,
        coalesce(a.is_gross_profit_complete, true) as is_gross_profit_complete,
        coalesce(a.attributed_orders, 0) as attributed_orders,
        cast(coalesce(s.spend, 0) as decimal(18, 2)) as spend,
        cast(s.platform_conversion_value as decimal(18, 2)) as platform_conversion_value,
        case when s.spend > 0 then cast(coalesce(a.attributed_revenue, 0) / s.spend as double precision) end as roas,
        case when s.spend > 0 then cast({{ row_gross_profit('a') }} / s.spend as double precision) end as poas,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from attributed as a
    full outer join spend_by_model as s
        on s.month = a.month and s.model = a.model and s.channel_group = a.channel_group and s.platform = a.platform
)

select * from final
