"""Fixtures shared by the integration tests."""
from __future__ import annotations

import pytest

from socialroi import settings as _settings


@pytest.fixture
def env(tmp_path, monkeypatch) -> _settings.Settings:
    """Settings of an empty project under tmp_path (landing, warehouse, state, an empty feeds folder, a test salt)."""
    (tmp_path / "feeds").mkdir()
    for key, value in {"LANDING": tmp_path / "landing", "WAREHOUSE": tmp_path / "warehouse.duckdb",
                       "STATE": tmp_path / "state", "FEEDS": tmp_path / "feeds", "SALT": "test-salt"}.items():
        monkeypatch.setenv(f"SOCIALROI_{key}", str(value))
    return _settings.load()
