-- One row per ad per account-local day per ad network, every paid platform in one shape,
-- amounts in the account currency.
{%- set models = ['stg_facebook_ads__ad_stats'] + var('socialroi__extra_ad_stats_models', []) %}
{% for m in models %}
select * exclude (source_table) from {{ ref(m) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
