"""The built wheel carries ontology/ and queries/ and works outside the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from test_queries import TOPICS_DE

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("smartcity_kg-*.whl"))


@pytest.mark.slow
def test_wheel_contains_ontology_and_queries(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "smartcity_kg/_shipped/ontology/smartcity.ttl" in names
    assert "smartcity_kg/_shipped/ontology/shapes.ttl" in names
    assert "smartcity_kg/_shipped/ontology/kb/regions.ttl" in names
    shipped_queries = {n.rsplit("/", 1)[-1] for n in names if n.endswith(".rq")}
    assert shipped_queries == {p.name for p in (ROOT / "queries").glob("*.rq")}


@pytest.mark.slow
def test_installed_wheel_runs_a_named_query_in_a_fresh_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run([str(pip), "install", "--quiet", str(wheel)], check=True, capture_output=True)
    result = subprocess.run(
        [str(env_dir / "bin" / "smartcity-kg"), "query", "topic-areas", "--format", "json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    doc = json.loads(result.stdout)
    labels = [b["label"]["value"] for b in doc["results"]["bindings"]]
    assert labels == TOPICS_DE
    where = subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-c",
            "from smartcity_kg.resources import shipped_root; print(shipped_root())",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert str(env_dir) in where
