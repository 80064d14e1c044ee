{#
  One rule for a journey's steps (socialroi__max_steps: keep the last N touches; none keeps all),
  used by every model that reads int_journey_touchpoints, so that a path counted for the
  data-driven fits is the path its orders are credited by. A journey's touches are in time order
  by (touched_at, touchpoint_id), which is descending `events_after` (int_journey_touchpoints): one
  integer to sort by.
#}

{# aggregate over one journey's rows: its path, channels ' > '-joined, the last max_steps only #}
{% macro journey_path_key(channel='channel') -%}
  {%- set max_steps = var('socialroi__max_steps') -%}
  {%- if max_steps -%}
    {{ string_agg_last(channel, 'events_after desc', max_steps | int, ' > ') }}
  {%- else -%}
    string_agg({{ channel }}, ' > ' order by events_after desc)
  {%- endif -%}
{%- endmacro %}

{# aggregate over one journey's rows: the same path as journey_path_key, as a list of the channels'
   integer codes (`code`); a list of small integers is cheaper to build and to group by than the joined
   string, so the path counts decode a path (join_coded) once per distinct path, not once per journey #}
{% macro journey_path_codes(code='code') -%}
  {%- set max_steps = var('socialroi__max_steps') -%}
  {{ list_agg_last(code, 'events_after desc', (max_steps | int) if max_steps else none) }}
{%- endmacro %}

{# window columns over one journey's rows: `steps_from_end` (1 = the last touch) and `path_length` (capped);
   the counted steps are those with steps_from_end <= path_length #}
{% macro journey_steps(journey='journey_id') -%}
  {%- set max_steps = var('socialroi__max_steps') -%}
  row_number() over (partition by {{ journey }} order by events_after) as steps_from_end,
  {% if max_steps %}least(count(*) over (partition by {{ journey }}), {{ max_steps | int }}){% else %}count(*) over (partition by {{ journey }}){% endif %} as path_length
{%- endmacro %}
