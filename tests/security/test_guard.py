"""The guard decides on exactly the text the engine runs, and a worker has no network anyway.

Finding (critical): rdflib expands ``\\uXXXX`` escapes everywhere before it lexes, Oxigraph
only inside strings and IRIs, so a SERVICE could hide from the guard inside what rdflib took for
a string, and the server fetched from any address.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from serving import TOKEN

from .conftest import worker_pids


def hidden_service(url: str) -> str:
    return (
        'SELECT * WHERE { BIND("\\u0022" AS ?a) SERVICE <' + url + "> { ?s ?p ?o } "
        'BIND("\\u0022" AS ?b) }'
    )


def test_service_hidden_by_an_escape_is_refused(secure_server, listener):
    r = httpx.post(secure_server.url + "/sparql", data={"query": hidden_service(listener.url)})
    assert r.status_code == 400
    assert r.text == (
        "query:1:24: the escape \\u0022 is refused by this server, which cannot check such "
        "text safely. Write the character itself (the request is UTF-8) and send it again.\n"
    )


@pytest.mark.parametrize(
    "escape", ["\\u0022", "\\U00000022", "\\u003E", "\\u007d", "\\\\u0022"], ids=repr
)
def test_every_escape_form_rdflib_would_rewrite_is_refused(secure_server, listener, escape):
    text = f'SELECT * WHERE {{ BIND("{escape}" AS ?a) SERVICE <{listener.url}> {{ ?s ?p ?o }} }}'
    r = httpx.get(secure_server.url + "/sparql", params={"query": text})
    assert r.status_code in (400, 403), r.text


def test_load_hidden_by_an_escape_is_refused(update_server, listener):
    text = (
        'INSERT DATA { <urn:a> <urn:b> "\\u0022" } ; LOAD <' + listener.url + "> ; "
        'INSERT DATA { <urn:a> <urn:b> "\\u0022" }'
    )
    r = httpx.post(
        update_server.url + "/update",
        content=text.encode(),
        headers={
            "Content-Type": "application/sparql-update",
            "Authorization": f"Bearer {TOKEN}",
        },
    )
    assert r.status_code == 400
    assert "the escape \\u0022 is refused" in r.text


def test_plain_service_and_load_are_refused(secure_server, update_server, listener):
    r = httpx.get(
        secure_server.url + "/sparql",
        params={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"},
    )
    assert r.status_code == 403 and r.text.startswith(f"SERVICE <{listener.url}> is refused")
    r = httpx.post(
        update_server.url + "/update",
        content=f"LOAD <{listener.url}>".encode(),
        headers={
            "Content-Type": "application/sparql-update",
            "Authorization": f"Bearer {TOKEN}",
        },
    )
    assert r.status_code == 403 and r.text.startswith(f"LOAD <{listener.url}> is refused")


def test_query_page_refuses_the_same_way(secure_server, listener):
    r = httpx.get(secure_server.url + "/query", params={"query": hidden_service(listener.url)})
    assert r.status_code == 400
    assert "the escape \\u0022 is refused" in r.text


def test_every_worker_runs_under_a_seccomp_filter(secure_server):
    pids = worker_pids(secure_server.process.pid)
    assert len(pids) == 3  # --workers 2, plus the one kept for named queries and pages
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        assert "\nSeccomp:\t2\n" in status, pid
        assert "\nNoNewPrivs:\t1\n" in status, pid


@pytest.mark.slow
def test_a_sandboxed_process_cannot_reach_the_network_whatever_it_runs(listener):
    """Defence in depth: the engine itself, asked directly for SERVICE and LOAD, cannot
    connect once the worker's filter is installed."""
    code = f"""
import pyoxigraph as ox
from smartcity_kg.server.sandbox import deny_network
assert deny_network()
for run in (
    lambda: list(ox.Store().query("SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")),
    lambda: ox.Store().update("LOAD <{listener.url}>"),
):
    try:
        run()
    except OSError as err:
        print(type(err).__name__, err)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["PermissionError Permission denied (os error 13)"] * 2
