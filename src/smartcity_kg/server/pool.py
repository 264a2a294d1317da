"""A small pool of pre-started query workers, each holding the loaded knowledge base.

Every request goes to an idle worker; if it does not answer within the time limit the worker
process is killed (pyoxigraph cannot cancel a running query) and a fresh one replaces it in the
background, so one slow query never stalls the others. The pool size is the limit on
concurrent queries: further requests wait for a worker, up to the time limit, then get "busy".
Updates (only with ``--allow-update``) are applied to every worker and kept in a log that a
replacement worker replays, so all workers always hold the same data.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..errors import InputError


class QueryTimeout(Exception):
    """The request ran past the time limit; its worker was killed."""


class Busy(Exception):
    """No worker became free within the time limit."""


class WorkerFailed(Exception):
    """A worker stopped or raised an unexpected error (logged, never shown as a traceback)."""


@dataclass(eq=False)
class Worker:
    process: multiprocessing.process.BaseProcess
    conn: object

    def exchange(self, op: str, args: dict):
        self.conn.send((op, args))
        return self.conn.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


@dataclass
class WorkerPool:
    size: int
    data: list[str] = field(default_factory=list)
    shipped: bool = True
    timeout: float = 10.0
    store: str | None = None
    _ctx: object = None
    _idle: asyncio.Queue | None = None
    _threads: ThreadPoolExecutor | None = None
    _log: list[tuple[str, dict]] = field(default_factory=list)
    _write_lock: asyncio.Lock | None = None
    _workers: set = field(default_factory=set)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    def start(self) -> None:
        """Start all workers and wait until they have loaded the data (blocking)."""
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload(["smartcity_kg.server.worker"])
        self._ready: list[Worker] = []
        try:
            for _ in range(self.size):
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
            status, detail = parent.recv()
        except EOFError:
            self._forget(w)
            raise WorkerFailed("a query worker stopped while loading the data") from None
        if status != "ready":
            self._forget(w)
            raise InputError(detail)
        for op, args in list(self._log):
            w.exchange(op, args)
        return w

    def _forget(self, w: Worker) -> None:
        w.kill()
        with self._guard:
            self._workers.discard(w)

    async def open(self) -> None:
        """Hand the started workers to the running event loop."""
        self._idle = asyncio.Queue()
        self._write_lock = asyncio.Lock()
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="query")
        for w in self._ready:
            self._idle.put_nowait(w)
        self._ready = []

    async def call(self, op: str, args: dict, timeout: float | None = None):
        """Run ``op`` on an idle worker and return its payload.

        Raises InputError for problems the request caused, QueryTimeout, Busy or WorkerFailed.
        """
        limit = self.timeout if timeout is None else timeout
        try:
            w = await asyncio.wait_for(self._idle.get(), limit)
        except TimeoutError:
            raise Busy() from None
        return await self._run_on(w, op, args, limit)

    async def _run_on(self, w: Worker, op: str, args: dict, limit: float | None):
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._threads, w.exchange, op, args)
        try:
            status, payload = await asyncio.wait_for(job, limit)
        except TimeoutError:
            self._replace(w)
            raise QueryTimeout() from None
        except asyncio.CancelledError:
            self._replace(w)  # the client went away mid-query: do not reuse a busy worker
            raise
        except (EOFError, OSError) as err:
            self._replace(w)
            raise WorkerFailed(f"a query worker stopped: {err!r}") from None
        self._idle.put_nowait(w)
        return _payload(status, payload)

    def _replace(self, w: Worker) -> None:
        """Kill ``w`` now and start a replacement in the background."""
        self._forget(w)
        if self._closed:
            return
        loop = asyncio.get_running_loop()

        def spawn_and_queue() -> None:
            try:
                fresh = self._spawn()
            except Exception as err:  # pragma: no cover - logged, the pool shrinks by one
                import logging

                logging.getLogger("smartcity_kg.server").error("cannot start a worker: %s", err)
                return
            if self._closed:
                self._forget(fresh)
            else:
                loop.call_soon_threadsafe(self._idle.put_nowait, fresh)

        threading.Thread(target=spawn_and_queue, daemon=True).start()

    async def write(self, op: str, args: dict):
        """Apply a change to every worker (all of them, so they stay identical); log it.

        It waits until it holds every worker, so no query sees a half-applied change; a
        replacement worker started later replays the log.
        """
        async with self._write_lock:
            loop = asyncio.get_running_loop()
            taken = [await self._idle.get() for _ in range(self.size)]
            try:
                status, payload = await loop.run_in_executor(
                    self._threads, taken[0].exchange, op, args
                )
                if status == "ok":
                    self._log.append((op, args))
                    for w in taken[1:]:
                        await loop.run_in_executor(self._threads, w.exchange, op, args)
            finally:
                for w in taken:
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
    """A worker's answer, or the error it stands for (the user's, or the worker's)."""
    if status == "error":
        raise InputError(payload)
    if status != "ok":
        raise WorkerFailed(payload)
    return payload
