"""DAG tests without a metadata database: parse dags/ into a DagBag and inspect the objects.

Airflow reads its configuration once, when first imported, so the environment is set here,
at conftest import, before any test module imports airflow. AIRFLOW_HOME is a throw-away
folder: parsing never touches the project's .airflow/ or ~/airflow.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
DAGS_DIR = PROJECT_DIR / "dags"

_home = tempfile.mkdtemp(prefix="socialroi-airflow-dags-")
atexit.register(shutil.rmtree, _home, ignore_errors=True)
os.environ.update(
    {
        "AIRFLOW_HOME": _home,
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_home}/airflow.db",
        "DO_NOT_TRACK": "1",
    }
)
for _path in (str(DAGS_DIR), str(PROJECT_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)


@pytest.fixture(scope="session")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))
