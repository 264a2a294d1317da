"""A store in a folder the reader may not write to (a read-only mount: another user's store or a
read-only medium) answers queries; readers need no write access for the lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import namespaced

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))


READ_ONLY_QUERY = (
    'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99\n'
    'touch "$1/probe" 2>/dev/null && exit 98\n'  # the folder really is read-only
    'exec "$2" query topic-areas --store "$1" --format csv'
)


@pytest.mark.slow
@pytest.mark.parametrize("lock_file", [True, False], ids=["with-lock-file", "without-lock-file"])
def test_read_only_store_answers_queries(tmp_path, lock_file):
    store = tmp_path / "store"
    subprocess.run([SCRIPT, "load", "--store", str(store)], check=True, capture_output=True)
    expected = subprocess.run(
        [SCRIPT, "query", "topic-areas", "--store", str(store), "--format", "csv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert expected.startswith("topic,label\n") and expected.count("\n") == 11
    if not lock_file:
        (store / "smartcity-kg.lock").unlink()
    done = namespaced(READ_ONLY_QUERY, str(store), SCRIPT)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", expected)
