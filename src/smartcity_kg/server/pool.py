"""A small pool of pre-started query workers, each holding the loaded knowledge base.

Every request goes to an idle worker; if it does not answer within the time limit the worker
process is killed (pyoxigraph cannot cancel a running query) and a fresh one replaces it in the
background, so one slow query never stalls the others. The time limit covers the whole request:
waiting for a worker and running on it.

Admission keeps cheap requests answering under load: ad-hoc SPARQL may occupy at most ``size``
workers, and ``reserve`` more workers serve only the server's own requests (named queries,
pages). A slot of an ad-hoc request whose worker was killed is given back only when the
replacement is ready, so a burst of slow ad-hoc queries can never take the reserved workers.

Updates (only with ``--allow-update``) run on one worker, within the same time limit, while the
others go on answering; a change that succeeds is kept in a log. Every worker applies the log
entries it has not seen before it runs anything else, and a replacement replays the whole log,
so no request ever sees a worker without a change that was acknowledged. An update that runs
past the limit costs only the worker that ran it: it is replaced, and the log never held the
change.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from ..errors import InputError, SmartCityError

SPAWN_THREAD = "smartcity-kg worker start"  # the threads that start replacement workers


class QueryTimeout(Exception):
    """The request ran past the time limit; its worker was killed."""


class Busy(Exception):
    """No worker became free within the time limit."""


class WorkerFailed(Exception):
    """A worker raised an unexpected error (logged, never shown as a traceback)."""


class WorkerDied(WorkerFailed):
    """A worker process ended mid-request; a replacement is on its way."""


@dataclass(eq=False)
class Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    applied: int = 0  # how many entries of the pool's change log this worker holds
    # Several threads may end a worker at once (a timed-out request, the spawn thread, close());
    # the pipe must be closed exactly once, and never while a thread still reads from it:
    # a closed descriptor number is reused at once, and a late read would hit another pipe.
    _in_use: threading.Lock = field(default_factory=threading.Lock)
    _ending: threading.Lock = field(default_factory=threading.Lock)
    _ended: bool = False

    def exchange(self, op: str, args: dict):
        with self._in_use:
            if self._ended:
                raise EOFError("the worker was stopped")
            self.conn.send((op, args))
            return self.conn.recv()

    def greeting(self):
        """The worker's first message: ready (with what it knows), or why it could not load."""
        with self._in_use:
            if self._ended:
                raise EOFError("the worker was stopped")
            return self.conn.recv()

    def catch_up(self, log: list[tuple[str, dict]]) -> None:
        """Apply the changes this worker has not seen yet (in the pool's thread)."""
        while self.applied < len(log):
            status, payload = self.exchange(*log[self.applied])
            if status != "ok":  # it succeeded on another worker: the data must be the same
                raise OSError(f"a logged change failed on a worker: {payload}")
            self.applied += 1

    def run(self, log: list[tuple[str, dict]], op: str, args: dict):
        self.catch_up(log)
        return self.exchange(op, args)

    def kill(self) -> None:
        """End the process, then close the pipe once no thread reads it (idempotent)."""
        with self._ending:
            if self._ended:
                return
            self._ended = True
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        # The killed process ends any read or write in flight (EOF or a broken pipe), so the
        # thread using the pipe lets go quickly; if it does not, leave the pipe open rather
        # than close a descriptor under it.
        if self._in_use.acquire(timeout=5):
            try:
                self.conn.close()
            finally:
                self._in_use.release()


