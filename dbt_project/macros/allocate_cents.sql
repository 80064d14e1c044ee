{#
  Split an integer number of cents over parts by their credits, exactly (CONTRACTS "Splitting an
  amount by credits"): each part gets its exact share cut toward zero, then the leftover cents go
  one by one to the parts with the largest cut-off remainders, ties broken by `tie_break`.
  The parts add up to the total, and a re-run gives the same cents.
  Both windows have the same partition and order, so the engine sorts the rows once.
#}
{% macro allocate_cents(total_cents, credit, partition_by, tie_break) -%}
{%- set share = '(' ~ credit ~ ' * ' ~ total_cents ~ ')' -%}
{%- set order = 'order by abs(' ~ share ~ ' - trunc(' ~ share ~ ')) desc, ' ~ tie_break -%}
(
    trunc({{ share }})
    + case
        when row_number() over (partition by {{ partition_by }} {{ order }})
            <= abs({{ total_cents }} - sum(trunc({{ share }})) over (
                partition by {{ partition_by }} {{ order }} rows between unbounded preceding and unbounded following))
        then sign({{ total_cents }} - sum(trunc({{ share }})) over (
                partition by {{ partition_by }} {{ order }} rows between unbounded preceding and unbounded following))
        else 0
    end
)
{%- endmacro %}
