{#
  Month builds of the attribution layer (README "Month builds").
  With var socialroi__month = M and the model's table already built, the intermediate attribution
  models recompute only what can belong to a month >= M and replace exactly those rows (a pre-hook
  deletes them; the new rows are appended in the same transaction). Journeys ending in M or later
  use only touches and orders since M's first day minus the lookback (and one day for the time
  zone), so they come out as a full build would give them. Without a month, or when the table does
  not exist yet, the model is built over all history.
#}

{% macro is_month_build() -%}
  {#- a dbt unit test has no `this`: it tests the full build's SQL #}
  {{ return(var('socialroi__month', none) is not none and this is not none and is_incremental()) }}
{%- endmacro %}

{# rows of months >= the build month (a 'YYYY-MM' column), or every row #}
{% macro since_build_month(month_col) -%}
  {%- if is_month_build() -%}{{ month_col }} >= '{{ var('socialroi__month') }}'{%- else -%}true{%- endif -%}
{%- endmacro %}

{# touches and orders (a UTC timestamp column) that can be part of a journey ending in a month >= the build month #}
{% macro since_build_month_lookback(ts_col) -%}
  {%- if is_month_build() -%}
    {{ ts_col }} >= {{ build_month_lookback_start() }}
  {%- else -%}true{%- endif -%}
{%- endmacro %}

{% macro build_month_lookback_start() -%}
  (timestamp '{{ var('socialroi__month') }}-01' - interval '{{ var('socialroi__lookback_days') | int + 1 }} day')
{%- endmacro %}

{# pre-hook: drop the rows a month build replaces, by month column or (keyed_on='time') by session time; nothing on a full build, which rebuilds the table #}
{% macro delete_build_rows(column, keyed_on='month') -%}
  {%- if is_month_build() and keyed_on == 'time' -%}
    delete from {{ this }} where {{ column }} >= {{ build_month_lookback_start() }}
  {%- elif is_month_build() -%}
    delete from {{ this }} where {{ column }} >= '{{ var('socialroi__month') }}'
  {%- endif -%}
{%- endmacro %}

{# the config of every model with month builds: incremental, rebuilt in full when no month is given #}
{% macro month_build_config(column, keyed_on='month') -%}
  {{ config(materialized='incremental', incremental_strategy='append', full_refresh=var('socialroi__month', none) is none,
            on_schema_change='fail', pre_hook="{{ delete_build_rows('" ~ column ~ "', '" ~ keyed_on ~ "') }}") }}
{%- endmacro %}
