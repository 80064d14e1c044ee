-- Every order's credits sum to 1 per model (within 1e-9).
select order_id, model, sum(credit) as total
from {{ ref('int_attribution_touch_credits') }}
group by 1, 2
having abs(sum(credit) - 1) > 1e-9
