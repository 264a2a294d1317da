"""The persistent store: bulk load, named graphs kept, locking, and a loader killed mid-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _compare import canonical
from smartcity_kg import InputError, open_kg
from smartcity_kg.store import load_files, open_store  # the store's own pieces, tested here

FIXTURE = """\
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/a> a sc:Initiative ; rdfs:label "A"@de .
<https://example.org/b> a sc:Initiative ; rdfs:label "B"@de .
"""
QUADS = '<https://example.org/c> <https://example.org/p> "c" <https://example.org/g1> .\n'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a sc:Initiative }"


@pytest.fixture
def fixture_files(tmp_path: Path) -> list[Path]:
    ttl = tmp_path / "initiatives.ttl"
    ttl.write_text(FIXTURE, encoding="utf-8")
    nq = tmp_path / "extra.nq"
    nq.write_text(QUADS, encoding="utf-8")
    return [ttl, nq]


def test_load_keeps_named_graphs_and_reload_replaces(tmp_path, fixture_files):
    store = tmp_path / "store"
    report = load_files(store, fixture_files, shipped=False)
    assert report.quads == 5
    kg = open_kg(store=store)
    graphs = kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert graphs.column("g") == [fixture_files[0].resolve().as_uri(), "https://example.org/g1"]
    assert kg.run(COUNT).values() == [("2",)]
    del kg
    fixture_files[0].write_text(FIXTURE.split("<https://example.org/b>")[0], encoding="utf-8")
    report = load_files(store, fixture_files[:1], shipped=False)
    assert report.quads == 3  # the file's graph was replaced, not added to
    assert open_kg(store=store).run(COUNT).values() == [("1",)]


def test_every_named_query_answers_the_same_on_the_store(tmp_path, kg):
    store = tmp_path / "store"
    load_files(store)
    disk = open_kg(store=store)
    assert disk.stats().triples == kg.stats().triples
    for name, query in kg.queries().items():
        assert canonical(disk.run(name), query.text) == canonical(kg.run(name), query.text), name


def test_readers_share_the_store_and_a_loader_is_refused_while_they_read(tmp_path, fixture_files):
    store = tmp_path / "store"
    load_files(store, fixture_files, shipped=False)
    (first, _lock1), (second, _lock2) = open_store(store), open_store(store)
    assert len(first) == len(second) == 5
    with pytest.raises(InputError, match="the store is open in another process"):
        load_files(store, fixture_files, shipped=False)


def test_not_a_store_and_a_non_empty_folder_are_clear_errors(tmp_path, fixture_files):
    with pytest.raises(InputError, match="not a smartcity-kg store; create it with"):
        open_kg(store=tmp_path / "missing").stats()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("x")
    with pytest.raises(InputError, match="not empty and is not a store"):
        load_files(tmp_path / "busy", fixture_files, shipped=False)


def test_cli_load_then_query_the_store(tmp_path, cli_run, fixture_files):
    store = tmp_path / "store"
    result = cli_run("load", "--store", str(store), "--no-shipped", *map(str, fixture_files))
    assert result.exit_code == 0, result.output
    assert f"Loaded 2 file(s) into {store}: 5 quads in the store." in result.output
    result = cli_run("query", "--store", str(store), "-e", COUNT, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == "n\n2\n"


def test_cli_load_names_file_line_and_column_of_a_syntax_error(tmp_path, cli_run):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://example.org/a> <https://example.org/p> .\n", encoding="utf-8")
    result = cli_run("load", "--store", str(tmp_path / "s"), "--no-shipped", str(bad))
    assert result.exit_code == 2
    assert f"Error: {bad}:1:" in result.output
    assert "Traceback" not in result.output


def test_cli_store_with_data_is_refused(tmp_path, cli_run, fixture_files):
    result = cli_run(
        "query", "topic-areas", "--store", str(tmp_path), "--data", str(fixture_files[0])
    )
    assert result.exit_code == 2
    assert "--data cannot be added to --store" in result.output


def _big_ntriples(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(f'<https://example.org/s{i}> <https://example.org/p{i % 7}> "value {i}" .\n')


@pytest.mark.slow
def test_loader_killed_mid_way_leaves_a_readable_store(tmp_path, kg):
    big = tmp_path / "big.nt"
    _big_ntriples(big, 500_000)
    store = tmp_path / "store"
    load_files(store, [])  # the shipped knowledge base, loaded to completion
    before = set(store.iterdir())
    exe = Path(sys.executable).parent / "smartcity-kg"
    loader = subprocess.Popen(
        [str(exe), "load", "--no-shipped", "--store", str(store), str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # wait until the loader is inside the big file: it has started writing new files
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not set(store.glob("*.sst")) - before:
        time.sleep(0.02)
    assert loader.poll() is None, "the loader finished before it could be killed"
    with pytest.raises(InputError, match="being written by 'smartcity-kg load'"):
        open_store(store)
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()

    disk = open_kg(store=store)
    text = kg.queries()["topic-areas"].text
    assert canonical(disk.run("topic-areas"), text) == canonical(kg.run("topic-areas"), text)
    del disk
    # and the store can be loaded into again, to completion
    report = load_files(store, [big])
    assert report.quads == kg.stats().triples + 500_000
