"""The data-driven fit gets every setting it reads, and each path transform works on the pipeline's channel names."""

from __future__ import annotations

import re
from collections import defaultdict

import jinja2
import pytest
import yaml

from socialroi.attribution.fit import DATA_DRIVEN, fit_month
from socialroi.settings import DBT_DIR

MODELS_DIR = DBT_DIR / "models" / "intermediate" / "attribution"
DIRECT = "Direct / (direct)"  # the Direct channel under the default unit, channel_group_platform
ROWS = [
    (("Paid Social / meta", DIRECT, "Paid Social / meta"), 3, 5),
    ((DIRECT,), 2, 9),
    (("Email / klaviyo", DIRECT), 1, 4),
    (("Paid Social / meta",), 2, 10),
    (("Email / klaviyo", "Paid Social / meta", DIRECT, DIRECT), 1, 2),
    (("Email / klaviyo",), 1, 7),
]


def _fits_config() -> dict[str, str]:
    models = yaml.safe_load((MODELS_DIR / "_attribution__models.yml").read_text())["models"]
    return next(m for m in models if m["name"] == "int_attribution_fits")["config"]


def _render(template: str, **dbt_vars) -> str:
    return jinja2.Environment().from_string(template).render(var=lambda name, default=None: dbt_vars.get(name, default))


def test_every_setting_the_fit_reads_is_configured():
    source = (MODELS_DIR / "int_attribution_fits.py").read_text()
    read = set(re.findall(r'dbt\.config\.get\("(\w+)"\)', source))
    assert {"path_transform", "direct_channel", "max_steps"} <= read
    assert read <= set(_fits_config())


@pytest.mark.parametrize(("unit", "direct"), [("channel_group", "Direct"), ("channel_group_platform", DIRECT)])
def test_the_direct_channel_is_the_channel_units_own(unit, direct):
    assert _render(_fits_config()["direct_channel"], socialroi__channel_unit=unit) == direct


@pytest.mark.parametrize("max_steps", [None, 3])
def test_max_steps_reaches_the_fit_as_a_number_or_nothing(max_steps):
    rendered = _render(_fits_config()["max_steps"], socialroi__max_steps=max_steps)
    assert rendered == ("" if max_steps is None else "3")


def test_frequency_credits_the_raw_channels_of_the_default_unit():
    # channels with parentheses (the default unit's Direct) once made the frequency transform refuse them
    fit = fit_month(ROWS, transform="frequency")
    sums: dict[tuple, float] = defaultdict(float)
    for path, model, channel, credit in fit.path_credits:
        assert channel in path, (path, model, channel)
        sums[path, model] += credit
    converting = {path for path, c, _ in ROWS if c > 0}
    assert set(sums) == {(p, m) for p in converting for m in DATA_DRIVEN}
    assert all(abs(total - 1) < 1e-9 for total in sums.values()), sums


def test_a_channel_named_like_a_frequency_count_keeps_its_name_outside_the_frequency_transform():
    rows = [(("Promo(2)", "B"), 2, 3), (("B",), 1, 5), (("Promo(2)",), 1, 4)]
    for transform in ("exposure", "frequency"):
        fit = fit_month(rows, transform=transform)
        assert {ch for _, model, ch, _ in fit.path_credits if model == "fractribution"} == {"Promo(2)", "B"}, transform
