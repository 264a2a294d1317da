"""A newcomer's set-up: `make test` names missing system packages with the install command,
an unsuitable Python is refused with its version, a stale .venv is rebuilt, and `make run`
installs smartcity-kg without the test tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SUDO = "" if os.geteuid() == 0 else "sudo "


def _program(folder: Path, name: str, body: str = "exit 0") -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _check_system(tmp_path: Path, listing: str, programs: list[str]):
    """tools/check-system on a package list, with only ``programs`` on the PATH."""
    (tmp_path / "apt-packages").write_text(listing)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in programs:
        _program(bin_dir, name)
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check-system"), str(tmp_path / "apt-packages")],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(bin_dir)},
    )


LISTING = (
    "# comment\nchromium chromium\ngraphviz dot  # pictures\n\nvirtuoso-opensource virtuoso-t\n"
)


def test_check_system_names_what_is_missing_and_the_install_command(tmp_path):
    done = _check_system(tmp_path, LISTING, ["dot"])
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "missing: chromium (no 'chromium' on the PATH), virtuoso-opensource (no 'virtuoso-t' "
        f"on the PATH); install them with: {SUDO}apt-get install chromium virtuoso-opensource\n"
    )


def test_check_system_with_one_missing_package(tmp_path):
    done = _check_system(tmp_path, LISTING, ["chromium", "virtuoso-t"])
    assert (done.returncode, done.stderr) == (
        1,
        f"missing: graphviz (no 'dot' on the PATH); install it with: {SUDO}apt-get install "
        "graphviz\n",
    )


def test_check_system_is_silent_when_everything_is_installed(tmp_path):
    done = _check_system(tmp_path, LISTING, ["chromium", "dot", "virtuoso-t"])
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_check_system_reports_a_malformed_list(tmp_path):
    done = _check_system(tmp_path, "chromium\n", [])
    assert done.returncode == 2
    assert done.stderr.endswith("apt-packages:1: write PACKAGE PROGRAM, e.g. 'graphviz dot'\n")


def test_the_project_list_names_virtuoso_chromium_graphviz_and_apache():
    """.ci/run installs the first word of each line; tools/check-system checks the second."""
    lines = [
        line.split()
        for line in (ROOT / ".ci" / "apt-packages").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == [
        ["chromium", "chromium"],
        ["graphviz", "dot"],
        ["virtuoso-opensource", "virtuoso-t"],
        ["apache2-bin", "apache2"],
    ]


def _python_310(folder: Path) -> Path:
    """A real interpreter that reports itself as Python 3.10.12 (through sitecustomize)."""
    site = folder / "site-310"
    site.mkdir(parents=True)
    (site / "sitecustomize.py").write_text(
        "import sys\nsys.version_info = (3, 10, 12, 'final', 0)\n"
    )
    return _program(folder, "python3.10", f'PYTHONPATH={site} exec {shutil.which("python3")} "$@"')


def _copy_of_the_build_files(tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, clone / name)
    shutil.copytree(ROOT / "tools", clone / "tools")
    return clone


def test_make_run_refuses_python_3_10_with_its_version_and_what_to_do(tmp_path):
    clone = _copy_of_the_build_files(tmp_path)
    python = _python_310(tmp_path)
    done = subprocess.run(
        ["make", "--no-print-directory", "run", f"PYTHON={python}"],
        cwd=clone,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        f"error: {python} is Python 3.10.12, but smartcity-kg needs Python 3.11 or newer. "
        "Install a newer Python (e.g. 'sudo apt-get install python3.11 python3.11-venv') and "
        "run 'make PYTHON=python3.11 ...'."
    )
    assert not (clone / ".venv").exists()


def test_a_venv_made_by_python_3_10_is_removed_to_be_built_again(tmp_path):
    venv = tmp_path / ".venv"
    _python_310(venv / "bin")
    (venv / "bin" / "python3.10").rename(venv / "bin" / "python")
    done = subprocess.run(
        [str(ROOT / "tools" / "check-python"), "python3", str(venv)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert done.stderr.startswith(f"{venv} was made by Python 3.10.12; removing it to build it")
    assert not venv.exists()


def test_a_venv_whose_python_no_longer_runs_is_removed(tmp_path):
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(tmp_path / "removed-python")
    done = subprocess.run(
        [str(ROOT / "tools" / "check-python"), "python3", str(venv)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert "was made by a Python that no longer runs; removing it" in done.stderr
    assert not venv.exists()


def test_a_good_venv_is_kept(tmp_path):
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    done = subprocess.run(
        [str(ROOT / "tools" / "check-python"), "python3", str(venv)],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert venv.exists()


def _planned(target: str, tmp_path: Path) -> str:
    """What ``make -n TARGET`` would run in a fresh clone (the sub-make plans too)."""
    clone = _copy_of_the_build_files(tmp_path)
    return subprocess.run(
        ["make", "-n", "--no-print-directory", target],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_make_run_installs_smartcity_kg_without_the_test_tools(tmp_path):
    planned = _planned("run", tmp_path)
    assert ".venv/bin/pip install --quiet -e .\n" in planned
    assert "[test]" not in planned
    assert planned.rstrip().endswith(".venv/bin/smartcity-kg query topic-goals")


def test_make_test_checks_the_system_then_installs_the_test_tools(tmp_path):
    planned = _planned("test", tmp_path).splitlines()
    assert planned.index("python3 tools/check-system") < planned.index(
        ".venv/bin/pip install --quiet -e '.[test]'"
    )
    assert planned[-1] == '.venv/bin/python -m pytest -m "not slow" -n 2 --dist loadgroup'


def test_make_test_all_runs_every_test_after_the_same_checks(tmp_path):
    planned = _planned("test-all", tmp_path).splitlines()
    assert "python3 tools/check-system" in planned
    assert planned[-3:] == [
        ".venv/bin/ruff check src tests benchmarks",
        ".venv/bin/mypy src",
        ".venv/bin/python -m pytest",
    ]


def test_ci_runs_the_full_test_command_that_the_readme_gives():
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip().startswith("make ")
    ]
    assert commands == ["make test-all"]
    development = (ROOT / "README.md").read_text().split("## Development", 1)[1]
    assert "$ make test-all " in development and "CI runs" in development
