-- One row per Facebook Page post per day: the day's increment of the connector's lifetime totals.
with

metrics as (select * from {{ source('facebook_pages', 'lifetime_post_metrics_total') }}),

latest_post as (
    select * from {{ source('facebook_pages', 'post_history') }}
    qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
),

page as (select * from {{ source('facebook_pages', 'page') }}),

daily as (
    select
        post_id,
        date,
        -- lifetime counters: the day's value is today's total minus yesterday's
        post_impressions - coalesce(lag(post_impressions) over w, 0) as impressions,
        post_clicks - coalesce(lag(post_clicks) over w, 0) as link_clicks,
        post_engaged_users - coalesce(lag(post_engaged_users) over w, 0) as engagements,
        post_reactions_like_total - coalesce(lag(post_reactions_like_total) over w, 0) as likes,
        post_comments - coalesce(lag(post_comments) over w, 0) as comments,
        post_shares - coalesce(lag(post_shares) over w, 0) as shares
    from metrics
    window w as (partition by post_id order by date)
),

final as (
    select
        daily.date,
        'facebook' as platform,
        post.page_id as account_id,
        coalesce(page.username, page.name, post.page_id) as handle,
        daily.post_id,
        post.created_time as posted_at,
        post.permalink_url as permalink,
        {{ regex_extract('post.message', "'(https?://[^\\s]+)'") }} as link_url,
        {{ url_param(regex_extract('post.message', "'(https?://[^\\s]+)'"), 'utm_source') }} as utm_source,
        {{ url_param(regex_extract('post.message', "'(https?://[^\\s]+)'"), 'utm_medium') }} as utm_medium,
        {{ url_param(regex_extract('post.message', "'(https?://[^\\s]+)'"), 'utm_campaign') }} as utm_campaign,
        {{ url_param(regex_extract('post.message', "'(https?://[^\\s]+)'"), 'utm_content') }} as utm_content,
        cast(daily.impressions as bigint) as impressions,
        cast(null as bigint) as reach,
        cast(daily.likes as bigint) as likes,
        cast(daily.comments as bigint) as comments,
        cast(daily.shares as bigint) as shares,
        cast(null as bigint) as saves,
        cast(daily.link_clicks as bigint) as link_clicks,
        cast(daily.engagements as bigint) as engagements
    from daily
    left join latest_post as post on post.id = daily.post_id
    left join page on page.id = post.page_id
)

select * from final
