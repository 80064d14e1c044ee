{#
  Split an integer number of cents over parts by their credits, exactly (CONTRACTS "Splitting an
  amount by credits"): each part gets its exact share cut toward zero, then the leftover cents go
  one by one to the parts with the largest cut-off remainders, ties broken by `tie_break`.
  The parts add up to the total, and a re-run gives the same cents.
#}
{% macro allocate_cents(total_cents, credit, partition_by, tie_break) -%}
(
    trunc({{ credit }} * {{ total_cents }})
    + case
        when row_number() over (
                partition by {{ partition_by }}
                order by abs({{ credit }} * {{ total_cents }} - trunc({{ credit }} * {{ total_cents }})) desc, {{ tie_break }})
            <= abs({{ total_cents }} - sum(trunc({{ credit }} * {{ total_cents }})) over (partition by {{ partition_by }}))
        then sign({{ total_cents }} - sum(trunc({{ credit }} * {{ total_cents }})) over (partition by {{ partition_by }}))
        else 0
    end
)
{%- endmacro %}
