-- One row per order that counts (not test, not deleted) from the configured order ledger
-- (var socialroi__order_source: shopify | generic | stripe), in the order's own currency.
-- Gross sales exclude tax, shipping and gift cards; where prices include tax, tax is taken out
-- of prices and discounts alike.
{%- set source = var('socialroi__order_source') %}
{%- if source == 'shopify' %}
with

orders as (select * from {{ ref('stg_shopify__orders') }} where not is_test),

lines as (
    select
        order_id,
        sum(case when not is_gift_card then price * quantity else 0 end) as gross_sales,
        sum(case when not is_gift_card then line_discount else 0 end) as line_discounts,
        sum(case when not is_gift_card then unit_cost * quantity else 0 end) as cost_of_goods,
        bool_or(not is_gift_card and unit_cost is null) as has_unknown_cost
    from {{ ref('stg_shopify__order_lines') }}
    group by 1
),

codes as (
    select order_id, {{ code_list("string_agg(discount_code, ',' order by discount_code)") }} as discount_codes
    from {{ ref('stg_shopify__order_discount_codes') }}
    group by 1
),

priced as (
    select
        orders.order_id,
        orders.created_at,
        orders.currency,
        coalesce(lines.gross_sales, 0) as gross_incl,
        coalesce(orders.order_discounts, lines.line_discounts, 0) as discounts_incl,
        orders.taxes_included,
        coalesce(orders.tax, 0) as tax,
        orders.shipping,
        case when lines.has_unknown_cost then null else coalesce(lines.cost_of_goods, 0) end as cost_of_goods,
        orders.customer_id,
        orders.email_hash,
        codes.discount_codes
    from orders
    left join lines on lines.order_id = orders.order_id
    left join codes on codes.order_id = orders.order_id
),

final as (
    select
        order_id,
        created_at,
        currency,
        -- tax-inclusive prices: the tax share of (gross - discounts) comes out of both, x (G - D - T) / (G - D),
        -- divided exactly (round_divide: a DuckDB division of DECIMALs is a DOUBLE one)
        case when taxes_included and gross_incl - discounts_incl > 0
            then {{ round_divide('gross_incl * (gross_incl - discounts_incl - tax)', 'gross_incl - discounts_incl', 6, 3, 3) }}
            else cast(gross_incl as decimal(18, 3)) end as gross_sales,
        case when taxes_included and gross_incl - discounts_incl > 0
            then {{ round_divide('discounts_incl * (gross_incl - discounts_incl - tax)', 'gross_incl - discounts_incl', 6, 3, 3) }}
            else cast(discounts_incl as decimal(18, 3)) end as discounts,
        cast(shipping as decimal(18, 3)) as shipping,
        cast(tax as decimal(18, 3)) as tax,
        cast(cost_of_goods as decimal(18, 3)) as cost_of_goods,
        customer_id,
        email_hash,
        discount_codes
    from priced
)

select * from final
{%- elif source == 'generic' %}
select
    order_id,
    created_at,
    currency,
    gross_sales,
    discounts,
    shipping,
    tax,
    cost_of_goods,
    customer_id,
    email_hash,
    {{ code_list('discount_code') }} as discount_codes
from {{ ref('stg_generic__orders') }}
where not is_test
{%- elif source == 'stripe' %}
-- Stripe as the ledger: one order per shop order id in the charge's metadata (else per payment
-- intent, else per charge), from its succeeded, captured, live charges. Stripe charges carry no
-- lines, discounts or tax: the charged amount is gross sales, discounts and tax are 0, cost unknown.
-- An order's charges share one currency (tests/assert_stripe_orders_have_one_currency.sql).
select
    {{ stripe_charge_order_id() }} as order_id,
    min(created_at) as created_at,
    {{ any_value('currency') }} as currency,
    cast(sum(amount) as decimal(18, 3)) as gross_sales,
    cast(0 as decimal(18, 3)) as discounts,
    cast(0 as decimal(18, 3)) as shipping,
    cast(0 as decimal(18, 3)) as tax,
    cast(null as decimal(18, 3)) as cost_of_goods,
    {{ any_value('customer_id') }} as customer_id,
    {{ any_value('email_hash') }} as email_hash,
    cast(null as varchar) as discount_codes
from {{ ref('stg_stripe__charges') }}
where {{ stripe_counted_charge() }}
group by 1
{%- else %}
{{ exceptions.raise_compiler_error("order_source " ~ source ~ " is not one of shopify, stripe, generic") }}
{%- endif %}
