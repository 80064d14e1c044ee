"""An analyst's own attribution settings build: the dbt unit tests, pinned to the defaults, are not part
of `socialroi build` (they run in the test suite), so valid settings such as other position weights or a
step cap no longer fail the build."""

from __future__ import annotations

import dataclasses

import pytest

from project_env import project, query

from socialroi.attribution import heuristics
from socialroi.build import dbt_build
from socialroi.ingest import ingest_all
from socialroi.simulate import simulate


def test_non_default_settings_build_and_their_credits_sum_to_one(tmp_path):
    with project(tmp_path) as settings:
        simulate(settings.landing, "2026-06", 1, seed=3, scale=0.1)
        assert ingest_all(settings)["quarantined"] == 0
        # unequal shares: the SQL model and the Python reference must agree on two- and three-touch paths
        settings = dataclasses.replace(settings, attribution={"position_first": 0.5, "position_last": 0.2, "max_steps": 3})
        dbt_build(settings)
        worst = query(settings, "select max(abs(s - 1)) from (select sum(credit) as s from marts.fct_order_attribution "
                                "group by order_id, model)")[0][0]
        steps = query(settings, "select max(n) from (select count(*) as n from marts.fct_order_attribution "
                                "where model = 'linear' group by order_id)")[0][0]
        # each order's position-based credits in time order, for orders whose touch times are all distinct
        paths = query(settings, """
            select list(credit order by touched_at), count(*) from marts.fct_order_attribution
            where model = 'position_based' and touchpoint_id is not null
            group by order_id having count(distinct touched_at) = count(*)""")
    assert worst < 1e-9
    assert steps <= 3
    lengths = {n for _, n in paths}
    assert {1, 2, 3} <= lengths, lengths
    for credits, n in paths:
        expected = heuristics.position_based(["c"] * n, first=0.5, last=0.2)
        assert [float(c) for c in credits] == [pytest.approx(e, abs=1e-9) for e in expected], (credits, expected)
