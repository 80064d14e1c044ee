-- One row per touchpoint of a journey: converting journeys end in an order (touches in the
-- lookback window since the person's previous order; a conversion restarts the journey), the
-- non-converting journey of a person is what follows their last order. `journey_id` is the order
-- id or 'open:' || person_key. A journey's touches are in time order by (touched_at, touchpoint_id);
-- `events_after` (how many of the person's touches and orders follow the touch, from the same window
-- pass) falls strictly along that order, so consumers order and number a journey's touches by an
-- integer (macros/journey_paths.sql) on the rows they read: a journey rank here would sort every
-- touch, converting or not, a second time. A month build gives the same counts (every later event
-- is in its range). With
-- socialroi__open_journeys_after_conversion false, only people who never ordered have an open journey
-- (Snowplow fractribution's convention). A view (is_view: an ad or post impression) counts only in the
-- socialroi__view_through_days before the journey's end (the order, or an open journey's last touch);
-- clicks and visits keep the lookback window. 0 drops every view.
-- A month build (README "Month builds") recomputes the journeys ending in the build month or later,
-- from the touches and orders since its lookback start: exactly the rows a full build gives them.
{{ month_build_config('journey_month') }}
{%- set lookback = var('socialroi__lookback_days') %}
{%- set view_days = var('socialroi__view_through_days') %}
{%- set unit = var('socialroi__channel_unit') %}
with

touches as (
    -- every touch of a person since the build's lookback (macros/touchpoints.sql): only the columns the
    -- window needs; a converting journey's campaign, ad, post and handle are int_order_touchpoints'
    select person_key, touchpoint_id, touched_at, channel_group, platform, is_direct, is_view
    from ({{ person_touches(since_build_month_lookback('started_at'), since_build_month_lookback('orders.created_at')) }}) as t
),

all_orders as (
    select persons.person_key, orders.order_id, orders.created_at
    from {{ ref('int_orders_unioned') }} as orders
    inner join {{ ref('int_order_persons') }} as persons on persons.order_id = orders.order_id
),

orders as (select * from all_orders where {{ since_build_month_lookback('created_at') }}),

events as (
    select *, 0 as kind, cast(null as varchar) as order_id from touches
    union all
    select person_key, null, created_at, null, null, null, null, 1, order_id
    from orders
),

journeys as (
    -- one pass over each person's events in time order: a touch belongs to the next order after it
    -- (a conversion restarts the journey); touches after the last order form the open journey
    select
        *,
        {{ first_non_null('order_id', 'following') }} as next_order_id,
        count(*) over following - 1 as events_after,
        {{ first_non_null('case when kind = 1 then touched_at end', 'following') }} as next_order_at,
        -- an open journey ends at its last touch (not at a view when views are off)
        max(case when kind = 0{% if view_days | int <= 0 %} and not is_view{% endif %} then touched_at end)
            over (partition by person_key) as last_touch_at
    from events
    window following as (partition by person_key order by touched_at, kind, order_id, touchpoint_id
                         rows between current row and unbounded following)
),

in_window as (
    select
        person_key, touchpoint_id, touched_at, channel_group, platform, is_direct, is_view, events_after,
        coalesce(next_order_id, 'open:' || person_key) as journey_id,
        next_order_id as order_id,
        next_order_id is not null as is_converting,
        coalesce(next_order_at, last_touch_at) as journey_end_at
    from journeys
    where kind = 0
      and touched_at >= coalesce(next_order_at, last_touch_at) - interval '{{ lookback }} day'
      -- a view counts only within the (shorter) view-through window; one predicate, no extra pass
      {%- if view_days | int > 0 %}
      and (not is_view or touched_at >= coalesce(next_order_at, last_touch_at) - interval '{{ view_days | int }} day')
      {%- else %}
      and not is_view
      {%- endif %}
      {%- if not var('socialroi__open_journeys_after_conversion') %}
      -- only people who never ordered (in all history) have an open journey
      and (next_order_id is not null or not exists (select 1 from all_orders where all_orders.person_key = journeys.person_key))
      {%- endif %}
),

final as (
    select
        journey_id,
        order_id,
        is_converting,
        person_key,
        touchpoint_id,
        touched_at,
        journey_end_at,
        {{ month_of(to_reporting_tz('journey_end_at')) }} as journey_month,
        channel_group,
        platform,
        is_direct,
        is_view,
        events_after,
        {%- if unit == 'channel_group' %}
        channel_group as channel
        {%- else %}
        channel_group || ' / ' || platform as channel
        {%- endif %}
    from in_window
)

select * from final where {{ since_build_month('journey_month') }}
