-- One row per organic post per day, every organic platform in one shape.
{%- set models = [
    'stg_facebook_pages__post_stats', 'stg_instagram_business__post_stats', 'stg_linkedin_pages__post_stats',
    'stg_twitter_organic__post_stats', 'stg_youtube_analytics__post_stats',
] + var('socialroi__extra_post_stats_models') %}
{% for m in models %}
select
    date, platform, account_id, lower(handle) as handle, post_id, posted_at, permalink, link_url,
    utm_source, utm_medium, utm_campaign, utm_content,
    impressions, reach, likes, comments, shares, saves, link_clicks, engagements
from {{ ref(m) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
