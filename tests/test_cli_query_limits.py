"""An embedded query is bounded: --timeout stops it with a clear message and exit 2, and
Ctrl-C stops it within a moment with exit 130 (real processes: signals and timing)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes of the installed script, and a signal

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))
#: a cross product of the shipped graph with itself three times: it would run for hours
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_timeout_stops_an_embedded_query_with_a_clear_message():
    started = time.monotonic()
    done = subprocess.run(
        [SCRIPT, "query", "-e", ENDLESS, "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 30  # it stopped, instead of running for hours
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "Error: the query ran longer than --timeout 1 s and was stopped; narrow it (LIMIT, "
        "fewer unbound patterns) or give a larger --timeout.\n"
    )


def test_timeout_leaves_a_quick_query_alone():
    done = subprocess.run(
        [SCRIPT, "query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s a sc:TopicArea }",
         "--timeout", "30", "-f", "csv"],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "n\n10\n")  # text mode reads CRLF as LF


def test_ctrl_c_stops_a_long_embedded_query_at_once():
    proc = subprocess.Popen(
        [SCRIPT, "query", "-e", ENDLESS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as from a terminal: a runner in the background may have ignored SIGINT for children
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        time.sleep(4)  # the knowledge base is loaded and the query is inside the engine
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = proc.communicate(timeout=30)
        waited = time.monotonic() - sent
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert waited < 2.0
    assert out == ""
    assert err.endswith("Aborted.\n")
