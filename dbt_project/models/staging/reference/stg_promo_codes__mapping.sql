-- One row per promo code: the channel, platform, handle and campaign it belongs to.
select upper(trim(code)) as discount_code, channel_group, lower(platform) as platform, lower(handle) as handle, campaign
from {{ source('promo_codes', 'mapping') }}
