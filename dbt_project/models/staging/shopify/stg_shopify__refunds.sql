-- One row per Shopify refund: merchandise amount refunded (before tax), returned cost, when processed.
-- Connector refunds carry their processing time; the admin export only has the order's refunded
-- total, which is booked at the order's creation (the export states no refund date).
with

line_refunds as (
    select
        lr.refund_id,
        sum(lr.subtotal) as amount,
        sum(lr.quantity * inventory.cost) as returned_cost,
        bool_or(inventory.cost is null) as has_unknown_cost
    from {{ source('shopify', 'order_line_refund') }} as lr
    left join {{ source('shopify', 'order_line') }} as line on line.id = lr.order_line_id
    left join {{ source('shopify', 'product_variant') }} as variant on variant.id = line.variant_id
    left join {{ source('shopify', 'inventory_item') }} as inventory on inventory.id = variant.inventory_item_id
    group by 1
),

connector as (
    select
        refund.id as refund_id,
        refund.order_id,
        coalesce(refund.processed_at, refund.created_at) as processed_at,
        coalesce(line_refunds.amount, 0) as amount,
        case when line_refunds.has_unknown_cost then null else line_refunds.returned_cost end as returned_cost
    from {{ source('shopify', 'refund') }} as refund
    left join line_refunds on line_refunds.refund_id = refund.id
),

export_refunds as (
    select
        'export-' || coalesce({{ any_value('id') }}, name) as refund_id,
        coalesce({{ any_value('id') }}, name) as order_id,
        min(created_at) as processed_at,
        -- the export's refunded amount includes tax and shipping refunds; take out tax proportionally
        -- (x (total - taxes) / total, divided exactly: round_divide)
        {{ round_divide('max(refunded_amount) * (max(total) - coalesce(max(taxes), 0))', 'nullif(max(total), 0)', 6, 3, 3) }} as amount,
        cast(null as decimal(18, 3)) as returned_cost
    from {{ source('shopify', 'admin_orders_export') }}
    group by name
    having coalesce(max(refunded_amount), 0) > 0
)

select * from connector
union all
select * from export_refunds
where order_id not in (select order_id from connector)
