{#
  Revenue events split by their orders' credits, in exact cents (CONTRACTS "Splitting an amount by
  credits"). One split, two models: fct_order_attribution splits the sales, int_return_attribution
  the returns (a return inherits its order's credits, the ones kept for that order). The monthly
  marts read both through attributed_events().
#}

{# CTEs ending in `split`: one row per event of the CTE named `events` x its order's touchpoint x model.
   The windows run on narrow rows (ties broken by the credits' split_order); the touchpoint's channel,
   campaign, ad and post are joined afterwards. #}
{% macro split_by_credits(events) -%}
credits as (select * from {{ ref('int_attribution_touch_credits') }}),

touches as (select * from {{ ref('int_order_touchpoints') }}),

parts as (
    select
        events.event_id,
        credits.order_id,
        credits.model,
        credits.touchpoint_id,
        credits.credit,
        credits.split_order,
        credits.is_whole,
        cast(events.net_sales_reporting * 100 as bigint) as revenue_cents,
        cast(events.gross_profit_reporting * 100 as bigint) as gross_profit_cents
    from {{ events }} as events
    inner join credits on credits.order_id = events.order_id
),

allocated as (
    -- an order's only credit (first and last touch, one-touch journeys, unattributed: `is_whole`) takes
    -- the whole amount; only the split credits need the cent allocation's windows, and an event whose
    -- gross profit is unknown (no cost of goods) only the revenue's
    select event_id, order_id, model, touchpoint_id, credit,
        revenue_cents as attributed_revenue_cents, gross_profit_cents as attributed_gross_profit_cents
    from parts
    where is_whole
    union all
    select
        event_id, order_id, model, touchpoint_id, credit,
        {{ allocate_cents('revenue_cents', 'credit', 'event_id, model', 'split_order') }} as attributed_revenue_cents,
        {{ allocate_cents('gross_profit_cents', 'credit', 'event_id, model', 'split_order') }} as attributed_gross_profit_cents
    from parts
    where not is_whole and gross_profit_cents is not null
    union all
    select
        event_id, order_id, model, touchpoint_id, credit,
        {{ allocate_cents('revenue_cents', 'credit', 'event_id, model', 'split_order') }} as attributed_revenue_cents,
        cast(null as bigint) as attributed_gross_profit_cents
    from parts
    where not is_whole and gross_profit_cents is null
),

split as (
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
    inner join {{ events }} as events on events.event_id = allocated.event_id
    left join touches on touches.order_id = allocated.order_id and touches.touchpoint_id = allocated.touchpoint_id
)
{%- endmacro %}

{# every attributed revenue event, sales and returns: a subquery for the monthly marts #}
{% macro attributed_events() -%}
(
    select 'sale' as event_type, month, order_id, order_date as event_date, model, touchpoint_id, credit, touched_at,
        channel_group, platform, placement, campaign, campaign_key, ad_id, post_id, handle, is_view,
        attributed_revenue, attributed_gross_profit
    from {{ ref('fct_order_attribution') }}
    union all
    select event_type, month, order_id, event_date, model, touchpoint_id, credit, touched_at,
        channel_group, platform, placement, campaign, campaign_key, ad_id, post_id, handle, is_view,
        attributed_revenue, attributed_gross_profit
    from {{ ref('int_return_attribution') }}
)
{%- endmacro %}

{# a monthly mart row's attributed gross profit, from its `attributed` side (a) of the join to spend: 0
   where nothing is credited to the row (spend alone: no sale, so no profit), else the credited events'
   sum (NULL when no event's cost of goods is known; is_gross_profit_complete says when some is not) #}
{% macro row_gross_profit(a='a') -%}
case when {{ a }}.month is null then 0 else {{ a }}.attributed_gross_profit end
{%- endmacro %}
