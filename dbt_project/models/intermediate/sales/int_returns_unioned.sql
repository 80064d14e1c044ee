-- One row per return (refund, or a Shopify cancellation's rest not refunded by then; a refund after the
-- cancellation is no return of its own) from the configured order ledger: merchandise amount before tax
-- (positive), its tax (positive; Shopify's, else 0), returned cost where known, and when it was processed, in the return's own currency
-- where its source states one (a generic return, a Stripe refund), else its order's (each event is
-- converted at its own date's rate: int_revenue_events). is_order_counted: its order is a counted
-- order of the ledger; only those returns are revenue events. The others (an order before the loaded
-- history, a test order) are kept so that the gate can say how many were left out.
{%- set source = var('socialroi__order_source') %}
with

orders as (select order_id, currency from {{ ref('int_orders_unioned') }}),
{%- if source == 'shopify' %}

shopify_refunds as (
    -- each refund, and whether it was processed after its order's cancellation: then it pays out what
    -- the cancellation already took back (below) and is no return of its own, so a closed month keeps
    -- the cancellation it booked
    select r.*, c.cancelled_at is not null and r.processed_at > c.cancelled_at as is_after_cancellation
    from {{ ref('stg_shopify__refunds') }} as r
    left join {{ ref('stg_shopify__orders') }} as c on c.order_id = r.order_id
),
{%- endif %}

returns as (
{%- if source == 'shopify' %}
    select refund_id as return_id, order_id, processed_at, amount, returned_cost, cast(null as varchar) as currency,
        tax, true as is_charge_counted
    from shopify_refunds
    where not is_after_cancellation
    union all
    -- a cancelled order's net sales not refunded by its cancellation (an unpaid or voided order is
    -- cancelled with no refund) come back at its cancellation, with its cost of goods not returned by
    -- those refunds
    select 'cancel-' || o.order_id, o.order_id, c.cancelled_at, o.gross_sales - o.discounts - coalesce(r.amount, 0),
        case when r.has_unknown_cost then null else o.cost_of_goods - coalesce(r.returned_cost, 0) end,
        cast(null as varchar),
        -- the order's tax no refund took back
        greatest(o.tax - coalesce(r.tax, 0), 0),
        true
    from {{ ref('int_orders_unioned') }} as o
    inner join {{ ref('stg_shopify__orders') }} as c on c.order_id = o.order_id
    left join (
        select order_id, sum(amount) as amount, sum(returned_cost) as returned_cost, sum(tax) as tax,
            bool_or(returned_cost is null) as has_unknown_cost
        from shopify_refunds where not is_after_cancellation group by 1
    ) as r on r.order_id = o.order_id
    where c.cancelled_at is not null and o.gross_sales - o.discounts - coalesce(r.amount, 0) > 0
{%- elif source == 'stripe' %}
    -- a succeeded refund is a return only if its charge counted as a sale (or is not loaded): the refund
    -- Stripe makes when it releases an authorisation never captured, or a test-mode or failed charge's,
    -- returns nothing of any sale, even when another charge paid the order (kept, not counted, for the gate).
    -- A refund belongs to its charge's order, keyed as the order is (int_orders_unioned), whatever its own
    -- metadata says; one whose charge is not loaded is keyed by its own order id, payment intent, charge
    select r.id as return_id, coalesce(c.order_key, r.order_id, r.payment_intent_id, r.charge_id) as order_id,
        r.created_at as processed_at,
        r.amount, cast(null as decimal(18, 3)) as returned_cost, r.currency, cast(0 as decimal(18, 3)) as tax,
        coalesce(c.is_counted, true) as is_charge_counted
    from {{ ref('stg_stripe__refunds') }} as r
    left join (
        select id, {{ stripe_charge_order_id() }} as order_key, {{ stripe_counted_charge() }} as is_counted
        from {{ ref('stg_stripe__charges') }}
    ) as c on c.id = r.charge_id
    where r.status = 'succeeded'
{%- else %}
    select order_id || '@' || cast(processed_at as varchar) as return_id, order_id, processed_at, amount,
        cast(null as decimal(18, 3)) as returned_cost, currency, cast(0 as decimal(18, 3)) as tax,
        true as is_charge_counted
    from {{ ref('stg_generic__returns') }}
{%- endif %}
),

final as (
    select
        returns.return_id,
        returns.order_id,
        returns.processed_at,
        coalesce(returns.currency, orders.currency) as currency,
        cast(returns.amount as decimal(18, 3)) as amount,
        cast(returns.returned_cost as decimal(18, 3)) as returned_cost,
        cast(returns.tax as decimal(18, 3)) as tax,
        orders.order_id is not null and returns.is_charge_counted as is_order_counted
    from returns
    left join orders on orders.order_id = returns.order_id
)

select * from final
