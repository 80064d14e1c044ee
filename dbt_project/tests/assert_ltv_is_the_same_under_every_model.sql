-- The cent split of LTV: every model splits the same customers' net sales, so a cohort's lifetime and
-- 90-day totals are equal under every model in every month, to the cent. (Only the mart is read, so that a build that
-- selects other models does not run this test.)
select cohort_month, as_of_month,
    count(distinct lifetime) as lifetime_totals, count(distinct first_90d) as first_90d_totals
from (
    select cohort_month, as_of_month, model, sum(lifetime_net_sales) as lifetime, sum(net_sales_90d) as first_90d
    from {{ ref('mart_customer_ltv_by_acquisition') }}
    group by 1, 2, 3
) as by_model
group by 1, 2
having count(distinct lifetime) > 1 or count(distinct first_90d) > 1
