-- One row per revenue event (sale or return) x touchpoint x attribution model: the event's net
-- sales and gross profit in the reporting currency, split in exact cents by the order's credits
-- (a return inherits its order's credits). A month build (README "Month builds") redoes the events
-- of the build month and later; a return of an earlier order takes the credits kept for that order.
-- The split runs on narrow rows (ties broken by the credits' split_order); the touchpoint's
-- channel, campaign, ad and post are joined afterwards.
{{ month_build_config('month') }}
with

events as (select * from {{ ref('int_revenue_events') }} where {{ since_build_month('month') }}),

credits as (select * from {{ ref('int_attribution_touch_credits') }}),

touches as (select * from {{ ref('int_journey_touchpoints') }} where is_converting),

parts as (
    select
        events.event_id,
        credits.order_id,
        credits.model,
        credits.touchpoint_id,
        credits.credit,
        credits.split_order,
        cast(events.net_sales_reporting * 100 as bigint) as revenue_cents,
        cast(events.gross_profit_reporting * 100 as bigint) as gross_profit_cents
    from events
    inner join credits on credits.order_id = events.order_id
),

allocated as (
    -- a part with all the credit (first and last touch, one-touch journeys, unattributed) takes the
    -- whole amount; only the split credits need the cent allocation's windows
    select event_id, order_id, model, touchpoint_id, credit,
        revenue_cents as attributed_revenue_cents, gross_profit_cents as attributed_gross_profit_cents
    from parts
    where credit = 1
    union all
    select
        event_id, order_id, model, touchpoint_id, credit,
        {{ allocate_cents('revenue_cents', 'credit', 'event_id, model', 'split_order') }} as attributed_revenue_cents,
        {{ allocate_cents('gross_profit_cents', 'credit', 'event_id, model', 'split_order') }} as attributed_gross_profit_cents
    from parts
    where credit <> 1
),

final as (
    select
        allocated.event_id,
        allocated.order_id,
        events.event_type,
        events.event_date,
        events.month,
        allocated.model,
        allocated.touchpoint_id,
        allocated.credit,
        touches.touched_at,
        coalesce(touches.channel_group, 'Unattributed') as channel_group,
        coalesce(touches.platform, '(none)') as platform,
        touches.placement,
        touches.campaign,
        touches.campaign_key,
        touches.ad_id,
        touches.post_id,
        touches.handle,
        coalesce(touches.is_view, false) as is_view,
        cast(cast(allocated.attributed_revenue_cents as decimal(18, 0)) / 100 as decimal(18, 2)) as attributed_revenue,
        cast(cast(allocated.attributed_gross_profit_cents as decimal(18, 0)) / 100 as decimal(18, 2)) as attributed_gross_profit
    from allocated
    inner join events on events.event_id = allocated.event_id
    left join touches on touches.journey_id = allocated.order_id and touches.touchpoint_id = allocated.touchpoint_id
)

select * from final
