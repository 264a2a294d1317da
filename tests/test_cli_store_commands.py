"""--store works on every command that needs the triples: stats, validate, export, analyze."""

from __future__ import annotations

import json

import pytest

from smartcity_kg.store import load_files


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("stores") / "kb"
    load_files(path)  # the shipped knowledge base
    return path


def test_stats_on_the_store_equals_embedded(cli_run, store):
    on_store = cli_run("stats", "--store", str(store), "--format", "json")
    embedded = cli_run("stats", "--format", "json")
    assert on_store.exit_code == embedded.exit_code == 0
    assert json.loads(on_store.stdout) == json.loads(embedded.stdout)


def test_validate_on_the_store(cli_run, store):
    result = cli_run("validate", "--store", str(store))
    assert result.exit_code == 0
    assert "Conforms" in result.output


def test_export_on_the_store_equals_embedded(cli_run, store):
    on_store = cli_run("export", "--store", str(store), "--format", "graphml", "--view", "topics")
    embedded = cli_run("export", "--format", "graphml", "--view", "topics")
    assert on_store.exit_code == 0
    assert on_store.stdout == embedded.stdout


def test_analyze_on_the_store_equals_embedded(cli_run, store):
    args = ("analyze", "matrix", "--format", "csv")
    assert cli_run(*args, "--store", str(store)).stdout == cli_run(*args).stdout


def test_store_and_data_together_are_refused(cli_run, store, tmp_path):
    extra = tmp_path / "x.ttl"
    extra.write_text("")
    result = cli_run("stats", "--store", str(store), "--data", str(extra))
    assert result.exit_code == 2
    assert "--data cannot be added to --store" in result.output


@pytest.mark.slow
def test_serve_on_the_store(store, tmp_path):
    """A real server whose query workers open the persistent store read-only."""
    import signal
    import subprocess
    import urllib.parse
    import urllib.request

    from serving import free_port, script, wait_until_up

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [script(), "serve", "--port", str(port), "--store", str(store), "--workers", "2"],
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a sc:Municipality }"
        request = urllib.request.Request(
            url + "/sparql?" + urllib.parse.urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            doc = json.load(response)
        assert doc["results"]["bindings"][0]["n"]["value"] == "421"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    assert process.returncode == 0, log.read_text()


def test_serve_store_with_allow_update_is_refused(cli_run, store):
    result = cli_run("serve", "--store", str(store), "--allow-update", "--token-env", "T")
    assert result.exit_code == 2
    assert "read-only" in result.output
