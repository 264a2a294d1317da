"""The one format registry: the CLI's choices, the server's negotiation and the file extensions
all come from it, and its look-ups give exact answers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from smartcity_kg import InputError, formats


def choices(command, option: str = "fmt") -> tuple[str, ...]:
    return tuple(next(p for p in command.params if p.name == option).type.choices)


def test_cli_choices_come_from_the_registry():
    from smartcity_kg.cli.query import query
    from smartcity_kg.cli.stats import stats
    from smartcity_kg.cli.validate import validate

    table = ("table", "csv", "tsv", "json", "jsonl", "markdown")
    assert formats.names(formats.TABLE) == table
    assert choices(stats) == choices(validate) == table
    assert choices(query) == (*table, "xml", "turtle", "ntriples", "jsonld", "rdfxml")


def test_negotiation_maps_come_from_the_registry():
    from smartcity_kg.server.negotiate import GRAPH_TYPES, MEDIA, RESULT_TYPES

    assert RESULT_TYPES == {
        "text/csv": "csv",
        "text/tab-separated-values": "tsv",
        "application/sparql-results+json": "json",
        "application/json": "json",
        "application/sparql-results+xml": "xml",
        "application/xml": "xml",
        "text/xml": "xml",
    }
    assert GRAPH_TYPES["text/turtle"] == "turtle"
    assert GRAPH_TYPES["application/json"] == "jsonld"
    assert GRAPH_TYPES["application/xml"] == "rdfxml"
    assert MEDIA["csv"] == "text/csv; charset=utf-8"
    assert MEDIA["ntriples"] == "application/n-triples"


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("json", formats.SELECT, "json"),
        ("json", formats.GRAPH, "jsonld"),
        ("XML", formats.GRAPH, "rdfxml"),
        ("application/sparql-results+json", formats.SELECT, "json"),
        ("text/turtle", formats.GRAPH, "turtle"),
        ("n3", formats.GRAPH, "turtle"),
        ("table", formats.SELECT, None),  # not a protocol format
        ("csv", formats.GRAPH, None),
    ],
)
def test_format_parameter_values(value, kind, expected):
    assert formats.by_value(value, kind) == expected


@pytest.mark.parametrize(
    ("path", "kind", "expected"),
    [
        ("g.cytoscape.json", formats.EXPORT, "cytoscape"),
        ("g.json", formats.EXPORT, "jsonld"),
        ("data.TTL", formats.INPUT, "turtle"),
        ("onto.owl", formats.INPUT, "rdfxml"),
        ("notes.txt", formats.INPUT, None),
    ],
)
def test_extensions(path, kind, expected):
    found = formats.by_extension(path, kind)
    assert (found.name if found else None) == expected


def test_every_rdf_format_is_one_pyoxigraph_knows():
    for f in formats.REGISTRY:
        if f.rdf:
            assert isinstance(f.ox(), ox.RdfFormat), f.name
            assert f.media[0] == f.ox().media_type, f.name


def test_check_names_the_choices():
    with pytest.raises(InputError) as err:
        formats.check("yaml", formats.TABLE)
    assert err.value.message == (
        "unknown format 'yaml'; use one of table, csv, tsv, json, jsonl, markdown."
    )


def test_readme_help_and_errors_list_the_same_rdf_extensions(cli_run, tmp_path):
    from pathlib import Path

    listed = " ".join(formats.extensions(formats.INPUT))
    assert listed == ".ttl .turtle .nt .nq .trig .jsonld .json .rdf .owl .xml .n3"
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"**`--data FILE`** (repeatable) adds your own RDF files (`{listed}`," in readme
    help_text = " ".join(cli_run("stats", "--help").output.split())
    assert f"format by extension: {listed})" in help_text
    bad = tmp_path / "notes.xlsx"
    bad.write_text("x", encoding="utf-8")
    result = cli_run("stats", "--data", str(bad))
    assert result.exit_code == 2
    assert result.stderr.endswith(f"unknown RDF file extension '.xlsx'; use one of {listed}.\n")


def test_serve_offers_no_option_it_would_refuse(cli_run):
    text = cli_run("serve", "--help").output
    assert "--endpoint" not in text and "--auth-env" not in text
    assert "--data" in text and "--store" in text
