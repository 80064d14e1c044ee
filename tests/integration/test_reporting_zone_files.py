"""Files and the reporting time zone, through the real ingest (and, for the manifest, the real pipeline):
the ledger's periods are UTC dates, the months are the reporting zone's.

- an orders export covers the quiet days after its last row only up to the last day that had ended, in the
  reporting zone, when it was taken (before: the whole day it was taken on);
- a late order that falls in June in Los Angeles but on 1 July in UTC is among June's manifest inputs and
  its restatement's `inputs_added` (before: neither named it).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest
from project_env import project

from socialroi import gate, tasks, warehouse

HEADER = "order_id,created_at,currency,gross_sales,cost_of_goods\n"


def _missing_june_days(s) -> list[str]:
    out = gate.Collector()
    with warehouse.connection(s, read_only=True) as con:
        gate.check_completeness(con, s, "2026-06", out)
    (finding,) = [f for f in out.findings if f.column == "missing_days"]
    return finding.sample


@pytest.mark.parametrize(("zone", "taken", "missing"), [
    ("UTC", "2026-06-30T10:00:00", ["2026-06-30"]),       # taken during the 30th: the 30th is not covered
    ("UTC", "2026-07-01T00:00:00", []),                   # at midnight after it: every day is
    ("America/Los_Angeles", "2026-07-01T01:00:00", ["2026-06-30"]),  # 18:00 on the 30th in Los Angeles
    ("America/Los_Angeles", "2026-07-01T08:00:00", []),   # 01:00 on 1 July there
])
def test_an_orders_export_covers_only_the_days_that_had_ended_when_it_was_taken(tmp_path, zone, taken, missing):
    with project(tmp_path, ORDER_SOURCE="generic", EXPECTED_SOURCES="generic_orders", REPORTING_TIMEZONE=zone) as s:
        path = s.landing / "generic" / "orders" / "june.csv"
        path.parent.mkdir(parents=True)
        path.write_text(HEADER + "o1,2026-06-01T12:00:00Z,USD,10.00,4.00\no2,2026-06-10T12:00:00Z,USD,20.00,8.00\n")
        at = datetime.fromisoformat(taken).replace(tzinfo=UTC).timestamp()
        os.utime(path, (at, at))
        assert tasks.ingest(s)["quarantined"] == 0
        assert _missing_june_days(s) == missing


def test_a_late_file_of_the_month_in_the_reporting_zone_is_among_its_inputs(tmp_path):
    with project(tmp_path, ORDER_SOURCE="generic", EXPECTED_SOURCES="", REPORTING_TIMEZONE="America/Los_Angeles") as s:
        orders = s.landing / "generic" / "orders"
        orders.mkdir(parents=True)
        (orders / "june.csv").write_text(HEADER + "f1,2026-06-10T12:00:00Z,USD,100.00,40.00\n")
        tasks.run("2026-06", s)
        # 23:00 on 30 June in Los Angeles, 1 July in UTC
        (orders / "late.csv").write_text(HEADER + "f9,2026-07-01T06:00:00Z,USD,25.00,10.00\n")
        tasks.run("2026-06", s)
        month = tasks.published_path("2026-06", s)
        manifest = json.loads((month / "manifest.json").read_text())
        restatement = json.loads((month / "restatement.json").read_text())
    assert [i["file"] for i in manifest["inputs"]] == ["generic/orders/june.csv", "generic/orders/late.csv"]
    assert restatement["inputs_added"] == ["generic/orders/late.csv"]
    net = next(c for c in restatement["changes"]
               if c["table"] == "mart_net_sales_monthly" and c["column"] == "net_sales_reporting")
    assert (net["before"], net["after"]) == ("100.00", "125.00")
