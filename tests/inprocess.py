"""The server in-process, for fast tests: the real ASGI app over a worker pool that answers
in a thread of this process instead of in worker processes.

:class:`InProcessPool` has :class:`~smartcity_kg.server.pool.WorkerPool`'s interface (a test
checks the signatures match) and answers every request through the worker's own
:func:`~smartcity_kg.server.worker.answer`; the reply goes through pickle as it would through
the pipe, then through the pool's own ``_payload``, so the same error classes reach the app.
What it cannot do is kill a query: the time limit, the kill-and-replace, the sandbox and signals
are tested against real processes (fixtures ``server``, ``secure_server``, ``update_server``).

:func:`serve_in_process` gives a Starlette ``TestClient`` (an ``httpx.Client``) on that app,
with the lifespan run as uvicorn would run it.
"""

from __future__ import annotations

import asyncio
import pickle
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from serving import FIXTURE_TTL
from smartcity_kg.dataset import KnowledgeBase
from smartcity_kg.server import worker
from smartcity_kg.server.pool import Busy, QueryTimeout, _payload


class InProcessPool:
    """One knowledge base answering in one thread; the interface of ``WorkerPool``.

    Requests run one at a time, as on a single worker; ``size`` and ``reserve`` are kept for
    the interface and the settings the app reads. ``isolated`` is False: nothing here denies
    the network, which is why the sandbox is tested on real workers.
    """

    def __init__(
        self, kb: KnowledgeBase, size: int = 2, *, timeout: float = 10.0, reserve: int = 1
    ) -> None:
        self.kb = kb
        self.size = size
        self.reserve = reserve
        self.timeout = timeout
        self.isolated = False
        self._thread: ThreadPoolExecutor | None = None
        self._lock: asyncio.Lock | None = None

    @property
    def total(self) -> int:
        return self.size + self.reserve

    def start(self) -> None:
        """Nothing to start: the knowledge base is loaded already."""

    async def open(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inprocess-worker")
        self._lock = asyncio.Lock()

    async def call(self, op: str, args: dict, timeout: float | None = None, *, adhoc: bool = False):
        return await self._answer(op, args, timeout)

    async def write(self, op: str, args: dict, timeout: float | None = None):
        return await self._answer(op, args, timeout)

    async def _answer(self, op: str, args: dict, timeout: float | None):
        assert self._lock is not None and self._thread is not None, "open() first"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.timeout if timeout is None else timeout)
        try:
            await asyncio.wait_for(self._lock.acquire(), max(deadline - loop.time(), 0))
        except TimeoutError:
            raise Busy() from None
        try:
            job = loop.run_in_executor(self._thread, worker.answer, self.kb, op, args)
            try:
                reply = await asyncio.wait_for(job, max(deadline - loop.time(), 0))
            except TimeoutError:
                raise QueryTimeout() from None  # the thread runs on: no kill in-process
        finally:
            self._lock.release()
        status, payload = pickle.loads(pickle.dumps(reply))  # as through the worker's pipe
        return _payload(status, payload)

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=False, cancel_futures=True)


def fixture_kb(folder: Path) -> tuple[KnowledgeBase, Path]:
    """The shipped knowledge base plus tests/serving.py's fixture file, as ``serve --data``
    loads it."""
    data = folder / "fixture.ttl"
    data.write_text(FIXTURE_TTL, encoding="utf-8")
    return KnowledgeBase.load([data]), data


@contextmanager
def serve_in_process(kb: KnowledgeBase, data: tuple[Path, ...] = (), **settings):
    """A ``TestClient`` on the app that ``smartcity-kg serve`` runs, with ``settings`` as its
    ``ServerConfig`` fields (``allow_update``, ``token``, ``max_rows``, ...)."""
    from starlette.testclient import TestClient

    from smartcity_kg.server.app import create_app
    from smartcity_kg.server.config import ServerConfig

    config = ServerConfig(data=tuple(str(d) for d in data), **settings)
    pool = InProcessPool(kb, config.workers, timeout=config.timeout)
    app = create_app(config, pool)
    with TestClient(app, base_url=config.base_url, follow_redirects=False) as client:
        yield client
