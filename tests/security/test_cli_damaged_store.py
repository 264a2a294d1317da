"""A damaged store folder gets one line and exit 2 from every command that opens it, ``serve``
included (before the server starts), never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))
REBUILD = "build it again with 'smartcity-kg load --store NEW-FOLDER [FILE...]'.\n"


@pytest.fixture(scope="module")
def good_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("stores") / "good"
    subprocess.run([SCRIPT, "load", "--store", str(store)], check=True, capture_output=True)
    return store


def damaged(good: Path, tmp_path: Path, how: str) -> Path:
    store = tmp_path / "damaged"
    shutil.copytree(good, store)
    if how == "current":
        (store / "CURRENT").write_text("garbage\n")
    else:  # every table file cut short
        for table in store.glob("*.sst"):
            table.write_bytes(table.read_bytes()[:100])
    return store


COMMANDS = {
    "query": ("query", "topic-areas", "--store", "{s}"),
    "stats": ("stats", "--store", "{s}"),
    "load": ("load", "--store", "{s}"),
    "serve": ("serve", "--port", "0", "--store", "{s}"),
}


@pytest.mark.slow
@pytest.mark.parametrize("how", ["current", "sst"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_damaged_store_is_one_line(good_store, tmp_path, command, how):
    store = damaged(good_store, tmp_path, how)
    args = [a.format(s=store) for a in COMMANDS[command]]
    done = subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    if how == "current":
        assert done.stderr == (
            f"Error: {store}: the store is damaged (Corruption: CURRENT file corrupted); {REBUILD}"
        )
    else:
        assert done.stderr.startswith(f"Error: {store}: the store is damaged (Corruption: ")
        assert done.stderr.endswith(REBUILD)
        assert done.stderr.count("\n") == 1
