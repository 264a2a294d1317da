"""A call run in a thread of its own, whose value or error the caller takes back.

Two places need one: the CLI runs an embedded query in a thread so that the main thread stays
free for Ctrl-C and ``--timeout`` (cli/interrupt.py), and the import gate runs pySHACL in one so
that the reference cycles its parser leaves hold that thread's frames, not the import's rows
(gate.py). In both, an error's frames are cleared in the thread that raised it: pyoxigraph's
result objects are bound to the thread that made them, and one left in a frame would otherwise
be dropped in the caller's thread (an error Python can only print).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Call(Generic[T]):
    """``fn(*args, **kwargs)``, started at once in a daemon thread named ``name`` (a daemon:
    a process that stops does not wait for it)."""

    def __init__(self, fn: Callable[..., T], *args: Any, name: str, **kwargs: Any) -> None:
        self._outcome: list[tuple[bool, Any]] = []

        def run() -> None:
            try:
                self._outcome.append((True, fn(*args, **kwargs)))
            except BaseException as err:  # handed to the caller as it is
                _clear_frames(err)
                self._outcome.append((False, err))

        self._thread = threading.Thread(target=run, name=name, daemon=True)
        self._thread.start()

    def running(self, wait: float | None = None) -> bool:
        """Whether the call still runs after waiting up to ``wait`` seconds (None: until it
        ends)."""
        self._thread.join(wait)
        return self._thread.is_alive()

    def result(self) -> T:
        """The call's value, or its error raised here (waits for it to end)."""
        self._thread.join()
        done, value = self._outcome[0]
        if not done:
            raise value
        return value


def _clear_frames(err: BaseException | None, seen: set[int] | None = None) -> None:
    """Clear the locals of every frame of ``err`` and of the errors it was raised from."""
    seen = set() if seen is None else seen
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        traceback.clear_frames(err.__traceback__)
        _clear_frames(err.__cause__, seen)
        err = err.__context__
