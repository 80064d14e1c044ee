"""Attribution settings: every value is checked when settings load, from socialroi.yml and SOCIALROI_ATTRIBUTION alike."""

from __future__ import annotations

import pytest

from socialroi import settings
from socialroi.attribution.paths import TRANSFORMS


@pytest.fixture
def config(tmp_path, monkeypatch):
    for key in ("SOCIALROI_ATTRIBUTION", "SOCIALROI_CONFIG"):
        monkeypatch.delenv(key, raising=False)
    path = tmp_path / "socialroi.yml"
    path.write_text("order_source: generic\n")
    return path


# (override, the setting the message names, a word of what is allowed)
REFUSED = [
    ({"position_first": 0.7, "position_last": 0.7}, "position_first", "<= 1"),
    ({"position_first": -0.1}, "position_first", "between 0 and 1"),
    ({"position_last": -0.1}, "position_last", "between 0 and 1"),
    ({"position_first": "0.4"}, "position_first", "between 0 and 1"),
    ({"time_decay_half_life_days": 0}, "time_decay_half_life_days", "> 0"),
    ({"time_decay_half_life_days": -7}, "time_decay_half_life_days", "> 0"),
    ({"max_steps": 0}, "max_steps", "null"),
    ({"max_steps": 2.5}, "max_steps", "null"),
    ({"markov_order": 0}, "markov_order", ">= 1"),
    ({"markov_order": 1.5}, "markov_order", "whole number"),
    ({"fit_months": 0}, "fit_months", ">= 1"),
    ({"max_channels": 0}, "max_channels", ">= 1"),
    ({"max_channels": True}, "max_channels", "whole number"),
    ({"channel_unit": "platform"}, "channel_unit", "channel_group_platform"),
    ({"path_transform": "exposures"}, "path_transform", "trim_long_path"),
    ({"view_through_days": 1.5}, "view_through_days", "whole number of days"),
    ({"view_through_days": -1}, "view_through_days", ">= 0"),
    ({"lookback_days": 1.5}, "lookback_days", "whole number of days"),
    ({"lookback_days": 0}, "lookback_days", ">= 1"),
    ({"lookback_days": -30}, "lookback_days", ">= 1"),
    ({"models": []}, "models", "non-empty"),
    ({"models": ["last_touch", "u_shaped"]}, "models", "fractribution"),
    ({"models": ["linear", "linear"]}, "models", "without repeats"),
    ({"models": "linear"}, "models", "list"),
    ({"click_id_max_cookies": 0}, "click_id_max_cookies", ">= 1"),
    ({"click_id_max_cookies": "2"}, "click_id_max_cookies", "whole number"),
    ({"open_journeys_after_conversion": "false"}, "open_journeys_after_conversion", "true or false"),
    ({"promo_codes_as_touch": 0}, "promo_codes_as_touch", "true or false"),
    ({"extra_session_models": "stg_my__sessions"}, "extra_session_models", "list"),
    ({"extra_ad_stats_models": ["stg my ads"]}, "extra_ad_stats_models", "dbt model names"),
    ({"extra_post_stats_models": ["a", "a"]}, "extra_post_stats_models", "without repeats"),
]


def _yaml(override: dict) -> str:
    import yaml

    return yaml.safe_dump(override, default_flow_style=True).strip()


@pytest.mark.parametrize(("override", "name", "allowed"), REFUSED, ids=[_yaml(o) for o, _, _ in REFUSED])
def test_a_refused_value_in_the_environment_names_the_setting_the_value_and_what_is_allowed(
        config, monkeypatch, override, name, allowed):
    monkeypatch.setenv("SOCIALROI_ATTRIBUTION", _yaml(override))
    with pytest.raises(settings.SettingsError) as err:
        settings.load(config)
    message = str(err.value)
    assert "SOCIALROI_ATTRIBUTION" in message
    assert name in message
    assert allowed in message
    assert repr(override[name] if name in override else next(iter(override.values()))) in message


@pytest.mark.parametrize(("override", "name", "allowed"), REFUSED, ids=[_yaml(o) for o, _, _ in REFUSED])
def test_a_refused_value_in_the_file_names_the_file(config, override, name, allowed):
    config.write_text(config.read_text() + "attribution: " + _yaml(override) + "\n")
    with pytest.raises(settings.SettingsError, match=name) as err:
        settings.load(config)
    assert str(config) in str(err.value) and allowed in str(err.value)


def test_the_prefixed_spelling_is_checked_too(config, monkeypatch):
    monkeypatch.setenv("SOCIALROI_ATTRIBUTION", "{socialroi__lookback_days: 0}")
    with pytest.raises(settings.SettingsError, match="lookback_days must be a whole number of days >= 1, not 0"):
        settings.load(config)


def test_a_setting_given_twice_is_refused(config, monkeypatch):
    monkeypatch.setenv("SOCIALROI_ATTRIBUTION", "{lookback_days: 7, socialroi__lookback_days: 14}")
    with pytest.raises(settings.SettingsError, match="lookback_days is given twice"):
        settings.load(config)


def test_the_defaults_pass(config):
    s = settings.load(config)
    assert s.attribution == {}
    assert s.attribution_models() == list(settings.ATTRIBUTION_MODELS)  # the default is all nine


def test_the_boundaries_of_each_rule_pass(config, monkeypatch):
    # a guard against refusing too much (passes on code without the rules too)
    for override in ({"position_first": 0.6, "position_last": 0.4}, {"position_first": 0, "position_last": 0.5},
                     {"position_first": 0, "position_last": 0},
                     {"position_first": 1, "position_last": 0}, {"time_decay_half_life_days": 0.5}, {"max_steps": None},
                     {"max_steps": 1}, {"view_through_days": 0}, {"lookback_days": 1}, {"channel_unit": "channel_group"},
                     {"models": ["markov"]}, *({"path_transform": t} for t in TRANSFORMS),
                     {"click_id_max_cookies": 1}, {"open_journeys_after_conversion": False},
                     {"promo_codes_as_touch": False}, {"extra_session_models": ["stg_my_feed__sessions"]},
                     {"extra_ad_stats_models": []}):
        monkeypatch.setenv("SOCIALROI_ATTRIBUTION", _yaml(override))
        assert settings.load(config).attribution == override


def test_a_whole_number_written_as_a_float_reaches_dbt_as_an_integer(config, monkeypatch):
    monkeypatch.setenv("SOCIALROI_ATTRIBUTION", "{lookback_days: 14.0, view_through_days: 2.0}")
    v = settings.load(config).dbt_vars()
    assert (v["socialroi__lookback_days"], v["socialroi__view_through_days"]) == (14, 2)
    assert isinstance(v["socialroi__lookback_days"], int)


def test_every_declared_attribution_var_has_a_rule():
    # a var added to dbt_project.yml without a rule would reach the SQL unchecked
    declared = {k.removeprefix("socialroi__") for k in settings.dbt_var_defaults()}
    assert declared == set(settings._ATTRIBUTION_RULES)
