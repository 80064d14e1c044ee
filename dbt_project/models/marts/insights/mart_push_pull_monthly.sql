{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x attribution model x motion: paid media (push) against organic and owned
-- channels (pull), with spend and ROAS for push; direct, unattributed, and unassigned (a channel group
-- that is neither, such as Unassigned). The motion of a channel group: macros/touchpoints.sql
-- channel_motion.
select
    month,
    model,
    {{ channel_motion('channel_group') }} as motion,
    cast(sum(attributed_revenue) as decimal(18, 2)) as attributed_revenue,
    cast(sum(attributed_gross_profit) as decimal(18, 2)) as attributed_gross_profit,
    {{ exact_sum("attributed_orders") }} as attributed_orders,
    cast(sum(spend) as decimal(18, 2)) as spend,
    case when sum(spend) > 0 then cast(sum(attributed_revenue) / sum(spend) as double precision) end as roas,
    {{ any_value('currency') }} as currency
from {{ ref('mart_attribution_channel_monthly') }}
where {{ in_build_months('month') }}
group by 1, 2, 3
