{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='sync_all_columns') }}
-- One row per month x channel (channel_group, platform): the Markov removal effect and the
-- channel's conversions under ChannelAttribution's and DP6's global normalisation. These differ
-- from the per-order Markov credits in mart_attribution_channel_monthly (see README).
select
    month,
    split_part(channel, ' / ', 1) as channel_group,
    -- `Other` (channels merged beyond socialroi__max_channels) has no platform of its own, nor does a
    -- channel when the unit is the channel group alone (socialroi__channel_unit: channel_group)
    coalesce(nullif(split_part(channel, ' / ', 2), ''), case when channel = 'Other' then '(other)' else '(all)' end) as platform,
    removal_effect,
    conversions_global,
    merged_into_other
from {{ ref('int_markov_removal_effects') }}
where {{ in_build_months('month') }}
