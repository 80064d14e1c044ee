-- One row per YouTube video per day (summed over the report's country, live/on-demand and subscriber
-- splits). Channel-level rows (no video) are left out. YouTube reports no impressions or reach here.
with

report as (
    select * from {{ source('youtube_analytics', 'channel_basic_a_2') }}
    where video_id is not null
),

video as (
    {{ latest_version(source('youtube_analytics', 'video'), 'id', '_fivetran_synced desc nulls last') }}
),

daily as (
    select
        date,
        channel_id,
        video_id,
        sum(views) as views,
        sum(likes) as likes,
        sum(comments) as comments,
        sum(shares) as shares,
        sum(videos_added_to_playlists) as saves,
        sum(coalesce(card_clicks, 0) + coalesce(annotation_clicks, 0)) as link_clicks
    from report
    group by all
),

joined as (
    select
        daily.date,
        daily.channel_id as account_id,
        video.snippet_channel_title as handle,
        daily.video_id as post_id,
        video.snippet_published_at as posted_at,
        'https://www.youtube.com/watch?v=' || daily.video_id as permalink,
        {{ first_link('video.snippet_description') }} as link_url,
        cast(null as bigint) as impressions,
        cast(null as bigint) as reach,
        daily.likes,
        daily.comments,
        daily.shares,
        daily.saves,
        daily.link_clicks,
        coalesce(daily.likes, 0) + coalesce(daily.comments, 0) + coalesce(daily.shares, 0) as engagements
    from daily
    left join video on video.id = daily.video_id
),

with_utms as (
    select
        *,
        {{ utm_columns('link_url', ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content']) }}
    from joined
),

final as (
    select
        {{ organic_post_stats_columns('youtube') }}
    from with_utms
)

select * from final
