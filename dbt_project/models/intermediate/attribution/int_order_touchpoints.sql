-- One row per touchpoint of a converting journey (order_id x touchpoint_id): the touch's channel,
-- platform, placement, campaign, ad, organic post and handle, for the cent split (macros/
-- event_attribution.sql) to label the credits with. int_journey_touchpoints carries only what the
-- journeys' window and the credits need; these attributes are classified again here for the
-- converting touches alone (macros/touchpoints.sql, the same rule), which costs less than carrying
-- them through the window for every touch. `journey_month` is the order's journey month; a month
-- build (README "Month builds") redoes the build month and later.
{{ month_build_config('journey_month') }}
with

journeys as (
    select order_id, touchpoint_id, journey_month
    from {{ ref('int_journey_touchpoints') }}
    where is_converting and {{ since_build_month('journey_month') }}
),

touches as (
    -- the converting journeys' sessions; the promo-code touches of the orders the journeys read (an
    -- order's code touch can sit in another order's journey when both orders share a time)
    {{ person_touches(
        "session_id in (select touchpoint_id from journeys)",
        since_build_month_lookback('orders.created_at')) }}
),

final as (
    select
        journeys.order_id,
        journeys.journey_month,
        touches.touchpoint_id,
        touches.touched_at,
        touches.channel_group,
        touches.platform,
        touches.placement,
        touches.campaign,
        touches.campaign_key,
        touches.ad_id,
        touches.post_id,
        touches.handle,
        touches.is_view
    from journeys
    inner join touches on touches.touchpoint_id = journeys.touchpoint_id
)

select * from final
