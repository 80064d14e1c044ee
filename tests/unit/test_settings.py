"""Pipeline settings: the config file, SOCIALROI_<KEY> overrides, validation, and what reaches DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialroi import settings, warehouse
from socialroi.build import dbt_env


@pytest.fixture
def config(tmp_path, monkeypatch):
    for key in ("SOCIALROI_MEMORY_LIMIT", "SOCIALROI_ORDER_SOURCE", "SOCIALROI_WAREHOUSE", "SOCIALROI_CONFIG"):
        monkeypatch.delenv(key, raising=False)
    path = tmp_path / "socialroi.yml"
    path.write_text("warehouse: wh/socialroi.duckdb\norder_source: generic\nmemory_limit: 1500MB\n")
    return path


def test_file_values_and_relative_paths(config):
    s = settings.load(config)
    assert s.order_source == "generic"
    assert s.memory_limit == "1500MB"
    assert s.warehouse == (config.parent / "wh" / "socialroi.duckdb").resolve()


def test_environment_overrides_the_file(config, monkeypatch):
    monkeypatch.setenv("SOCIALROI_MEMORY_LIMIT", "3GB")
    monkeypatch.setenv("SOCIALROI_ORDER_SOURCE", "stripe")
    s = settings.load(config)
    assert (s.memory_limit, s.order_source) == ("3GB", "stripe")


@pytest.mark.parametrize("text, message", [
    ("memory_limit: lots\n", "memory_limit"),
    ("order_source: woo\n", "order_source"),
    ("reporting_currency: dollars\n", "reporting_currency"),
    ("memroy_limit: 2GB\n", "unknown setting"),
    ("attribution:\n  lookback_dayz: 10\n", r"unknown attribution setting.*lookback_dayz"),
    ("attribution: 30\n", "attribution must be a mapping"),
    ("grace_days: 40\n", "grace_days must be between 0 and 27"),
    ("reporting_timezone: Mars/Olympus\n", "reporting_timezone must be an IANA time zone"),
])
def test_invalid_settings_are_named(tmp_path, monkeypatch, text, message):
    for key in ("SOCIALROI_MEMORY_LIMIT", "SOCIALROI_GRACE_DAYS", "SOCIALROI_REPORTING_TIMEZONE", "SOCIALROI_ATTRIBUTION"):
        monkeypatch.delenv(key, raising=False)
    path = tmp_path / "socialroi.yml"
    path.write_text(text)
    with pytest.raises(settings.SettingsError, match=message):
        settings.load(path)


def test_attribution_overrides_from_the_file_and_the_environment(config, monkeypatch):
    config.write_text(config.read_text() + "attribution:\n  lookback_days: 14\n  socialroi__markov_order: 2\n")
    monkeypatch.delenv("SOCIALROI_ATTRIBUTION", raising=False)
    v = settings.load(config).dbt_vars()
    assert (v["socialroi__lookback_days"], v["socialroi__markov_order"]) == (14, 2)
    monkeypatch.setenv("SOCIALROI_ATTRIBUTION", "{lookback_days: 7, fit_months: 2}")
    v = settings.load(config).dbt_vars()
    assert (v["socialroi__lookback_days"], v["socialroi__markov_order"], v["socialroi__fit_months"]) == (7, 2, 2)
    monkeypatch.setenv("SOCIALROI_ATTRIBUTION", "{lookbak_days: 7}")
    with pytest.raises(settings.SettingsError, match="lookbak_days"):
        settings.load(config)
    monkeypatch.setenv("SOCIALROI_ATTRIBUTION", "[1, 2]")
    with pytest.raises(settings.SettingsError, match="SOCIALROI_ATTRIBUTION must be a YAML mapping"):
        settings.load(config)


def test_memory_limit_reaches_duckdb_and_dbt(config):
    s = settings.load(config)
    with warehouse.connection(s) as con:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    # DuckDB reports the limit in its own units: 1500 MB is about 1.3 GiB (1430.5 MiB)
    assert limit.replace(" ", "") in ("1.3GiB", "1430.5MiB"), limit
    assert dbt_env(s)["SOCIALROI_MEMORY_LIMIT"] == "1500MB"


def test_a_generated_salt_is_private_and_the_same_for_every_process(config, monkeypatch, tmp_path):
    import stat
    from concurrent.futures import ProcessPoolExecutor

    monkeypatch.delenv("SOCIALROI_SALT", raising=False)
    monkeypatch.setenv("SOCIALROI_STATE", str(tmp_path / "state"))
    with ProcessPoolExecutor(4) as pool:  # processes starting at once all hash with one salt
        salts = set(pool.map(_salt_of, [str(config)] * 8))
    assert len(salts) == 1 and len(salts.pop()) == 64
    path = tmp_path / "state" / "salt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["salt"]  # no temporary file left


def _salt_of(config: str) -> str:
    return settings.load(Path(config)).salt
