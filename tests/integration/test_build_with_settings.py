"""An analyst's own attribution settings build: the dbt unit tests, pinned to the defaults, are not part
of `socialroi build` (they run in the test suite), so valid settings such as other position weights or a
step cap no longer fail the build."""

from __future__ import annotations

import dataclasses

from project_env import project, query

from socialroi.build import dbt_build
from socialroi.ingest import ingest_all
from socialroi.simulate import simulate


def test_non_default_settings_build_and_their_credits_sum_to_one(tmp_path):
    with project(tmp_path) as settings:
        simulate(settings.landing, "2026-06", 1, seed=3, scale=0.1)
        assert ingest_all(settings)["quarantined"] == 0
        settings = dataclasses.replace(settings, attribution={"position_first": 0.3, "position_last": 0.3, "max_steps": 3})
        dbt_build(settings)
        worst = query(settings, "select max(abs(s - 1)) from (select sum(credit) as s from marts.fct_order_attribution "
                                "group by order_id, model)")[0][0]
        steps = query(settings, "select max(n) from (select count(*) as n from marts.fct_order_attribution "
                                "where model = 'linear' group by order_id)")[0][0]
    assert worst < 1e-9
    assert steps <= 3
