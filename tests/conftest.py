"""Shared fixtures, and the one marker: ``slow``.

``make test`` runs the fast tests (``pytest -m "not slow"``); ``make test-all`` runs every
test, and is what CI runs. A test is ``slow`` when it needs real processes: a real
``smartcity-kg serve`` (signals, the time limit that kills a worker, kill-and-replace, the
sandbox, the security suite), a browser, a built wheel, another SPARQL engine, a subprocess of
the installed script; or when it computes for a long time on purpose (OWL 2 RL over the whole
knowledge base).

- Server tests take ``web`` (or ``web_update``, with updates allowed): the app of
  ``smartcity-kg serve`` in-process behind a Starlette ``TestClient`` (an httpx client:
  ``web.get("/sparql", params=...)``), over a pool that answers in a thread through the
  worker's own code (tests/inprocess.py). Fast, no marker.
- Tests that take ``server``, ``update_server``, ``secure_server`` or ``browser`` (real
  processes) are marked ``slow`` automatically (``pytest_collection_modifyitems`` below); these
  fixture names are kept for real processes.
- Any other test that starts a process or builds a wheel: ``@pytest.mark.slow`` on it (or
  ``pytestmark = pytest.mark.slow`` for a module).
- No test sleeps to wait for something: wait on an event, or for state another process changes
  use ``serving.wait_until(condition, what)``; pass clocks and backoff in
  (``Endpoint(sleep=waits.append)``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from smartcity_kg.dataset import KnowledgeBase

#: Fixtures that start real processes: a test that uses one is marked ``slow``.
REAL_PROCESSES = frozenset({"server", "update_server", "secure_server", "browser"})


#: test files whose module fixtures take seconds to build (the W3C suites run whole, release
#: folders, stores): under ``make test`` (``--dist loadgroup``) each file's tests run on one
#: worker, so the fixture is built once, not once per worker
ONE_WORKER = {
    "test_w3c.py",
    "test_release.py",
    "test_cli_store_commands.py",
    "test_landscape.py",
    "test_generate.py",
}


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` as this suite needs it: the files in ONE_WORKER each form one unit
    of work, every other test is a unit of its own.

    pytest-xdist 3.8 finds groups by a suffix it writes into the node id, and pytest 9 no
    longer reads that attribute, so its ``xdist_group`` marker groups nothing; this scheduler
    groups by file name instead, through xdist's own scope splitting.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OneWorkerPerCostlyFile(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return file if Path(file).name in ONE_WORKER else nodeid

    return OneWorkerPerCostlyFile(config, log)


@pytest.hookimpl(tryfirst=True)  # before ``-m "not slow"`` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if REAL_PROCESSES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The shipped dataset, for tests of the modules that take one."""
    return KnowledgeBase.load()


@pytest.fixture(scope="session")
def kg():
    """The shipped knowledge base through the Python API (``smartcity_kg.open_kg()``): what
    tests that only ask questions use."""
    from smartcity_kg import open_kg

    return open_kg()


@pytest.fixture(scope="session")
def web(tmp_path_factory):
    """The read-only server in-process: the app of ``smartcity-kg serve --data fixture.ttl``
    behind a ``TestClient`` (tests/inprocess.py). ``web.data_file`` is the fixture file."""
    from inprocess import fixture_kb, serve_in_process

    knowledge, data = fixture_kb(tmp_path_factory.mktemp("web"))
    with serve_in_process(knowledge, (data,)) as client:
        client.data_file = data
        yield client


@pytest.fixture
def web_update(tmp_path):
    """A fresh in-process server with ``--allow-update`` (token ``serving.TOKEN``) and
    ``--max-rows 5``, for one test: its changes go nowhere else."""
    from inprocess import fixture_kb, serve_in_process
    from serving import TOKEN

    knowledge, data = fixture_kb(tmp_path)
    with serve_in_process(knowledge, (data,), allow_update=True, token=TOKEN, max_rows=5) as client:
        client.data_file = data
        yield client


@pytest.fixture
def cli_run():
    """Run the CLI in-process the way the console script does (errors rendered, exit codes)."""
    from smartcity_kg.cli.main import main

    def invoke(*args: str, input: str | None = None):
        runner = CliRunner()
        return runner.invoke(_Entry(main), list(args), input=input, catch_exceptions=False)

    return invoke


class _Entry:
    """Adapts ``main(argv)`` (which calls sys.exit) to CliRunner."""

    def __init__(self, main):
        self.main_fn = main
        self.name = "smartcity-kg"

    def main(self, args=None, prog_name=None, **_: object):
        self.main_fn(list(args or []))


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A real read-only ``smartcity-kg serve`` (subprocess, free port; see tests/serving.py)."""
    from serving import start_server

    with start_server(tmp_path_factory.mktemp("server"), "--timeout", "2") as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright's Python client (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page; the test fails when any page it opened raised a script error."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page
    context.close()
    assert errors == []  # no script errors on any page
