-- One row per visitor cookie (user_id): the person it belongs to. Precedence: a customer id (seen
-- on the cookie's sessions, or on an order placed in one of them or known for that order's email, or
-- known for an email the cookie logged in with) > the email hash (the cookie's, else its order's) > a
-- click id shared with a known cookie > the cookie itself. A guest checkout (an order with an email and
-- no customer id) thus takes the cookie it was placed from to the person int_order_persons gives the
-- order, and its journey with it.
-- A click id (fbclid, gclid, ttclid, twclid, li_fat_id, msclkid) names one ad click: seen on two
-- cookies, it is one person who opened the link twice (in-app browser, then the phone's browser). Seen
-- on more than socialroi__click_id_max_cookies cookies, it is a shared link and stitches nobody.
{%- set max_cookies = var('socialroi__click_id_max_cookies') %}
with

sessions as (select * from {{ ref('int_sessions_unioned') }}),

orders as (select order_id, customer_id, email_hash, created_at from {{ ref('int_orders_unioned') }}),

cookie_customer as (
    select user_id, {{ arg_max('customer_id', 'started_at') }} as customer_id
    from sessions where customer_id is not null group by 1
),

email_customer as (
    select email_hash, {{ arg_max('customer_id', 'created_at') }} as customer_id
    from orders where email_hash is not null and customer_id is not null group by 1
),

order_known as (
    -- what an order says of its person, as int_order_persons reads it: its customer id, else the customer
    -- known for its email; else its email hash
    select orders.order_id, coalesce(orders.customer_id, email_customer.customer_id) as customer_id, orders.email_hash
    from orders left join email_customer on email_customer.email_hash = orders.email_hash
),

cookie_order_customer as (
    select sessions.user_id, {{ arg_max('order_known.customer_id', 'sessions.started_at') }} as customer_id
    from sessions inner join order_known on order_known.order_id = sessions.order_id
    where order_known.customer_id is not null group by 1
),

cookie_order_email as (
    select sessions.user_id, {{ arg_max('order_known.email_hash', 'sessions.started_at') }} as email_hash
    from sessions inner join order_known on order_known.order_id = sessions.order_id
    where order_known.email_hash is not null group by 1
),

cookie_email as (
    select user_id, {{ arg_max('email_hash', 'started_at') }} as email_hash
    from sessions where email_hash is not null group by 1
),

cookies as (select distinct user_id from sessions),

known as (
    select
        cookies.user_id,
        coalesce(
            'customer:' || cookie_customer.customer_id,
            'customer:' || cookie_order_customer.customer_id,
            'customer:' || email_customer.customer_id,
            'email:' || cookie_email.email_hash,
            'email:' || cookie_order_email.email_hash
        ) as known_key
    from cookies
    left join cookie_customer on cookie_customer.user_id = cookies.user_id
    left join cookie_order_customer on cookie_order_customer.user_id = cookies.user_id
    left join cookie_order_email on cookie_order_email.user_id = cookies.user_id
    left join cookie_email on cookie_email.user_id = cookies.user_id
    left join email_customer on email_customer.email_hash = cookie_email.email_hash
),

clicks as (
    select distinct user_id, click_id from (
        {%- for col in ['fbclid', 'gclid', 'ttclid', 'twclid', 'li_fat_id', 'msclkid'] %}
        select user_id, '{{ col }}:' || {{ col }} as click_id from sessions where nullif(trim({{ col }}), '') is not null
        {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as c
),

personal_clicks as (
    -- a click id on 2..max cookies: the same person's
    select click_id from clicks group by 1 having count(*) between 2 and {{ max_cookies }}
),

click_linked as (
    -- an unknown cookie takes the known person of a cookie it shares a click with (the smallest key
    -- if several, so that a re-run gives the same answer)
    select mine.user_id, min(theirs_known.known_key) as linked_key
    from clicks as mine
    inner join personal_clicks using (click_id)
    inner join clicks as theirs on theirs.click_id = mine.click_id and theirs.user_id <> mine.user_id
    inner join known as theirs_known on theirs_known.user_id = theirs.user_id and theirs_known.known_key is not null
    group by 1
),

final as (
    select
        known.user_id,
        coalesce(known.known_key, click_linked.linked_key, 'cookie:' || known.user_id) as person_key
    from known
    left join click_linked on click_linked.user_id = known.user_id
)

select * from final
