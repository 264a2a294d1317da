"""A store in a folder the reader may not write to (a read-only mount: another user's store or a
read-only medium) answers queries; readers need no write access for the lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))


def namespaced(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``sh -c script`` with ``args`` in a private mount namespace (as root, or as a user
    through a user namespace); skip where the machine allows neither."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    prefix = [unshare, "--mount"] if os.geteuid() == 0 else [unshare, "--map-root-user", "--mount"]
    probe = subprocess.run(
        [*prefix, "sh", "-c", 'mount -t tmpfs -o size=16k none "$1"', "sh", "/mnt"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"no private mount namespace here: {probe.stderr.decode().strip()}")
    return subprocess.run(
        [*prefix, "sh", "-c", script, "sh", *args], capture_output=True, text=True, timeout=120
    )


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
