-- One row per return x touchpoint x attribution model: the return's net sales and gross profit in the
-- reporting currency (negative), split in exact cents by its order's credits (macros/event_attribution.sql;
-- fct_order_attribution splits the sales the same way). A month build (README "Month builds") redoes
-- the returns of the build month and later; a return of an earlier order takes the credits kept for
-- that order.
{{ month_build_config('month') }}
with

events as (
    select * from {{ ref('int_revenue_events') }}
    where event_type = 'return' and {{ since_build_month('month') }}
),

{{ split_by_credits('events') }}

select * from split
