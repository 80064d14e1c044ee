-- One row per counted order: the person who placed it (customer id > the person of the session
-- the order was placed in > email hash > the order alone) and a surrogate customer key that is
-- safe to publish: 60 bits of md5(socialroi__customer_key_salt || person_key), a secret derived from the
-- ingest's salt, so that a person keeps their key whatever history arrives later (a late order, a
-- backfill) and in every rebuild; a numbering by first order changed every later person's key.
with

orders as (select * from {{ ref('int_orders_unioned') }}),

order_sessions as (
    select sessions.order_id, {{ arg_max('identity.person_key', 'sessions.started_at') }} as person_key
    from {{ ref('int_sessions_unioned') }} as sessions
    inner join {{ ref('int_identity_map') }} as identity on identity.user_id = sessions.user_id
    where sessions.order_id is not null
    group by 1
),

email_customer as (
    select email_hash, {{ arg_max('customer_id', 'created_at') }} as customer_id
    from orders where email_hash is not null and customer_id is not null group by 1
),

persons as (
    select
        orders.order_id,
        orders.created_at,
        coalesce(
            'customer:' || orders.customer_id,
            'customer:' || email_customer.customer_id,
            order_sessions.person_key,
            'email:' || orders.email_hash,
            'order:' || orders.order_id
        ) as person_key
    from orders
    left join order_sessions on order_sessions.order_id = orders.order_id
    left join email_customer on email_customer.email_hash = orders.email_hash
),

first_seen as (
    select person_key, min(created_at) as first_order_at from persons group by 1
),

keys as (
    select person_key, first_order_at, {{ keyed_bigint('person_key', var('socialroi__customer_key_salt')) }} as customer_key
    from first_seen
),

final as (
    select
        persons.order_id,
        persons.person_key,
        keys.customer_key,
        keys.first_order_at,
        -- one first order a person: two placed at the same time are told apart by order id (both counted as
        -- first made the person two customers of the cohort and their sales twice its value)
        row_number() over (partition by persons.person_key order by persons.created_at, persons.order_id) = 1
            as is_first_order
    from persons
    inner join keys on keys.person_key = persons.person_key
)

select * from final
