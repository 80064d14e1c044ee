{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per order x touchpoint x attribution model (touchpoints with credit > 0; one
-- Unattributed row for orders without touchpoints): the order's sale amount split by credit.
-- Returns are not here: the monthly marts add them in the month they were processed.
with

attributed as (
    select * from {{ ref('int_event_attribution') }}
    where event_type = 'sale' and {{ in_build_months('month') }}
),

persons as (select * from {{ ref('int_order_persons') }}),

final as (
    select
        attributed.month,
        attributed.order_id,
        attributed.event_date as order_date,
        persons.customer_key,
        persons.is_first_order,
        attributed.model,
        attributed.touchpoint_id,
        attributed.touched_at,
        attributed.channel_group,
        attributed.platform,
        attributed.placement,
        attributed.campaign,
        attributed.ad_id,
        attributed.post_id,
        attributed.handle,
        attributed.is_view,
        attributed.credit,
        attributed.attributed_revenue,
        attributed.attributed_gross_profit,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from attributed
    left join persons on persons.order_id = attributed.order_id
)

select * from final
