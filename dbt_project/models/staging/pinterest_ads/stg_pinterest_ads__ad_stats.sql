-- One row per Pinterest promoted pin per day. Money in micros of the advertiser's currency; paid (_1)
-- and earned (_2) impressions and clicks are added, as Pinterest's own totals do.
-- Pinterest's dynamic URL parameters, filled in at the click (the promoted pin's URL keeps them as written)
{%- set macros = {'{campaignid}': 'campaign_id', '{campaign_name}': 'campaign_name', '{adgroupid}': 'ad_group_id',
                  '{adgroup_name}': 'ad_group_name', '{adid}': 'ad_id'} %}
with

report as (select * from {{ source('pinterest_ads', 'pin_promotion_report') }}),

pin as (
    {{ latest_version(source('pinterest_ads', 'pin_promotion_history'), 'id', '_fivetran_synced desc') }}
),

ad_group as (
    {{ latest_version(source('pinterest_ads', 'ad_group_history'), 'id', '_fivetran_synced desc') }}
),

campaign as (
    {{ latest_version(source('pinterest_ads', 'campaign_history'), 'id', '_fivetran_synced desc') }}
),

advertiser as (
    {{ latest_version(source('pinterest_ads', 'advertiser_history'), 'id', 'updated_time desc') }}
),

joined as (
    select
        report.date,
        report.advertiser_id as account_id,
        coalesce(report.campaign_id, ad_group.campaign_id) as campaign_id,
        campaign.name as campaign_name,
        coalesce(report.ad_group_id, pin.ad_group_id) as ad_group_id,
        ad_group.name as ad_group_name,
        report.pin_promotion_id as ad_id,
        pin.name as ad_name,
        cast(null as varchar) as placement,
        advertiser.currency,
        {{ micros_to_amount('report.spend_in_micro_dollar') }} as spend,
        coalesce(report.impression_1, 0) + coalesce(report.impression_2, 0) as impressions,
        coalesce(report.clickthrough_1, 0) + coalesce(report.clickthrough_2, 0) as clicks,
        report.total_conversions as platform_conversions,
        {{ micros_to_amount('report.total_conversions_value_in_micro_dollar') }} as platform_conversion_value,
        '30d_click_1d_view' as attribution_window,
        pin.destination_url as landing_url
    from report
    left join pin on pin.id = report.pin_promotion_id
    left join ad_group on ad_group.id = coalesce(report.ad_group_id, pin.ad_group_id)
    left join campaign on campaign.id = coalesce(report.campaign_id, ad_group.campaign_id)
    left join advertiser on advertiser.id = report.advertiser_id
),

with_utms as (
    select
        *,
        {{ utm_columns('landing_url', macros=macros) }}
    from joined
),

final as (
    select
        {{ paid_ad_stats_columns('pinterest') }}
    from with_utms
)

select * from final
