"""The worker pool with real worker processes (``slow``): the concurrency limit, kills at the
time limit, replacement workers, and changes reaching every worker (also replacements, which
replay them). Also: the in-process pool of the fast server tests keeps the pool's interface."""

from __future__ import annotations

import asyncio

import pytest

from smartcity_kg import InputError
from smartcity_kg.server.guard import analyse, looks_like_update, refusal
from smartcity_kg.server.pool import Busy, QueryTimeout, WorkerPool

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:test:g> { ?s ?p ?o } }"
FORMATS = {"select": "csv", "graph": "turtle"}


def query(text: str) -> dict:
    return {"text": text, "source": "q", "formats": FORMATS, "max_rows": None}


def run_async(scenario):
    """Run a coroutine function in its own thread and event loop: the session's Playwright
    browser keeps an event loop running in the main thread."""
    import threading

    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(scenario())
        except BaseException as err:
            outcome["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def pool():  # real worker processes: the tests that take it are marked slow
    started = WorkerPool(1, timeout=1.0)
    started.start()
    yield started
    started.close()


@pytest.mark.slow
def test_a_busy_pool_answers_busy_and_a_killed_worker_is_replaced(pool):
    async def scenario():
        await pool.open()
        slow = asyncio.create_task(pool.call("query", query(SLOW), timeout=3.0))
        while not pool._idle.empty():  # until the slow query holds the only worker
            await asyncio.sleep(0)  # a turn of the event loop, not a wait for time
        with pytest.raises(Busy):
            await pool.call("info", {}, timeout=0.5)  # the only worker is taken
        with pytest.raises(QueryTimeout):
            await slow
        info = await pool.call("info", {}, timeout=30)  # served by the replacement
        return info

    info = run_async(scenario)
    assert info["triples"] > 1000


@pytest.mark.slow
def test_changes_reach_every_worker_and_replacements_replay_them():
    pool = WorkerPool(2, timeout=1.0)
    pool.start()
    insert = "INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:p> 1, 2 } }"

    async def scenario():
        await pool.open()
        await pool.write("update", {"text": insert}, timeout=30)
        answers = await asyncio.gather(
            *(pool.call("query", query(COUNT), timeout=30) for _ in range(4))
        )
        with pytest.raises(QueryTimeout):  # kill one worker; its replacement replays the log
            await pool.call("query", query(SLOW))
        answers += await asyncio.gather(
            *(pool.call("query", query(COUNT), timeout=30) for _ in range(4))
        )
        with pytest.raises(InputError):
            await pool.write("update", {"text": "INSERT DATA { nonsense"}, timeout=30)
        return [a["body"] for a in answers]

    try:
        bodies = run_async(scenario)
    finally:
        pool.close()
    assert bodies == [b"n\r\n2\r\n"] * 8


def test_guard_finds_what_a_request_reaches_for():
    nested = analyse(
        "SELECT * FROM <urn:g:1> FROM NAMED <urn:g:2> WHERE { { SELECT ?s WHERE { "
        "OPTIONAL { SERVICE <http://example.org/sparql> { ?s ?p ?o } } } } }"
    )
    assert nested.form == "select"
    assert nested.services == ("http://example.org/sparql",)
    assert nested.dataset == ("urn:g:1", "urn:g:2")
    assert refusal(nested, {"urn:g:1", "urn:g:2"}).startswith("SERVICE <http://example.org/sparql>")
    update = analyse("LOAD <http://example.org/x.ttl> INTO GRAPH <urn:g:3>", update=True)
    assert update.loads == ("http://example.org/x.ttl",)
    assert analyse("ASK { ?s ?p ?o }").form == "ask"
    assert analyse("CONSTRUCT WHERE { ?s ?p ?o }").form == "construct"
    assert refusal(analyse("SELECT * FROM <urn:g:1> { ?s ?p ?o }"), {"urn:g:1"}) is None
    assert looks_like_update("PREFIX ex: <urn:x:> # SELECT\n INSERT DATA { ex:a ex:b ex:c }")
    assert not looks_like_update("PREFIX ex: <urn:x:> SELECT * { ?s ex:load ?o }")
    with pytest.raises(InputError, match=r"^query:1:"):
        analyse("SELECT * WHERE { ?s ?p }")


def test_the_in_process_pool_has_the_interface_of_the_worker_pool():
    """tests/inprocess.py stands in for WorkerPool in the fast server tests: same methods,
    same parameters."""
    import inspect

    from inprocess import InProcessPool

    for name in ("start", "open", "call", "write", "close"):
        real = inspect.signature(getattr(WorkerPool, name))
        stand_in = inspect.signature(getattr(InProcessPool, name))
        assert list(stand_in.parameters.values()) == list(real.parameters.values()), name
    assert isinstance(InProcessPool.total, property)


def test_errors_keep_their_class_across_the_pipe_and_a_crash_is_a_worker_failure(kb):
    """What a worker answers goes through worker.answer and pickle, real pool or in-process: a
    refusal stays Refused (403), bad input InputError (400), a bug WorkerFailed (500)."""
    from inprocess import InProcessPool
    from smartcity_kg.errors import Refused
    from smartcity_kg.server.pool import WorkerFailed

    pool = InProcessPool(kb)
    service = "SELECT * WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }"

    async def scenario():
        await pool.open()
        with pytest.raises(Refused, match=r"^SERVICE <http://example.org/s>"):
            await pool.call("sparql", {"text": service, "formats": FORMATS, "max_rows": None})
        with pytest.raises(InputError, match=r"^query:1:"):
            await pool.call("sparql", {"text": "SELECT * {", "formats": FORMATS, "max_rows": 1})
        with pytest.raises(WorkerFailed, match=r"^TypeError: "):
            await pool.call("info", {"unexpected": 1})
        return await pool.call("info", {})

    try:
        info = run_async(scenario)
    finally:
        pool.close()
    assert info["triples"] == len(kb)


@pytest.mark.slow
def test_closing_while_replacements_start_closes_every_pipe_once(monkeypatch):
    """close() and the thread starting a replacement both end that replacement; ending it twice
    once closed one pipe twice (EBADF in CI, or worse, a reused descriptor closed under another
    pipe). Several rounds, because the two race."""
    import threading

    from smartcity_kg.server.pool import SPAWN_THREAD

    failures: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    for _ in range(4):
        pool = WorkerPool(1, timeout=0.5)
        pool.start()

        async def scenario(pool=pool):
            await pool.open()
            with pytest.raises(QueryTimeout):  # its worker is killed; a replacement starts
                await pool.call("query", query(SLOW))

        run_async(scenario)
        pool.close()  # while the replacement is still loading the data
        for thread in threading.enumerate():
            if thread.name == SPAWN_THREAD:
                thread.join(timeout=60)
                assert not thread.is_alive()
        assert failures == []
        assert pool._workers == set()


@pytest.mark.slow
def test_a_worker_ended_by_many_threads_at_once_closes_its_pipe_once():
    """The worker-level race behind the test above, made likely: eight threads end the same
    worker at the same moment, in several rounds."""
    import multiprocessing
    import threading
    import time

    from smartcity_kg.server.pool import Worker

    ctx = multiprocessing.get_context("forkserver")
    for _ in range(10):
        parent, child = ctx.Pipe()
        process = ctx.Process(target=time.sleep, args=(60,), daemon=True)
        process.start()
        child.close()
        worker = Worker(process, parent)
        start = threading.Barrier(8)
        failures: list[BaseException] = []

        def end(worker=worker, start=start, failures=failures):
            start.wait()
            try:
                worker.kill()
            except BaseException as err:
                failures.append(err)

        threads = [threading.Thread(target=end) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert failures == []
        assert parent.closed
        assert not process.is_alive()
