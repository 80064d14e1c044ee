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
  (timestamp '{{ var('socialroi__month') }}-01' - interval {{ var('socialroi__lookback_days') | int + 1 }} day)
{%- endmacro %}

{# pre-hook: drop the rows a month build replaces; on a full build nothing (the table is rebuilt), or
   every row where the model has no full refresh (the Python fit) #}
{% macro delete_build_months(month_col) -%}
  {%- if is_month_build() -%}
    delete from {{ this }} where {{ month_col }} >= '{{ var('socialroi__month') }}'
  {%- elif this is not none and is_incremental() -%}
    delete from {{ this }}
  {%- endif -%}
{%- endmacro %}

{# pre-hook of the models keyed on session time (int_sessions_unioned, int_touchpoints) #}
{% macro delete_build_month_touches(ts_col) -%}
  {%- if is_month_build() -%}
    delete from {{ this }} where {{ ts_col }} >= {{ build_month_lookback_start() }}
  {%- elif this is not none and is_incremental() -%}
    delete from {{ this }}
  {%- endif -%}
{%- endmacro %}
