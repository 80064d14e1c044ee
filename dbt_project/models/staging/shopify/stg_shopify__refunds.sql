-- One row per Shopify refund: merchandise amount refunded (before tax), its tax, returned cost, when processed.
-- Connector refunds carry their processing time; the admin export only has the order's refunded
-- total, which is booked at the order's creation (the export states no refund date).
with

line_refunds as (
    -- refunded merchandise: not gift cards (a gift card sold is no sale, so its refund is no return);
    -- where the order's prices include tax, the refund line's subtotal does too and its tax comes out
    -- (as it does from the sale's prices)
    select
        lr.refund_id,
        sum(case when coalesce(ord.taxes_included, false) then lr.subtotal - coalesce(lr.total_tax, 0)
            else lr.subtotal end) as amount,
        sum(coalesce(lr.total_tax, 0)) as tax,
        sum(lr.quantity * inventory.cost) as returned_cost,
        bool_or(inventory.cost is null) as has_unknown_cost
    from {{ source('shopify', 'order_line_refund') }} as lr
    left join {{ source('shopify', 'order_line') }} as line on line.id = lr.order_line_id
    left join {{ source('shopify', 'order') }} as ord on ord.id = line.order_id
    left join {{ source('shopify', 'product_variant') }} as variant on variant.id = line.variant_id
    left join {{ source('shopify', 'inventory_item') }} as inventory on inventory.id = variant.inventory_item_id
    where not coalesce(line.gift_card, false)
    group by 1
),

connector as (
    select
        refund.id as refund_id,
        refund.order_id,
        coalesce(refund.processed_at, refund.created_at) as processed_at,
        coalesce(line_refunds.amount, 0) as amount,
        case when line_refunds.has_unknown_cost then null else line_refunds.returned_cost end as returned_cost,
        cast(coalesce(line_refunds.tax, 0) as decimal(18, 3)) as tax
    from {{ source('shopify', 'refund') }} as refund
    left join line_refunds on line_refunds.refund_id = refund.id
),

export_totals as (
    select
        name,
        {{ any_value('id') }} as id,
        min(created_at) as created_at,
        max(refunded_amount) as refunded,
        coalesce(max(subtotal), max(total) - coalesce(max(taxes), 0) - coalesce(max(shipping), 0)) as merchandise,
        coalesce(max(taxes), 0) as taxes
    from {{ source('shopify', 'admin_orders_export') }}
    group by name
    having coalesce(max(refunded_amount), 0) > 0
),

export_refunds as (
    -- the export's refunded amount is merchandise, its tax and any shipping refunded, with no split:
    -- merchandise is taken as refunded x subtotal / (subtotal + taxes) (divided exactly: round_divide),
    -- at most the subtotal, so that a full refund (shipping included) returns exactly the subtotal
    select
        'export-' || coalesce(id, name) as refund_id,
        coalesce(id, name) as order_id,
        created_at as processed_at,
        case when merchandise + taxes > 0
            then least(merchandise, {{ round_divide('refunded * merchandise', 'merchandise + taxes', 6, 3, 3) }})
            else cast(0 as decimal(18, 3)) end as amount,
        cast(null as decimal(18, 3)) as returned_cost,
        -- its tax: the same share of the refunded total, at most the order's tax (what is left is shipping)
        case when merchandise + taxes > 0
            then least(taxes, {{ round_divide('refunded * taxes', 'merchandise + taxes', 6, 3, 3) }})
            else cast(0 as decimal(18, 3)) end as tax
    from export_totals
)

select * from connector
union all
select * from export_refunds
where order_id not in (select order_id from connector)
