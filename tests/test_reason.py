"""Reasoning: the rules on a fixture, the inference a question needs, OWL-RL consistency."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from import_fixture import ID, fixture_data
from smartcity_kg.dataset import KnowledgeBase
from smartcity_kg.reason import INFERRED_GRAPH, add_inferred, infer, owlrl_check

SC = "https://w3id.org/smartcity-kg/ontology#"
KASSEL = ID + "region/06611000"


def fixture_kb(tmp_path) -> KnowledgeBase:
    return KnowledgeBase.load(fixture_data(tmp_path), shipped=False)


def values(triples, s, p) -> set[str]:
    return {t.object.value for t in triples if t.subject.value == s and t.predicate.value == p}


def test_transitive_inverse_subproperty_and_subclass(tmp_path):
    triples = infer(fixture_kb(tmp_path)).triples
    within = values(triples, KASSEL, SC + "within")
    assert within == {ID + "region/066", ID + "region/06"}  # 06611 is stated, not inferred
    assert values(triples, ID + "region/06", SC + "contains") >= {
        ID + "region/064",
        ID + "region/06411000",
        KASSEL,
    }
    geo_within = values(triples, KASSEL, "http://www.opengis.net/ont/geosparql#sfWithin")
    assert geo_within == {ID + "region/06611", ID + "region/066", ID + "region/06"}
    types = values(triples, KASSEL, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert types == {SC + "Region", "http://www.opengis.net/ont/geosparql#Feature"}


def test_nothing_stated_is_repeated_and_stated_graphs_stay_unchanged(tmp_path):
    kb = fixture_kb(tmp_path)
    before = {str(q) for q in kb.quads()}
    inferred = infer(kb).triples
    stated = {(q.subject, q.predicate, q.object) for q in kb.quads()}
    assert not [t for t in inferred if (t.subject, t.predicate, t.object) in stated]
    assert {str(q) for q in kb.quads()} == before


HESSEN_ASK = f"ASK {{ <{ID}region/06> <{SC}contains> <{KASSEL}> }}"


def test_question_needs_the_inference(tmp_path):
    kb = fixture_kb(tmp_path)
    assert kb.run(HESSEN_ASK).answer is False
    add_inferred(kb)
    assert kb.run(HESSEN_ASK).answer is True
    graphs = {
        q.graph_name.value
        for q in kb.store.quads_for_pattern(
            ox.NamedNode(ID + "region/06"), ox.NamedNode(SC + "contains"), ox.NamedNode(KASSEL)
        )
    }
    assert graphs == {INFERRED_GRAPH}


def test_owlrl_finds_an_inconsistency(tmp_path):
    kb = fixture_kb(tmp_path)
    assert owlrl_check(kb).consistent
    kb.add_text(
        f"<{ID}x> a <http://www.w3.org/2002/07/owl#Nothing> .",
        ox.RdfFormat.TURTLE,
        "urn:test",
    )
    report = owlrl_check(kb)
    assert not report.consistent
    assert any("owl:Nothing" in p or "Nothing" in p for p in report.problems)


def test_query_inferred_option_on_shipped_graph(cli_run):
    ask = (
        f"ASK {{ <{ID}region/06> <{SC}contains> <{KASSEL}> . "
        f"<{ID}region/06> <{SC}contains> <{ID}region/06633> }}"
    )
    without = cli_run("query", "-e", ask)
    assert (without.exit_code, without.output.strip()) == (1, "false")
    with_inference = cli_run("query", "-e", ask, "--inferred")
    assert (with_inference.exit_code, with_inference.output.strip()) == (0, "true")


def test_reason_cli_writes_only_inferred_triples(cli_run, tmp_path):
    out = tmp_path / "inferred.ttl"
    result = cli_run("reason", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "OWL 2 RL" not in result.output  # the check runs only when asked for
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    within = ox.NamedNode(SC + "within")
    assert ox.Quad(ox.NamedNode(KASSEL), within, ox.NamedNode(ID + "region/06")) in store
    assert ox.Quad(ox.NamedNode(KASSEL), within, ox.NamedNode(ID + "region/06611")) not in store


@pytest.mark.slow  # owlrl's full closure of the shipped knowledge base takes a minute
def test_reason_cli_checks_the_shipped_graph_with_owlrl(cli_run, tmp_path):
    out = tmp_path / "inferred.ttl"
    result = cli_run("reason", "-o", str(out), "--check-owlrl")
    assert result.exit_code == 0, result.output
    assert "Consistent under OWL 2 RL (owlrl)." in result.output
