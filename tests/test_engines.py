"""The same named queries on every engine: embedded, persistent store, Oxigraph server, Virtuoso.

Both servers are real processes started here on free 127.0.0.1 ports and stopped afterwards; the
knowledge base reaches them through ``smartcity-kg publish`` run as a subprocess.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from _compare import canonical
from smartcity_kg import open_kg
from smartcity_kg.remote import Endpoint  # count(): what publish checks, tested here
from smartcity_kg.store import load_files  # what 'smartcity-kg load' runs: the setup

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
CLI = str(BIN / "smartcity-kg")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited with {process.returncode}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"the server for {url} did not start within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def publish(url: str, *extra: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CLI, "publish", "--endpoint", url, "--chunk", "400", *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory):
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    server = subprocess.Popen(
        [
            *(str(BIN / "oxigraph"), "serve", "--location", str(location)),
            *("--bind", f"127.0.0.1:{port}", "--union-default-graph"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url, server)
        done = publish(url)
        assert done.returncode == 0, done.stderr
        yield url
    finally:
        stop(server)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 4
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
"""


@pytest.fixture(scope="module")
def virtuoso_url(tmp_path_factory):
    assert shutil.which("virtuoso-t"), (
        "Virtuoso is missing: apt-get install virtuoso-opensource (listed in .ci/apt-packages)"
    )
    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=http))
    server = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http}/sparql"
    try:
        wait_until_up(url, server)
        # the Graph Store endpoint with digest auth needs the SPARQL_UPDATE role
        subprocess.run(
            ["isql-vt", f"127.0.0.1:{sql}", "dba", "dba", "exec=grant SPARQL_UPDATE to dba;"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        env = {"PATH": str(BIN) + ":/usr/bin:/bin", "VIRTUOSO_AUTH": "dba:dba"}
        done = publish(url, "--auth-env", "VIRTUOSO_AUTH", env=env)
        assert done.returncode == 0, done.stderr
        yield url
    finally:
        stop(server)


@pytest.fixture(scope="module")
def store_kg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store") / "kb"
    load_files(folder)
    return open_kg(store=folder)


NAMES = sorted(open_kg().queries())


def answers(kg, name: str):
    """The named query ``name`` with its defaults, through the Python API, made comparable."""
    return canonical(kg.run(name), kg.queries()[name].text)


@pytest.mark.parametrize("name", NAMES)
def test_named_query_same_on_store_and_oxigraph_server(name, kg, store_kg, oxigraph_url):
    expected = answers(kg, name)
    assert answers(store_kg, name) == expected
    assert answers(open_kg(endpoint=oxigraph_url), name) == expected


@pytest.mark.parametrize("name", NAMES)
def test_named_query_same_on_virtuoso(name, kg, virtuoso_url):
    assert answers(open_kg(endpoint=virtuoso_url, timeout=30), name) == answers(kg, name)


def test_publish_verifies_counts_and_replace_does_not_duplicate(kb, oxigraph_url):
    again = publish(oxigraph_url)
    assert again.returncode == 0, again.stderr
    assert Endpoint(oxigraph_url).count() == len(kb)
    for graph in kb.graphs():
        line = next(x for x in again.stdout.splitlines() if x.startswith(graph))
        n = sum(1 for _ in kb.store.quads_for_pattern(None, None, None, _node(graph)))
        assert line.split()[1:] == [str(n), str(n)]


def test_query_cli_on_endpoint_matches_embedded(cli_run, oxigraph_url):
    remote = cli_run("query", "topic-areas", "--endpoint", oxigraph_url, "-f", "csv")
    local = cli_run("query", "topic-areas", "-f", "csv")
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output


def _node(iri: str):
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def test_export_and_analyze_on_an_endpoint_match_embedded(cli_run, oxigraph_url):
    """The endpoint's quads (named graphs kept) give the same export and analysis."""
    export = ("export", "--format", "graphml", "--view", "topics")
    remote = cli_run(*export, "--endpoint", oxigraph_url)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == cli_run(*export).stdout
    matrix = ("analyze", "matrix", "--format", "csv")
    assert cli_run(*matrix, "--endpoint", oxigraph_url).stdout == cli_run(*matrix).stdout


def _bytes(kg, name: str, lang: str) -> str:
    from smartcity_kg.render import render_result  # the CLI's W3C CSV and JSON writers

    result = kg.run(name, {"lang": lang})
    return render_result(result, "csv") + render_result(result, "json")


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", ["darmstadt", "initiatives", "propositions"])
def test_group_concat_cells_are_the_same_bytes_on_every_engine(
    name, lang, kg, store_kg, oxigraph_url, virtuoso_url
):
    """The values inside a GROUP_CONCAT cell come in one order everywhere (SPARQL leaves it
    open, so the queries sort them), and the cell is a plain string everywhere (W3C CSV and
    JSON compared byte for byte)."""
    expected = _bytes(kg, name, lang)
    assert _bytes(store_kg, name, lang) == expected
    assert _bytes(open_kg(endpoint=oxigraph_url), name, lang) == expected
    assert _bytes(open_kg(endpoint=virtuoso_url, timeout=30), name, lang) == expected
