{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x attribution model x channel_group x platform x handle: how much of the
-- channel's attributed net sales came from orders that used a discount code (do social sales depend
-- on coupons?).
with

orders as (
    select order_id, discount_codes
    from {{ ref('int_orders_unioned') }}
),

attributed as (
    select e.*, orders.discount_codes is not null as used_code
    from {{ attributed_events() }} as e
    inner join orders on orders.order_id = e.order_id
    where {{ in_build_months('e.month') }}
),

final as (
    select
        month,
        model,
        channel_group,
        platform,
        coalesce(handle, '(none)') as handle,
        cast(sum(attributed_revenue) as decimal(18, 2)) as attributed_revenue,
        cast(coalesce(sum(attributed_revenue) filter (where used_code), 0) as decimal(18, 2)) as attributed_revenue_with_code,
        case when sum(attributed_revenue) <> 0
            then cast(coalesce(sum(attributed_revenue) filter (where used_code), 0) / sum(attributed_revenue) as double precision) end as code_share,
        -- 0 where the row has returns alone (their orders are an earlier month's), as in every monthly mart
        coalesce({{ exact_sum("credit", "event_type = 'sale'") }}, 0) as attributed_orders,
        coalesce({{ exact_sum("credit", "event_type = 'sale' and used_code") }}, 0) as attributed_orders_with_code,
        '{{ var("socialroi__reporting_currency") }}' as currency
    from attributed
    group by 1, 2, 3, 4, 5
)

select * from final
