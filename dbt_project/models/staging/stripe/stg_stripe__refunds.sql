-- One row per Stripe refund. Amounts positive, in major units of the refund's currency; the charge's
-- customer, invoice and payment intent are carried so that the refund finds its order.
with

refund as (select * from {{ source('stripe', 'refund') }}),

charge as (select * from {{ source('stripe', 'charge') }}),

customer as (select * from {{ source('stripe', 'customer') }}),

final as (
    select
        refund.id,
        refund.charge_id,
        refund.created as created_at,
        {{ minor_to_major('refund.amount', 'refund.currency') }} as amount,
        upper(refund.currency) as currency,
        refund.status,
        refund.reason,
        charge.customer_id,
        coalesce(charge.receipt_email_hash, customer.email_hash) as email_hash,
        charge.invoice_id,
        coalesce(refund.payment_intent_id, charge.payment_intent_id) as payment_intent_id,
        coalesce({{ stripe_metadata_order_id('refund.metadata') }}, {{ stripe_metadata_order_id('charge.metadata') }})
            as order_id
    from refund
    left join charge on charge.id = refund.charge_id
    left join customer on customer.id = charge.customer_id
)

select * from final