@dataclass
class WorkerPool:
    size: int  # workers that ad-hoc queries may occupy at once
    data: list[str] = field(default_factory=list)
    shipped: bool = True
    timeout: float = 10.0
    store: str | None = None
    reserve: int = 0  # further workers that only the server's own requests reach
    isolated: bool = True  # every worker runs without network access (see .sandbox)
    _ctx: Any = None  # the forkserver context (created by start)
    # created by open(), inside the running event loop
    _idle: asyncio.Queue = field(init=False)
    _adhoc: asyncio.Semaphore = field(init=False)
    _threads: ThreadPoolExecutor | None = None
    _log: list[tuple[str, dict]] = field(default_factory=list)
    _write_lock: asyncio.Lock = field(init=False)
    _workers: set = field(default_factory=set)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    @property
    def total(self) -> int:
        return self.size + self.reserve

    def start(self) -> None:
        """Start all workers and wait until they have loaded the data (blocking)."""
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["smartcity_kg.server.worker"])
        self._ready: list[Worker] = []
        try:
            for _ in range(self.total):
                self._ready.append(self._spawn())
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> Worker:
        from . import worker

        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=worker.main, args=(child, self.data, self.shipped, self.store), daemon=True
        )
        process.start()
        child.close()
        w = Worker(process, parent)
        with self._guard:
            self._workers.add(w)
        try:
            status, detail = w.greeting()
        except (EOFError, OSError):
            self._forget(w)
            raise WorkerFailed("a query worker stopped while loading the data") from None
        if status != "ready":
            self._forget(w)
            raise InputError(detail)
        self.isolated = self.isolated and bool(detail.get("isolated"))
        w.catch_up(self._log)
        return w

    def _forget(self, w: Worker) -> None:
        w.kill()
        with self._guard:
            self._workers.discard(w)

    async def open(self) -> None:
        """Hand the started workers to the running event loop."""
        self._idle = asyncio.Queue()
        self._adhoc = asyncio.Semaphore(self.size)
        self._write_lock = asyncio.Lock()
        self._threads = ThreadPoolExecutor(max_workers=self.total + 2, thread_name_prefix="query")
        for w in self._ready:
            self._idle.put_nowait(w)
        self._ready = []

    async def call(self, op: str, args: dict, timeout: float | None = None, *, adhoc: bool = False):
        """Run ``op`` on an idle worker and return its payload, all within the time limit.

        ``adhoc`` requests (user SPARQL) never occupy more than ``size`` workers. Raises the
        worker's SmartCityError for problems the request caused, QueryTimeout, Busy or
        WorkerFailed.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.timeout if timeout is None else timeout)
        if adhoc:
            try:
                await asyncio.wait_for(self._adhoc.acquire(), deadline - loop.time())
            except TimeoutError:
                raise Busy() from None
        done = self._adhoc.release if adhoc else None
        try:
            try:
                w = await asyncio.wait_for(self._idle.get(), max(deadline - loop.time(), 0))
            except TimeoutError:
                raise Busy() from None
            call, done = done, None  # from here on _run_on gives the slot back
            return await self._run_on(w, op, args, deadline, call)
        finally:
            if done is not None:
                done()

    async def _run_on(self, w: Worker, op: str, args: dict, deadline: float, done=None):
        """Run on ``w``; ``done`` is called once ``w`` (or its replacement) is idle again."""
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._threads, w.run, self._log, op, args)
        try:
            status, payload = await asyncio.wait_for(job, max(deadline - loop.time(), 0))
        except TimeoutError:
            self._replace(w, done)
            raise QueryTimeout() from None
        except asyncio.CancelledError:
            self._replace(w, done)  # the client went away mid-query: do not reuse a busy worker
            raise
        except (EOFError, OSError) as err:
            self._replace(w, done)
            raise WorkerDied(f"a query worker stopped: {err!r}") from None
        self._idle.put_nowait(w)
        if done is not None:
            done()
        return _payload(status, payload)

    def _replace(self, w: Worker, done=None) -> None:
        """Kill ``w`` now and start a replacement in the background; then call ``done``."""
        self._forget(w)
        if self._closed:
            return
        loop = asyncio.get_running_loop()

        def queue(fresh: Worker | None) -> None:
            if fresh is not None:
                self._idle.put_nowait(fresh)
            if done is not None:
                done()

        def spawn_and_queue() -> None:
            fresh = None
            try:
                fresh = self._spawn()
            except Exception as err:  # pragma: no cover - logged, the pool shrinks by one
                import logging

                logging.getLogger("smartcity_kg.server").error("cannot start a worker: %s", err)
            if self._closed and fresh is not None:
                self._forget(fresh)
                return
            try:
                loop.call_soon_threadsafe(queue, fresh)
            except RuntimeError:  # the event loop has ended: the server is stopping
                if fresh is not None:
                    self._forget(fresh)

        threading.Thread(target=spawn_and_queue, daemon=True, name=SPAWN_THREAD).start()

    async def write(self, op: str, args: dict, timeout: float | None = None):
        """Apply a change on one worker within the time limit and log it; the other workers
        apply it before their next request (see the module doc). Updates run one at a time."""
        async with self._write_lock:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + (self.timeout if timeout is None else timeout)
            try:
                w = await asyncio.wait_for(self._idle.get(), max(deadline - loop.time(), 0))
            except TimeoutError:
                raise Busy() from None
            job = loop.run_in_executor(self._threads, w.run, self._log, op, args)
            try:
                status, payload = await asyncio.wait_for(job, max(deadline - loop.time(), 0))
            except TimeoutError:
                self._replace(w)  # the change may be half-applied there; the log never had it
                raise QueryTimeout() from None
            except asyncio.CancelledError:
                self._replace(w)
                raise
            except (EOFError, OSError) as err:
                self._replace(w)
                raise WorkerDied(f"a query worker stopped: {err!r}") from None
            if status == "ok":
                self._log.append((op, args))
                w.applied = len(self._log)
            self._idle.put_nowait(w)
        return _payload(status, payload)

    def close(self) -> None:
        """Stop every worker (idempotent)."""
        self._closed = True
        with self._guard:
            workers = list(self._workers)
            self._workers.clear()
        for w in workers:
            w.kill()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)


def _payload(status: str, payload):
    """A worker's answer, or the error it stands for (the user's, of its own class, or the
    worker's)."""
    if status == "error":
        raise payload if isinstance(payload, SmartCityError) else InputError(str(payload))
    if status != "ok":
        raise WorkerFailed(payload)
    return payload
