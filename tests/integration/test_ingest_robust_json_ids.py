"""JSON values are text as written before the contract casts them: an id of 18 digits in a column that
also holds a float stays exact (not a DOUBLE's 1.202100000000003e+17)."""

from __future__ import annotations

import json
from decimal import Decimal

from project_env import drop, query

from socialroi.ingest import ingest_all


def test_a_json_id_among_floats_stays_exact(env):
    rows = [{"ad_id": 120210000000000309, "date": "2026-01-05", "account_id": "act_1", "impressions": 10,
             "spend": 1.5},
            {"ad_id": 2.5, "date": "2026-01-06", "account_id": "act_1", "impressions": 3, "spend": 2}]
    drop(env, "facebook_ads/basic_ad/ads.json", json.dumps(rows))
    drop(env, "facebook_ads/basic_ad/ads.jsonl", json.dumps({**rows[0], "date": "2026-01-07", "ad_id": 120210000000000311,
                                                              "spend": 0.1}) + "\n" + json.dumps({**rows[1], "date": "2026-01-07"}) + "\n")
    result = ingest_all(env)
    assert result["loaded"] == 2, result["quarantined_files"]
    assert query(env, "select ad_id, date::varchar, spend from raw.facebook_ads__basic_ad order by 2, 1") == [
        ("120210000000000309", "2026-01-05", Decimal("1.5")), ("2.5", "2026-01-06", Decimal("2")),
        ("120210000000000311", "2026-01-07", Decimal("0.1")), ("2.5", "2026-01-07", Decimal("2"))]
