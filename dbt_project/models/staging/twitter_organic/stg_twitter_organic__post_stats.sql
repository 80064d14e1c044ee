-- One row per organic tweet per account-local day (summed over placements). Links in tweets are t.co
-- short links: UTMs are only found where the text holds the full URL.
with

report as (select * from {{ source('twitter_organic', 'organic_tweet_report') }}),

tweet as (
    {{ latest_version(source('twitter_organic', 'tweet'), 'id', '_fivetran_synced desc nulls last') }}
),

account as (
    {{ latest_version(source('twitter_organic', 'account_history'), 'id', 'updated_at desc') }}
),

twitter_user as (
    {{ latest_version(source('twitter_organic', 'twitter_user_history'), 'id', '_fivetran_synced desc') }}
),

daily as (
    select
        {{ local_date('report.date', 'account.timezone') }} as date,
        report.account_id,
        report.organic_tweet_id,
        sum(report.impressions) as impressions,
        sum(report.likes) as likes,
        sum(report.replies) as comments,
        sum(report.retweets) as shares,
        sum(report.url_clicks) as link_clicks,
        sum(report.engagements) as engagements
    from report
    left join account on account.id = report.account_id
    group by all
),

joined as (
    select
        daily.date,
        daily.account_id,
        coalesce(twitter_user.screen_name, account.name) as handle,
        daily.organic_tweet_id as post_id,
        tweet.created_at as posted_at,
        'https://x.com/' || coalesce(twitter_user.screen_name, 'i/web') || '/status/' || daily.organic_tweet_id
            as permalink,
        {{ first_link('tweet.full_text') }} as link_url,
        daily.impressions,
        cast(null as bigint) as reach,
        daily.likes,
        daily.comments,
        daily.shares,
        cast(null as bigint) as saves,
        daily.link_clicks,
        daily.engagements
    from daily
    left join tweet on tweet.id = daily.organic_tweet_id
    left join account on account.id = daily.account_id
    left join twitter_user on twitter_user.id = tweet.user_id
),

with_utms as (
    select
        *,
        {{ utm_columns('link_url', ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content']) }}
    from joined
),

final as (
    select
        {{ organic_post_stats_columns('x') }}
    from with_utms
)

select * from final
