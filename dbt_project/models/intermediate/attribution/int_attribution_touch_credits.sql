-- One row per order x touchpoint x attribution model with credit > 0; credits sum to 1 per order
-- and model. Orders with no touchpoint in their lookback window get one Unattributed row per model, and so
-- does, in a month build, a late order of an earlier month whose return the build splits (below).
-- `month` is the order's month; a month build (README "Month builds") recomputes it and later ones.
-- `split_order` ranks the order's touchpoints by the cent split's tie-break (CONTRACTS "Splitting an
-- amount by credits": channel, then touch time): channel_group, platform, touched_at, touchpoint_id.
-- `is_whole`: the row is its order's only credit under its model (the cent split gives it the whole
-- amount without windows). Told by the model, not by `credit = 1`: a float credit can round to 1.0
-- beside a tiny positive one (a removal effect of 1e-17, a time decay over weeks).
{{ month_build_config('month') }}
{%- set models = var('socialroi__models') %}
{%- set half_life = var('socialroi__time_decay_half_life_days') %}
{%- set p_first = var('socialroi__position_first') %}
{%- set p_last = var('socialroi__position_last') %}
with

steps as (
    -- the order's counted touches (the last socialroi__max_steps), numbered in time order
    select *, {{ journey_steps() }}
    from {{ ref('int_journey_touchpoints') }}
    where is_converting and {{ since_build_month('journey_month') }}
),

touches as (
    select
        *,
        path_length - steps_from_end + 1 as position,
        row_number() over (partition by journey_id order by channel_group, platform, touched_at, touchpoint_id) as split_order
    from steps
    where steps_from_end <= path_length
),

last_non_direct as (
    select journey_id, max(position) filter (where not is_direct) as position
    from touches group by 1
),

decay as (
    -- each touch's time-decay share of its order, normalised once per journey (not once per model). The
    -- age is measured from the journey's newest counted touch, not from the order: the shares are the same
    -- (0.5^(age/h) over their sum does not change when every age moves by the same amount), but the newest
    -- touch weighs 1, so the sum never underflows to 0 (touches ~60 half-lives before the order once gave
    -- NaN credits); a touch that old still rounds to a share of 0
    select
        journey_id,
        touchpoint_id,
        cast(weight as decimal(38, 18)) / sum(cast(weight as decimal(38, 18))) over (partition by journey_id) as share
    from (
        select
            journey_id,
            touchpoint_id,
            power(0.5, (max({{ epoch_seconds('touched_at') }}) over (partition by journey_id) - {{ epoch_seconds('touched_at') }}) / 86400.0 / {{ half_life }}) as weight
        from touches
    ) as weighted
),

channel_touches as (
    select journey_id, month, channel, count(*) as n
    from (select journey_id, journey_month as month, channel from touches) as t
    group by 1, 2, 3
),

paths as (
    select journey_id, {{ any_value('journey_month') }} as month, {{ journey_path_key() }} as path_key
    from touches group by 1
),

heuristic as (
    select t.journey_id, t.journey_month, t.touchpoint_id, t.split_order, m.model,
        m.model in ('first_touch', 'last_touch', 'last_non_direct') or t.path_length = 1 as is_whole,
        case m.model
            when 'first_touch' then case when t.position = 1 then 1.0 else 0.0 end
            when 'last_touch' then case when t.position = t.path_length then 1.0 else 0.0 end
            when 'last_non_direct' then case when t.position = coalesce(lnd.position, t.path_length) then 1.0 else 0.0 end
            when 'linear' then 1.0 / t.path_length
            when 'time_decay' then d.share
            when 'position_based' then case
                when t.path_length = 1 then 1.0
                -- two touches: each its own share plus half the middle's (socialroi.attribution.heuristics)
                when t.path_length = 2 then case when t.position = 1 then {{ p_first }} else {{ p_last }} end
                    + (1.0 - {{ p_first }} - {{ p_last }}) / 2
                when t.position = 1 then {{ p_first }}
                when t.position = t.path_length then {{ p_last }}
                else (1.0 - {{ p_first }} - {{ p_last }}) / (t.path_length - 2)
            end
        end as credit
    from touches as t
    inner join last_non_direct as lnd on lnd.journey_id = t.journey_id
    inner join decay as d on d.journey_id = t.journey_id and d.touchpoint_id = t.touchpoint_id
    cross join (
        {%- for m in ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based'] if m in models %}
        select '{{ m }}' as model{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as m
),

credited_channels as (
    -- how many channels of a path have credit (a path's credits, per month and model: a small table)
    select month, path_key, model, count(*) as n
    from {{ ref('int_attribution_path_credits') }}
    where credit > 0 and {{ since_build_month('month') }}
    group by 1, 2, 3
),

data_driven as (
    -- a channel's credit in the order, split equally over that channel's touchpoints
    select t.journey_id, t.journey_month, t.touchpoint_id, t.split_order, pc.model, pc.credit / ct.n as credit,
        credited_channels.n = 1 and ct.n = 1 as is_whole
    from touches as t
    inner join paths as p on p.journey_id = t.journey_id
    inner join channel_touches as ct on ct.journey_id = t.journey_id and ct.channel = t.channel
    inner join {{ ref('int_attribution_path_credits') }} as pc
        on pc.month = p.month and pc.path_key = p.path_key and pc.channel = t.channel
    inner join credited_channels
        on credited_channels.month = p.month and credited_channels.path_key = p.path_key and credited_channels.model = pc.model
    where pc.model in ({% for m in models %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

credited as (
    -- a converting journey ends at its order: the journey's month is the order's
    select journey_id as order_id, journey_month as month, touchpoint_id, model, credit, split_order, is_whole
    from heuristic where credit > 0
    union all
    select journey_id, journey_month, touchpoint_id, model, credit, split_order, is_whole
    from data_driven where credit > 0
),

orders as (
    -- an order's month is its sale's (int_revenue_events holds the rule)
    select order_id, month from {{ ref('int_revenue_events') }} where event_type = 'sale'
),

uncredited as (
    -- the build's orders with no touchpoint in their lookback window
    select o.order_id, o.month from orders as o
    where {{ since_build_month('o.month') }}
      and not exists (select 1 from touches where touches.order_id = o.order_id)
    {%- if is_month_build() %}
    union
    -- a late order (it landed after its month was built) with a return in the build's months and no
    -- credits kept: its journey is not rebuilt (the month is closed), so it is Unattributed, and its
    -- return splits by these credits instead of being left out of the marts (a build without a month
    -- gives it its journey's credits)
    select o.order_id, o.month from orders as o
    inner join {{ ref('int_revenue_events') }} as r
        on r.order_id = o.order_id and r.event_type = 'return' and {{ since_build_month('r.month') }}
    where o.month < '{{ var('socialroi__month') }}'
      and not exists (select 1 from {{ this }} as kept where kept.order_id = o.order_id)
    {%- endif %}
),

unattributed as (
    select o.order_id, o.month, cast(null as varchar) as touchpoint_id, m.model, 1.0 as credit,
        cast(null as bigint) as split_order, true as is_whole
    from uncredited as o
    cross join (
        {%- for m in models %}
        select '{{ m }}' as model{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as m
),

final as (
    select * from credited
    union all
    select order_id, month, touchpoint_id, model, credit, split_order, is_whole from unattributed
)

select * from final
