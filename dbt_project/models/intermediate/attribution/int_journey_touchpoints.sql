-- One row per touchpoint of a journey: converting journeys end in an order (touches in the
-- lookback window since the person's previous order; a conversion restarts the journey), the
-- non-converting journey of a person is what follows their last order. `journey_id` is the order
-- id or 'open:' || person_key; `position` counts from 1 in time order.
{%- set lookback = var('socialroi__lookback_days') %}
{%- set max_steps = var('socialroi__max_steps') %}
{%- set unit = var('socialroi__channel_unit') %}
with

touches as (
    select
        identity.person_key,
        t.touchpoint_id,
        t.touched_at,
        t.channel_group,
        t.platform,
        t.placement,
        t.campaign,
        t.campaign_key,
        t.ad_id,
        t.post_id,
        t.handle,
        t.is_direct
    from {{ ref('int_touchpoints') }} as t
    inner join {{ ref('int_identity_map') }} as identity on identity.user_id = t.user_id
    {%- if var('socialroi__promo_codes_as_touch') %}
    union all
    -- a redeemed promo code of a known channel is a touch at order time
    select
        persons.person_key,
        'promo:' || orders.order_id || ':' || promo.discount_code,
        orders.created_at,
        coalesce(promo.channel_group, 'Organic Social'),
        coalesce(promo.platform, '(none)'),
        cast(null as varchar),
        promo.campaign,
        lower(promo.campaign),
        cast(null as varchar),
        cast(null as varchar),
        promo.handle,
        false
    from {{ ref('int_orders_unioned') }} as orders
    inner join {{ ref('int_order_persons') }} as persons on persons.order_id = orders.order_id
    inner join {{ ref('stg_promo_codes__mapping') }} as promo
        on ',' || orders.discount_codes || ',' like '%,' || promo.discount_code || ',%'
    {%- endif %}
),

orders as (
    select persons.person_key, orders.order_id, orders.created_at
    from {{ ref('int_orders_unioned') }} as orders
    inner join {{ ref('int_order_persons') }} as persons on persons.order_id = orders.order_id
),

events as (
    select person_key, touched_at as event_at, 0 as kind, touchpoint_id, cast(null as varchar) as order_id from touches
    union all
    select person_key, created_at, 1, cast(null as varchar), order_id from orders
),

numbered as (
    -- the n-th order of a person closes the journey of the touches after the (n-1)-th
    select
        *,
        count(order_id) over (partition by person_key order by event_at, kind, order_id, touchpoint_id
                              rows between unbounded preceding and current row) as orders_so_far
    from events
),

order_numbers as (
    select person_key, order_id, orders_so_far as order_number, event_at as order_at from numbered where kind = 1
),

touch_journeys as (
    select
        n.person_key,
        n.touchpoint_id,
        o.order_id,
        o.order_at
    from numbered as n
    left join order_numbers as o on o.person_key = n.person_key and o.order_number = n.orders_so_far + 1
    where n.kind = 0
),

last_touch as (
    select person_key, max(t.touched_at) as last_touch_at
    from touch_journeys as j inner join touches as t using (person_key, touchpoint_id)
    where j.order_id is null
    group by 1
),

windowed as (
    select
        t.*,
        coalesce(j.order_id, 'open:' || t.person_key) as journey_id,
        j.order_id,
        j.order_id is not null as is_converting,
        coalesce(j.order_at, lt.last_touch_at) as journey_end_at
    from touches as t
    inner join touch_journeys as j using (person_key, touchpoint_id)
    left join last_touch as lt on lt.person_key = t.person_key and j.order_id is null
),

in_window as (
    select *
    from windowed
    where touched_at >= journey_end_at - interval {{ lookback }} day
),

ranked as (
    select
        *,
        row_number() over (partition by journey_id order by touched_at desc, touchpoint_id desc) as steps_from_end
    from in_window
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
        placement,
        campaign,
        campaign_key,
        ad_id,
        post_id,
        handle,
        is_direct,
        {%- if unit == 'channel_group' %}
        channel_group as channel,
        {%- else %}
        channel_group || ' / ' || platform as channel,
        {%- endif %}
        row_number() over (partition by journey_id order by touched_at, touchpoint_id) as position,
        count(*) over (partition by journey_id) as path_length
    from ranked
    {%- if max_steps %}
    where steps_from_end <= {{ max_steps }}
    {%- endif %}
)

select * from final
