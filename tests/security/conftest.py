"""Fixtures of the security suite: a listener that must never be called, and real servers.

Every test here runs against a real ``smartcity-kg serve`` on 127.0.0.1 (or the real CLI).
The listener stands where a fetch could happen: queries aim their SERVICE and LOAD at it, and
after each test it must not have seen a single connection.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from serving import TOKEN, start_server


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self._stop:
                conn.close()
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self.sock.close()


@pytest.fixture(scope="session")
def listener():
    running = Listener()
    yield running
    running.close()


@pytest.fixture(autouse=True)
def nothing_reaches_the_listener(listener):
    """No request of any security test may make anything connect to the listener."""
    before = listener.connections
    yield
    assert listener.connections == before, "something connected to the listener"


@pytest.fixture(scope="session")
def secure_server(tmp_path_factory):
    """A server with the default options, but a short time limit."""
    with start_server(tmp_path_factory.mktemp("secure"), "--timeout", "3") as running:
        yield running


@pytest.fixture(scope="session")
def update_server(tmp_path_factory):
    """A server that accepts updates from requests with the token."""
    env = {"SCKG_TEST_TOKEN": TOKEN}
    with start_server(
        tmp_path_factory.mktemp("update"),
        "--timeout",
        "3",
        "--allow-update",
        "--token-env",
        "SCKG_TEST_TOKEN",
        env=env,
    ) as running:
        yield running


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def worker_pids(pid: int) -> list[int]:
    """The query workers of the server ``pid``: the children of its forkserver process."""
    workers = []
    for child in children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"forkserver" in cmdline:
            workers += children(child)
    return workers


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
