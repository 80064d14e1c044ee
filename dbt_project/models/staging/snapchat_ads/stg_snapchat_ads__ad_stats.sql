-- One row per Snapchat ad per day (hours summed; the connector's hours are the ad account's).
-- Snapchat's campaign / ad squad / ad are the unified campaign / ad group / ad; money in micros.
-- UTMs: the creative's URL tags, else its web view URL's query string, with Snapchat's dynamic values
-- (filled in at the click; the tags and the URL keep them as written) taken from the ad's own rows.
{%- set macros = {'{{campaign.id}}': 'ad_squad.campaign_id', '{{campaign.name}}': 'campaign.name',
                  '{{adSet.id}}': 'ad.ad_squad_id', '{{adSet.name}}': 'ad_squad.name', '{{ad.id}}': 'daily.ad_id',
                  '{{ad.name}}': 'ad.name'} %}
with

report as (select * from {{ source('snapchat_ads', 'ad_hourly_report') }}),

ad as (
    {{ latest_version(source('snapchat_ads', 'ad_history'), 'id', '_fivetran_synced desc') }}
),

ad_squad as (
    {{ latest_version(source('snapchat_ads', 'ad_squad_history'), 'id', '_fivetran_synced desc') }}
),

campaign as (
    {{ latest_version(source('snapchat_ads', 'campaign_history'), 'id', '_fivetran_synced desc') }}
),

ad_account as (
    {{ latest_version(source('snapchat_ads', 'ad_account_history'), 'id', '_fivetran_synced desc') }}
),

creative as (
    {{ latest_version(source('snapchat_ads', 'creative_history'), 'id', '_fivetran_synced desc') }}
),

url_tags as (
    -- the latest value of each tag per creative
    select
        creative_id,
        {%- for p in ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] %}
        max(value) filter (where key = '{{ p }}') as {{ p }}{{ "," if not loop.last }}
        {%- endfor %}
    from (
        select * from {{ source('snapchat_ads', 'creative_url_tag_history') }}
        qualify row_number() over (partition by creative_id, key order by updated_at desc) = 1
    )
    group by creative_id
),

daily as (
    select
        cast(date as date) as date,
        ad_id,
        sum(spend) as spend_micro,
        sum(impressions) as impressions,
        sum(swipes) as clicks,
        sum(conversion_purchases) as platform_conversions,
        sum(conversion_purchases_value) as conversion_value_micro
    from report
    group by all
),

joined as (
    select
        daily.date,
        campaign.ad_account_id as account_id,
        ad_squad.campaign_id,
        campaign.name as campaign_name,
        ad.ad_squad_id as ad_group_id,
        ad_squad.name as ad_group_name,
        daily.ad_id,
        ad.name as ad_name,
        cast(null as varchar) as placement,
        ad_account.currency,
        {{ micros_to_amount('daily.spend_micro') }} as spend,
        daily.impressions,
        daily.clicks,
        daily.platform_conversions,
        {{ micros_to_amount('daily.conversion_value_micro') }} as platform_conversion_value,
        '28d_click_1d_view' as attribution_window,
        {%- for p in ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] %}
        {{ fill_url_macros("coalesce(url_tags." ~ p ~ ", " ~ url_param('creative.web_view_url', p) ~ ")", macros) }} as {{ p }}{{ "," if not loop.last }}
        {%- endfor %}
    from daily
    left join ad on ad.id = daily.ad_id
    left join ad_squad on ad_squad.id = ad.ad_squad_id
    left join campaign on campaign.id = ad_squad.campaign_id
    left join ad_account on ad_account.id = campaign.ad_account_id
    left join creative on creative.id = ad.creative_id
    left join url_tags on url_tags.creative_id = ad.creative_id
),

final as (
    select
        {{ paid_ad_stats_columns('snapchat') }}
    from joined
)

select * from final
