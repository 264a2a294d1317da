"""The SPARQL Protocol client against a small real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pyoxigraph as ox
import pytest

from smartcity_kg import Ask, Graph, InputError, Select
from smartcity_kg.remote import Endpoint, credentials, query_form

SELECT_JSON = {
    "head": {"vars": ["s", "label", "n", "flag"]},
    "results": {
        "bindings": [
            {
                "s": {"type": "uri", "value": "https://example.org/a"},
                "label": {"type": "literal", "value": "A", "xml:lang": "de"},
                "n": {
                    "type": "typed-literal",
                    "value": "3",
                    "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                },
                "flag": {
                    "type": "literal",
                    "value": "1",
                    "datatype": "http://www.w3.org/2001/XMLSchema#boolean",
                },
            },
            {"s": {"type": "bnode", "value": "b0"}},
        ]
    },
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        server.seen.append((self.headers.get("Authorization"), parse_qs(body)))
        if server.failures:
            server.failures -= 1
            self._send(503, "text/plain", b"busy")
        elif server.require and self.headers.get("Authorization") != server.require:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif "CONSTRUCT" in body:
            nt = b'<https://example.org/a> <https://example.org/p> "x" .\n'
            self._send(200, "application/n-triples", nt)
        elif "ASK" in body:
            self._send(200, "application/sparql-results+json", b'{"boolean": true}')
        elif "BROKEN" in body:
            self._send(400, "text/plain", b"Parse error at line 1")
        else:
            self._send(200, "application/sparql-results+json", json.dumps(SELECT_JSON).encode())

    def _send(self, code, media, data):
        self.send_response(code)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def endpoint():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.seen, httpd.failures, httpd.require = [], 0, None
    # a short poll interval: shutdown() returns within 0.05 s instead of the default 0.5 s
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def url(httpd) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}/sparql"


def test_select_is_parsed_into_the_neutral_model_with_bound_params_and_prologue(endpoint):
    result = Endpoint(url(endpoint)).run(
        "SELECT * WHERE { ?s rdfs:label ?label }", {"s": ox.NamedNode("https://example.org/a")}
    )
    assert isinstance(result, Select)
    assert result.variables == ["s", "label", "n", "flag"]
    assert result.rows[0] == (
        ox.NamedNode("https://example.org/a"),
        ox.Literal("A", language="de"),
        ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
    )
    assert result.rows[1] == (ox.BlankNode("b0"), None, None, None)
    sent = endpoint.seen[0][1]["query"][0]
    # only the prefix the query uses is lent to the endpoint
    assert sent.startswith("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT")
    assert "VALUES (?s) { (<https://example.org/a>) }" in sent


def test_ask_and_construct(endpoint):
    assert Endpoint(url(endpoint)).run("ASK { ?s ?p ?o }") == Ask(True)
    graph = Endpoint(url(endpoint)).run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(graph, Graph)
    assert [str(t) for t in graph.triples] == [
        '<https://example.org/a> <https://example.org/p> "x"'
    ]


def test_5xx_is_retried_with_backoff(endpoint):
    endpoint.failures = 2
    waits: list[float] = []
    result = Endpoint(url(endpoint), sleep=waits.append).run("SELECT * WHERE { ?s ?p ?o }")
    assert len(result.rows) == 2
    assert len(endpoint.seen) == 3
    assert waits == [0.5, 1.0]  # the default backoff, doubled


def test_persistent_5xx_gives_one_error_naming_the_url(endpoint):
    endpoint.failures = 10
    waits: list[float] = []
    with pytest.raises(InputError) as err:
        Endpoint(url(endpoint), retries=2, backoff=0.25, sleep=waits.append).run(
            "SELECT * WHERE { ?s ?p ?o }"
        )
    assert str(err.value).startswith(f"{url(endpoint)}: HTTP 503: busy (after 3 attempts).")
    assert len(endpoint.seen) == 3
    assert waits == [0.25, 0.5]


def test_unreachable_endpoint_is_a_clear_error(cli_run, monkeypatch):
    import socket
    from functools import partial

    from smartcity_kg import remote

    waits: list[float] = []  # the CLI's endpoint, waiting into this list instead of sleeping
    monkeypatch.setattr(remote, "Endpoint", partial(remote.Endpoint, sleep=waits.append))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}/sparql"
    result = cli_run("query", "topic-areas", "--endpoint", endpoint)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {endpoint}: cannot connect (")
    assert "(after 4 attempts). Check the URL and that the server is running" in result.output
    assert "Traceback" not in result.output
    assert waits == [0.5, 1.0, 2.0]


def test_rejected_query_names_source_and_endpoint(endpoint):
    with pytest.raises(InputError, match=r"^q\.rq: the endpoint .* rejected the query \(HTTP 400"):
        Endpoint(url(endpoint)).run("SELECT * WHERE { ?s ?p BROKEN }", source="q.rq")


def test_basic_credentials_are_sent_when_the_server_asks(endpoint, monkeypatch):
    endpoint.require = "Basic dXNlcjpzZWNyZXQ="
    monkeypatch.setenv("SPARQL_AUTH", "user:secret")
    result = Endpoint(url(endpoint), auth=credentials("SPARQL_AUTH")).run("SELECT * WHERE {}")
    assert len(result.rows) == 2
    assert [a for a, _ in endpoint.seen] == [None, "Basic dXNlcjpzZWNyZXQ="]


def test_bearer_token_is_sent(endpoint, monkeypatch):
    endpoint.require = "Bearer t0ken"
    monkeypatch.setenv("SPARQL_AUTH", "Bearer t0ken")
    Endpoint(url(endpoint), auth=credentials("SPARQL_AUTH")).run("SELECT * WHERE {}")
    assert [a for a, _ in endpoint.seen] == ["Bearer t0ken"]


def test_missing_credentials_variable_and_bad_url(cli_run, monkeypatch):
    monkeypatch.delenv("NO_SUCH_VAR", raising=False)
    result = cli_run(
        "query", "topic-areas", "--endpoint", "http://127.0.0.1:1/q", "--auth-env", "NO_SUCH_VAR"
    )
    assert result.exit_code == 2
    assert "--auth-env NO_SUCH_VAR: the environment variable is not set" in result.output
    result = cli_run("query", "topic-areas", "--endpoint", "localhost:7878")
    assert result.exit_code == 2
    assert "give the full http(s) URL of the SPARQL query service" in result.output


def test_query_form_ignores_keywords_in_strings_and_subqueries():
    assert query_form('# ASK\nSELECT * WHERE { { SELECT ?x WHERE {} } "ASK" }') == "SELECT"
    assert query_form("PREFIX a: <x:>\nCONSTRUCT { ?s ?p ?o } WHERE {}") == "CONSTRUCT"
