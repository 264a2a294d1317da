"""Property: whatever mix of escapes, strings, comments and keywords a query holds, the guard
lets it run only if the engine, running it, makes no connection.

The engine here is pyoxigraph in the test process, without the workers' network filter, aimed
at a listener of its own (the oracle; the suite-wide listener stays untouched): the oracle
counts what the engine really fetched.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from smartcity_kg import InputError
from smartcity_kg.prefixes import PREFIXES
from smartcity_kg.server import guard

from .conftest import Listener

FRAGMENTS = [
    '"\\u0022"',
    "'\\u0027'",
    '"\\\\u0022"',
    '"""\\u0022"""',
    '"a\\"b"',
    '"#"',
    "'#'",
    "# comment \\u0022\n",
    "#\n",
    "\n",
    " ",
    "\\u0022",
    "\\u0020",
    "\\u007B",
    "\\u007D",
    '"',
    "'",
    "<urn:x>",
    "<urn:\\u0022>",
    "?s ?p ?o .",
    "BIND(1 AS ?v)",
    'BIND("x" AS ?w)',
    "FILTER(true)",
    "{ }",
    "OPTIONAL { ?s ?p ?o }",
    "SERVICE <{url}> { ?s ?p ?o }",
    "SERVICE SILENT <{url}> { ?s ?p ?o }",
    "service <{url}> { ?s ?p ?o }",
    "SERV\\u0049CE <{url}> { ?s ?p ?o }",
]

UPDATE_FRAGMENTS = [
    'INSERT DATA { <urn:a> <urn:b> "\\u0022" }',
    "INSERT DATA { <urn:a> <urn:b> '\\u0027' }",
    'INSERT DATA { <urn:a> <urn:b> "#" }',
    "# \\u0022\n",
    '"\\u0022"',
    "LOAD <{url}>",
    "LOAD SILENT <{url}>",
    "load <{url}>",
    ";",
    " ; ",
    "\n",
]


def verdict(text: str, update: bool) -> bool:
    """True when the guard lets ``text`` run."""
    try:
        analysis = guard.analyse(text, update=update)
    except InputError:
        return False
    return guard.refusal(analysis, set()) is None


def engine_connects(text: str, update: bool, listener) -> bool:
    before = listener.connections
    store = ox.Store()
    try:
        if update:
            store.update(text, prefixes=PREFIXES)
        else:
            result = store.query(text, prefixes=PREFIXES)
            if isinstance(result, ox.QuerySolutions):
                list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    # the listener thread counts asynchronously: give it a moment only when it matters
    if listener.connections == before:
        import time

        time.sleep(0.002)
    return listener.connections > before


@pytest.fixture(scope="module")
def oracle():
    running = Listener()
    yield running
    running.close()


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parts=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8))
@example(parts=['BIND("\\u0022" AS ?a)', "SERVICE <{url}> { ?s ?p ?o }", 'BIND("\\u0022" AS ?b)'])
def test_guard_lets_no_query_through_that_connects(parts, oracle):
    text = "SELECT * WHERE { " + " ".join(parts).replace("{url}", oracle.url) + " }"
    if engine_connects(text, False, oracle):
        assert not verdict(text, update=False), text


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parts=st.lists(st.sampled_from(UPDATE_FRAGMENTS), min_size=1, max_size=6))
@example(parts=[UPDATE_FRAGMENTS[0], ";", "LOAD <{url}>", ";", UPDATE_FRAGMENTS[0]])
def test_guard_lets_no_update_through_that_connects(parts, oracle):
    text = " ".join(parts).replace("{url}", oracle.url)
    if engine_connects(text, True, oracle):
        assert not verdict(text, update=True), text


def test_the_oracle_sees_the_engine_connect(oracle):
    """Without this the properties above could pass vacuously: the engine does connect for a
    SERVICE and for a SERVICE hidden from rdflib by an escape, and the guard refuses both."""
    for text in (
        f"SELECT * WHERE {{ SERVICE <{oracle.url}> {{ ?s ?p ?o }} }}",
        'SELECT * WHERE { BIND("\\u0022" AS ?a) SERVICE <'
        + oracle.url
        + '> { ?s ?p ?o } BIND("\\u0022" AS ?b) }',
    ):
        assert engine_connects(text, False, oracle), text
        assert not verdict(text, update=False), text
