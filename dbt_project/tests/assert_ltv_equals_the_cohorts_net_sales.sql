-- Accounting identity: for every cohort and model, the lifetime (and 90-day) net sales split over the
-- acquiring channels add up to the cohort's customers' net sales in the ledger, to the cent.
with split as (
    select cohort_month, model, sum(lifetime_net_sales) as lifetime, sum(net_sales_90d) as first_90d
    from {{ ref('mart_customer_ltv_by_acquisition') }}
    group by 1, 2
),
persons as (select * from {{ ref('int_order_persons') }}),
first_orders as (select person_key, first_order_at from persons where is_first_order),
ledger as (
    select {{ month_of(to_reporting_tz('fo.first_order_at')) }} as cohort_month,
        sum(ev.net_sales_reporting) as lifetime,
        sum(ev.net_sales_reporting) filter (where ev.event_at < fo.first_order_at + interval '90 day') as first_90d
    from persons
    inner join {{ ref('int_revenue_events') }} as ev on ev.order_id = persons.order_id
    inner join first_orders as fo on fo.person_key = persons.person_key
    group by 1
)
select split.*, ledger.lifetime as ledger_lifetime, ledger.first_90d as ledger_first_90d
from split
left join ledger using (cohort_month)
where split.lifetime <> coalesce(ledger.lifetime, 0) or split.first_90d <> coalesce(ledger.first_90d, 0)
