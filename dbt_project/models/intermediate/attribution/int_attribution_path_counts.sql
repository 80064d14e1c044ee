-- One row per month per distinct raw path (channels in time order, repeats kept, ' > '-joined; the
-- last socialroi__max_steps only, see macros/journey_paths.sql):
-- how many journeys with this path converted and how many did not. Converting journeys count in
-- their order's month, non-converting ones in the month of their last touch. A journey's path is
-- built as a list of its channels' codes (numbered here) and spelt out once per distinct path. A
-- month build recounts the build month and later.
{{ month_build_config('month') }}
with

channels as (
    select channel, row_number() over (order by channel) as code
    from (
        select distinct channel from {{ ref('int_journey_touchpoints') }}
        where channel is not null and {{ since_build_month('journey_month') }}
    ) as distinct_channels
),

names as (select {{ list_agg_last('channel', 'code') }} as names from channels),

journeys as (
    select
        t.journey_id,
        {{ any_value('t.journey_month') }} as month,
        bool_or(t.is_converting) as is_converting,
        {{ journey_path_codes('channels.code') }} as path
    from {{ ref('int_journey_touchpoints') }} as t
    left join channels on channels.channel = t.channel
    where {{ since_build_month('t.journey_month') }}
    group by t.journey_id
),

paths as (
    select
        month,
        path,
        count(*) filter (where is_converting) as conversions,
        count(*) filter (where not is_converting) as non_conversions
    from journeys
    group by 1, 2
),

final as (
    select paths.month, {{ join_coded('paths.path', 'names.names', ' > ') }} as path_key, paths.conversions, paths.non_conversions
    from paths
    cross join names
)

select * from final
