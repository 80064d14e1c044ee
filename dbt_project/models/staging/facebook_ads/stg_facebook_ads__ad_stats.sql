-- One row per Meta ad per account-local day: spend, delivery and the ad's UTMs, from the connector
-- tables or, for account-days the connector does not cover, from Ads Manager's table export.
-- UTMs: Meta's dynamic URL parameters (campaign.name, ad.id, ... in double braces; filled in at the click, the ad's
-- URL tags keep them as written) are taken from the ad's own rows, else the campaign key would be the macro.
{%- set connector_macros = {'{{campaign.id}}': 'ad.campaign_id', '{{campaign.name}}': 'campaign.name',
                            '{{adset.id}}': 'ad.ad_set_id', '{{adset.name}}': 'ad_set.name',
                            '{{ad.id}}': 'basic_ad.ad_id', '{{ad.name}}': 'ad.name'} %}
{%- set export_macros = {'{{campaign.id}}': 'campaign_id', '{{campaign.name}}': 'campaign_name',
                         '{{adset.id}}': 'ad_set_id', '{{adset.name}}': 'ad_set_name', '{{ad.id}}': 'ad_id',
                         '{{ad.name}}': 'ad_name'} %}
with

basic_ad as (select * from {{ source('facebook_ads', 'basic_ad') }}),

latest_ad as (
    select * from {{ source('facebook_ads', 'ad_history') }}
    qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
),

latest_ad_set as (
    select * from {{ source('facebook_ads', 'ad_set_history') }}
    qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
),

latest_campaign as (
    select * from {{ source('facebook_ads', 'campaign_history') }}
    qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
),

latest_creative as (
    select * from {{ source('facebook_ads', 'creative_history') }}
    qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
),

latest_account as (
    select * from {{ source('facebook_ads', 'account_history') }}
    qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
),

{#- Meta repeats each purchase under several action types: take one, in this order of preference, never
    their sum (that double counts); the same rule for the purchase count and the purchase value #}
{%- set purchase_types = ['omni_purchase', 'offsite_conversion.fb_pixel_purchase', 'purchase'] %}
{%- for cte, table, measure in [('purchase_count', 'basic_ad_actions', 'platform_conversions'),
                                ('purchase_value', 'basic_ad_action_values', 'platform_conversion_value')] %}
{{ cte }} as (
    select
        ad_id,
        date,
        coalesce(
            {%- for action_type in purchase_types %}
            sum(value) filter (where action_type = '{{ action_type }}'){% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as {{ measure }}
    from {{ source('facebook_ads', table) }}
    group by 1, 2
),

{% endfor -%}
connector as (
    select
        basic_ad.date,
        basic_ad.account_id,
        ad.campaign_id,
        campaign.name as campaign_name,
        ad.ad_set_id as ad_group_id,
        ad_set.name as ad_group_name,
        basic_ad.ad_id,
        ad.name as ad_name,
        cast(null as varchar) as placement,
        account.currency,
        basic_ad.spend,
        basic_ad.impressions,
        basic_ad.inline_link_clicks as clicks,
        cast(purchase_count.platform_conversions as double precision) as platform_conversions,
        cast(purchase_value.platform_conversion_value as decimal(18, 3)) as platform_conversion_value,
        '7d_click_1d_view' as attribution_window,
        {{ fill_url_macros("coalesce(" ~ json_kv('creative.url_tags', 'utm_source') ~ ", " ~ url_param('creative.object_story_link_data_link', 'utm_source') ~ ")", connector_macros) }} as utm_source,
        {{ fill_url_macros("coalesce(" ~ json_kv('creative.url_tags', 'utm_medium') ~ ", " ~ url_param('creative.object_story_link_data_link', 'utm_medium') ~ ")", connector_macros) }} as utm_medium,
        {{ fill_url_macros("coalesce(" ~ json_kv('creative.url_tags', 'utm_campaign') ~ ", " ~ url_param('creative.object_story_link_data_link', 'utm_campaign') ~ ")", connector_macros) }} as utm_campaign,
        {{ fill_url_macros("coalesce(" ~ json_kv('creative.url_tags', 'utm_content') ~ ", " ~ url_param('creative.object_story_link_data_link', 'utm_content') ~ ")", connector_macros) }} as utm_content,
        {{ fill_url_macros("coalesce(" ~ json_kv('creative.url_tags', 'utm_term') ~ ", " ~ url_param('creative.object_story_link_data_link', 'utm_term') ~ ")", connector_macros) }} as utm_term,
        'basic_ad' as source_table
    from basic_ad
    left join latest_ad as ad on ad.id = basic_ad.ad_id
    left join latest_ad_set as ad_set on ad_set.id = ad.ad_set_id
    left join latest_campaign as campaign on campaign.id = ad.campaign_id
    left join latest_creative as creative on creative.id = ad.creative_id
    left join latest_account as account on account.id = basic_ad.account_id
    left join purchase_count on purchase_count.ad_id = basic_ad.ad_id and purchase_count.date = basic_ad.date
    left join purchase_value on purchase_value.ad_id = basic_ad.ad_id and purchase_value.date = basic_ad.date
),

ads_manager as (
    select
        day as date,
        account_id,
        campaign_id,
        campaign_name,
        ad_set_id as ad_group_id,
        ad_set_name as ad_group_name,
        ad_id,
        ad_name,
        lower(placement) as placement,
        currency,
        spend,
        impressions,
        link_clicks as clicks,
        purchases as platform_conversions,
        purchases_conversion_value as platform_conversion_value,
        coalesce(attribution_setting, '7d_click_1d_view') as attribution_window,
        {{ fill_url_macros(url_param("'?' || url_parameters", 'utm_source'), export_macros) }} as utm_source,
        {{ fill_url_macros(url_param("'?' || url_parameters", 'utm_medium'), export_macros) }} as utm_medium,
        {{ fill_url_macros(url_param("'?' || url_parameters", 'utm_campaign'), export_macros) }} as utm_campaign,
        {{ fill_url_macros(url_param("'?' || url_parameters", 'utm_content'), export_macros) }} as utm_content,
        {{ fill_url_macros(url_param("'?' || url_parameters", 'utm_term'), export_macros) }} as utm_term,
        'ads_manager_export' as source_table
    from {{ source('facebook_ads', 'ads_manager_export') }} as ex
    -- the connector wins where both layouts cover the same account-day: nothing is counted twice
    where not exists (
        select 1 from basic_ad
        where basic_ad.account_id = ex.account_id and basic_ad.date = ex.day
    )
),

final as (
    select
        date,
        'meta' as platform,
        account_id,
        campaign_id,
        campaign_name,
        ad_group_id,
        ad_group_name,
        ad_id,
        ad_name,
        placement,
        currency,
        spend,
        impressions,
        clicks,
        platform_conversions,
        platform_conversion_value,
        attribution_window,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term,
        source_table
    from connector
    union all
    select
        date, 'meta', account_id, campaign_id, campaign_name, ad_group_id, ad_group_name, ad_id, ad_name, placement,
        currency, spend, impressions, clicks, platform_conversions, platform_conversion_value, attribution_window,
        utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_table
    from ads_manager
)

select * from final
