"""The settings file as people write it: a list written as one string, a settings file that is not
there, a YAML syntax error, a misspelt SOCIALROI_ variable."""

from __future__ import annotations

import logging

import pytest

from socialroi import settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for key in ("SOCIALROI_CONFIG", "SOCIALROI_OWN_DOMAINS", "SOCIALROI_EXPECTED_SOURCES", "SOCIALROI_PAYMENT_REFERRERS"):
        monkeypatch.delenv(key, raising=False)


def test_a_list_written_as_one_string_is_a_list_of_names(tmp_path):
    path = tmp_path / "socialroi.yml"
    path.write_text("own_domains: shop.example.com\nexpected_sources: facebook_ads, shopify\n")
    s = settings.load(path)
    # not ('s', 'h', 'o', ...): the shop's own sessions would become Referral touchpoints
    assert s.own_domains == ("shop.example.com",)
    assert s.expected_sources == ("facebook_ads", "shopify")


@pytest.mark.parametrize(("text", "message"), [
    ("own_domains: {shop: 1}\n", r"own_domains must be a list of names"),
    ("own_domains: [shop.example.com, 3]\n", r"own_domains must be a list of names"),
    ("own_domains: [shop.example.com\n", r"socialroi.yml is not valid YAML: .*line 2"),
    ("- a\n- b\n", r"must be a mapping of settings"),
])
def test_a_malformed_file_is_named(tmp_path, text, message):
    path = tmp_path / "socialroi.yml"
    path.write_text(text)
    with pytest.raises(settings.SettingsError, match=message):
        settings.load(path)


def test_a_settings_file_named_but_missing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALROI_CONFIG", str(tmp_path / "nope.yml"))
    with pytest.raises(settings.SettingsError, match="nope.yml, which does not exist"):
        settings.load()


def test_a_misspelt_variable_is_named(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOCIALROI_REPORTING_CURENCY", "EUR")
    path = tmp_path / "socialroi.yml"
    path.write_text("")
    with caplog.at_level(logging.WARNING, logger="socialroi.settings"):
        settings.load(path)
    assert "SOCIALROI_REPORTING_CURENCY is not a socialroi setting" in caplog.text
    assert "SOCIALROI_SALT" not in caplog.text


def test_a_reader_of_a_missing_warehouse_creates_no_folder(tmp_path, monkeypatch):
    from socialroi import warehouse

    monkeypatch.setenv("SOCIALROI_WAREHOUSE", str(tmp_path / "nowhere" / "w.duckdb"))
    path = tmp_path / "socialroi.yml"
    path.write_text("")
    with pytest.raises(FileNotFoundError, match="no warehouse at"):
        warehouse.connect(settings.load(path), read_only=True)
    assert not (tmp_path / "nowhere").exists()
