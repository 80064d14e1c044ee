"""Completeness of an X (Twitter) Ads export whose account is east of UTC. X dates each report row by the start
of the account-local day as a UTC timestamp: for a Berlin account, 30 June is '2026-06-29 22:00:00'. The
ledger's period is the UTC dates of a file's rows, so a complete June export of a Berlin account covered
31 May..29 June, and with twitter_ads in expected_sources the gate found 30 June missing: the month could not
close until July's export landed. The gate now takes such a file's days in its account's zone. X's organic tweet
report is dated the same way."""
from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import pytest

from socialroi import gate
from socialroi.ingest import ingest_all


# source -> (report table, its id column, its metric column and value)
REPORTS = {"twitter_ads": ("promoted_tweet_report", "promoted_tweet_id", "billed_charge_local_micro", 1000000),
           "twitter_organic": ("organic_tweet_report", "organic_tweet_id", "impressions", 100)}


def _missing_days(env, zone: str, source: str = "twitter_ads") -> gate.Finding:
    table, id_column, metric, value = REPORTS[source]
    (env.landing / f"{source}/account_history").mkdir(parents=True)
    (env.landing / f"{source}/account_history/a.csv").write_text(
        f"id,name,timezone,updated_at\nXA1,Acme X,{zone},2026-01-01 00:00:00 UTC\n")
    rows = []
    for day in range(1, 31):  # every local day of June, dated by its start in UTC
        local = dt.datetime(2026, 6, day)
        start = local - {"Europe/Berlin": dt.timedelta(hours=2), "America/Los_Angeles": dt.timedelta(hours=-7)}[zone]
        rows.append(f"XA1,XP1,{start:%Y-%m-%d %H:%M:%S},ALL_ON_TWITTER,{value}")
    (env.landing / f"{source}/{table}").mkdir(parents=True)
    (env.landing / f"{source}/{table}/june.csv").write_text(
        f"account_id,{id_column},date,placement,{metric}\n" + "\n".join(rows) + "\n")
    assert ingest_all(env)["quarantined_files"] == []
    settings = dataclasses.replace(env, expected_sources=(source,))
    con = duckdb.connect(str(env.warehouse), read_only=True)
    try:
        out = gate.Collector()
        gate.check_completeness(con, settings, "2026-06", out)
    finally:
        con.close()
    (finding,) = [f for f in out.findings if f.column == "missing_days"]
    return finding


@pytest.mark.parametrize("source", ["twitter_ads", "twitter_organic"])
def test_a_berlin_accounts_june_export_covers_june(env, source):
    finding = _missing_days(env, "Europe/Berlin", source)
    assert finding.value == 0, finding.detail


@pytest.mark.parametrize("source", ["twitter_ads", "twitter_organic"])
def test_a_los_angeles_accounts_june_export_covers_june(env, source):
    finding = _missing_days(env, "America/Los_Angeles", source)
    assert finding.value == 0, finding.detail
