"""Run a command on a pseudo-terminal of a given width, as a person at a terminal sees it."""

from __future__ import annotations

import os
import pty
import subprocess


def run_on_terminal(args: list[str], columns: int, cwd=None) -> tuple[int, str]:
    """Exit code and what ``args`` printed (stdout and stderr) on a ``columns``-wide terminal."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    proc = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=child, stderr=child, env=env, cwd=cwd
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    code = proc.wait(timeout=120)
    return code, b"".join(chunks).decode().replace("\r\n", "\n")
