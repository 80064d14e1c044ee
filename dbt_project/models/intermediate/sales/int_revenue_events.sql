-- One row per revenue event of the order ledger: a sale (at the order's creation) or a return (at
-- its processing), each converted once at its own reporting-zone day's rate. Net sales = gross
-- sales - discounts - returns; tax and shipping beside it, never inside.
with

orders as (select * from {{ ref('int_orders_unioned') }}),

returns as (select * from {{ ref('int_returns_unioned') }} where is_order_counted),

fx as (select * from {{ ref('int_fx_rates_daily') }}),

events as (
    select
        'sale:' || order_id as event_id,
        order_id,
        'sale' as event_type,
        created_at as event_at,
        currency,
        gross_sales,
        discounts,
        cast(0 as decimal(18, 3)) as returns,
        gross_sales - discounts as net_sales,
        shipping,
        tax,
        cost_of_goods
    from orders
    union all
    select
        'return:' || return_id,
        order_id,
        'return',
        processed_at,
        currency,
        cast(0 as decimal(18, 3)),
        cast(0 as decimal(18, 3)),
        amount,
        -amount,
        cast(0 as decimal(18, 3)),
        -tax,
        -returned_cost
    from returns
),

dated as (
    select
        *,
        cast({{ to_reporting_tz('event_at') }} as date) as event_date
    from events
),

final as (
    select
        dated.event_id,
        dated.order_id,
        dated.event_type,
        dated.event_at,
        dated.event_date,
        {{ month_of('dated.event_date') }} as month,
        dated.currency,
        dated.gross_sales,
        dated.discounts,
        dated.returns,
        dated.net_sales,
        dated.shipping,
        dated.tax,
        dated.cost_of_goods,
        fx.rate_to_reporting,
        cast(round(dated.net_sales * fx.rate_to_reporting, 2) as decimal(18, 2)) as net_sales_reporting,
        cast(round(dated.cost_of_goods * fx.rate_to_reporting, 2) as decimal(18, 2)) as cost_of_goods_reporting,
        cast(round(dated.net_sales * fx.rate_to_reporting, 2) - round(dated.cost_of_goods * fx.rate_to_reporting, 2) as decimal(18, 2)) as gross_profit_reporting,
        cast(round(dated.shipping * fx.rate_to_reporting, 2) as decimal(18, 2)) as shipping_reporting,
        cast(round(dated.tax * fx.rate_to_reporting, 2) as decimal(18, 2)) as tax_reporting
    from dated
    left join fx on fx.currency = dated.currency and fx.rate_day = dated.event_date
)

select * from final
