"""YAML alias bombs and deeply nested JSON/YAML given to ``import`` get one line and exit 2."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))
DEEP = (
    "the data is nested more than 5 levels deep; an import file is a list of rows, each a "
    "mapping from column to a value or a list of values. Fix the file.\n"
)


def run_import(path: Path) -> subprocess.CompletedProcess:
    """``smartcity-kg import`` with memory capped at 2 GB (the alias bomb took 3 GB before)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    out = path.with_name("out.ttl")
    return subprocess.run(
        [SCRIPT, "import", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
    )


def yaml_alias_bomb() -> str:
    """Nine levels of nine aliases: 387 million strings once the cells are made text."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    lines += ["rows:", "  - name: x", "    region: *a8", "    source: s"]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_yaml_alias_bomb_is_refused(tmp_path):
    path = tmp_path / "rows.yaml"
    path.write_text(yaml_alias_bomb(), encoding="utf-8")
    done = run_import(path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: {path}:2:10: YAML aliases (*name) are not accepted in an import file; write "
        "the values out in full.\n"
    )
    assert not path.with_name("out.ttl").exists()


@pytest.mark.slow
def test_deeply_nested_yaml_is_refused(tmp_path):
    path = tmp_path / "rows.yaml"
    path.write_text("- name: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    done = run_import(path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"Error: {path}:1:12: {DEEP}")


@pytest.mark.slow
def test_deeply_nested_json_is_refused(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text('[{"name": ' + "[" * 100_000 + "]" * 100_000 + "}]", encoding="utf-8")
    done = run_import(path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"Error: {path}: {DEEP}")


@pytest.mark.slow
def test_nested_json_cell_is_refused(tmp_path):
    """Nesting the parser accepts (50 levels) but no table has: a list inside a cell's list."""
    path = tmp_path / "rows.json"
    path.write_text(
        '[{"name": ' + "[" * 50 + "]" * 50 + ', "region": "06411000", "source": "s"}]',
        encoding="utf-8",
    )
    done = run_import(path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"Error: {path}: row 1, column 'name': a list inside a list; give a value or a list of "
        "values.\n"
    )
