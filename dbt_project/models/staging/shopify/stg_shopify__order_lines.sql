-- One row per Shopify order line: unit price, quantity, line discount, gift-card flag, unit cost.
with

latest_variant as (select * from {{ source('shopify', 'product_variant') }}),

inventory as (select * from {{ source('shopify', 'inventory_item') }}),

connector as (
    select
        line.id as order_line_id,
        line.order_id,
        line.sku,
        line.price,
        line.quantity,
        coalesce(line.total_discount, 0) as line_discount,
        coalesce(line.gift_card, false) as is_gift_card,
        inventory.cost as unit_cost
    from {{ source('shopify', 'order_line') }} as line
    left join latest_variant as variant on variant.id = line.variant_id
    left join inventory on inventory.id = variant.inventory_item_id
),

export_lines as (
    select
        coalesce(ex.id, ex.name) || '-' || cast(ex._line as varchar) as order_line_id,
        coalesce(ex.id, ex.name) as order_id,
        ex.lineitem_sku as sku,
        ex.lineitem_price as price,
        ex.lineitem_quantity as quantity,
        coalesce(ex.lineitem_discount, 0) as line_discount,
        -- the admin export has no gift-card column: gift cards are named so, with GIFT SKUs
        coalesce(lower(ex.lineitem_name) like '%gift card%' or upper(ex.lineitem_sku) like 'GIFT%', false) as is_gift_card,
        inventory.cost as unit_cost
    from {{ source('shopify', 'admin_orders_export') }} as ex
    left join inventory on inventory.sku = ex.lineitem_sku
    where coalesce(ex.id, ex.name) not in (select order_id from connector)
)

select * from connector
union all
select * from export_lines
