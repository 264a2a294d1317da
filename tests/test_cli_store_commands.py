"""--store works on every command that needs the triples: stats, validate, export, analyze."""

from __future__ import annotations

import json

import pytest

from smartcity_kg.persist import load_files


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
