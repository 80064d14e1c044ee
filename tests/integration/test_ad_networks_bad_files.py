"""What a refused connector file of an ad network says. Feed mappings exist only for the generic feeds
(`generic/<kind>/<feed>/`): an ambiguous number or date in a connector table (a LinkedIn cost written
'1,234', an X report dated '06/07/2026') was refused with 'add a feed mapping', which no connector folder
can take; the reason now says what to do with that export."""
from __future__ import annotations

import json

from socialroi.ingest import ingest_all


def _reason(env, rel: str, text: str) -> dict:
    path = env.landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    result = ingest_all(env)
    assert len(result["quarantined_files"]) == 1, result
    reasons = list((env.landing / "_quarantine").rglob("*.reason.json"))
    assert len(reasons) == 1
    return json.loads(reasons[0].read_text())


def test_ambiguous_number_in_a_connector_table_names_no_feed_mapping(env):
    reason = _reason(env, "linkedin_ads/ad_analytics_by_creative/r.csv",
                     'creative_id,day,cost_in_local_currency\nLCR1,2026-06-30,"1,234"\n')
    assert reason["check"] == "number_format"
    assert "add a feed mapping" not in reason["message"].lower(), reason["message"]
    assert "linkedin_ads/ad_analytics_by_creative" in reason["message"] and "re-export" in reason["message"]


def test_ambiguous_date_in_a_connector_table_names_no_feed_mapping(env):
    reason = _reason(env, "twitter_ads/promoted_tweet_report/r.csv",
                     "account_id,promoted_tweet_id,date,billed_charge_local_micro\nXA1,XP1,06/07/2026,1000000\n")
    assert reason["check"] == "date_format"
    assert "add a feed mapping" not in reason["message"].lower(), reason["message"]
    assert "twitter_ads/promoted_tweet_report" in reason["message"] and "ISO 8601" in reason["message"]


def test_a_generic_feed_is_still_told_to_state_it_in_its_mapping(env):
    reason = _reason(env, "generic/orders/o.csv",
                     'order_id,created_at,currency,gross_sales\nO1,2026-06-30T10:00:00Z,USD,"1,234"\n')
    assert reason["check"] == "number_format"
    assert "add a feed mapping" in reason["message"].lower()
