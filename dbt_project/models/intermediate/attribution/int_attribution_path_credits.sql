{{ month_build_config('month') }}
-- One row per month x raw path x data-driven model (markov, shapley, fractribution) x channel: the
-- channel's credit in an order with that path; credits sum to 1 per month, path and model.
select month, path_key, model, channel, credit
from {{ ref('int_attribution_fits') }}
where kind = 'path_credit' and {{ since_build_month('month') }}
