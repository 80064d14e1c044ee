-- One row per date, base and quote currency: units of quote per unit of base.
select date as rate_date, upper(base) as base, upper(quote) as quote, rate
from {{ source('fx', 'rates') }}
