"""Ctrl-C during a long embedded query stops the command within a second: one line, exit 130.

The query is a cross join of the whole dataset with itself three times (about 2 * 10^11 rows
to count), which runs for hours; SIGINT is sent once it is well under way.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def default_sigint() -> None:
    """A terminal delivers Ctrl-C to a process whose SIGINT is not ignored; a test runner in the
    background may have ignored it, and the child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("source", ["embedded", "store"])
def test_ctrl_c_stops_a_long_query_within_a_second(tmp_path, source):
    args = ["query", "-e", ENDLESS]
    if source == "store":
        store = tmp_path / "store"
        subprocess.run([SCRIPT, "load", "--store", str(store)], check=True, capture_output=True)
        args += ["--store", str(store)]
    process = subprocess.Popen(
        [SCRIPT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )
    try:
        time.sleep(4.0)  # loading takes about a second; then the query runs
        assert process.poll() is None, process.communicate()
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (process.returncode, out, err) == (130, "", "\nAborted.\n")
    assert took < 1.0
