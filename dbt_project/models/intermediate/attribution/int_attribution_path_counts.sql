-- One row per month per distinct raw path (channels in time order, repeats kept, ' > '-joined; the
-- last socialroi__max_steps only, see macros/journey_paths.sql):
-- how many journeys with this path converted and how many did not. Converting journeys count in
-- their order's month, non-converting ones in the month of their last touch. A month build
-- recounts the build month and later.
{{ month_build_config('month') }}
with

journeys as (
    select
        journey_id,
        {{ any_value('journey_month') }} as month,
        bool_or(is_converting) as is_converting,
        {{ journey_path_key() }} as path_key
    from {{ ref('int_journey_touchpoints') }}
    where {{ since_build_month('journey_month') }}
    group by journey_id
),

final as (
    select
        month,
        path_key,
        count(*) filter (where is_converting) as conversions,
        count(*) filter (where not is_converting) as non_conversions
    from journeys
    group by 1, 2
)

select * from final
