"""The command line's ingest and files output: the ledger's period dates printed as dates, and a file
retried from quarantine and refused again still reported as waiting there."""

from __future__ import annotations

from project_env import drop

from socialroi import cli

GOOD = "date,base,quote,rate\n2026-06-01,USD,EUR,0.9\n2026-06-02,USD,EUR,0.91\n"
BAD = "date,base,quote,rate\n2026-07-01,USD,EUR,x\n"


def test_files_prints_the_period_and_a_retried_bad_file_is_still_reported(env, capsys):
    drop(env, "fx/rates/2026-06.csv", GOOD)
    drop(env, "fx/rates/2026-07.csv", BAD)
    assert cli.main(["ingest"]) == 0
    first = capsys.readouterr().err
    assert "QUARANTINED" in first and "STILL QUARANTINED" not in first  # this run's file, said once
    assert cli.main(["files"]) == 0
    listed = capsys.readouterr().out
    assert "2026-06-01 2026-06-02" in listed and "<10" not in listed
    # retried without a fix: refused again, and said so
    assert cli.main(["ingest", "--retry-quarantined"]) == 0
    err = capsys.readouterr().err
    assert "STILL QUARANTINED" in err and "2026-07.csv" in err
