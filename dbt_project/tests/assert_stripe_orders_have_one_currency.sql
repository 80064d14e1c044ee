-- With Stripe as the order ledger, an order's charges share one currency: charges of one shop order
-- in two currencies cannot be summed. Fails naming the order, its charges and their currencies; fix
-- the charges' metadata order id.
{{ config(enabled=var('socialroi__order_source') == 'stripe') }}
select
    {{ stripe_charge_order_id() }} as order_id,
    string_agg(id || ' ' || currency, ', ' order by id) as charges
from {{ ref('stg_stripe__charges') }}
where {{ stripe_counted_charge() }}
group by 1
having count(distinct currency) > 1
