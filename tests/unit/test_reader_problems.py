"""reader._problem: a DuckDB reader error as a reason that names its diagnostic, never the file's data."""

from __future__ import annotations

from pathlib import Path

import duckdb

from socialroi.ingest.reader import _problem

CONFIG = ("\n  file = /tmp/landing/generic/sessions/long.csv\n  delimiter = , (Set By User)\n"
          "  quote = \" (Set By User)\n  escape = \" (Set By User)\n")


def test_a_line_size_error_keeps_its_diagnostic():
    exc = duckdb.InvalidInputException(
        "Invalid Input Error: CSV Error on Line: 2\nOriginal Line: S1,u1,2026-01-05,\"https://x/it's/a@example.com/?q=aaa"
        "\nMaximum line size of 2000000 bytes exceeded. Actual Size:2200039 bytes.\n\n"
        "Possible Solution: Change the maximum length size, e.g., max_line_size=2200041\n" + CONFIG)
    problem = _problem(exc, Path("long.csv"), 0)
    assert "Maximum line size of 2000000 bytes exceeded. Actual Size:2200039 bytes." in problem.reason["message"]
    assert problem.reason["found"].startswith("Maximum line size")
    assert problem.reason["row"] == 1
    for data in ("S1,u1", "example.com", "it's"):
        assert data not in problem.reason["message"] and data not in str(problem.reason["found"])


def test_a_diagnostic_after_other_text_on_its_line_is_found():
    exc = duckdb.InvalidInputException("Invalid Input Error: CSV Error on Line: 3\nOriginal Line: x,y\n"
                                       "Error: Expected Number of Columns: 4 Found: 5\n" + CONFIG)
    problem = _problem(exc, Path("f.csv"), 0)
    assert problem.reason["check"] == "field_count"
    assert "Expected Number of Columns: 4 Found: 5" in problem.reason["message"]
    assert "x,y" not in problem.reason["message"]


def test_the_data_line_is_never_quoted_even_when_it_looks_like_a_diagnostic():
    exc = duckdb.InvalidInputException("Invalid Input Error: CSV Error on Line: 3\n"
                                       "Original Line: Value with unterminated quote found. bob@example.com\n" + CONFIG)
    problem = _problem(exc, Path("f.csv"), 0)
    assert "bob" not in problem.reason["message"] and "bob" not in str(problem.reason["found"])
