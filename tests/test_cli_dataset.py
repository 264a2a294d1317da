"""``query`` on your own files with W3C dataset semantics, base IRIs and typed parameters."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

EX = "http://example.org/"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "a.ttl").write_text(f'<{EX}a> <{EX}p> "1" .\n<{EX}a> <{EX}q> _:b .\n')
    (tmp_path / "b.ttl").write_text(f'<{EX}a> <{EX}p> "1" .\n<{EX}b> <{EX}p> "2" .\n')
    (tmp_path / "q.rq").write_text(f"SELECT ?o {{ <{EX}a> <{EX}p> ?o }}\n")
    return tmp_path


def query(cli_run, *args: str):
    result = cli_run("query", *args)
    return result.exit_code, result.stdout.replace("\r\n", "\n"), result.stderr


def test_no_shipped_queries_only_the_given_files_and_the_union_is_a_set(cli_run, files):
    code, out, _ = query(
        cli_run, str(files / "q.rq"), "--no-shipped", "--data", str(files / "a.ttl"),
        "--data", str(files / "b.ttl"), "-f", "csv",
    )  # fmt: skip
    assert (code, out) == (0, "o\n1\n")


def test_default_graph_default_sees_only_the_default_data(cli_run, files):
    args = ("--no-shipped", "--default-graph", "default", "--default-data", str(files / "b.ttl"))
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    _, out, _ = query(cli_run, "-e", count, *args, "--data", str(files / "a.ttl"), "-f", "csv")
    assert out == "n\n2\n"
    graphs = "SELECT ?g { GRAPH ?g { } }"
    _, out, _ = query(cli_run, "-e", graphs, *args, "--data", str(files / "a.ttl"), "-f", "csv")
    assert out == f"g\n{(files / 'a.ttl').as_uri()}\n"


def test_a_query_file_resolves_relative_iris_against_itself(cli_run, files):
    (files / "from.rq").write_text("SELECT ?o FROM <b.ttl> { ?s <http://example.org/p> ?o }")
    code, out, _ = query(
        cli_run, str(files / "from.rq"), "--no-shipped", "--data", str(files / "a.ttl"),
        "--data", str(files / "b.ttl"), "-f", "csv",
    )  # fmt: skip
    assert code == 0
    assert sorted(out.split("\n")[1:-1]) == ["1", "2"]


def test_e_resolves_relative_iris_against_the_current_directory(cli_run, files):
    here = os.getcwd()
    os.chdir(files)
    try:
        code, out, _ = query(
            cli_run, "-e", "SELECT (COUNT(*) AS ?n) FROM <a.ttl> { ?s ?p ?o }",
            "--data", "a.ttl", "-f", "csv",
        )  # fmt: skip
    finally:
        os.chdir(here)
    assert (code, out) == (0, "n\n2\n")


def test_csv_writes_blank_nodes_with_their_prefix(cli_run, files):
    code, out, _ = query(
        cli_run, "-e", f"SELECT ?o {{ <{EX}a> <{EX}q> ?o }}", "--no-shipped",
        "--data", str(files / "a.ttl"), "-f", "csv",
    )  # fmt: skip
    assert code == 0 and out.startswith("o\n_:") and len(out.split("\n")) == 3


def test_an_adhoc_query_file_honours_its_param_header(cli_run, files):
    (files / "typed.rq").write_text(
        f"# param: v string 2 -- the value\nSELECT ?s {{ ?s <{EX}p> ?v }}\n"
    )
    base = (str(files / "typed.rq"), "--no-shipped", "--data", str(files / "b.ttl"), "-f", "csv")
    assert query(cli_run, *base)[1] == f"s\n{EX}b\n"  # the default, as a string
    assert query(cli_run, *base, "--param", "v=1")[1] == f"s\n{EX}a\n"


def test_param_values_are_turtle_terms(cli_run, files):
    (files / "typed.ttl").write_text(
        f'<{EX}a> <{EX}v> 1.5 . <{EX}b> <{EX}v> "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> .'
        f' <{EX}c> <{EX}v> "Hessen"@de . <{EX}d> <{EX}v> true . <{EX}e> <{EX}v> <{EX}x> .'
    )
    q = f"SELECT ?s {{ ?s <{EX}v> ?v }}"
    common = ("-e", q, "--no-shipped", "--data", str(files / "typed.ttl"), "-f", "csv")
    for value, subject in [
        ("1.5", "a"), ('"2024"^^xsd:gYear', "b"), ('"Hessen"@de', "c"), ("true", "d"),
        (f"<{EX}x>", "e"),
    ]:  # fmt: skip
        assert query(cli_run, *common, "--param", f"v={value}")[1] == f"s\n{EX}{subject}\n"


def test_store_with_default_data_and_w3c_semantics(cli_run, files, tmp_path):
    store = tmp_path / "store"
    loaded = cli_run(
        "load", "--store", str(store), "--no-shipped", "--default-data", str(files / "b.ttl"),
        str(files / "a.ttl"),
    )  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    _, out, _ = query(cli_run, "-e", count, "--store", str(store), "-f", "csv")
    assert out == "n\n3\n"  # the union as a set: a's two triples and b's second one
    _, out, _ = query(
        cli_run, "-e", count, "--store", str(store), "--default-graph", "default", "-f", "csv"
    )
    assert out == "n\n2\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--no-shipped", "--store", "x"), "--no-shipped chooses the files"),
        (("--default-data", "a.ttl", "--store", "x"), "--default-data chooses the files"),
        (("--default-graph", "default", "--endpoint", "http://127.0.0.1:9/q"), "an endpoint"),
    ],
)
def test_dataset_options_that_cannot_apply_are_refused(cli_run, args, message):
    code, _, err = query(cli_run, "topic-areas", *args)
    assert code == 2 and message in err


def test_a_relative_iri_without_base_names_the_problem():
    from smartcity_kg.dataset import KnowledgeBase
    from smartcity_kg.errors import InputError
    from smartcity_kg.sparql import run

    with pytest.raises(InputError, match=r"the IRI <a> is relative and the query has no base"):
        run(KnowledgeBase.load(shipped=False), "SELECT * { <a> ?p ?o }")
