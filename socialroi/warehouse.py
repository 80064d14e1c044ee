"""Open the DuckDB warehouse. DuckDB has one writer at a time: open, work, close quickly."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from socialroi.settings import Settings


def connect(settings: Settings, read_only: bool = False, attempts: int = 20) -> duckdb.DuckDBPyConnection:
    """Connect, waiting (up to ~17 s with the default attempts) while another process holds the file's lock."""
    if read_only and not settings.warehouse.exists():  # before any folder is made: a reader creates nothing
        raise FileNotFoundError(f"no warehouse at {settings.warehouse}: run `socialroi ingest` and `socialroi build` first")
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    delay = 0.1
    for attempt in range(attempts):
        try:
            con = duckdb.connect(str(settings.warehouse), read_only=read_only)
            con.execute("set TimeZone = 'UTC'")
            con.execute(f"set memory_limit = '{settings.memory_limit}'")
            return con
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    raise AssertionError("unreachable")


@contextmanager
def connection(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(settings, read_only=read_only)
    try:
        yield con
    finally:
        con.close()
