-- One row per Shopify order (connector layout or admin export), amounts in the shop currency.
-- Orders in both layouts are taken from the connector.
with

connector as (
    select
        id as order_id,
        name as order_name,
        created_at,
        cancelled_at,
        currency,
        coalesce(taxes_included, false) as taxes_included,
        total_discounts as order_discounts,
        total_tax as tax,
        cast(coalesce(try_cast({{ json_text('total_shipping_price_set', '$.shop_money.amount') }} as decimal(18, 3)), 0) as decimal(18, 3)) as shipping,
        subtotal_price,
        customer_id,
        email_hash,
        coalesce(test, false) as is_test,
        referring_site,
        landing_site_base_url,
        source_name,
        'order' as source_table
    from {{ source('shopify', 'order') }}
),

export_orders as (
    select
        name as order_name,
        {{ any_value('id') }} as order_id,
        min(created_at) as created_at,
        min(cancelled_at) as cancelled_at,
        {{ any_value('currency') }} as currency,
        false as taxes_included,
        coalesce(max(discount_amount), 0) as order_discounts,
        coalesce(max(taxes), 0) as tax,
        coalesce(max(shipping), 0) as shipping,
        max(subtotal) as subtotal_price,
        cast(null as varchar) as customer_id,
        {{ any_value('email_hash') }} as email_hash,
        -- Shopify's test gateway is "bogus"; test orders may also be tagged
        coalesce(bool_or(payment_method = 'bogus' or tags ilike '%test%'), false) as is_test,
        cast(null as varchar) as referring_site,
        cast(null as varchar) as landing_site_base_url,
        {{ any_value('source') }} as source_name
    from {{ source('shopify', 'admin_orders_export') }}
    group by name
),

final as (
    select * from connector
    union all
    select
        coalesce(order_id, order_name), order_name, created_at, cancelled_at, currency, taxes_included,
        order_discounts, tax, shipping, subtotal_price, customer_id, email_hash, is_test, referring_site,
        landing_site_base_url, source_name, 'admin_orders_export'
    from export_orders
    where coalesce(order_id, order_name) not in (select order_id from connector)
      and order_name not in (select order_name from connector where order_name is not null)
)

select * from final
