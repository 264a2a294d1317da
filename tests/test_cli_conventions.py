"""One set of conventions across commands: -o/--output, - for standard input, --lang, and
help with examples (issue 13)."""

from __future__ import annotations

import json
import re

import click
import pytest

from smartcity_kg import languages, open_kg
from smartcity_kg.cli.main import COMMANDS, cli
from smartcity_kg.server.config import ServerConfig

SMALL_TTL = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/a> rdfs:label "Eins"@de , "One"@en ; <http://example.org/p> 1 .
"""


def _commands() -> list[tuple[str, ...]]:
    """Every command path: top-level commands and the subcommands of groups."""
    out = []
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        out.append((name,))
        if isinstance(command, click.Group):
            out += [(name, sub) for sub in command.list_commands(ctx)]
    return out


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_every_commands_help_has_an_example(cli_run, path):
    result = cli_run(*path, "--help")
    assert result.exit_code == 0
    text = result.stdout
    assert re.search(r"^  Examples?:$", text, re.M), text
    after = text.split("Example", 1)[1].splitlines()[1]
    assert after.strip().startswith(("smartcity-kg ", "echo ", "cat ")), after


def test_top_level_help_lists_commands_in_workflow_order_and_every_exit_code(cli_run):
    text = cli_run("--help").stdout
    listed = re.findall(r"^  (\w+)\s{2,}", text.split("Commands:", 1)[1], re.M)
    assert listed == list(COMMANDS)
    assert listed[:4] == ["query", "queries", "validate", "stats"]
    for line in ("0    ok", "1    a check found problems", "2    usage or input error", "130  "):
        assert f"    {line}" in text


# --- -o/--output -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (("queries",), "name,title,parameters"),
        (("stats",), "statements"),
        (("validate",), "focus,path,value,message"),
        (("analyze", "centrality"), "node,label,class,degree,betweenness,pagerank"),
        (("analyze", "gaps"), "gap,node,label"),
        (("analyze", "matrix"), "topic area,"),
    ],
)
def test_o_writes_the_format_of_its_extension(cli_run, tmp_path, args, first_line):
    out = tmp_path / "out.csv"
    result = cli_run(*args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith(first_line)
    assert f"Wrote {out}" in result.stderr


def test_o_dash_is_stdout(cli_run, tmp_path):
    result = cli_run("queries", "-f", "jsonl", "-o", "-")
    assert result.exit_code == 0
    first = json.loads(result.stdout.splitlines()[0])
    assert set(first) == {"name", "title", "parameters"}
    assert not (tmp_path / "-").exists()


def test_explain_writes_its_path_to_o(cli_run, tmp_path):
    out = tmp_path / "path.json"
    result = cli_run("analyze", "explain", "id:topic/mobilitaet", "id:goal/natur", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows and rows[0]["path"] == 1


def test_a_format_that_contradicts_the_extension_is_an_error_and_nothing_is_written(
    cli_run, tmp_path
):
    out = tmp_path / "out.ttl"
    out.write_text("kept\n", encoding="utf-8")
    result = cli_run("export", "--view", "topics", "--format", "graphml", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: format graphml does not match the extension .ttl of {out} (turtle); "
        "use --format turtle, or a file name ending in .graphml.\n"
    )
    assert out.read_text(encoding="utf-8") == "kept\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("stats", "-f", "csv", "-o", "s.json"),
            "Error: format csv does not match the extension .json of s.json (json); use "
            "--format json, or a file name ending in .csv.\n",
        ),
        (
            ("query", "topic-areas", "-f", "csv", "-o", "t.ttl"),
            "Error: format csv does not match the extension .ttl of t.ttl (turtle); use a "
            "file name ending in .csv.\n",
        ),
        (
            ("query", "topic-areas", "-o", "t.ttl"),
            "Error: the extension .ttl of t.ttl is turtle, which this output cannot be written "
            "as; use one of table, csv, tsv, json, jsonl, markdown, xml (--format), or another "
            "file name.\n",
        ),
        (
            ("reason", "-f", "turtle", "-o", "r.nt"),
            "Error: format turtle does not match the extension .nt of r.nt (ntriples); use "
            "--format ntriples, or a file name ending in .ttl.\n",
        ),
        (
            ("analyze", "matrix", "-f", "csv", "-o", "m.svg"),
            "Error: format csv does not match the extension .svg of m.svg (svg); leave out "
            "--format for a picture, or name the file for the table's format.\n",
        ),
        (
            ("diff", "a.ttl", "b.ttl", "-f", "json", "-o", "d.trig"),
            "Error: format json does not match the extension .trig of d.trig (trig); use "
            "--format turtle, or another file name.\n",
        ),
    ],
)
def test_contradictions_between_format_and_extension(cli_run, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli_run(*args)
    assert (result.exit_code, result.stderr) == (2, message)
    assert list(tmp_path.iterdir()) == []


def test_import_takes_o_and_still_the_old_out(cli_run, tmp_path):
    src = tmp_path / "i.csv"
    assert cli_run("template", "initiatives", "-o", str(src)).exit_code == 0
    new = cli_run("import", str(src), "-o", str(tmp_path / "a.ttl"))
    old = cli_run("import", str(src), "--out", str(tmp_path / "b.ttl"))
    assert (new.exit_code, old.exit_code) == (0, 0)
    assert old.stderr.startswith("Warning: --out is deprecated; use -o/--output.\n")
    assert not re.search(r"--out\b", cli_run("import", "--help").stdout)  # hidden
    a = (tmp_path / "a.ttl").read_text(encoding="utf-8")
    assert a == (tmp_path / "b.ttl").read_text(encoding="utf-8")
    dash = cli_run("import", str(src), "-o", "-")
    assert dash.exit_code == 2
    assert "import writes two files" in dash.stderr


# --- "-" reads standard input ----------------------------------------------------------


def test_query_dash_reads_the_query_from_stdin(cli_run):
    result = cli_run(
        "query", "-", "-f", "csv", input="SELECT (COUNT(*) AS ?n) WHERE { ?s a sc:TopicArea }"
    )
    assert (result.exit_code, result.stdout) == (0, "n\n10\n")


def test_data_dash_needs_stdin_format_and_is_its_own_graph(cli_run):
    query = "SELECT ?g ?l WHERE { GRAPH ?g { ?s rdfs:label ?l } } ORDER BY ?l"
    missing = cli_run("query", "-e", query, "--no-shipped", "--data", "-", input=SMALL_TTL)
    assert missing.exit_code == 2
    assert missing.stderr.startswith(
        "Error: standard input (-) has no file extension to tell its format; name it with "
        "--stdin-format (turtle, ntriples, nquads, trig, jsonld, rdfxml, n3).\n"
    )
    result = cli_run(
        "query", "-e", query, "--no-shipped", "--data", "-", "--stdin-format", "turtle",
        "-f", "csv", input=SMALL_TTL,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "g,l"
    assert [line.split(",")[1] for line in lines[1:]] == ["Eins", "One"]
    assert all(line.split(",")[0].endswith("/-") for line in lines[1:])


def test_stdin_format_without_dash_and_a_bad_stdin_are_clear_errors(cli_run):
    lone = cli_run("stats", "--stdin-format", "turtle")
    assert (lone.exit_code, lone.stderr) == (
        2,
        "Error: --stdin-format names the format of '-' (standard input); give --data -.\n",
    )
    bad = cli_run("stats", "--data", "-", "--stdin-format", "turtle", input="<a> <b>")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: <stdin>:1:")


def test_import_dash_reads_the_table_from_stdin(cli_run, tmp_path):
    table = cli_run("template", "initiatives").stdout
    out = tmp_path / "piped.ttl"
    result = cli_run("import", "-", "--stdin-format", "csv", "-o", str(out), input=table)
    assert result.exit_code == 0, result.output
    assert "sc:Initiative" in out.read_text(encoding="utf-8")
    assert "prov:used <file:" in (tmp_path / "piped.prov.ttl").read_text(encoding="utf-8")
    unnamed = cli_run("import", "-", "-o", str(out), input=table)
    assert unnamed.exit_code == 2
    assert "--stdin-format csv, yaml or json" in unnamed.stderr


def test_diff_dash_compares_with_stdin(cli_run, tmp_path):
    old = tmp_path / "old.ttl"
    old.write_text(SMALL_TTL, encoding="utf-8")
    changed = SMALL_TTL.replace("1 .", "2 .")
    result = cli_run("diff", str(old), "-", "--stdin-format", "turtle", input=changed)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[2:] == [
        'http://example.org/a  Eins   -       http://example.org/p  "1"^^xsd:integer',
        'http://example.org/a  Eins   +       http://example.org/p  "2"^^xsd:integer',
    ]
    english = cli_run("diff", str(old), "-", "--stdin-format", "turtle", "--lang", "en",
                      input=changed)  # fmt: skip
    assert "  One  " in english.stdout
    twice = cli_run("diff", "-", "-", "--stdin-format", "turtle", input=changed)
    assert twice.exit_code == 2


# --- one --lang --------------------------------------------------------------------------


def test_one_default_language_everywhere():
    assert languages.DEFAULT == "de"
    assert ServerConfig().lang == languages.DEFAULT
    with_lang = [q for q in open_kg().queries().values() if "lang" in {p.name for p in q.params}]
    assert len(with_lang) == 24  # every named query that prints labels
    for q in with_lang:
        (param,) = [p for p in q.params if p.name == "lang"]
        assert (param.kind, param.default) == ("lang", languages.DEFAULT), q.name


def test_query_lang_is_the_named_querys_lang_parameter(cli_run):
    german = cli_run("query", "topic-areas", "-f", "csv").stdout
    english = cli_run("query", "topic-areas", "--lang", "en", "-f", "csv").stdout
    assert "Mobilität" in german and "Mobility" not in german
    assert "Mobility" in english and "Mobilität" not in english
    assert english == cli_run("query", "topic-areas", "-p", "lang=en", "-f", "csv").stdout
    clash = cli_run("query", "topic-areas", "--lang", "en", "-p", "lang=de")
    assert (clash.exit_code, clash.stderr) == (
        2,
        "Error: --lang en and --param lang=de disagree; give one.\n",
    )
    none = cli_run("query", "regions-within", "--lang", "en")
    assert none.exit_code == 2
    assert "has no parameter 'lang'" in none.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("query", "topic-areas", "--lang", "fr"),
        ("query", "topic-areas", "-p", "lang=fr"),
        ("analyze", "centrality", "--lang", "fr"),
        ("export", "--view", "topics", "--lang", "fr"),
        ("diff", "a.ttl", "b.ttl", "--lang", "fr"),
    ],
)
def test_an_unknown_language_is_one_line_and_exit_2(cli_run, args):
    result = cli_run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith("unknown language 'fr'; use de or en.\n")
    assert result.stderr.count("\n") == 1


def test_the_property_path_of_the_issue_runs(cli_run):
    """``?r a/rdfs:subClassOf* sc:Region`` printed a grammar dump: rdfs was never lent."""
    query = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a/rdfs:subClassOf* sc:Region }"
    direct = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a ?c . ?c rdfs:subClassOf* sc:Region }"
    path = cli_run("query", "-e", query, "-f", "csv")
    assert path.exit_code == 0, path.stderr
    assert path.stdout == cli_run("query", "-e", direct, "-f", "csv").stdout
    assert int(path.stdout.split()[1]) > 400
