-- One row per LinkedIn creative per day (LinkedIn reports days in UTC). LinkedIn's campaign group /
-- campaign / creative are the unified campaign / ad group / ad; the latest history row names each.
-- LinkedIn's dynamic UTM values, filled in at the click (the creative's URL keeps them as written); its
-- campaign group is the unified campaign, its campaign the unified ad group
{%- set macros = {'{{CAMPAIGN_GROUP_ID}}': 'campaign_id', '{{CAMPAIGN_GROUP_NAME}}': 'campaign_name',
                  '{{CAMPAIGN_ID}}': 'ad_group_id', '{{CAMPAIGN_NAME}}': 'ad_group_name', '{{CREATIVE_ID}}': 'ad_id',
                  '{{ACCOUNT_ID}}': 'account_id', '{{ACCOUNT_NAME}}': 'account_name'} %}
with

report as (select * from {{ source('linkedin_ads', 'ad_analytics_by_creative') }}),

creative as (
    {{ latest_version(source('linkedin_ads', 'creative_history'), 'id',
                      'last_modified_at desc nulls last, _fivetran_synced desc nulls last, created_time desc') }}
),

campaign as (
    {{ latest_version(source('linkedin_ads', 'campaign_history'), 'id',
                      'last_modified_time desc, version_tag desc nulls last') }}
),

campaign_group as (
    {{ latest_version(source('linkedin_ads', 'campaign_group_history'), 'id', 'last_modified_time desc') }}
),

account as (
    {{ latest_version(source('linkedin_ads', 'account_history'), 'id',
                      'last_modified_time desc, version_tag desc nulls last') }}
),

joined as (
    select
        report.day as date,
        campaign.account_id,
        account.name as account_name,
        campaign.campaign_group_id as campaign_id,
        campaign_group.name as campaign_name,
        creative.campaign_id as ad_group_id,
        campaign.name as ad_group_name,
        report.creative_id as ad_id,
        creative.name as ad_name,
        cast(null as varchar) as placement,
        -- cost in the account's currency; USD only where the connector has nothing else
        case when report.cost_in_local_currency is null and report.cost_in_usd is not null
            then 'USD' else account.currency end as currency,
        coalesce(report.cost_in_local_currency, report.cost_in_usd) as spend,
        report.impressions,
        coalesce(report.landing_page_clicks, report.clicks) as clicks,
        report.external_website_conversions as platform_conversions,
        report.conversion_value_in_local_currency as platform_conversion_value,
        '30d_click_7d_view' as attribution_window,
        coalesce(creative.click_uri, creative.text_ad_landing_page, creative.spotlight_landing_page) as landing_url
    from report
    left join creative on creative.id = report.creative_id
    left join campaign on campaign.id = creative.campaign_id
    left join campaign_group on campaign_group.id = campaign.campaign_group_id
    left join account on account.id = campaign.account_id
),

with_utms as (
    select
        *,
        {{ utm_columns('landing_url', macros=macros) }}
    from joined
),

final as (
    select
        {{ paid_ad_stats_columns('linkedin') }}
    from with_utms
)

select * from final
