"""A throw-away socialroi project for integration tests: its settings, and read-only queries of its warehouse."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from socialroi import settings as _settings


@contextmanager
def project(root: Path, **env: str) -> Iterator[_settings.Settings]:
    """Settings with landing, warehouse, state and publish under `root`, a test salt, and `env` as SOCIALROI_<KEY>."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in {"LANDING": root / "landing", "WAREHOUSE": root / "warehouse.duckdb",
                           "STATE": root / "state", "PUBLISH": root / "publish", "SALT": "test-salt"}.items():
            mp.setenv(f"SOCIALROI_{key}", str(value))
        for key, value in env.items():
            mp.setenv(f"SOCIALROI_{key.upper()}", value)
        yield _settings.load()


def query(settings: _settings.Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def model_totals(settings: _settings.Settings, month: str) -> list[tuple]:
    """(model, attributed revenue of the month's channel mart, the month's net sales) for every model."""
    return query(settings, """
        select a.model, sum(a.attributed_revenue), any_value(n.net)
        from marts.mart_attribution_channel_monthly as a
        cross join (select sum(net_sales_reporting) as net from marts.mart_net_sales_monthly where month = ?) as n
        where a.month = ? group by 1 order by 1""", [month, month])


def drop(settings: _settings.Settings, rel: str, data: bytes | str) -> Path:
    """Land `data` at SOCIALROI_LANDING/`rel` (its folders made); returns the file."""
    path = settings.landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path
