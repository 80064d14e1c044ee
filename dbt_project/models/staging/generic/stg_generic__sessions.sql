-- One row per web session from the generic sessions feed; UTMs and click ids fall back to the
-- landing URL's query string when their columns are empty. A row whose `interaction` is 'view' is an
-- ad or post impression seen by a known user (is_view), not a visit: it names no order.
with

sessions as (
    select *, coalesce(interaction = 'view', false) as is_view  -- ingest stores it lower-cased
    from {{ source('generic', 'sessions') }}
),

final as (
    select
        session_id,
        user_id,
        started_at,
        customer_id,
        email_hash,
        landing_url,
        referrer,
        {% for p in ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'fbclid', 'gclid', 'ttclid', 'twclid', 'li_fat_id', 'msclkid'] -%}
        coalesce({{ p }}, {{ url_param('landing_url', p) }}) as {{ p }},
        {% endfor -%}
        case when is_view then null else order_id end as order_id,
        cast(null as decimal(18, 3)) as revenue,
        nullif(trim(channel_group), '') as channel_group,
        is_view,
        'generic' as tracker
    from sessions
)

select * from final
