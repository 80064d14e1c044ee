{# Staging helpers for the connector layouts of docs/sources.md: one rule each, used by every platform's
   staging model instead of a copy per platform. Engine-specific SQL goes through portable.sql. #}

{# The current row of a connector's history table: the latest version per entity id. #}
{% macro latest_version(relation, id, order_by) -%}
select * from {{ relation }}
qualify row_number() over (partition by {{ id }} order by {{ order_by }}) = 1
{%- endmacro %}

{# The UTM parameters of a landing URL, one column each (percent-decoded, NULL when absent), with the
   network's dynamic values (`macros`, below) filled in. #}
{% macro utm_columns(url, params=['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'], macros={}) -%}
{%- for p in params %}
        {{ fill_url_macros(url_param(url, p), macros) }} as {{ p }}{{ "," if not loop.last }}
{%- endfor %}
{%- endmacro %}

{# A network's dynamic URL parameters (TikTok's __CAMPAIGN_NAME__, Snapchat's {{ad.id}}, ...), which the
   network fills in at the click: the session carries the campaign's name or the ad's id, the ad's URL in the
   history tables the macro. `macros` maps each macro to the SQL of its value on the row (the entity's
   latest name, its id); a macro whose value is unknown stays as written. #}
{% macro fill_url_macros(value, macros) -%}
{%- set ns = namespace(sql=value) -%}
{%- for token, expr in macros.items() -%}
{%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ token ~ "', coalesce(cast(" ~ expr ~ " as varchar), '" ~ token ~ "'))" -%}
{%- endfor -%}
{{ ns.sql }}
{%- endmacro %}

{# An amount in millionths (platforms' "micros") as money. Exact: decimal arithmetic, then rounded to
   the 3 places DECIMAL(18,3) keeps. #}
{% macro micros_to_amount(micros) -%}
cast(cast({{ micros }} as decimal(38, 0)) * 0.000001 as decimal(18, 3))
{%- endmacro %}

{# Stripe-style integer amounts in a currency's minor unit, as major units. Zero-decimal currencies have
   no minor unit (JPY 500 is 500 yen); three-decimal ones have 1/1000 (Stripe's list). #}
{% macro zero_decimal_currencies() -%}
('BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF')
{%- endmacro %}
{% macro three_decimal_currencies() -%}
('BHD', 'JOD', 'KWD', 'OMR', 'TND')
{%- endmacro %}
{# (each branch cast on its own: a CASE over DECIMALs of different scales would round to the smallest) #}
{% macro minor_to_major(amount, currency) -%}
case
    when upper({{ currency }}) in {{ zero_decimal_currencies() }} then cast({{ amount }} as decimal(18, 3))
    when upper({{ currency }}) in {{ three_decimal_currencies() }}
        then cast(cast({{ amount }} as decimal(38, 0)) * 0.001 as decimal(18, 3))
    else cast(cast({{ amount }} as decimal(38, 0)) * 0.01 as decimal(18, 3))
end
{%- endmacro %}

{# Trackers write placeholders where a value is absent ("(direct)", "(none)", "(not set)"): NULL, so
   that a session without a source is Direct everywhere. #}
{% macro no_placeholder(value) -%}
case when trim({{ value }}) in ('', '(direct)', '(none)', '(not set)', '(not provided)') then null else trim({{ value }}) end
{%- endmacro %}

{# The account-local date of a UTC timestamp; UTC when the account's zone is unknown. #}
{% macro local_date(ts_utc, tz) -%}
cast(timezone(coalesce(nullif({{ tz }}, ''), 'UTC'), timezone('UTC', {{ ts_utc }})) as date)
{%- endmacro %}

{# One GA4 event parameter (BigQuery export's event_params as JSON text) as text, whichever typed
   value field holds it. #}
{% macro ga4_param(params, key) -%}
(
    list_filter(
        try_cast(json({{ params }}) as struct(
            "key" varchar,
            "value" struct(string_value varchar, int_value bigint, float_value double, double_value double)
        )[]),
        lambda p: p."key" = '{{ key }}'
    )[1]
).value
{%- endmacro %}
{% macro ga4_param_text(params, key) -%}
coalesce(
    {{ ga4_param(params, key) }}.string_value,
    cast({{ ga4_param(params, key) }}.int_value as varchar),
    cast(coalesce({{ ga4_param(params, key) }}.double_value, {{ ga4_param(params, key) }}.float_value) as varchar)
)
{%- endmacro %}

{# A first link in free text (a post's message or caption). #}
{% macro first_link(text) -%}
{{ regex_extract(text, "'(https?://[^\\s\"<>]+)'") }}
{%- endmacro %}

{# A lifetime counter as the day's increment (the connector snapshots totals; ordered by `order_by`). #}
{% macro daily_increment(column, partition_by, order_by) -%}
{{ column }} - coalesce(lag({{ column }}) over (partition by {{ partition_by }} order by {{ order_by }}), 0)
{%- endmacro %}

{# The unified shapes' final select lists: exact names, order and types, so that the intermediate
   models can union every platform's staging model. #}
{% macro paid_ad_stats_columns(platform) -%}
        cast(date as date) as date,
        '{{ platform }}' as platform,
        cast(account_id as varchar) as account_id,
        cast(campaign_id as varchar) as campaign_id,
        cast(campaign_name as varchar) as campaign_name,
        cast(ad_group_id as varchar) as ad_group_id,
        cast(ad_group_name as varchar) as ad_group_name,
        cast(ad_id as varchar) as ad_id,
        cast(ad_name as varchar) as ad_name,
        cast(placement as varchar) as placement,
        cast(upper(currency) as varchar) as currency,
        cast(spend as decimal(18, 3)) as spend,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        cast(platform_conversions as double) as platform_conversions,
        cast(platform_conversion_value as decimal(18, 3)) as platform_conversion_value,
        cast(attribution_window as varchar) as attribution_window,
        cast(utm_source as varchar) as utm_source,
        cast(utm_medium as varchar) as utm_medium,
        cast(utm_campaign as varchar) as utm_campaign,
        cast(utm_content as varchar) as utm_content,
        cast(utm_term as varchar) as utm_term
{%- endmacro %}

{% macro organic_post_stats_columns(platform) -%}
        cast(date as date) as date,
        '{{ platform }}' as platform,
        cast(account_id as varchar) as account_id,
        cast(handle as varchar) as handle,
        cast(post_id as varchar) as post_id,
        cast(posted_at as timestamp) as posted_at,
        cast(permalink as varchar) as permalink,
        cast(link_url as varchar) as link_url,
        cast(utm_source as varchar) as utm_source,
        cast(utm_medium as varchar) as utm_medium,
        cast(utm_campaign as varchar) as utm_campaign,
        cast(utm_content as varchar) as utm_content,
        cast(impressions as bigint) as impressions,
        cast(reach as bigint) as reach,
        cast(likes as bigint) as likes,
        cast(comments as bigint) as comments,
        cast(shares as bigint) as shares,
        cast(saves as bigint) as saves,
        cast(link_clicks as bigint) as link_clicks,
        cast(engagements as bigint) as engagements
{%- endmacro %}

{% macro web_sessions_columns(channel_group='null', is_view='false') -%}
        cast(session_id as varchar) as session_id,
        cast(user_id as varchar) as user_id,
        cast(started_at as timestamp) as started_at,
        cast(customer_id as varchar) as customer_id,
        cast(email_hash as varchar) as email_hash,
        cast(landing_url as varchar) as landing_url,
        cast(referrer as varchar) as referrer,
        cast(utm_source as varchar) as utm_source,
        cast(utm_medium as varchar) as utm_medium,
        cast(utm_campaign as varchar) as utm_campaign,
        cast(utm_content as varchar) as utm_content,
        cast(utm_term as varchar) as utm_term,
        cast(fbclid as varchar) as fbclid,
        cast(gclid as varchar) as gclid,
        cast(ttclid as varchar) as ttclid,
        cast(twclid as varchar) as twclid,
        cast(li_fat_id as varchar) as li_fat_id,
        cast(msclkid as varchar) as msclkid,
        cast(order_id as varchar) as order_id,
        cast(revenue as decimal(18, 3)) as revenue,
        cast({{ channel_group }} as varchar) as channel_group,
        cast({{ is_view }} as boolean) as is_view
{%- endmacro %}

{# Click ids: from the landing URL, else from a tracker's own column (`fallbacks`: {param: expression}). #}
{% macro click_id_columns(url, fallbacks={}) -%}
{%- for p in ['fbclid', 'gclid', 'ttclid', 'twclid', 'li_fat_id', 'msclkid'] %}
        coalesce({{ url_param(url, p) }}{% if p in fallbacks %}, {{ fallbacks[p] }}{% endif %}) as {{ p }}{{ "," if not loop.last }}
{%- endfor %}
{%- endmacro %}

{# The shop's order id that a Stripe object's metadata carries, under the keys integrations use. #}
{% macro stripe_metadata_order_id(metadata) -%}
{%- set valid = 'try_cast(' ~ metadata ~ ' as json)' -%}
coalesce(
    {{ json_text(valid, '$.order_id') }},
    {{ json_text(valid, '$.orderId') }},
    {{ json_text(valid, '$.order_number') }},
    {{ json_text(valid, '$.order') }}
)
{%- endmacro %}

{# Stripe as the order ledger: the charges that are sales (succeeded, paid, captured, live) and the
   order a charge belongs to (the shop's order id in its metadata, else its payment intent, else itself). #}
{% macro stripe_counted_charge() -%}
status = 'succeeded' and is_paid and is_captured and is_livemode
{%- endmacro %}
{% macro stripe_charge_order_id() -%}
coalesce(order_id, payment_intent_id, id)
{%- endmacro %}
