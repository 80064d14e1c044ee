"""The dbt project's own rules, read from its files: every model states its grain in YAML, every dbt var
the models read is declared (with its comment) in dbt_project.yml, and only pipeline settings come from
the command line."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from socialroi.settings import DBT_DIR, Settings

MODELS = DBT_DIR / "models"


def _documented() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in MODELS.rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []) or []:
            assert model["name"] not in out, f"{model['name']} is documented twice ({path})"
            out[model["name"]] = (model.get("description") or "").strip()
    return out


def test_every_model_states_its_grain_in_yaml():
    models = {p.stem for p in MODELS.rglob("*") if p.suffix in (".sql", ".py")}
    documented = _documented()
    assert not set(documented) - models, "YAML documents models that do not exist"
    missing = sorted(m for m in models if not documented.get(m, "").startswith("One row per"))
    assert not missing, f"no grain ('One row per ...') in the YAML description of {missing}"


def test_every_var_the_project_reads_is_declared_or_a_pipeline_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALROI_SALT", "test-salt")  # the customer key's secret derives from it; no salt file
    text = (DBT_DIR / "dbt_project.yml").read_text()
    declared = set(yaml.safe_load(text)["vars"])
    pipeline = set(Settings(landing=Path(), warehouse=Path(), publish=Path(), state=tmp_path, feeds=Path())
                   .dbt_vars(month="2026-01"))
    read = set()
    for path in list(DBT_DIR.glob("models/**/*")) + list(DBT_DIR.glob("macros/**/*")) + list(DBT_DIR.glob("tests/**/*")):
        if path.is_file():
            read |= set(re.findall(r"var\(\s*['\"](socialroi__\w+)['\"]", path.read_text()))
    assert read - declared - pipeline == set()
    assert not declared & pipeline, "a pipeline setting must have no second default in dbt_project.yml"
    for name in declared:  # each declared var is explained: a comment on its line or the line before
        lines = text.splitlines()
        i = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{name}:"))
        assert "#" in lines[i] or lines[i - 1].strip().startswith("#"), f"{name} has no comment"
