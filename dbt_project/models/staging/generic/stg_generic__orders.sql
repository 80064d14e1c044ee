-- One row per order from the generic orders feed, amounts in the order's currency.
select
    order_id,
    created_at,
    currency,
    gross_sales,
    coalesce(discount, 0) as discounts,
    discount_code,
    coalesce(shipping, 0) as shipping,
    coalesce(tax, 0) as tax,
    cost_of_goods,
    customer_id,
    email_hash,
    coalesce(is_test, false) as is_test
from {{ source('generic', 'orders') }}
