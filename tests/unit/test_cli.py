"""The command line: argument checks, `socialroi simulate --ad-platforms`, `--sessions-layout`, `--sales-layout`."""
from __future__ import annotations

from pathlib import Path

import pytest

from socialroi import cli


def test_simulate_writes_only_the_chosen_ad_networks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOCIALROI_SALT", "test-salt")
    rc = cli.main(["simulate", "--start", "2026-03", "--months", "1", "--scale", "0.2",
                   "--ad-platforms", "meta,tiktok", "--out", str(tmp_path)])
    assert rc == 0
    written = {p.name for p in tmp_path.iterdir() if p.is_dir()}
    assert "facebook_ads" in written and "tiktok_ads" in written
    assert not written & {"linkedin_ads", "twitter_ads", "pinterest_ads", "snapchat_ads"}


def test_simulate_defaults_to_every_ad_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOCIALROI_SALT", "test-salt")
    assert cli.main(["simulate", "--start", "2026-03", "--months", "1", "--scale", "0.2",
                     "--out", str(tmp_path)]) == 0
    written = {p.name for p in tmp_path.iterdir() if p.is_dir()}
    assert {"facebook_ads", "linkedin_ads", "twitter_ads", "tiktok_ads", "pinterest_ads", "snapchat_ads"} <= written


def test_simulate_sessions_and_sales_layouts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOCIALROI_SALT", "test-salt")
    assert cli.main(["simulate", "--start", "2026-03", "--months", "1", "--scale", "0.2", "--ad-platforms", "meta",
                     "--sessions-layout", "snowplow", "--sales-layout", "stripe", "--out", str(tmp_path)]) == 0
    written = {p.name for p in tmp_path.iterdir() if p.is_dir()}
    assert {"snowplow", "stripe"} <= written
    assert not written & {"shopify", "ga4"}
    assert not (tmp_path / "generic" / "sessions").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["simulate", "--start", "2026-3"], "is not a month like 2026-03"),
    (["simulate", "--start", "2026-03", "--sessions-layout", "matomo"], "invalid choice: 'matomo'"),
    (["simulate", "--start", "2026-03", "--sales-layout", "woocommerce"], "invalid choice: 'woocommerce'"),
    (["simulate", "--start", "2026-03", "--ad-platforms", "meta,myspace"], "choose among meta,linkedin"),
    (["simulate", "--start", "2026-03", "--ad-platforms", ","], "choose among meta,linkedin"),
])
def test_bad_arguments_exit_with_a_usage_error(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_publish_passes_its_reason_on(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    seen = {}

    def publish(month, settings, reason=None):
        seen.update(month=month, reason=reason)
        return {"version": 2, "path": f"publish/{month}", "changed": True}

    monkeypatch.setattr(cli.tasks, "publish", publish)
    assert cli.main(["publish", "--month", "2026-03", "--reason", "late refund"]) == 0
    assert seen == {"month": "2026-03", "reason": "late refund"}
    assert "published 2026-03 version 2" in capsys.readouterr().out


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path):
    """`socialroi files | head -1`: when the reader closes the pipe, the command ends quietly with 0."""
    import os
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import sys
        from socialroi import cli
        def many_lines(args, s):
            for i in range(200_000):
                print(f"line {i}")
            return 0
        cli.cmd_files = many_lines
        sys.exit(cli.main(["files"]))
    """)
    env = {**os.environ, "SOCIALROI_SALT": "test-salt", "SOCIALROI_STATE": str(tmp_path / "state"),
           "SOCIALROI_LANDING": str(tmp_path / "landing"), "SOCIALROI_WAREHOUSE": str(tmp_path / "w.duckdb"),
           "SOCIALROI_PUBLISH": str(tmp_path / "publish")}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout.readline() == b"line 0\n"
    proc.stdout.close()  # the reader stops, as `head -1` does
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
