{# Engine-specific SQL behind dispatch macros, so the project can move to another warehouse. #}

{% macro regex_match(value, pattern) -%}{{ return(adapter.dispatch('regex_match', 'socialroi')(value, pattern)) }}{%- endmacro %}
{% macro default__regex_match(value, pattern) -%}regexp_matches({{ value }}, {{ pattern }}){%- endmacro %}
{% macro postgres__regex_match(value, pattern) -%}({{ value }} ~ {{ pattern }}){%- endmacro %}

{% macro regex_extract(value, pattern, group=1) -%}{{ return(adapter.dispatch('regex_extract', 'socialroi')(value, pattern, group)) }}{%- endmacro %}
{% macro default__regex_extract(value, pattern, group) -%}nullif(regexp_extract({{ value }}, {{ pattern }}, {{ group }}), ''){%- endmacro %}
{% macro postgres__regex_extract(value, pattern, group) -%}(regexp_match({{ value }}, {{ pattern }}))[{{ group }}]{%- endmacro %}

{# a URL's query parameter, decoded as a query string is ('+' is a space, then percent-decoding: summer+sale
   and summer%20sale are one campaign, %2B a '+'); as written where it does not decode to UTF-8 (caf%E9, a
   Latin-1 encoding), which would otherwise stop the build #}
{% macro url_param(url, name) -%}{{ return(adapter.dispatch('url_param', 'socialroi')(url, name)) }}{%- endmacro %}
{% macro default__url_param(url, name) -%}
  {%- set raw = "regexp_extract(" ~ url ~ ", '[?&#]" ~ name ~ "=([^&#]*)', 1)" -%}
  nullif(coalesce(try(url_decode(replace({{ raw }}, '+', ' '))), {{ raw }}), '')
{%- endmacro %}

{# the host of a URL, lower-case, without www. #}
{% macro url_host(url) -%}nullif(regexp_replace(lower({{ regex_extract(url, "'^(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?([^/?#:]+)'") }}), '^www\.', ''), ''){%- endmacro %}

{# a UTC timestamp to the reporting time zone's wall-clock time #}
{% macro to_reporting_tz(ts) -%}{{ return(adapter.dispatch('to_reporting_tz', 'socialroi')(ts)) }}{%- endmacro %}
{#- timestamps are naive UTC: with a UTC reporting zone there is nothing to convert (two conversions cost more than the month's string) #}
{% macro default__to_reporting_tz(ts) -%}
  {%- set tz = var("socialroi__reporting_timezone") -%}
  {%- if tz == 'UTC' -%}cast({{ ts }} as timestamp){%- else -%}timezone('{{ tz }}', timezone('UTC', {{ ts }})){%- endif -%}
{%- endmacro %}
{% macro postgres__to_reporting_tz(ts) -%}(({{ ts }} at time zone 'UTC') at time zone '{{ var("socialroi__reporting_timezone") }}'){%- endmacro %}

{# 'YYYY-MM' of a timestamp #}
{% macro month_of(ts) -%}{{ return(adapter.dispatch('month_of', 'socialroi')(ts)) }}{%- endmacro %}
{% macro default__month_of(ts) -%}strftime({{ ts }}, '%Y-%m'){%- endmacro %}
{% macro postgres__month_of(ts) -%}to_char({{ ts }}, 'YYYY-MM'){%- endmacro %}

{# json text field #}
{% macro json_text(value, path) -%}{{ return(adapter.dispatch('json_text', 'socialroi')(value, path)) }}{%- endmacro %}
{% macro default__json_text(value, path) -%}json_extract_string({{ value }}, '{{ path }}'){%- endmacro %}

{# the month being built: a filter on a month column, or true when building every month #}
{% macro in_build_months(month_col) -%}
  {%- set m = var('socialroi__month', none) -%}
  {%- if m -%}{{ month_col }} = '{{ m }}'{%- else -%}true{%- endif -%}
{%- endmacro %}

{# value of `key` in a connector's JSON list of {"key": ..., "value": ...} (Meta url_tags) #}
{% macro json_kv(value, key) -%}{{ return(adapter.dispatch('json_kv', 'socialroi')(value, key)) }}{%- endmacro %}
{% macro default__json_kv(value, key) -%}
(list_filter(try_cast(json({{ value }}) as struct(key varchar, value varchar)[]), lambda x: x.key = '{{ key }}')[1]).value
{%- endmacro %}

{#- Sum of DOUBLE credits that does not depend on row order: each term is rounded to 1e-18 and
    summed exactly as a DECIMAL, so re-runs and parallel plans give the same bits (the published
    files are compared by content, and a floating-point sum in a different order differs in the last
    digit). -#}
{% macro exact_sum(expr, where=none) -%}
cast(sum(cast({{ expr }} as decimal(38, 18))){% if where %} filter (where {{ where }}){% endif %} as double precision)
{%- endmacro %}

{# seconds since the epoch of a timestamp #}
{% macro epoch_seconds(ts) -%}{{ return(adapter.dispatch('epoch_seconds', 'socialroi')(ts)) }}{%- endmacro %}
{% macro default__epoch_seconds(ts) -%}epoch({{ ts }}){%- endmacro %}
{% macro postgres__epoch_seconds(ts) -%}extract(epoch from {{ ts }}){%- endmacro %}

{# the value of the row with the largest key, as an aggregate #}
{% macro arg_max(value, key) -%}{{ return(adapter.dispatch('arg_max', 'socialroi')(value, key)) }}{%- endmacro %}
{% macro default__arg_max(value, key) -%}max_by({{ value }}, {{ key }}){%- endmacro %}
{% macro postgres__arg_max(value, key) -%}(array_agg({{ value }} order by {{ key }} desc nulls last))[1]{%- endmacro %}

{# any value of a group (PostgreSQL 15 has no any_value: the smallest) #}
{% macro any_value(value) -%}{{ return(adapter.dispatch('any_value', 'socialroi')(value)) }}{%- endmacro %}
{% macro default__any_value(value) -%}any_value({{ value }}){%- endmacro %}
{% macro postgres__any_value(value) -%}min({{ value }}){%- endmacro %}

{# the first non-null value of an expression over a named window's frame #}
{% macro first_non_null(value, window) -%}{{ return(adapter.dispatch('first_non_null', 'socialroi')(value, window)) }}{%- endmacro %}
{% macro default__first_non_null(value, window) -%}first_value({{ value }} ignore nulls) over {{ window }}{%- endmacro %}
{% macro postgres__first_non_null(value, window) -%}(array_agg({{ value }}) filter (where ({{ value }}) is not null) over {{ window }})[1]{%- endmacro %}

{# an aggregate: the last n values in the given order, joined by sep #}
{% macro string_agg_last(value, order_by, n, sep) -%}{{ return(adapter.dispatch('string_agg_last', 'socialroi')(value, order_by, n, sep)) }}{%- endmacro %}
{% macro default__string_agg_last(value, order_by, n, sep) -%}
array_to_string(list_slice(list({{ value }} order by {{ order_by }}), -{{ n }}, -1), '{{ sep }}')
{%- endmacro %}
{% macro postgres__string_agg_last(value, order_by, n, sep) -%}
array_to_string((array_agg({{ value }} order by {{ order_by }}))[greatest(count(*) - {{ n }} + 1, 1):], '{{ sep }}')
{%- endmacro %}

{# an aggregate: the non-null values in the given order as a list (DuckDB) or array (PostgreSQL), the
   last n only when n is given; NULL when there are none #}
{% macro list_agg_last(value, order_by, n=none) -%}{{ return(adapter.dispatch('list_agg_last', 'socialroi')(value, order_by, n)) }}{%- endmacro %}
{% macro default__list_agg_last(value, order_by, n) -%}
{%- if n -%}list_slice(list({{ value }} order by {{ order_by }}) filter (where {{ value }} is not null), -{{ n }}, -1)
{%- else -%}list({{ value }} order by {{ order_by }}) filter (where {{ value }} is not null){%- endif -%}
{%- endmacro %}
{% macro postgres__list_agg_last(value, order_by, n) -%}
{%- if n -%}(array_agg({{ value }} order by {{ order_by }}) filter (where {{ value }} is not null))[greatest(count({{ value }}) - {{ n }} + 1, 1):]
{%- else -%}array_agg({{ value }} order by {{ order_by }}) filter (where {{ value }} is not null){%- endif -%}
{%- endmacro %}

{# a list of integer codes (1-based) turned into the strings they index in `names`, joined by sep #}
{% macro join_coded(codes, names, sep) -%}{{ return(adapter.dispatch('join_coded', 'socialroi')(codes, names, sep)) }}{%- endmacro %}
{% macro default__join_coded(codes, names, sep) -%}
array_to_string(list_transform({{ codes }}, lambda c: {{ names }}[c]), '{{ sep }}')
{%- endmacro %}
{% macro postgres__join_coded(codes, names, sep) -%}
array_to_string(array(select ({{ names }})[u.c] from unnest({{ codes }}) with ordinality as u(c, i) order by u.i), '{{ sep }}')
{%- endmacro %}

{# a surrogate key: the first 15 hex digits (60 bits) of md5(salt || value) as a BIGINT #}
{% macro keyed_bigint(value, salt) -%}{{ return(adapter.dispatch('keyed_bigint', 'socialroi')(value, salt)) }}{%- endmacro %}
{% macro default__keyed_bigint(value, salt) -%}cast('0x' || left(md5('{{ salt }}' || {{ value }}), 15) as bigint){%- endmacro %}
{% macro postgres__keyed_bigint(value, salt) -%}('x' || left(md5('{{ salt }}' || {{ value }}), 15))::bit(60)::bigint{%- endmacro %}

{# n / d rounded half away from zero to `places` decimals, exactly. n and d are DECIMALs of scale at most
   n_scale and d_scale. DuckDB divides DECIMALs in DOUBLE (619.80 / 8 = 77.474999... gives 77.47): here the
   division is of integers (HUGEINT), as PostgreSQL's NUMERIC does it. #}
{% macro round_divide(n, d, n_scale, d_scale, places=2) -%}{{ return(adapter.dispatch('round_divide', 'socialroi')(n, d, n_scale, d_scale, places)) }}{%- endmacro %}
{% macro default__round_divide(n, d, n_scale, d_scale, places) -%}
{%- set shift = d_scale + places - n_scale -%}
{%- set num = 'cast(cast(' ~ n ~ ' as decimal(38, ' ~ n_scale ~ ')) * ' ~ (10 ** n_scale) ~ ' as hugeint)' -%}
{%- set den = 'cast(cast(' ~ d ~ ' as decimal(38, ' ~ d_scale ~ ')) * ' ~ (10 ** d_scale) ~ ' as hugeint)' -%}
{%- if shift > 0 %}{% set num = num ~ ' * ' ~ (10 ** shift) %}{% elif shift < 0 %}{% set den = den ~ ' * ' ~ (10 ** (-shift)) %}{% endif -%}
cast(cast(sign({{ num }}) * sign({{ den }}) * ((2 * abs({{ num }}) + abs({{ den }})) // (2 * abs({{ den }}))) as decimal(38, 0)) / {{ 10 ** places }} as decimal(18, {{ places }}))
{%- endmacro %}
{% macro postgres__round_divide(n, d, n_scale, d_scale, places) -%}
cast(round(({{ n }}) / ({{ d }}), {{ places }}) as decimal(18, {{ places }}))
{%- endmacro %}
