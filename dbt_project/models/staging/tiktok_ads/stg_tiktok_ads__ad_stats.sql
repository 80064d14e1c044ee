-- One row per TikTok ad per advertiser-local day (the connector's hours are already local).
-- TikTok's dynamic URL parameters, filled in at the click (the ad's URL keeps them as written)
{%- set macros = {'__CAMPAIGN_ID__': 'campaign_id', '__CAMPAIGN_NAME__': 'campaign_name', '__AID_NAME__': 'ad_group_name',
                  '__AID__': 'ad_group_id', '__CID_NAME__': 'ad_name', '__CID__': 'ad_id'} %}
with

report as (select * from {{ source('tiktok_ads', 'ad_report_hourly') }}),

ad as (
    {{ latest_version(source('tiktok_ads', 'ad_history'), 'ad_id', 'updated_at desc') }}
),

adgroup as (
    {{ latest_version(source('tiktok_ads', 'adgroup_history'), 'adgroup_id', 'updated_at desc') }}
),

campaign as (
    {{ latest_version(source('tiktok_ads', 'campaign_history'), 'campaign_id', 'updated_at desc') }}
),

advertiser as (
    {{ latest_version(source('tiktok_ads', 'advertiser'), 'id', '_fivetran_synced desc nulls last') }}
),

daily as (
    select
        cast(stat_time_hour as date) as date,
        ad_id,
        sum(spend) as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(coalesce(complete_payment, conversion)) as platform_conversions,
        sum(total_purchase_value) as platform_conversion_value
    from report
    group by all
),

joined as (
    select
        daily.date,
        ad.advertiser_id as account_id,
        ad.campaign_id,
        campaign.campaign_name,
        ad.adgroup_id as ad_group_id,
        adgroup.adgroup_name as ad_group_name,
        daily.ad_id,
        ad.ad_name,
        -- one placement chosen for the ad group: name it (PLACEMENT_TIKTOK -> tiktok)
        case when json_array_length(adgroup.placements) = 1
            then lower(replace(json_extract_string(adgroup.placements, '$[0]'), 'PLACEMENT_', '')) end as placement,
        advertiser.currency,
        daily.spend,
        daily.impressions,
        daily.clicks,
        daily.platform_conversions,
        daily.platform_conversion_value,
        '7d_click_1d_view' as attribution_window,
        ad.landing_page_url as landing_url
    from daily
    left join ad on ad.ad_id = daily.ad_id
    left join adgroup on adgroup.adgroup_id = ad.adgroup_id
    left join campaign on campaign.campaign_id = ad.campaign_id
    left join advertiser on advertiser.id = ad.advertiser_id
),

with_utms as (
    select
        *,
        {{ utm_columns('landing_url', macros=macros) }}
    from joined
),

final as (
    select
        {{ paid_ad_stats_columns('tiktok') }}
    from with_utms
)

select * from final
