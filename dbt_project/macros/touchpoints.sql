{#
  Touchpoints: the sessions that are marketing touches, classified into channel_group (seed-backed,
  GA4-style rules) and platform, with campaign, ad, organic post and handle where the UTMs allow. One
  rule in one place: int_touchpoints (a view of every session's classification), the journeys (every
  touch since the build's lookback) and int_order_touchpoints (the converting journeys' touches) all
  render it, so the 10M-row classification is never written to a table of its own (docs/
  benchmarks.md). `session_filter` is a predicate on int_sessions_unioned's columns, applied before
  anything is classified (a month build's time filter, or the sessions a model needs).
#}

{# one row per session that is a touchpoint (touchpoint_id is the session id): a query #}
{% macro classified_touchpoints(session_filter='true') -%}
{%- set own = var('socialroi__own_domains', []) + var('socialroi__payment_referrers', []) %}
with

sessions as (select * from {{ ref('int_sessions_unioned') }} where {{ session_filter }}),

aliases as (select * from {{ ref('source_aliases') }}),

rules as (select * from {{ ref('channel_group_rules') }}),

posts as (
    select post_id, {{ any_value('handle') }} as handle, {{ any_value('platform') }} as platform
    from {{ ref('int_post_stats_unioned') }}
    group by 1
),

normalised as (
    select
        session_id, user_id, started_at, referrer, utm_campaign, utm_content,
        fbclid, gclid, ttclid, twclid, li_fat_id, msclkid,
        sessions.channel_group as given_channel_group,
        coalesce(sessions.is_view, false) as is_view,
        -- GA's placeholders, as GA4 reads them: source (direct) and medium (none) or (not set) name no
        -- source (a direct visit); source (not set) stays a value (Unassigned). A source written as a
        -- site's address loses its www., as a referrer's host does (www.facebook.com is facebook.com)
        case when lower(trim(utm_source)) in ('', '(direct)') then null
             else regexp_replace(lower(trim(utm_source)), '^www\.', '') end as utm_source_norm,
        case when lower(trim(utm_medium)) in ('', '(none)', '(not set)') then null
             else lower(trim(utm_medium)) end as medium,
        {{ url_host('referrer') }} as referrer_host
    from sessions
),

flagged as (
    select
        *,
        {% if own %}
        coalesce(referrer_host in ({% for d in own %}'{{ d | lower }}'{% if not loop.last %}, {% endif %}{% endfor %})
            or {% for d in own %}referrer_host like '%.{{ d | lower }}'{% if not loop.last %} or {% endif %}{% endfor %}, false)
        {% else %}false{% endif %} as is_internal_referrer,
        case
            when ttclid is not null or twclid is not null or li_fat_id is not null then 'social'
            when gclid is not null or msclkid is not null then 'search'
        end as click_id_category
    from normalised
),

sourced as (
    select
        flagged.*,
        case when is_internal_referrer then null else referrer_host end as external_referrer,
        coalesce(
            utm_source_norm,
            case when not is_internal_referrer then referrer_host end,
            case when fbclid is not null then 'facebook' when ttclid is not null then 'tiktok'
                 when twclid is not null then 'x' when li_fat_id is not null then 'linkedin'
                 when gclid is not null then 'google' when msclkid is not null then 'bing' end
        ) as source_key
    from flagged
),

resolved as (
    select
        sourced.*,
        coalesce(a.source_name, sourced.source_key) as source_name,
        a.source_category,
        a.ad_network,
        (sourced.source_key is null and sourced.medium is null and sourced.click_id_category is null) as has_no_source
    from sourced
    left join aliases as a on a.alias = sourced.source_key
),

signatures as (
    -- the rules depend on these five attributes only: classify each distinct combination once
    select distinct source_category, medium, click_id_category, has_no_source, external_referrer is not null as has_referrer
    from resolved
),

signature_groups as (
    select
        sg.*,
        (
            select r.channel_group from rules as r
            where (r.source_category is null or r.source_category = sg.source_category)
              and (r.medium_pattern is null or {{ regex_match("coalesce(sg.medium, '')", 'r.medium_pattern') }})
              and (r.click_id_category is null or r.click_id_category = sg.click_id_category)
              and (r.requires_no_source is null
                   or (r.requires_no_source and sg.has_no_source)
                   or (not r.requires_no_source and sg.has_referrer))
            order by r.priority
            limit 1
        ) as rule_channel_group
    from signatures as sg
),

classified as (
    select
        resolved.*,
        -- a grouping the tracker already assigned wins; else the first matching rule
        coalesce(resolved.given_channel_group, sg.rule_channel_group) as channel_group
    from resolved
    left join signature_groups as sg
        on sg.source_category is not distinct from resolved.source_category
        and sg.medium is not distinct from resolved.medium
        and sg.click_id_category is not distinct from resolved.click_id_category
        and sg.has_no_source = resolved.has_no_source
        and sg.has_referrer = (resolved.external_referrer is not null)
),

final as (
    select
        session_id as touchpoint_id,
        user_id,
        started_at as touched_at,
        channel_group,
        case
            when channel_group = 'Direct' then '(direct)'
            when channel_group in ('Paid Social', 'Paid Search', 'Paid Other', 'Display')
                then coalesce(ad_network, source_name, '(unknown)')
            else coalesce(source_name, '(none)')
        end as platform,
        case when channel_group in ('Paid Social', 'Display') and ad_network = 'meta' then source_name end as placement,
        nullif(trim(utm_campaign), '') as campaign,
        lower(nullif(trim(utm_campaign), '')) as campaign_key,
        case when channel_group in ('Paid Social', 'Paid Search', 'Paid Other', 'Display') then nullif(trim(utm_content), '') end as ad_id,
        case when channel_group = 'Organic Social' then nullif(trim(utm_content), '') end as post_id,
        case when channel_group = 'Organic Social' then posts.handle end as handle,
        channel_group = 'Direct' and not is_view as is_direct,
        is_view
    from classified
    left join posts on posts.post_id = nullif(trim(classified.utm_content), '') and classified.channel_group = 'Organic Social'
    where not (is_internal_referrer and source_key is null and click_id_category is null)
      and not (is_view and channel_group is not distinct from 'Direct')
)

select * from final
{%- endmacro %}

{# one row per touch of a person (person_key): the sessions' touchpoints (classified_touchpoints, whose
   user is in the identity map) and, with socialroi__promo_codes_as_touch, each redeemed promo code of
   a known channel as a touch at its order's time (touchpoint_id 'promo:' || order_id || ':' || code).
   `session_filter` as above; `order_filter` a predicate on int_orders_unioned (alias `orders`). #}
{% macro person_touches(session_filter='true', order_filter='true') -%}
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
    t.is_direct,
    coalesce(t.is_view, false) as is_view
from ({{ classified_touchpoints(session_filter) }}) as t
inner join {{ ref('int_identity_map') }} as identity on identity.user_id = t.user_id
{%- if var('socialroi__promo_codes_as_touch') %}
union all
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
    false,
    false
from {{ ref('int_orders_unioned') }} as orders
inner join {{ ref('int_order_persons') }} as persons on persons.order_id = orders.order_id
inner join {{ ref('stg_promo_codes__mapping') }} as promo
    -- exact membership in the order's list (macros code_list), not LIKE: a code's `_` or `%` is no wildcard
    on position(',' || promo.discount_code || ',' in ',' || orders.discount_codes || ',') > 0
where {{ order_filter }}
{%- endif %}
{%- endmacro %}

{# A channel group's marketing motion, the one rule the push/pull and platform-claims marts share:
   push = paid media (every `Paid …` group, Display, Cross-network, Audio: GA4's paid groups, also those a
   feed supplies), pull = organic and owned channels (every `Organic …` group, Email, SMS, Mobile Push
   Notifications, Referral, Affiliates), direct, unattributed; any other group (Unassigned, a feed's own
   name) is `unassigned` rather than counted as organic. #}
{% macro channel_motion(channel_group) -%}
case
    when {{ channel_group }} like 'Paid %' or {{ channel_group }} in ('Display', 'Cross-network', 'Audio') then 'push'
    when {{ channel_group }} like 'Organic %'
        or {{ channel_group }} in ('Email', 'SMS', 'Mobile Push Notifications', 'Referral', 'Affiliates') then 'pull'
    when {{ channel_group }} = 'Direct' then 'direct'
    when {{ channel_group }} = 'Unattributed' then 'unattributed'
    else 'unassigned'
end
{%- endmacro %}

{# An order's discount codes as one canonical list: upper case, comma-separated without spaces
   ("welcome, igsummer " -> "WELCOME,IGSUMMER"), as promo-code touches and the discount marts match them. #}
{% macro code_list(codes) -%}
nullif(trim(both ',' from regexp_replace(regexp_replace(upper(trim({{ codes }})), '\s*,\s*', ',', 'g'), ',,+', ',', 'g')), '')
{%- endmacro %}
