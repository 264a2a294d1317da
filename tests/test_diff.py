"""Diff: grouped by subject with labels, blank nodes by structure, formats and exit codes."""

from __future__ import annotations

import json

import pyoxigraph as ox

from smartcity_kg.diff import ADDED_GRAPH, REMOVED_GRAPH, diff

XSD = "http://www.w3.org/2001/XMLSchema#"

OLD = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:a rdfs:label "Alpha"@de ; ex:p ex:b ; ex:n [ ex:v 1 ; ex:w "x" ] .
ex:b rdfs:label "Beta"@de ; ex:q "old" .
"""
# same graph, other blank-node names and layout, one change on ex:b, one triple added to ex:c
NEW = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
_:z <http://example.org/w> "x" ; <http://example.org/v> 1 .
ex:b ex:q "new" ; rdfs:label "Beta"@de .
ex:a ex:n _:z ; ex:p ex:b ; rdfs:label "Alpha"@de .
ex:c ex:r ex:a .
"""
SAME_WITH_OTHER_BNODES = OLD.replace('[ ex:v 1 ; ex:w "x" ]', '_:q .\n_:q ex:w "x" ; ex:v 1')


def files(tmp_path, old=OLD, new=NEW):
    a, b = tmp_path / "old.ttl", tmp_path / "new.ttl"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    return a, b


def test_changes_grouped_by_subject_with_labels(tmp_path):
    result = diff(*files(tmp_path))
    assert [(c.subject, c.label, c.added, c.removed) for c in result.subjects] == [
        ("<http://example.org/b>", "Beta", [("<http://example.org/q>", '"new"')],
         [("<http://example.org/q>", '"old"')]),
        ("<http://example.org/c>", None, [("<http://example.org/r>", "<http://example.org/a>")],
         []),
    ]  # fmt: skip


def test_isomorphic_files_are_equal(tmp_path):
    assert diff(*files(tmp_path, OLD, SAME_WITH_OTHER_BNODES)).equal


def test_changed_blank_node_shows_as_removed_and_added(tmp_path):
    result = diff(*files(tmp_path, OLD, OLD.replace("ex:v 1", "ex:v 2")))
    [change] = result.subjects
    assert change.subject.startswith("_:")
    assert change.added == [("<http://example.org/v>", f'"2"^^<{XSD}integer>')]
    assert change.removed == [("<http://example.org/v>", f'"1"^^<{XSD}integer>')]


def test_cli_exit_codes_and_formats(cli_run, tmp_path):
    old, new = files(tmp_path)
    same = cli_run("diff", str(old), str(old))
    assert same.exit_code == 0
    table = cli_run("diff", str(old), str(new))
    assert table.exit_code == 1
    lines = table.output.splitlines()
    assert lines[0].split() == ["subject", "label", "change", "predicate", "object"]
    assert lines[2].split() == [
        "http://example.org/b",
        "Beta",
        "-",
        "http://example.org/q",
        '"old"',
    ]
    assert lines[3].split() == [
        "http://example.org/b",
        "Beta",
        "+",
        "http://example.org/q",
        '"new"',
    ]
    assert "2 added, 1 removed triple(s) on 2 subject(s)." in table.output

    as_json = cli_run(
        "diff", str(old), str(new), "--format", "json", "-o", str(tmp_path / "d.json")
    )
    assert as_json.exit_code == 1
    data = json.loads((tmp_path / "d.json").read_text())
    assert (data["equal"], data["added"], data["removed"]) == (False, 2, 1)

    trig = cli_run("diff", str(old), str(new), "--format", "turtle", "-o", str(tmp_path / "d.trig"))
    assert trig.exit_code == 1
    store = ox.Store()
    store.load(path=str(tmp_path / "d.trig"), format=ox.RdfFormat.TRIG)
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(ADDED_GRAPH)))) == 2
    assert len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(REMOVED_GRAPH)))) == 1


def test_cli_bad_file_is_an_input_error(cli_run, tmp_path):
    old, _ = files(tmp_path)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/p> .\n")
    result = cli_run("diff", str(old), str(bad))
    assert result.exit_code == 2
    assert f"Error: {bad}:1:" in result.output
