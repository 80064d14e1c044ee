-- One row per web session from every tracker (generic feed, GA4, Snowplow), one shape. Land one
-- tracker's sessions per site: two trackers of the same visits would count them twice. is_view marks
-- an ad or post impression (view-through) rather than a visit; only the generic feed has them.
-- A month build (README "Month builds") rewrites only the sessions since the build month's lookback start.
{{ month_build_config('started_at', keyed_on='time') }}
{%- set models = ['stg_generic__sessions', 'stg_ga4__sessions', 'stg_snowplow__sessions'] + var('socialroi__extra_session_models') %}
{% for m in models %}
select
    session_id, user_id, started_at, customer_id, email_hash, landing_url, referrer,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term,
    fbclid, gclid, ttclid, twclid, li_fat_id, msclkid, order_id, channel_group, is_view
from {{ ref(m) }}
where {{ since_build_month_lookback('started_at') }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
