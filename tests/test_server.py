"""The server as clients see it: a real ``smartcity-kg serve`` on 127.0.0.1, a real SPARQL
client (SPARQLWrapper) and raw HTTP (httpx) for status codes, headers, refusals and limits."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
import xml.dom.minidom

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from serving import TOKEN, script, start_server

pytestmark = pytest.mark.slow

ID = "https://w3id.org/smartcity-kg/id/"
MOBILITY = f"<{ID}topic/mobilitaet>"
FIXTURE_THINGS = f"""
SELECT ?label WHERE {{
  ?thing sc:hasTopicArea {MOBILITY} ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?thing), "{ID}test/") && LANG(?label) = "de")
}} ORDER BY ?label
"""
ENERGY_LABELS = f"""
CONSTRUCT {{ ?thing rdfs:label ?label }} WHERE {{
  ?thing sc:hasTopicArea <{ID}topic/energie-umwelt> ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?thing), "{ID}test/"))
}}
"""
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def expected_energy_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    thing = rdflib.URIRef(ID + "test/sensor-net")
    g.add((thing, rdflib.RDFS.label, rdflib.Literal("Sensornetz", lang="de")))
    g.add((thing, rdflib.RDFS.label, rdflib.Literal("Sensor network", lang="en")))
    return g


def client(server, fmt, query, method=None) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method == "form":
        sparql.setMethod(POST)
    elif method == "direct":
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


# --- SPARQLWrapper: every query form in every result format --------------------------------


@pytest.mark.parametrize("method", [None, "form", "direct"])
def test_select_json_with_every_protocol_method(server, method):
    result = client(server, JSON, FIXTURE_THINGS, method).queryAndConvert()
    assert result["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Bus-App", "Sensornetz"]
    assert result["results"]["bindings"][0]["label"]["xml:lang"] == "de"


def test_select_xml(server):
    doc = client(server, XML, FIXTURE_THINGS).queryAndConvert()
    assert isinstance(doc, xml.dom.minidom.Document)
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert literals == ["Bus-App", "Sensornetz"]


def test_select_csv_and_tsv(server):
    assert (
        client(server, CSV, FIXTURE_THINGS).queryAndConvert()
        == b"label\r\nBus-App\r\nSensornetz\r\n"
    )
    tsv = client(server, TSV, FIXTURE_THINGS).queryAndConvert()
    assert tsv == b'?label\n"Bus-App"@de\n"Sensornetz"@de\n'


def test_select_shipped_topic_areas(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?t a sc:TopicArea }"
    result = client(server, JSON, query).queryAndConvert()
    assert result["results"]["bindings"][0]["n"]["value"] == "10"


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(server, fmt):
    yes = f"ASK {{ <{ID}test/bus-app> sc:hasTopicArea {MOBILITY} }}"
    no = f"ASK {{ <{ID}test/bus-app> sc:hasTopicArea <{ID}topic/bildung> }}"
    answers = []
    for query in (yes, no):
        converted = client(server, fmt, query).queryAndConvert()
        if fmt == JSON:
            answers.append(converted["boolean"])
        else:
            answers.append(converted.getElementsByTagName("boolean")[0].firstChild.data == "true")
    assert answers == [True, False]


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_construct_in_each_rdf_format(server, fmt):
    converted = client(server, fmt, ENERGY_LABELS).queryAndConvert()
    if isinstance(converted, bytes):
        graph = rdflib.Graph().parse(data=converted, format="turtle")
    else:
        graph = converted
    assert isomorphic(graph, expected_energy_graph())


# --- raw HTTP: protocol details ----------------------------------------------------------


def test_construct_ntriples_by_accept(server):
    r = httpx.get(
        server.url + "/sparql",
        params={"query": ENERGY_LABELS},
        headers={"Accept": "application/n-triples"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/n-triples"
    graph = rdflib.Graph().parse(data=r.text, format="nt")
    assert isomorphic(graph, expected_energy_graph())


def test_describe_returns_the_triples_about_a_resource(server):
    r = httpx.get(
        server.url + "/sparql",
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


def test_service_description(server):
    r = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    service = g.value(predicate=rdflib.RDF.type, object=sd.Service)
    assert g.value(service, sd.endpoint) == rdflib.URIRef(server.url + "/sparql")
    assert set(g.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}
    names = set(g.objects(None, sd.name))
    assert rdflib.URIRef(ID + "graph/digitale-staedte") in names
    assert rdflib.URIRef(server.data_file.resolve().as_uri()) in names


def test_browser_without_query_is_sent_to_the_query_page(server):
    r = httpx.get(server.url + "/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 303
    assert r.headers["location"] == "/query"


def test_cors_headers_and_preflight(server):
    r = httpx.get(
        server.url + "/sparql",
        params={"query": FIXTURE_THINGS},
        headers={"Origin": "https://example.org"},
    )
    assert r.headers["access-control-allow-origin"] == "*"
    pre = httpx.options(
        server.url + "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]


def test_malformed_query_gets_400_with_the_parser_message(server):
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    assert r.text == (
        "query:3:2: SPARQL syntax error: expected OPTIONAL. Fix the query and run again.\n"
    )
    assert "Traceback" not in r.text


def test_unknown_page_is_404(server):
    r = httpx.get(server.url + "/no/such/page")
    assert r.status_code == 404
    assert r.text == "No page at /no/such/page. The home page / links to everything.\n"


def test_unsupported_content_type_is_415(server):
    r = httpx.post(server.url + "/sparql", content=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_every_request_is_logged(server):
    httpx.get(server.url + "/sparql", params={"x": "log-marker", "query": FIXTURE_THINGS})
    time.sleep(0.2)
    lines = [line for line in server.log.read_text().splitlines() if "log-marker" in line]
    assert len(lines) == 1
    assert " GET /sparql?" in lines[0] and " 200 " in lines[0] and lines[0].endswith("ms")


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE SILENT <http://example.org/q> { ?s ?p ?o } } }",  # noqa: E501
    ],
)
def test_service_is_refused(server, query):
    r = httpx.get(server.url + "/sparql", params={"query": query})
    assert r.status_code == 403
    assert "SERVICE" in r.text and "never sends queries to other endpoints" in r.text


def test_remote_from_is_refused_and_a_local_graph_allowed(server):
    remote = "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }"
    r = httpx.get(server.url + "/sparql", params={"query": remote})
    assert r.status_code == 403
    assert "FROM/USING <http://example.org/data.ttl> is refused" in r.text
    local = (
        f"SELECT (COUNT(*) AS ?n) FROM <{server.data_file.resolve().as_uri()}> WHERE {{ ?s ?p ?o }}"
    )
    r = httpx.get(server.url + "/sparql", params={"query": local, "format": "csv"})
    assert r.status_code == 200
    assert r.text == "n\r\n7\r\n"


def test_update_is_refused_on_a_read_only_server(server):
    update = f"INSERT DATA {{ <{ID}test/x> <{ID}test/p> 1 }}"
    r = httpx.post(server.url + "/sparql", data={"update": update})
    assert r.status_code == 403
    assert "read-only" in r.text
    r = httpx.post(
        server.url + "/sparql",
        content=update,
        headers={"Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 403
    assert httpx.post(server.url + "/update", data={"update": update}).status_code == 404
    assert httpx.get(server.url + "/rdf-graphs", params={"default": ""}).status_code == 404


def test_update_disguised_as_query_is_refused(server):
    r = httpx.get(server.url + "/sparql", params={"query": "LOAD <http://example.org/x.ttl>"})
    assert r.status_code == 403
    assert "read-only" in r.text
    r = httpx.post(server.url + "/sparql", data={"query": "LOAD <http://example.org/x.ttl>"})
    assert r.status_code == 403


# --- limits ---------------------------------------------------------------------------------


def test_slow_query_is_stopped_and_others_are_answered_meanwhile(server):
    finished: list[str] = []
    slow: dict = {}

    def run_slow():
        slow["response"] = httpx.get(server.url + "/sparql", params={"query": SLOW}, timeout=30)
        finished.append("slow")

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    fast = httpx.get(server.url + "/sparql", params={"query": FIXTURE_THINGS, "format": "csv"})
    finished.append("fast")
    thread.join()
    assert fast.status_code == 200 and fast.text == "label\r\nBus-App\r\nSensornetz\r\n"
    assert finished == ["fast", "slow"]
    assert slow["response"].status_code == 503
    assert slow["response"].text.startswith("The query was stopped after 2 s")
    assert slow["response"].headers["retry-after"] == "1"
    # the killed worker is replaced: the server keeps answering
    for _ in range(4):
        again = httpx.get(server.url + "/sparql", params={"query": FIXTURE_THINGS}, timeout=30)
        assert again.status_code == 200


# --- named-query API ----------------------------------------------------------------------


def test_query_list_as_json(server):
    items = httpx.get(server.url + "/queries.json").json()
    by_name = {q["name"]: q for q in items}
    assert by_name["topic-areas"]["title"] == "The Smart City topic areas"
    assert by_name["topic-areas"]["params"] == [
        {
            "name": "lang",
            "type": "string",
            "default": "de",
            "description": "label language (de or en)",
        }
    ]
    # Paths on this server, never URLs built from the client's Host header.
    assert by_name["topic-areas"]["csv"] == "/queries/topic-areas.csv"
    negotiated = httpx.get(server.url + "/queries", headers={"Accept": "application/json"})
    assert negotiated.json() == items


def test_named_query_json_and_csv_with_a_parameter(server):
    r = httpx.get(server.url + "/queries/topic-areas.json", params={"lang": "en"})
    assert r.headers["content-type"] == "application/sparql-results+json"
    labels = [b["label"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(labels) == 10 and "Mobility" in labels
    r = httpx.get(server.url + "/queries/topic-areas.csv")
    assert r.status_code == 200
    assert f"{ID}topic/mobilitaet,Mobilität\r\n" in r.text


def test_named_query_parameter_is_bound_as_a_term(server):
    attack = 'de") } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o FILTER("'
    r = httpx.get(server.url + "/queries/topic-areas.json", params={"lang": attack})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == []


def test_named_query_errors(server):
    r = httpx.get(server.url + "/queries/topic-area.json")
    assert r.status_code == 404
    assert 'Did you mean "topic-areas"' in r.text
    r = httpx.get(server.url + "/queries/topic-areas.json", params={"lnag": "en"})
    assert r.status_code == 400
    assert "has no parameter 'lnag'" in r.text


# --- linked data ----------------------------------------------------------------------------


def test_entity_turtle_and_json_ld(server):
    r = httpx.get(server.url + "/id/topic/mobilitaet", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "Accept" in r.headers["vary"]
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    node = rdflib.URIRef(ID + "topic/mobilitaet")
    assert rdflib.Literal("Mobilität", lang="de") in set(g.objects(node, rdflib.RDFS.label))
    r = httpx.get(server.url + "/id/test/bus-app", headers={"Accept": "application/ld+json"})
    g = rdflib.Graph().parse(data=r.text, format="json-ld")
    assert len(g) == 3
    assert json.loads(r.text)
    by_suffix = httpx.get(server.url + "/id/test/bus-app.ttl")
    assert isomorphic(rdflib.Graph().parse(data=by_suffix.text, format="turtle"), g)


def test_entity_html_shows_labels_links_and_provenance(server):
    r = httpx.get(server.url + "/id/topic/mobilitaet", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "<title>Mobilität · smartcity-kg</title>" in r.text
    assert 'href="/id/test/bus-app?_lang=de"' in r.text  # incoming link from the --data file
    assert 'href="/id/goal/natur?_lang=de"' in r.text  # outgoing link, in the page language
    english = httpx.get(server.url + "/id/topic/mobilitaet", params={"_lang": "en"})
    assert "<title>Mobility · smartcity-kg</title>" in english.text


def test_unknown_entity_is_404(server):
    r = httpx.get(server.url + "/id/topic/nirgendwo", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    html = httpx.get(server.url + "/id/topic/nirgendwo", headers={"Accept": "text/html"})
    assert html.status_code == 404 and "is not mentioned in this knowledge base" in html.text


# --- updates with a token -------------------------------------------------------------------


@pytest.fixture(scope="module")
def update_server(tmp_path_factory):
    options = ("--allow-update", "--token-env", "SCKG_TEST_TOKEN", "--max-rows", "5")
    with start_server(
        tmp_path_factory.mktemp("update-server"), *options, env={"SCKG_TEST_TOKEN": TOKEN}
    ) as running:
        yield running


def count_test_things(server) -> str:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{ID}test/p> ?o }}"
    return httpx.get(server.url + "/sparql", params={"query": query, "format": "csv"}).text


def test_update_needs_the_token(update_server):
    update = f"INSERT DATA {{ <{ID}test/a> <{ID}test/p> 1 }}"
    r = httpx.post(update_server.url + "/update", data={"update": update})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    wrong = {"Authorization": "Bearer not-the-token"}
    r = httpx.post(update_server.url + "/update", data={"update": update}, headers=wrong)
    assert r.status_code == 401
    assert count_test_things(update_server) == "n\r\n0\r\n"
    right = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    r = httpx.post(update_server.url + "/update", content=update, headers=right)
    assert r.status_code == 204
    # every worker has the change, whichever answers
    for _ in range(6):
        assert count_test_things(update_server) == "n\r\n1\r\n"


def test_load_is_refused_even_with_the_token(update_server):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.post(
        update_server.url + "/update",
        data={"update": "LOAD <http://example.org/remote.ttl>"},
        headers=headers,
    )
    assert r.status_code == 403
    assert "LOAD <http://example.org/remote.ttl> is refused" in r.text


def test_graph_store_protocol_with_the_token(update_server):
    graph = "https://example.org/graph/uploaded"
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    turtle = f'<{ID}test/up> <http://www.w3.org/2000/01/rdf-schema#label> "hochgeladen"@de .'
    url = update_server.url + "/rdf-graphs"
    assert httpx.put(url, params={"graph": graph}, content=turtle).status_code == 401
    r = httpx.put(url, params={"graph": graph}, content=turtle, headers=headers)
    assert r.status_code == 201
    got = httpx.get(url, params={"graph": graph}, headers={**headers, "Accept": "text/turtle"})
    assert got.status_code == 200
    assert "hochgeladen" in got.text
    assert httpx.delete(url, params={"graph": graph}, headers=headers).status_code == 204
    assert httpx.get(url, params={"graph": graph}, headers=headers).status_code == 404


def test_row_limit_and_download(update_server):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    r = httpx.get(update_server.url + "/sparql", params={"query": query})
    assert len(r.json()["results"]["bindings"]) == 5
    assert int(r.headers["x-rows-truncated"]) > 5
    total = int(r.headers["x-rows-truncated"])
    full = httpx.get(update_server.url + "/sparql", params={"query": query, "download": "1"})
    assert len(full.json()["results"]["bindings"]) == total
    assert "x-rows-truncated" not in full.headers


# --- start and stop ----------------------------------------------------------------------


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    with start_server(tmp_path) as running:
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(running.process.pid)],
            capture_output=True,
            text=True,
        ).stdout.split()
        assert children  # the forkserver and its helpers
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(timeout=20) == 0
    for _ in range(100):  # the forkserver notices its parent is gone within moments
        alive = subprocess.run(["ps", "-o", "pid=", "-p", ",".join(children)], capture_output=True)
        if not alive.stdout.split():
            break
        time.sleep(0.1)
    assert alive.stdout.split() == []


def test_bad_data_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = subprocess.run(
        [script(), "serve", "--port", "0", "--data", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {bad}:1:")
    assert "Traceback" not in result.stderr


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
