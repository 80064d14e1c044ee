"""Read what the simulator wrote: every CSV file of one landing table, as dicts, in file order."""

from __future__ import annotations

import csv
from pathlib import Path


def read_table(root: Path, table: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((root / table).rglob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    return rows
