-- One row per ad per account-local day per ad network, every paid platform in one shape,
-- amounts in the account currency. A platform with no export landed contributes no rows.
{%- set models = [
    'stg_facebook_ads__ad_stats', 'stg_linkedin_ads__ad_stats', 'stg_twitter_ads__ad_stats',
    'stg_tiktok_ads__ad_stats', 'stg_pinterest_ads__ad_stats', 'stg_snapchat_ads__ad_stats',
] + var('socialroi__extra_ad_stats_models') %}
{% for m in models %}
select
    date, platform, account_id, campaign_id, campaign_name, ad_group_id, ad_group_name, ad_id, ad_name,
    placement, currency, spend, impressions, clicks, platform_conversions, platform_conversion_value,
    attribution_window, utm_source, utm_medium, utm_campaign, utm_content, utm_term
from {{ ref(m) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
