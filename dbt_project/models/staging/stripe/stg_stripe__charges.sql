-- One row per Stripe charge (any status: filter on `status` / `is_paid`). Amounts in major units of
-- the charge's currency (Stripe sends minor units; zero-decimal currencies such as JPY have none).
with

charge as (select * from {{ source('stripe', 'charge') }}),

customer as (select * from {{ source('stripe', 'customer') }}),

final as (
    select
        charge.id,
        charge.created as created_at,
        {{ minor_to_major('charge.amount', 'charge.currency') }} as amount,
        {{ minor_to_major('charge.amount_refunded', 'charge.currency') }} as amount_refunded,
        upper(charge.currency) as currency,
        charge.status,
        coalesce(charge.paid, charge.status = 'succeeded') as is_paid,
        coalesce(charge.captured, charge.status = 'succeeded') as is_captured,  -- absent column: a succeeded charge was captured
        coalesce(charge.livemode, true) as is_livemode,
        charge.customer_id,
        coalesce(charge.receipt_email_hash, customer.email_hash) as email_hash,
        charge.invoice_id,
        charge.payment_intent_id,
        {{ stripe_metadata_order_id('charge.metadata') }} as order_id
    from charge
    left join customer on customer.id = charge.customer_id
)

select * from final
