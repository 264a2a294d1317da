"""The server as clients see it, in-process: the app of ``smartcity-kg serve`` through an
ASGI client (the ``web`` fixtures, tests/inprocess.py) for status codes, headers, formats,
refusals, limits, the named-query API, linked data and updates.

What needs the real processes (a real SPARQL client over a socket, the time limit that kills a
worker, Ctrl-C, every worker seeing a change) is in test_server_process.py.
"""

from __future__ import annotations

import json
import logging

import pytest
import rdflib
from rdflib.compare import isomorphic

from serving import (
    ENERGY_LABELS,
    FIXTURE_THINGS,
    ID,
    MOBILITY,
    TOKEN,
    expected_energy_graph,
)

# --- every query form in every result format ----------------------------------------------


@pytest.mark.parametrize("method", ["GET", "form", "direct"])
def test_select_json_with_every_protocol_method(web, method):
    if method == "GET":
        r = web.get("/sparql", params={"query": FIXTURE_THINGS})
    elif method == "form":
        r = web.post("/sparql", data={"query": FIXTURE_THINGS})
    else:
        headers = {"Content-Type": "application/sparql-query"}
        r = web.post("/sparql", content=FIXTURE_THINGS, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    result = r.json()
    assert result["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Bus-App", "Sensornetz"]
    assert result["results"]["bindings"][0]["label"]["xml:lang"] == "de"


def test_select_csv_and_tsv_by_accept(web):
    csv = web.get("/sparql", params={"query": FIXTURE_THINGS}, headers={"Accept": "text/csv"})
    assert csv.content == b"label\r\nBus-App\r\nSensornetz\r\n"
    tsv = web.get(
        "/sparql",
        params={"query": FIXTURE_THINGS},
        headers={"Accept": "text/tab-separated-values"},
    )
    assert tsv.content == b'?label\n"Bus-App"@de\n"Sensornetz"@de\n'


def test_ask_in_json(web):
    yes = f"ASK {{ <{ID}test/bus-app> sc:hasTopicArea {MOBILITY} }}"
    no = f"ASK {{ <{ID}test/bus-app> sc:hasTopicArea <{ID}topic/bildung> }}"
    answers = [web.get("/sparql", params={"query": q}).json()["boolean"] for q in (yes, no)]
    assert answers == [True, False]


@pytest.mark.parametrize(
    "media, parser",
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")],
)
def test_construct_in_each_rdf_format(web, media, parser):
    r = web.get("/sparql", params={"query": ENERGY_LABELS}, headers={"Accept": media})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert isomorphic(rdflib.Graph().parse(data=r.text, format=parser), expected_energy_graph())


# --- raw HTTP: protocol details ----------------------------------------------------------


def test_construct_ntriples_by_accept(web):
    r = web.get(
        "/sparql",
        params={"query": ENERGY_LABELS},
        headers={"Accept": "application/n-triples"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/n-triples"
    graph = rdflib.Graph().parse(data=r.text, format="nt")
    assert isomorphic(graph, expected_energy_graph())


def test_describe_returns_the_triples_about_a_resource(web):
    r = web.get(
        "/sparql",
        params={"query": f"DESCRIBE <{ID}test/bus-app>"},
        headers={"Accept": "text/turtle"},
    )
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    thing = rdflib.URIRef(ID + "test/bus-app")
    assert set(g.objects(thing, rdflib.RDFS.label)) == {
        rdflib.Literal("Bus-App", lang="de"),
        rdflib.Literal("Bus app", lang="en"),
    }
    assert len(g) == 3


def test_service_description(web):
    r = web.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    service = g.value(predicate=rdflib.RDF.type, object=sd.Service)
    assert g.value(service, sd.endpoint) == rdflib.URIRef(str(web.base_url.join("/sparql")))
    assert set(g.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}
    names = set(g.objects(None, sd.name))
    assert rdflib.URIRef(ID + "graph/digitale-staedte") in names
    assert rdflib.URIRef(web.data_file.resolve().as_uri()) in names


def test_browser_without_query_is_sent_to_the_query_page(web):
    r = web.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 303
    assert r.headers["location"] == "/query"


def test_cors_headers_and_preflight(web):
    r = web.get(
        "/sparql",
        params={"query": FIXTURE_THINGS},
        headers={"Origin": "https://example.org"},
    )
    assert r.headers["access-control-allow-origin"] == "*"
    pre = web.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]


def test_malformed_query_gets_400_with_the_parser_message(web):
    r = web.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    assert r.text == (
        "query:3:2: SPARQL syntax error: expected OPTIONAL. Fix the query and run again.\n"
    )
    assert "Traceback" not in r.text


def test_unknown_page_is_404(web):
    r = web.get("/no/such/page")
    assert r.status_code == 404
    assert r.text == "No page at /no/such/page. The home page / links to everything.\n"


def test_unsupported_content_type_is_415(web):
    r = web.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_every_request_is_logged(web, caplog):
    caplog.set_level(logging.INFO, logger="smartcity_kg.server")
    web.get("/sparql", params={"x": "log-marker", "query": FIXTURE_THINGS})
    lines = [r.getMessage() for r in caplog.records if "log-marker" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].startswith("GET /sparql?x=log-marker&query=") and " 200 " in lines[0]
    assert lines[0].endswith("ms")


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE SILENT <http://example.org/q> { ?s ?p ?o } } }",  # noqa: E501
    ],
)
def test_service_is_refused(web, query):
    r = web.get("/sparql", params={"query": query})
    assert r.status_code == 403
    assert "SERVICE" in r.text and "never sends queries to other endpoints" in r.text


