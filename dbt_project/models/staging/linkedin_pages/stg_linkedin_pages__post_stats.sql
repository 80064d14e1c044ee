-- One row per LinkedIn company-page post per day: the day's increment of the lifetime statistics the
-- connector snapshots at each sync (the day is the sync's UTC date; the last snapshot of a day counts).
with

statistic as (
    select
        *,
        coalesce(_ugc_post_entity_urn, _share_entity_urn) as post_urn,
        cast(_fivetran_synced as date) as date
    from {{ source('linkedin_pages', 'share_statistic') }}
    where coalesce(_ugc_post_entity_urn, _share_entity_urn) is not null
    qualify row_number() over (
        partition by coalesce(_ugc_post_entity_urn, _share_entity_urn), cast(_fivetran_synced as date)
        order by _fivetran_synced desc
    ) = 1
),

post as (
    {{ latest_version(source('linkedin_pages', 'ugc_post_history'), 'id', '_fivetran_synced desc') }}
),

content as (
    select * from {{ source('linkedin_pages', 'post_content') }}
    qualify row_number() over (partition by post_id order by _fivetran_synced desc nulls last) = 1
),

organization as (
    {{ latest_version(source('linkedin_pages', 'organization'), 'id', '_fivetran_synced desc nulls last') }}
),

daily as (
    select
        post_urn,
        date,
        _organization_entity_urn,
        {{ daily_increment('impression_count', 'post_urn', 'date') }} as impressions,
        {{ daily_increment('unique_impressions_count', 'post_urn', 'date') }} as reach,
        {{ daily_increment('like_count', 'post_urn', 'date') }} as likes,
        {{ daily_increment('comment_count', 'post_urn', 'date') }} as comments,
        {{ daily_increment('share_count', 'post_urn', 'date') }} as shares,
        {{ daily_increment('click_count', 'post_urn', 'date') }} as link_clicks
    from statistic
),

joined as (
    select
        daily.date,
        regexp_extract(coalesce(post.author, daily._organization_entity_urn), '(\d+)$', 1) as account_id,
        coalesce(organization.vanity_name, organization.localized_name,
                 regexp_extract(coalesce(post.author, daily._organization_entity_urn), '(\d+)$', 1)) as handle,
        daily.post_urn as post_id,
        coalesce(post.first_published_at, post.created_time) as posted_at,
        'https://www.linkedin.com/feed/update/' || daily.post_urn as permalink,
        coalesce(content.article_source, {{ first_link('post.commentary') }}) as link_url,
        daily.impressions,
        daily.reach,
        daily.likes,
        daily.comments,
        daily.shares,
        cast(null as bigint) as saves,
        daily.link_clicks,
        coalesce(daily.likes, 0) + coalesce(daily.comments, 0) + coalesce(daily.shares, 0)
            + coalesce(daily.link_clicks, 0) as engagements
    from daily
    left join post on post.id = daily.post_urn
    left join content on content.post_id = daily.post_urn
    left join organization
        on organization.id = regexp_extract(coalesce(post.author, daily._organization_entity_urn), '(\d+)$', 1)
),

with_utms as (
    select
        *,
        {{ utm_columns('link_url', ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content']) }}
    from joined
),

final as (
    select
        {{ organic_post_stats_columns('linkedin') }}
    from with_utms
)

select * from final
