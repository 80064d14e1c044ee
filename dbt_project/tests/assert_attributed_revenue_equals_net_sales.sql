-- Accounting identity: for every month and model, attributed revenue equals the ledger's net sales.
with attributed as (
    select month, model, sum(attributed_revenue) as revenue
    from {{ ref('mart_attribution_channel_monthly') }}
    group by 1, 2
),
ledger as (
    select month, sum(net_sales_reporting) as net_sales from {{ ref('mart_net_sales_monthly') }} group by 1
)
select attributed.*, ledger.net_sales
from attributed
left join ledger using (month)
where attributed.revenue <> coalesce(ledger.net_sales, 0)
