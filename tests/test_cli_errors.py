"""Every user error prints one clear line on stderr, exits 2 (or 1 for checks), no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartcity_kg.cli.main import COMMANDS


def assert_clean_error(result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output


def test_sparql_syntax_error_names_line_and_column(cli_run):
    result = cli_run("query", "-e", "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER( }")
    assert_clean_error(result, 2, "Error: -e:3:", "SPARQL syntax error")


def test_syntax_error_position_is_in_the_users_text_when_params_are_bound(cli_run, tmp_path):
    q = tmp_path / "q.rq"
    # one line: the VALUES block is inserted on the same line, before the error
    q.write_text("SELECT ?s WHERE { ?s ?p ?x . FILTER( }", encoding="utf-8")
    unbound = cli_run("query", str(q))
    bound = cli_run("query", str(q), "--param", "x=1")
    assert_clean_error(unbound, 2, f"Error: {q}:1:39:")
    assert bound.output == unbound.output


def test_a_query_that_fails_while_running_leaves_nothing_for_another_thread(cli_run, monkeypatch):
    """The query runs in a thread of its own (so Ctrl-C works); the engine's result object in
    the failed frames must go with that thread: pyoxigraph's are thread-bound, and dropping one
    elsewhere is an error Python can only print ("unsendable ... dropped on another thread")."""
    import gc
    import sys

    unraisable: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: unraisable.append(str(u.exc_value)))
    result = cli_run("query", "-e", "SELECT * WHERE { SERVICE <urn:nowhere> { ?s ?p ?o } }")
    code, output = result.exit_code, result.output
    del result  # it holds the exit's traceback, and through it everything the frames held
    gc.collect()  # an object left behind would be dropped here, in the main thread
    assert unraisable == []
    assert code == 2
    assert output.startswith("Error: -e: the query failed: ")


def test_unknown_query_name_lists_near_matches(cli_run):
    result = cli_run("query", "topic-area")
    assert_clean_error(result, 2, "no named query 'topic-area'", 'Did you mean "topic-areas"')


def test_malformed_turtle_names_file_and_line(cli_run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n')
    result = cli_run("query", "topic-areas", "--data", str(bad))
    assert_clean_error(result, 2, f"Error: {bad}:3:")


def test_missing_data_file_says_so(cli_run, tmp_path):
    result = cli_run("stats", "--data", str(tmp_path / "nope.ttl"))
    assert_clean_error(result, 2, "nope.ttl: no such file")


def test_unknown_extension_lists_formats(cli_run, tmp_path):
    f = tmp_path / "data.xlsx"
    f.write_text("x")
    result = cli_run("stats", "--data", str(f))
    assert_clean_error(result, 2, "unknown RDF file extension '.xlsx'", ".ttl")


def test_missing_query_file(cli_run, tmp_path):
    result = cli_run("query", str(tmp_path / "nope.rq"))
    assert_clean_error(result, 2, "no such query file")


def test_unknown_parameter_of_named_query(cli_run):
    result = cli_run("query", "regions-within", "--param", "regoin=id:region/066")
    assert_clean_error(result, 2, "has no parameter 'regoin'", 'Did you mean "region"')


def test_bad_param_syntax(cli_run):
    result = cli_run("query", "regions-within", "--param", "region")
    assert_clean_error(result, 2, "write it as NAME=VALUE")


def test_bad_param_value_type(cli_run):
    result = cli_run("query", "regions-within", "--param", "region=not an iri")
    assert_clean_error(result, 2, "is not a valid iri")


def test_wrong_format_for_construct(cli_run):
    result = cli_run("query", "-e", "CONSTRUCT WHERE { ?s a sc:TopicArea }", "--format", "csv")
    assert_clean_error(result, 2, "--format csv is for SELECT results")


def test_unknown_command_suggests(cli_run):
    result = cli_run("querys")
    assert_clean_error(result, 2, "No such command 'querys'", '"query"')


def test_ask_false_exits_1(cli_run):
    result = cli_run("query", "-e", "ASK { ?s a sc:NoSuchClass }")
    assert result.exit_code == 1
    assert result.output.strip() == "false"


def test_ask_true_exits_0(cli_run):
    result = cli_run("query", "-e", "ASK { ?s a sc:TopicArea }")
    assert result.exit_code == 0
    assert result.output.strip() == "true"


def test_failed_output_write_leaves_existing_file(cli_run, tmp_path):
    out = tmp_path / "result.csv"
    out.write_text("keep me")
    result = cli_run("query", "-e", "SELECT * WHERE { ", "-o", str(out))
    assert result.exit_code == 2
    assert out.read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["result.csv"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_and_a_readme_section(cli_run, command):
    result = cli_run(command, "--help")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) > 3
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"### `smartcity-kg {command}`" in readme


def test_an_ags_that_cannot_match_is_an_error_naming_the_form(cli_run):
    result = cli_run("query", "region-by-ags", "--param", "ags=0641100")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: value '0641100' is not a valid ags: an Amtlicher Gemeindeschlüssel has 2 (Land), "
        "3 (Regierungsbezirk), 5 (Kreis) or 8 (Gemeinde) digits, e.g. 06411000.\n"
    )
    assert cli_run("query", "region-by-ags", "--param", "ags=066").exit_code == 0
