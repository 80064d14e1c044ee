-- One row per discount code redeemed on a Shopify order.
select order_id, upper(trim(code)) as discount_code, amount, type as discount_type
from {{ source('shopify', 'order_discount_code') }}
where trim(code) <> ''
union all
select coalesce({{ any_value('id') }}, name), upper(trim({{ any_value('discount_code') }})), max(discount_amount), cast(null as varchar)
from {{ source('shopify', 'admin_orders_export') }}
where trim(discount_code) <> ''
group by name
