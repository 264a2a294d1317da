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
import time
from collections.abc import Callable
from typing import NoReturn, TypeVar

from ..errors import EXIT_INTERRUPTED, EXIT_USAGE
from ..threads import Call

T = TypeVar("T")


def interruptible(fn: Callable[..., T], *args, limit: float | None = None, **kwargs) -> T:
    """``fn(*args, **kwargs)``, run so that Ctrl-C stops the command at once, and so that it
    stops with a clear message and exit 2 when it runs more than ``limit`` seconds."""
    if threading.current_thread() is not threading.main_thread():
        return fn(*args, **kwargs)
    deadline = None if limit is None else time.monotonic() + limit
    call = Call(fn, *args, name="smartcity-kg-query", **kwargs)
    try:
        while call.running(0.05):
            if deadline is not None and time.monotonic() > deadline:
                stop_now(
                    f"Error: the query ran longer than --timeout {limit:g} s and was stopped; "
                    "narrow it (LIMIT, fewer unbound patterns) or give a larger --timeout.",
                    EXIT_USAGE,
                )
    except KeyboardInterrupt:
        stop_now()
    return call.result()


def stop_now(message: str = "\nAborted.", code: int = EXIT_INTERRUPTED) -> NoReturn:
    """The same line as the CLI's Ctrl-C message (or ``message``), then exit ``code`` without
    waiting for anything: the engine is still busy in the worker thread."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    try:
        os.write(2, (message + "\n").encode("utf-8"))
    finally:
        os._exit(code)
