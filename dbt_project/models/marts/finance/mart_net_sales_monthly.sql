{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x source currency: the order ledger's net sales (gross sales - discounts -
-- returns), shipping, tax, cost of goods and gross profit, in the source currency and the
-- reporting currency. What every attributed total reconciles to.
select
    month,
    currency as source_currency,
    count(*) filter (where event_type = 'sale') as orders,
    count(*) filter (where event_type = 'return') as returns_count,
    sum(gross_sales) as gross_sales,
    sum(discounts) as discounts,
    sum(returns) as returns,
    sum(net_sales) as net_sales,
    sum(shipping) as shipping,
    sum(tax) as tax,
    sum(cost_of_goods) as cost_of_goods,
    count(cost_of_goods) = count(*) as is_cost_complete,
    cast(sum(net_sales_reporting) as decimal(18, 2)) as net_sales_reporting,
    cast(sum(gross_profit_reporting) as decimal(18, 2)) as gross_profit_reporting,
    -- the net sales gross profit covers (those of known cost): margin = gross profit / this, not / all sales
    cast(coalesce(sum(net_sales_reporting) filter (where gross_profit_reporting is not null), 0) as decimal(18, 2))
        as net_sales_costed_reporting,
    cast(sum(shipping_reporting) as decimal(18, 2)) as shipping_reporting,
    cast(sum(tax_reporting) as decimal(18, 2)) as tax_reporting,
    '{{ var("socialroi__reporting_currency") }}' as reporting_currency
from {{ ref('int_revenue_events') }}
where {{ in_build_months('month') }}
group by 1, 2
