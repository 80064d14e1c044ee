{{ config(materialized='ephemeral') }}
-- One row per month x ad network x campaign: spend and platform-claimed value in the reporting currency.
select
    month,
    case when platform in ('google', 'microsoft') then 'Paid Search' else 'Paid Social' end as channel_group,
    platform,
    campaign_key,
    {{ any_value('coalesce(utm_campaign, campaign_name)') }} as campaign,
    sum(spend_reporting) as spend,
    sum(platform_conversion_value_reporting) as platform_conversion_value,
    cast(sum(impressions) as bigint) as impressions,
    cast(sum(clicks) as bigint) as clicks
from {{ ref('int_ad_spend_daily') }}
where {{ in_build_months('month') }}
group by 1, 2, 3, 4
