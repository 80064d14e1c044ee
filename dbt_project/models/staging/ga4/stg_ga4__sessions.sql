-- One row per GA4 session (user_pseudo_id + ga_session_id), from either GA4 layout: the Fivetran
-- connector's flattened `event` table or BigQuery's export with nested event_params. A session's
-- source is its first event's collected (UTM) traffic source; GA4's traffic_source_* columns are the
-- user's first-ever source and are not used. The first purchase of the session with a transaction id
-- (not GA4's "(not set)") names its order.
-- session_id is md5(user_pseudo_id || '.' || ga_session_id): the published touchpoint_id is the session
-- id, and the visitor's cookie id stays in user_id, which no mart publishes.
with

connector_events as (
    select
        user_pseudo_id,
        user_id,
        param_ga_session_id as ga_session_id,
        "timestamp" as event_at,
        name as event_name,
        param_page_location as page_location,
        param_page_referrer as page_referrer,
        coalesce(collected_traffic_source_manual_source, param_source) as source,
        coalesce(collected_traffic_source_manual_medium, param_medium) as medium,
        coalesce(collected_traffic_source_manual_campaign_name, param_campaign) as campaign,
        coalesce(collected_traffic_source_manual_content, param_content) as content,
        coalesce(collected_traffic_source_manual_term, param_term) as term,
        coalesce(collected_traffic_source_gclid, param_gclid) as gclid,
        -- GA4 writes "(not set)" for a purchase sent without a transaction id: no order
        {{ no_placeholder('ecommerce_transaction_id') }} as transaction_id,
        coalesce(ecommerce_purchase_revenue, ecommerce_purchase_revenue_in_usd) as purchase_revenue
    from {{ source('ga4', 'event') }}
),

export_events as (
    select
        user_pseudo_id,
        user_id,
        {{ ga4_param_text('event_params', 'ga_session_id') }} as ga_session_id,
        make_timestamp(event_timestamp) as event_at,
        event_name,
        {{ ga4_param_text('event_params', 'page_location') }} as page_location,
        {{ ga4_param_text('event_params', 'page_referrer') }} as page_referrer,
        coalesce(collected_traffic_source_manual_source, {{ ga4_param_text('event_params', 'source') }}) as source,
        coalesce(collected_traffic_source_manual_medium, {{ ga4_param_text('event_params', 'medium') }}) as medium,
        coalesce(collected_traffic_source_manual_campaign_name, {{ ga4_param_text('event_params', 'campaign') }})
            as campaign,
        coalesce(collected_traffic_source_manual_content, {{ ga4_param_text('event_params', 'content') }}) as content,
        coalesce(collected_traffic_source_manual_term, {{ ga4_param_text('event_params', 'term') }}) as term,
        coalesce(collected_traffic_source_gclid, {{ ga4_param_text('event_params', 'gclid') }}) as gclid,
        coalesce({{ no_placeholder('ecommerce_transaction_id') }}, {{ no_placeholder(ga4_param_text('event_params', 'transaction_id')) }})
            as transaction_id,
        coalesce(ecommerce_purchase_revenue, ecommerce_purchase_revenue_in_usd) as purchase_revenue
    from {{ source('ga4', 'events_export') }}
),

events as (
    select * from connector_events
    union all
    select * from export_events
),

sessions as (
    select
        md5(user_pseudo_id || '.' || ga_session_id) as session_id,
        user_pseudo_id as user_id,
        min(event_at) as started_at,
        max(events.user_id) as customer_id,
        arg_min(page_location, event_at) filter (where page_location is not null) as landing_url,
        -- the landing page's referrer, NULL when it had none: a later page's referrer is the shop itself
        arg_min_null(page_referrer, event_at) filter (where page_location is not null) as referrer,
        arg_min({{ no_placeholder('source') }}, event_at) filter (where {{ no_placeholder('source') }} is not null)
            as source,
        arg_min({{ no_placeholder('medium') }}, event_at) filter (where {{ no_placeholder('source') }} is not null
            or {{ no_placeholder('medium') }} is not null) as medium,
        arg_min({{ no_placeholder('campaign') }}, event_at) filter (where {{ no_placeholder('campaign') }} is not null)
            as campaign,
        arg_min({{ no_placeholder('content') }}, event_at) filter (where {{ no_placeholder('content') }} is not null)
            as content,
        arg_min({{ no_placeholder('term') }}, event_at) filter (where {{ no_placeholder('term') }} is not null) as term,
        arg_min(gclid, event_at) filter (where gclid is not null) as gclid,
        arg_min(transaction_id, event_at) filter (where event_name = 'purchase' and transaction_id is not null)
            as order_id
    from events
    where user_pseudo_id is not null and ga_session_id is not null
    group by all
),

revenue as (
    select
        md5(user_pseudo_id || '.' || ga_session_id) as session_id,
        transaction_id as order_id,
        sum(purchase_revenue) as revenue
    from events
    where event_name = 'purchase' and transaction_id is not null
    group by all
),

joined as (
    select
        sessions.session_id,
        sessions.user_id,
        sessions.started_at,
        sessions.customer_id,
        cast(null as varchar) as email_hash,
        sessions.landing_url,
        sessions.referrer,
        coalesce(sessions.source, {{ url_param('sessions.landing_url', 'utm_source') }}) as utm_source,
        coalesce(sessions.medium, {{ url_param('sessions.landing_url', 'utm_medium') }}) as utm_medium,
        coalesce(sessions.campaign, {{ url_param('sessions.landing_url', 'utm_campaign') }}) as utm_campaign,
        coalesce(sessions.content, {{ url_param('sessions.landing_url', 'utm_content') }}) as utm_content,
        coalesce(sessions.term, {{ url_param('sessions.landing_url', 'utm_term') }}) as utm_term,
        {{ click_id_columns('sessions.landing_url', {'gclid': 'sessions.gclid'}) }},
        sessions.order_id,
        revenue.revenue
    from sessions
    left join revenue on revenue.session_id = sessions.session_id and revenue.order_id = sessions.order_id
),

final as (
    select
        {{ web_sessions_columns() }}
    from joined
)

select * from final
