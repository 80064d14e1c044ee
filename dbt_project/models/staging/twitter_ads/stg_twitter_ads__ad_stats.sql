-- One row per X promoted tweet per account-local day (summed over placements). X's campaign / line
-- item / promoted tweet are the unified campaign / ad group / ad; spend comes in micros.
with

report as (select * from {{ source('twitter_ads', 'promoted_tweet_report') }}),

promoted_tweet as (
    {{ latest_version(source('twitter_ads', 'promoted_tweet_history'), 'id', 'updated_at desc') }}
),

line_item as (
    {{ latest_version(source('twitter_ads', 'line_item_history'), 'id', 'updated_at desc') }}
),

campaign as (
    {{ latest_version(source('twitter_ads', 'campaign_history'), 'id', 'updated_at desc') }}
),

account as (
    {{ latest_version(source('twitter_ads', 'account_history'), 'id', 'updated_at desc') }}
),

tweet_url as (
    select * from {{ source('twitter_ads', 'tweet_url') }}
    qualify row_number() over (partition by tweet_id order by index) = 1
),

daily as (
    -- the report's date is the start of the account-local day, as a UTC timestamp
    select
        {{ local_date('report.date', 'account.timezone') }} as date,
        report.account_id,
        report.promoted_tweet_id,
        -- one placement: name it; several in a day: the ad ran on both
        case when count(distinct report.placement) = 1 then lower(min(report.placement)) end as placement,
        sum(report.billed_charge_local_micro) as spend_micro,
        sum(report.impressions) as impressions,
        sum(coalesce(report.url_clicks, report.clicks)) as clicks,
        sum(report.conversion_purchases_metric) as platform_conversions,
        sum(report.conversion_purchases_sale_amount) as conversion_value_micro
    from report
    left join account on account.id = report.account_id
    group by all
),

joined as (
    select
        daily.date,
        daily.account_id,
        line_item.campaign_id,
        campaign.name as campaign_name,
        promoted_tweet.line_item_id as ad_group_id,
        line_item.name as ad_group_name,
        daily.promoted_tweet_id as ad_id,
        promoted_tweet.tweet_id as ad_name,
        daily.placement,
        coalesce(campaign.currency, line_item.currency) as currency,
        {{ micros_to_amount('daily.spend_micro') }} as spend,
        daily.impressions,
        daily.clicks,
        daily.platform_conversions,
        {{ micros_to_amount('daily.conversion_value_micro') }} as platform_conversion_value,
        '30d_click_1d_view' as attribution_window,
        tweet_url.expanded_url as landing_url
    from daily
    left join promoted_tweet on promoted_tweet.id = daily.promoted_tweet_id
    left join line_item on line_item.id = promoted_tweet.line_item_id
    left join campaign on campaign.id = line_item.campaign_id
    left join tweet_url on tweet_url.tweet_id = promoted_tweet.tweet_id
),

with_utms as (
    select
        *,
        {{ utm_columns('landing_url') }}
    from joined
),

final as (
    select
        {{ paid_ad_stats_columns('x') }}
    from with_utms
)

select * from final
