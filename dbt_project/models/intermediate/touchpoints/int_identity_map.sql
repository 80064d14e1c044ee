-- One row per visitor cookie (user_id): the person it belongs to. Precedence: a customer id (seen
-- on the cookie's sessions, or on an order placed in one of them, or known for an email the cookie
-- logged in with) > the email hash > the cookie itself.
with

sessions as (select * from {{ ref('int_sessions_unioned') }}),

orders as (select order_id, customer_id, email_hash, created_at from {{ ref('int_orders_unioned') }}),

cookie_customer as (
    select user_id, max_by(customer_id, started_at) as customer_id
    from sessions where customer_id is not null group by 1
),

cookie_order_customer as (
    select sessions.user_id, max_by(orders.customer_id, sessions.started_at) as customer_id
    from sessions inner join orders on orders.order_id = sessions.order_id
    where orders.customer_id is not null group by 1
),

email_customer as (
    select email_hash, max_by(customer_id, created_at) as customer_id
    from orders where email_hash is not null and customer_id is not null group by 1
),

cookie_email as (
    select user_id, max_by(email_hash, started_at) as email_hash
    from sessions where email_hash is not null group by 1
),

cookies as (select distinct user_id from sessions),

final as (
    select
        cookies.user_id,
        coalesce(
            'customer:' || cookie_customer.customer_id,
            'customer:' || cookie_order_customer.customer_id,
            'customer:' || email_customer.customer_id,
            'email:' || cookie_email.email_hash,
            'cookie:' || cookies.user_id
        ) as person_key
    from cookies
    left join cookie_customer on cookie_customer.user_id = cookies.user_id
    left join cookie_order_customer on cookie_order_customer.user_id = cookies.user_id
    left join cookie_email on cookie_email.user_id = cookies.user_id
    left join email_customer on email_customer.email_hash = cookie_email.email_hash
)

select * from final
