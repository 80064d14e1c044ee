-- One row per return from the generic returns feed: merchandise amount (positive) and when it was processed.
select
    order_id,
    processed_at,
    amount,
    currency
from {{ source('generic', 'returns') }}
