{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x attribution model x motion: paid media (push) against organic and owned
-- channels (pull), with spend and ROAS for push. Motion: push = Paid Social, Paid Search, Paid Other,
-- Display; pull = Organic Social, Organic Search, Email, Referral, Affiliates; direct = Direct;
-- unattributed = Unattributed.
select
    month,
    model,
    case
        when channel_group in ('Paid Social', 'Paid Search', 'Paid Other', 'Display') then 'push'
        when channel_group in ('Direct') then 'direct'
        when channel_group = 'Unattributed' then 'unattributed'
        else 'pull'
    end as motion,
    cast(sum(attributed_revenue) as decimal(18, 2)) as attributed_revenue,
    cast(sum(attributed_gross_profit) as decimal(18, 2)) as attributed_gross_profit,
    {{ exact_sum("attributed_orders") }} as attributed_orders,
    cast(sum(spend) as decimal(18, 2)) as spend,
    case when sum(spend) > 0 then cast(sum(attributed_revenue) / sum(spend) as double precision) end as roas,
    {{ any_value('currency') }} as currency
from {{ ref('mart_attribution_channel_monthly') }}
where {{ in_build_months('month') }}
group by 1, 2, 3
