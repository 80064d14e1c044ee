-- One row per ad per account-local day per ad network: spend and platform-claimed conversion value
-- in the account currency and in the reporting currency (each day at its own rate).
with

stats as (select * from {{ ref('int_ad_stats_unioned') }}),

fx as (select * from {{ ref('int_fx_rates_daily') }}),

final as (
    select
        stats.*,
        {{ month_of('stats.date') }} as month,
        lower(trim(coalesce(stats.utm_campaign, stats.campaign_name))) as campaign_key,
        fx.rate_to_reporting,
        cast(round(stats.spend * fx.rate_to_reporting, 2) as decimal(18, 2)) as spend_reporting,
        cast(round(stats.platform_conversion_value * fx.rate_to_reporting, 2) as decimal(18, 2)) as platform_conversion_value_reporting
    from stats
    left join fx on fx.currency = stats.currency and fx.rate_day = stats.date
)

select * from final
