{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per order x touchpoint x attribution model (touchpoints with credit > 0; one
-- Unattributed row for orders without touchpoints): the order's sale amount split by credit in
-- exact cents (macros/event_attribution.sql). Returns are not here (int_return_attribution): the
-- monthly marts add them in the month they were processed.
with

events as (
    select * from {{ ref('int_revenue_events') }}
    where event_type = 'sale' and {{ in_build_months('month') }}
),

{{ split_by_credits('events') }},

persons as (select * from {{ ref('int_order_persons') }}),

final as (
    select
        split.month,
        split.order_id,
        split.event_date as order_date,
        persons.customer_key,
        persons.is_first_order,
        split.model,
        split.touchpoint_id,
        split.touched_at,
        split.channel_group,
        split.platform,
        split.placement,
        split.campaign,
        split.campaign_key,
        split.ad_id,
        split.post_id,
        split.handle,
        split.is_view,
        split.credit,
        split.attributed_revenue,
        split.attributed_gross_profit,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from split
    left join persons on persons.order_id = split.order_id
)

select * from final
