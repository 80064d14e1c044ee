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
    -- NULL where no credited event's cost of goods is known (mart_attribution_channel_monthly's rule): a row of
    -- spend alone (no credited sale or return, its gross profit 0.00) makes an unknown gross profit no 0.00
    case when bool_or(attributed_gross_profit is not null and not (attributed_orders = 0 and attributed_revenue = 0))
              or bool_and(attributed_gross_profit is not null)
        then cast(sum(attributed_gross_profit) as decimal(18, 2)) end as attributed_gross_profit,
    coalesce(bool_and(is_gross_profit_complete), true) as is_gross_profit_complete,
    {{ exact_sum("attributed_orders") }} as attributed_orders,
    cast(sum(spend) as decimal(18, 2)) as spend,
    case when sum(spend) > 0 then cast(sum(attributed_revenue) / sum(spend) as double precision) end as roas,
    {{ any_value('currency') }} as currency
from {{ ref('mart_attribution_channel_monthly') }}
where {{ in_build_months('month') }}
group by 1, 2, 3