def test_remote_from_is_refused_and_a_local_graph_allowed(web):
    remote = "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }"
    r = web.get("/sparql", params={"query": remote})
    assert r.status_code == 403
    assert "FROM/USING <http://example.org/data.ttl> is refused" in r.text
    local = (
        f"SELECT (COUNT(*) AS ?n) FROM <{web.data_file.resolve().as_uri()}> WHERE {{ ?s ?p ?o }}"
    )
    r = web.get("/sparql", params={"query": local, "format": "csv"})
    assert r.status_code == 200
    assert r.text == "n\r\n7\r\n"


def test_update_is_refused_on_a_read_only_server(web):
    update = f"INSERT DATA {{ <{ID}test/x> <{ID}test/p> 1 }}"
    r = web.post("/sparql", data={"update": update})
    assert r.status_code == 403
    assert "read-only" in r.text
    r = web.post(
        "/sparql",
        content=update,
        headers={"Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 403
    assert web.post("/update", data={"update": update}).status_code == 404
    assert web.get("/rdf-graphs", params={"default": ""}).status_code == 404


def test_update_disguised_as_query_is_refused(web):
    r = web.get("/sparql", params={"query": "LOAD <http://example.org/x.ttl>"})
    assert r.status_code == 403
    assert "read-only" in r.text
    r = web.post("/sparql", data={"query": "LOAD <http://example.org/x.ttl>"})
    assert r.status_code == 403


# --- named-query API ----------------------------------------------------------------------


def test_query_list_as_json(web):
    items = web.get("/queries.json").json()
    by_name = {q["name"]: q for q in items}
    assert by_name["topic-areas"]["title"] == "The Smart City topic areas"
    assert by_name["topic-areas"]["params"] == [
        {
            "name": "lang",
            "type": "lang",
            "default": "de",
            "description": "label language (de or en)",
        }
    ]
    # Paths on this server, never URLs built from the client's Host header.
    assert by_name["topic-areas"]["csv"] == "/queries/topic-areas.csv"
    negotiated = web.get("/queries", headers={"Accept": "application/json"})
    assert negotiated.json() == items


def test_named_query_json_and_csv_with_a_parameter(web):
    r = web.get("/queries/topic-areas.json", params={"lang": "en"})
    assert r.headers["content-type"] == "application/sparql-results+json"
    labels = [b["label"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(labels) == 10 and "Mobility" in labels
    r = web.get("/queries/topic-areas.csv")
    assert r.status_code == 200
    assert f"{ID}topic/mobilitaet,Mobilität\r\n" in r.text


def test_named_query_parameter_is_bound_as_a_term(web):
    attack = 'de") } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER("'
    r = web.get("/queries/topic-areas.json", params={"lang": attack})
    # a lang parameter is a language: anything else is refused before any binding
    assert r.status_code == 400
    assert "unknown language" in r.text and "use de or en" in r.text
    r = web.get("/queries/topic-areas.json", params={"lang": "en"})
    assert len(r.json()["results"]["bindings"]) == 10  # nothing was dropped


def test_named_query_errors(web):
    r = web.get("/queries/topic-area.json")
    assert r.status_code == 404
    assert 'Did you mean "topic-areas"' in r.text
    r = web.get("/queries/topic-areas.json", params={"lnag": "en"})
    assert r.status_code == 400
    assert "has no parameter 'lnag'" in r.text


# --- linked data ----------------------------------------------------------------------------


def test_entity_turtle_and_json_ld(web):
    r = web.get("/id/topic/mobilitaet", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Accept" in r.headers["vary"]
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    node = rdflib.URIRef(ID + "topic/mobilitaet")
    assert rdflib.Literal("Mobilität", lang="de") in set(g.objects(node, rdflib.RDFS.label))
    r = web.get("/id/test/bus-app", headers={"Accept": "application/ld+json"})
    g = rdflib.Graph().parse(data=r.text, format="json-ld")
    assert len(g) == 3
    assert json.loads(r.text)
    by_suffix = web.get("/id/test/bus-app.ttl")
    assert isomorphic(rdflib.Graph().parse(data=by_suffix.text, format="turtle"), g)


def test_entity_html_shows_labels_links_and_provenance(web):
    r = web.get("/id/topic/mobilitaet", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "<title>Mobilität · smartcity-kg</title>" in r.text
    assert 'href="/id/test/bus-app?_lang=de"' in r.text  # incoming link from the --data file
    assert 'href="/id/goal/natur?_lang=de"' in r.text  # outgoing link, in the page language
    english = web.get("/id/topic/mobilitaet", params={"_lang": "en"})
    assert "<title>Mobility · smartcity-kg</title>" in english.text


def test_unknown_entity_is_404(web):
    r = web.get("/id/topic/nirgendwo", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    html = web.get("/id/topic/nirgendwo", headers={"Accept": "text/html"})
    assert html.status_code == 404 and "is not mentioned in this knowledge base" in html.text


# --- updates with a token -------------------------------------------------------------------


def count_test_things(web) -> str:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{ID}test/p> ?o }}"
    return web.get("/sparql", params={"query": query, "format": "csv"}).text


def test_update_needs_the_token(web_update):
    update = f"INSERT DATA {{ <{ID}test/a> <{ID}test/p> 1 }}"
    r = web_update.post("/update", data={"update": update})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    wrong = {"Authorization": "Bearer not-the-token"}
    r = web_update.post("/update", data={"update": update}, headers=wrong)
    assert r.status_code == 401
    assert count_test_things(web_update) == "n\r\n0\r\n"
    right = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    r = web_update.post("/update", content=update, headers=right)
    assert r.status_code == 204
    assert count_test_things(web_update) == "n\r\n1\r\n"


def test_load_is_refused_even_with_the_token(web_update):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    r = web_update.post(
        "/update",
        data={"update": "LOAD <http://example.org/remote.ttl>"},
        headers=headers,
    )
    assert r.status_code == 403
    assert "LOAD <http://example.org/remote.ttl> is refused" in r.text


def test_graph_store_protocol_with_the_token(web_update):
    graph = "https://example.org/graph/uploaded"
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    turtle = f'<{ID}test/up> <http://www.w3.org/2000/01/rdf-schema#label> "hochgeladen"@de .'
    url = "/rdf-graphs"
    assert web_update.put(url, params={"graph": graph}, content=turtle).status_code == 401
    r = web_update.put(url, params={"graph": graph}, content=turtle, headers=headers)
    assert r.status_code == 201
    got = web_update.get(url, params={"graph": graph}, headers={**headers, "Accept": "text/turtle"})
    assert got.status_code == 200
    assert "hochgeladen" in got.text
    assert web_update.delete(url, params={"graph": graph}, headers=headers).status_code == 204
    assert web_update.get(url, params={"graph": graph}, headers=headers).status_code == 404


def test_row_limit_and_download(web_update):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    r = web_update.get("/sparql", params={"query": query})
    assert len(r.json()["results"]["bindings"]) == 5
    assert int(r.headers["x-rows-truncated"]) > 5
    total = int(r.headers["x-rows-truncated"])
    full = web_update.get("/sparql", params={"query": query, "download": "1"})
    assert len(full.json()["results"]["bindings"]) == total
    assert "x-rows-truncated" not in full.headers


def test_update_options_go_together(cli_run, monkeypatch):
    result = cli_run("serve", "--allow-update")
    assert result.exit_code == 2
    assert "--allow-update needs --token-env NAME" in result.output
    result = cli_run("serve", "--token-env", "X")
    assert result.exit_code == 2
    monkeypatch.setenv("SCKG_EMPTY", "")
    result = cli_run("serve", "--allow-update", "--token-env", "SCKG_EMPTY")
    assert result.exit_code == 2
    assert "environment variable SCKG_EMPTY must hold the update token" in result.output


def test_port_in_use_is_a_clear_error(cli_run):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli_run("serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
