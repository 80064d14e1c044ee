{{ month_build_config('month') }}
-- One row per month x channel: the Markov removal effect of the month's fit and the channel's
-- conversions under ChannelAttribution's and DP6's global normalisation; `merged_into_other` marks
-- channels beyond socialroi__max_channels.
select month, channel, removal_effect, conversions_global, merged_into_other
from {{ ref('int_attribution_fits') }}
where kind = 'removal_effect' and {{ since_build_month('month') }}
