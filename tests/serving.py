"""Start a real ``smartcity-kg serve`` subprocess on a free port of 127.0.0.1 for tests; the
fixture file it serves and queries with known answers on it (also used in-process)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: A small graph added with --data so tests know exact answers besides the shipped ones.
FIXTURE_TTL = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
@prefix id: <https://w3id.org/smartcity-kg/id/> .

id:test\\/sensor-net rdfs:label "Sensornetz"@de , "Sensor network"@en ;
    sc:hasTopicArea id:topic\\/mobilitaet , id:topic\\/energie-umwelt .
id:test\\/bus-app rdfs:label "Bus-App"@de , "Bus app"@en ;
    sc:hasTopicArea id:topic\\/mobilitaet .
"""

TOKEN = "s3cret-test-token-0123456789"

ID = "https://w3id.org/smartcity-kg/id/"
MOBILITY = f"<{ID}topic/mobilitaet>"
#: the fixture's things in the mobility topic area: Bus-App, Sensornetz (German labels)
FIXTURE_THINGS = f"""
SELECT ?label WHERE {{
  ?thing sc:hasTopicArea {MOBILITY} ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?thing), "{ID}test/") && LANG(?label) = "de")
}} ORDER BY ?label
"""
#: the labels of the fixture's things in energy and environment: see expected_energy_graph
ENERGY_LABELS = f"""
CONSTRUCT {{ ?thing rdfs:label ?label }} WHERE {{
  ?thing sc:hasTopicArea <{ID}topic/energie-umwelt> ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?thing), "{ID}test/"))
}}
"""


def expected_energy_graph():
    import rdflib

    g = rdflib.Graph()
    thing = rdflib.URIRef(ID + "test/sensor-net")
    g.add((thing, rdflib.RDFS.label, rdflib.Literal("Sensornetz", lang="de")))
    g.add((thing, rdflib.RDFS.label, rdflib.Literal("Sensor network", lang="en")))
    return g


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    data_file: Path
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def script() -> str:
    return str(Path(sys.executable).parent / "smartcity-kg")


@contextmanager
def start_server(folder: Path, *extra: str, env: dict | None = None):
    """Yield a running :class:`Server`; stop it with SIGTERM and check it stopped cleanly."""
    data = folder / "fixture.ttl"
    data.write_text(FIXTURE_TTL, encoding="utf-8")
    port = free_port()
    log = folder / f"server-{port}.log"
    args = [script(), "serve", "--port", str(port), "--data", str(data), *extra]
    with log.open("w") as handle:
        process = subprocess.Popen(
            args, stdout=handle, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        yield Server(url, process, data, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
    assert process.returncode == 0, log.read_text()
    assert "server stopped" in log.read_text()


def wait_until(condition, what: str, limit: float = 30) -> None:
    """Poll ``condition()`` until it is true: for state another process changes (its log, its
    children), where there is no event to wait on. Fails naming ``what`` after ``limit`` s."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {limit} s")
        time.sleep(0.02)


def wait_until_up(url: str, process: subprocess.Popen, log: Path, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/sparql", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {limit} s:\n{log.read_text()}")
