"""The README's "safe by default" claims, each tried against a real server with default options:
read-only, bounded request size, bounded result size (rows and triples), token for updates."""

from __future__ import annotations

import httpx

from serving import TOKEN

NUMBERS = "VALUES ?n { " + " ".join(str(i) for i in range(30)) + " }"
MANY_ROWS = "SELECT ?s ?n WHERE { ?s a sc:Municipality . " + NUMBERS + " }"  # 12,630 rows
MANY_TRIPLES = "CONSTRUCT { ?s <urn:test:n> ?n } WHERE { ?s a sc:Municipality . " + NUMBERS + " }"


def test_updates_are_refused_by_default(secure_server):
    for route, data in (
        ("/sparql", {"update": "CLEAR ALL"}),
        ("/sparql", {"query": "DROP ALL"}),
    ):
        r = httpx.post(secure_server.url + route, data=data)
        assert r.status_code == 403
        assert r.text.startswith("This server is read-only: SPARQL Update is refused.")
    assert (
        httpx.post(secure_server.url + "/update", data={"update": "CLEAR ALL"}).status_code == 404
    )
    count = httpx.get(
        secure_server.url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "csv"},
    )
    assert int(count.text.split()[1]) > 5000  # nothing was cleared


def test_request_bodies_over_the_limit_are_refused(secure_server):
    body = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_000_000
    r = httpx.post(
        secure_server.url + "/sparql",
        content=body,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413
    assert "over the limit of 1000000 bytes (--max-body)" in r.text
    assert "over the limit of 1000000 bytes" in r.text

    def chunks():  # no Content-Length: the limit is counted while reading
        for _ in range(20):
            yield b"#" + b"y" * 65535

    r = httpx.post(
        secure_server.url + "/sparql",
        content=chunks(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 413
    assert "over the limit of 1000000 bytes (--max-body)" in r.text


def test_select_results_are_cut_at_max_rows(secure_server):
    r = httpx.get(
        secure_server.url + "/sparql",
        params={"query": MANY_ROWS, "format": "csv"},
        timeout=30,
    )
    assert r.status_code == 200
    assert r.headers["x-rows-truncated"] == "12630"
    assert len(r.text.strip().split("\r\n")) == 1 + 10_000


def test_construct_results_are_cut_at_max_rows_too(secure_server):
    r = httpx.get(
        secure_server.url + "/sparql",
        params={"query": MANY_TRIPLES, "format": "ntriples"},
        timeout=30,
    )
    assert r.status_code == 200
    assert r.headers["x-rows-truncated"] == "12630"
    assert len(r.text.strip().split("\n")) == 10_000


def test_updates_need_the_right_token(update_server):
    text = "INSERT DATA { GRAPH <urn:test:t> { <urn:test:x> <urn:test:y> 1 } }"
    for header in ({}, {"Authorization": "Bearer wrong-token-0000000"}, {"Authorization": TOKEN}):
        r = httpx.post(
            update_server.url + "/update",
            content=text.encode(),
            headers={"Content-Type": "application/sparql-update", **header},
        )
        assert r.status_code == 401, header
