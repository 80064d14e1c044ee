-- One row per Instagram media per day: the day's increment of the connector's lifetime insights
-- (one insights snapshot per sync; the day is the sync's UTC date).
with

insights as (
    select
        *,
        -- a story's and a carousel's insights are in their own columns, a photo's or video's in video_photo_*
        coalesce(video_photo_impressions, carousel_album_impressions, story_impressions) as lifetime_impressions,
        coalesce(video_photo_reach, carousel_album_reach, story_reach) as lifetime_reach,
        coalesce(comment_count, story_replies) as lifetime_comments,
        coalesce(video_photo_shares, carousel_album_shares, story_shares) as lifetime_shares,
        coalesce(video_photo_saved, carousel_album_saved) as lifetime_saves
    from {{ source('instagram_business', 'media_insights') }}
    qualify row_number() over (partition by id, cast(_fivetran_synced as date) order by _fivetran_synced desc) = 1
),

latest_media as (
    select * from {{ source('instagram_business', 'media_history') }}
    qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
),

latest_user as (
    select * from {{ source('instagram_business', 'user_history') }}
    qualify row_number() over (partition by id order by _fivetran_synced desc) = 1
),

daily as (
    select
        id as post_id,
        cast(_fivetran_synced as date) as date,
        lifetime_impressions - coalesce(lag(lifetime_impressions) over w, 0) as impressions,
        lifetime_reach - coalesce(lag(lifetime_reach) over w, 0) as reach,
        like_count - coalesce(lag(like_count) over w, 0) as likes,
        lifetime_comments - coalesce(lag(lifetime_comments) over w, 0) as comments,
        lifetime_shares - coalesce(lag(lifetime_shares) over w, 0) as shares,
        lifetime_saves - coalesce(lag(lifetime_saves) over w, 0) as saves
    from insights
    window w as (partition by id order by _fivetran_synced)
),

final as (
    select
        daily.date,
        'instagram' as platform,
        media.user_id as account_id,
        coalesce(media.username, usr.username) as handle,
        daily.post_id,
        media.created_time as posted_at,
        media.permalink,
        {{ regex_extract('media.caption', "'(https?://[^\\s]+)'") }} as link_url,
        {{ url_param(regex_extract('media.caption', "'(https?://[^\\s]+)'"), 'utm_source') }} as utm_source,
        {{ url_param(regex_extract('media.caption', "'(https?://[^\\s]+)'"), 'utm_medium') }} as utm_medium,
        {{ url_param(regex_extract('media.caption', "'(https?://[^\\s]+)'"), 'utm_campaign') }} as utm_campaign,
        {{ url_param(regex_extract('media.caption', "'(https?://[^\\s]+)'"), 'utm_content') }} as utm_content,
        cast(daily.impressions as bigint) as impressions,
        cast(daily.reach as bigint) as reach,
        cast(daily.likes as bigint) as likes,
        cast(daily.comments as bigint) as comments,
        cast(daily.shares as bigint) as shares,
        cast(daily.saves as bigint) as saves,
        cast(null as bigint) as link_clicks,
        cast(coalesce(daily.likes, 0) + coalesce(daily.comments, 0) + coalesce(daily.shares, 0) + coalesce(daily.saves, 0) as bigint) as engagements
    from daily
    left join latest_media as media on media.id = daily.post_id
    left join latest_user as usr on usr.id = media.user_id
)

select * from final
