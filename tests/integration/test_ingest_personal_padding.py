"""Personal data in a padded value is scrubbed at ingest like the same value unpadded: the loader's cheap
test sees the text as written, the scrub the text trimmed."""

from __future__ import annotations

import duckdb
from project_env import project

from socialroi.ingest import ingest_all


def test_a_phone_with_a_leading_space_is_hashed_or_redacted(tmp_path):
    with project(tmp_path) as s:
        sessions = s.landing / "generic" / "sessions"
        sessions.mkdir(parents=True)
        (sessions / "padded.csv").write_text(
            "session_id,user_id,started_at,utm_source,utm_term\n"
            's1," +1 303 555 0193",2026-06-01T10:00:00Z,newsletter," +44 20 7946 0958"\n'
            "s2,u2,2026-06-01T11:00:00Z,newsletter,spring\n")
        (sessions / "plain.csv").write_text(  # the same values unpadded, alone in their file
            "session_id,user_id,started_at,utm_source,utm_term\n"
            "s3,+1 303 555 0193,2026-06-01T12:00:00Z,newsletter,+44 20 7946 0958\n")
        assert ingest_all(s)["loaded"] == 2
        con = duckdb.connect(str(s.warehouse), read_only=True)
        try:
            rows = dict(con.execute("select session_id, (user_id, utm_term) from raw.generic__sessions").fetchall())
        finally:
            con.close()
    # the padded row comes out as the unpadded one: the id hashed (64 hex digits), the UTM redacted
    assert rows["s1"] == rows["s3"] and rows["s2"] == ("u2", "spring")
    assert len(rows["s1"][0]) == 64 and rows["s1"][1] == "redacted-phone"
