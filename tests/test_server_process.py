"""The server as real processes: ``smartcity-kg serve`` on 127.0.0.1 (tests/serving.py) with a
real SPARQL client (SPARQLWrapper) over a socket, the time limit that kills a worker and
replaces it, a change reaching every worker, Ctrl-C, and a bad data file at start.

All of it is ``slow`` (the ``server`` fixture marks it so): ``make test-all`` and CI run it.
The protocol details are tested in-process in test_server.py.
"""

from __future__ import annotations

import signal
import subprocess
import threading
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

from serving import (
    ENERGY_LABELS,
    FIXTURE_THINGS,
    ID,
    MOBILITY,
    TOKEN,
    expected_energy_graph,
    script,
    start_server,
    wait_until,
)

pytestmark = pytest.mark.slow

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


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


# --- limits ---------------------------------------------------------------------------------


def test_slow_query_is_stopped_and_others_are_answered_meanwhile(server):
    finished: list[str] = []
    slow: dict = {}

    sent = threading.Event()

    def run_slow():
        with httpx.Client(timeout=30, event_hooks={"request": [lambda _: sent.set()]}) as c:
            slow["response"] = c.get(server.url + "/sparql", params={"query": SLOW})
        finished.append("slow")

    thread = threading.Thread(target=run_slow)
    thread.start()
    assert sent.wait(timeout=30)  # the slow query is on its way: the fast one goes after it
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


# --- a change reaches every worker -------------------------------------------------------


@pytest.fixture(scope="module")
def update_server(tmp_path_factory):
    options = ("--allow-update", "--token-env", "SCKG_TEST_TOKEN")
    with start_server(
        tmp_path_factory.mktemp("update-server"), *options, env={"SCKG_TEST_TOKEN": TOKEN}
    ) as running:
        yield running


def test_an_acknowledged_update_is_seen_by_every_worker(update_server):
    update = f"INSERT DATA {{ <{ID}test/a> <{ID}test/p> 1 }}"
    right = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    r = httpx.post(update_server.url + "/update", content=update, headers=right)
    assert r.status_code == 204
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{ID}test/p> ?o }}"
    for _ in range(6):  # every worker has the change, whichever answers
        r = httpx.get(update_server.url + "/sparql", params={"query": count, "format": "csv"})
        assert r.text == "n\r\n1\r\n"


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

    def gone() -> bool:
        ps = subprocess.run(["ps", "-o", "pid=", "-p", ",".join(children)], capture_output=True)
        return ps.stdout.split() == []

    # the forkserver notices its parent is gone within moments
    wait_until(gone, "the server's child processes ending", limit=10)


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
