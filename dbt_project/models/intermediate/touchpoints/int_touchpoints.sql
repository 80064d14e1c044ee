-- One row per session that is a marketing touchpoint (touchpoint_id is the session id), classified
-- into channel_group (seed-backed, GA4-style rules) and platform, with campaign, ad, organic post and
-- handle where the UTMs allow. Sessions referred by the shop's own domains or payment pages are not
-- touchpoints. A feed's own channel_group (a tracker's grouping) wins over the rules. A view (is_view:
-- an ad or post impression, not a visit) takes the channel its UTMs / platform give, like a click; it
-- is never Direct: a view with nothing that names its source would classify as Direct and is not a
-- touchpoint.
-- A view: the classification is a macro (macros/touchpoints.sql) that the journeys and
-- int_order_touchpoints render on the sessions they need, so no build writes it whole.
{{ config(materialized='view') }}
{{ classified_touchpoints() }}
