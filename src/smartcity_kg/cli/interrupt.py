"""Ctrl-C during a long embedded query: stop within a moment, with one line and exit 130.

Python runs a signal handler only between bytecodes of the main thread. A query inside
Oxigraph is one native call that can run for minutes, so a SIGINT arriving then would wait for
it. Oxigraph releases the GIL while it evaluates, so the call runs in a worker thread and the
main thread only waits, and stays free to take the KeyboardInterrupt. A native query cannot be
cancelled, so the process then leaves at once (``os._exit``) instead of shutting the
interpreter down around a thread that is still inside the engine.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import NoReturn, TypeVar

from ..errors import EXIT_INTERRUPTED

T = TypeVar("T")


def interruptible(fn: Callable[..., T], *args, **kwargs) -> T:
    """``fn(*args, **kwargs)``, run so that Ctrl-C stops the command at once."""
    if threading.current_thread() is not threading.main_thread():
        return fn(*args, **kwargs)
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as err:  # handed to the main thread as it is
            outcome["error"] = err

    worker = threading.Thread(target=work, name="smartcity-kg-query", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.05)
    except KeyboardInterrupt:
        stop_now()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def stop_now() -> NoReturn:
    """The same line as the CLI's Ctrl-C message, then exit 130 without waiting for anything."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    try:
        os.write(2, b"\nAborted.\n")
    finally:
        os._exit(EXIT_INTERRUPTED)
