-- A published customer_key is 60 bits of a keyed hash of the person (int_order_persons): two persons
-- with one key would be one customer in the LTV mart. Fails naming the key and its number of persons (a chance of
-- about 1 in 2 million at a million customers).
select customer_key, count(distinct person_key) as persons
from {{ ref('int_order_persons') }}
group by 1
having count(distinct person_key) > 1
