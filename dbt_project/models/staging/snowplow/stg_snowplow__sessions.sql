-- One row per Snowplow session (domain_sessionid): its page views sessionised by the tracker's own
-- session id, the first page view giving the landing page, referrer and campaign (the campaign
-- enrichment's mkt_* fields, placeholders such as "(direct)" as NULL). A transaction event in the
-- session (tr_orderid) names its order; tr_total is the session's purchase revenue.
with

events as (
    select
        *,
        coalesce(derived_tstamp, dvce_created_tstamp, collector_tstamp) as event_at,
        coalesce(nullif(event_name, ''), nullif(event, '')) as event_kind,
        coalesce(
            page_url,
            case when page_urlhost is not null then
                coalesce(page_urlscheme, 'https') || '://' || page_urlhost || coalesce(page_urlpath, '/')
                || coalesce('?' || page_urlquery, '')
            end
        ) as landing_page_url,
        coalesce(
            page_referrer,
            case when refr_urlhost is not null then
                coalesce(refr_urlscheme, 'https') || '://' || refr_urlhost || coalesce(refr_urlpath, '/')
                || coalesce('?' || refr_urlquery, '')
            end
        ) as referrer_url
    from {{ source('snowplow', 'events') }}
    where domain_sessionid is not null
),

first_page_view as (
    -- the session's first page view; a session without one falls back to its first event
    select *
    from events
    qualify row_number() over (
        partition by domain_sessionid
        order by case when event_kind = 'page_view' then 0 else 1 end, event_at, event_id
    ) = 1
),

transactions as (
    select
        domain_sessionid,
        arg_min(tr_orderid, event_at) filter (where tr_orderid is not null) as order_id,
        sum(tr_total) as revenue
    from events
    where tr_orderid is not null or tr_total is not null
    group by domain_sessionid
),

sessions as (
    select
        domain_sessionid as session_id,
        max(domain_userid) as user_id,
        min(event_at) as started_at,
        max(user_id) as customer_id
    from events
    group by domain_sessionid
),

joined as (
    select
        sessions.session_id,
        sessions.user_id,
        sessions.started_at,
        sessions.customer_id,
        cast(null as varchar) as email_hash,
        first_page_view.landing_page_url as landing_url,
        first_page_view.referrer_url as referrer,
        coalesce({{ no_placeholder('first_page_view.mkt_source') }},
                 {{ url_param('first_page_view.landing_page_url', 'utm_source') }}) as utm_source,
        coalesce({{ no_placeholder('first_page_view.mkt_medium') }},
                 {{ url_param('first_page_view.landing_page_url', 'utm_medium') }}) as utm_medium,
        coalesce({{ no_placeholder('first_page_view.mkt_campaign') }},
                 {{ url_param('first_page_view.landing_page_url', 'utm_campaign') }}) as utm_campaign,
        coalesce({{ no_placeholder('first_page_view.mkt_content') }},
                 {{ url_param('first_page_view.landing_page_url', 'utm_content') }}) as utm_content,
        coalesce({{ no_placeholder('first_page_view.mkt_term') }},
                 {{ url_param('first_page_view.landing_page_url', 'utm_term') }}) as utm_term,
        {{ click_id_columns('first_page_view.landing_page_url', {
            'gclid': "case when lower(first_page_view.mkt_network) in ('google', 'doubleclick') then first_page_view.mkt_clickid end",
            'msclkid': "case when lower(first_page_view.mkt_network) = 'microsoft' then first_page_view.mkt_clickid end",
            'fbclid': "case when lower(first_page_view.mkt_network) in ('facebook', 'meta') then first_page_view.mkt_clickid end",
            'ttclid': "case when lower(first_page_view.mkt_network) = 'tiktok' then first_page_view.mkt_clickid end",
            'twclid': "case when lower(first_page_view.mkt_network) in ('twitter', 'x') then first_page_view.mkt_clickid end",
            'li_fat_id': "case when lower(first_page_view.mkt_network) = 'linkedin' then first_page_view.mkt_clickid end",
        }) }},
        transactions.order_id,
        transactions.revenue
    from sessions
    left join first_page_view on first_page_view.domain_sessionid = sessions.session_id
    left join transactions on transactions.domain_sessionid = sessions.session_id
),

final as (
    select
        {{ web_sessions_columns() }}
    from joined
)

select * from final
