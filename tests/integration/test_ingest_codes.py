"""Promo codes are keyed as their trimmed upper case at ingest (contract `upper: true`), as staging and the
orders compare them: a re-export in another case replaces the code, and one file listing a code twice in two
cases is refused naming the row."""

from __future__ import annotations

from project_env import project, query

from socialroi.ingest import ingest_all

HEADER = "code,channel_group,platform,handle,campaign\n"


def test_a_code_in_another_case_replaces_it_and_two_cases_in_one_file_are_refused(tmp_path):
    with project(tmp_path) as s:
        folder = s.landing / "promo_codes" / "mapping"
        folder.mkdir(parents=True)
        (folder / "a.csv").write_text(HEADER + "IGDEALS10,Organic Social,instagram,deals,IG deals\n")
        assert ingest_all(s)["loaded"] == 1
        (folder / "b.csv").write_text(HEADER + "igdeals10 ,Paid Social,meta,,IG retarget\n")
        (folder / "both.csv").write_text(HEADER + "SUMMER5,Email,klaviyo,,\n summer5,Email,klaviyo,,\n")
        result = ingest_all(s)
        assert result["loaded"] == 1 and result["quarantined"] == 1
        (refused,) = result["quarantined_files"]
        assert refused["file"].endswith("both.csv")
        assert refused["reason"]["check"] == "key_unique" and refused["reason"]["row"] == 2
        assert query(s, "select code, channel_group, campaign from raw.promo_codes__mapping") == [
            ("IGDEALS10", "Paid Social", "IG retarget")]
