"""Parameter binding: values arrive as one RDF term, whatever characters they hold."""

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_kg.binding import bind, body_start, prefixes_used, variables
from smartcity_kg.errors import InputError
from smartcity_kg.sparql import Select, run, term
from smartcity_kg.store import KnowledgeBase

EX = "http://example.org/"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb = KnowledgeBase.load(shipped=False)
    kb.add_text(
        f"""<{EX}a> <{EX}name> "Alpha" ; <{EX}in> <{EX}x> .
            <{EX}b> <{EX}name> "Beta" ; <{EX}in> <{EX}x> .
            <{EX}c> <{EX}name> "Gamma" ; <{EX}in> <{EX}y> .""",
        ox.RdfFormat.TURTLE,
        f"{EX}g",
    )
    return kb


def test_binds_a_variable_that_is_not_projected(kb):
    q = f"SELECT ?name WHERE {{ ?s <{EX}in> ?region ; <{EX}name> ?name }} ORDER BY ?name"
    result = run(kb, q, {"region": ox.NamedNode(f"{EX}x")})
    assert result.values() == [("Alpha",), ("Beta",)]


def test_binds_inside_group_by_queries(kb):
    q = f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s <{EX}in> ?region }}"
    assert run(kb, q, {"region": ox.NamedNode(f"{EX}y")}).values() == [("1",)]


def test_injection_attempt_is_one_literal(kb):
    evil = 'x" } ; DROP ALL ; #'
    q = f"SELECT ?s WHERE {{ ?s <{EX}name> ?name }}"
    sent = bind(q, {"name": ox.Literal(evil)})
    assert run(kb, q, {"name": ox.Literal(evil)}).rows == []
    assert "DROP ALL" in sent and sent.count("{") == q.count("{") + 1
    assert len(kb) == 6


def test_construct_binds_in_where_not_template(kb):
    q = f"CONSTRUCT {{ ?s <{EX}p> ?o }} WHERE {{ ?s <{EX}in> ?o }}"
    at = body_start(q)
    assert q[:at].endswith("WHERE {")
    graph = run(kb, q, {"o": ox.NamedNode(f"{EX}y")})
    assert [t.subject.value for t in graph.triples] == [f"{EX}c"]


def test_braces_and_variables_in_strings_iris_and_comments_are_ignored():
    q = '# { ?fake\nSELECT ?a WHERE { ?a <http://e/{x}> "?b }" . FILTER(?a < 3) }'
    assert variables(q) == {"a"}
    assert q[body_start(q) - 1 :].startswith("{ ?a")


def test_prefixes_used_are_the_undeclared_ones_outside_strings_iris_and_comments():
    q = (
        "PREFIX sc: <https://w3id.org/smartcity-kg/ontology#>\n"
        "# foaf:ignored\n"
        'SELECT ?x WHERE { ?x sc:within+ region:06 ; rdfs:label "dcat:no"^^xsd:string .'
        " ?x <http://e/owl:no> ?y . ?y my-ns.v2:p ?z }"
    )
    assert prefixes_used(q) == {"region", "rdfs", "xsd", "my-ns.v2"}


def test_a_query_runs_with_only_the_prefixes_it_uses_lent(kb):
    q = "SELECT ?n WHERE { ?s <http://example.org/name> ?n FILTER(?n = 'Beta'^^xsd:string) }"
    assert run(kb, q).values() == [("Beta",)]
    with pytest.raises(InputError, match=r"query:1:27: SPARQL syntax error: .*Prefix not found"):
        run(kb, "SELECT * WHERE { ?s nope:p ?o }")


def test_unknown_parameter_is_an_input_error():
    with pytest.raises(InputError, match=r"\?nope does not occur"):
        bind("SELECT ?a WHERE { ?a ?b ?c }", {"nope": ox.Literal("1")})


def test_update_cannot_be_bound():
    with pytest.raises(InputError, match="not in updates"):
        bind("DELETE WHERE { ?a ?b ?c }", {"a": ox.Literal("1")})


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_string_round_trips_as_one_literal(kb, value):
    q = "SELECT ?v WHERE { BIND(?x AS ?v) }"
    result = run(kb, q, {"x": ox.Literal(value)})
    assert isinstance(result, Select)
    assert result.values() == [(value,)]


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("id:region/066", "iri", ox.NamedNode("https://w3id.org/smartcity-kg/id/region/066")),
        (
            "42",
            "integer",
            ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        (
            "2017",
            "year",
            ox.Literal("2017", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
        ),
        ("Mobilität", "@de", ox.Literal("Mobilität", language="de")),
        ("https://example.org/x", "auto", ox.NamedNode("https://example.org/x")),
        (
            "7",
            "auto",
            ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        ("hello world", "auto", ox.Literal("hello world")),
    ],
)
def test_term_kinds(value, kind, expected):
    assert term(value, kind) == expected


@pytest.mark.parametrize(
    ("value", "kind"), [("abc", "integer"), ("no iri", "iri"), ("20x7", "year"), ("1", "colour")]
)
def test_bad_values_are_input_errors(value, kind):
    with pytest.raises(InputError):
        term(value, kind)


def test_from_clause_limits_the_dataset_to_the_named_graph():
    """Regression: the union default graph used to override a query's own FROM clause."""
    kb = KnowledgeBase.load(shipped=False)
    kb.add_text(f"<{EX}a> <{EX}p> 1 .", ox.RdfFormat.TURTLE, f"{EX}g1")
    kb.add_text(f"<{EX}b> <{EX}p> 2 . <{EX}c> <{EX}p> 3 .", ox.RdfFormat.TURTLE, f"{EX}g2")
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert run(kb, everything).values() == [("3",)]
    only_g2 = f"SELECT (COUNT(*) AS ?n) FROM <{EX}g2> WHERE {{ ?s ?p ?o }}"
    assert run(kb, only_g2).values() == [("2",)]


def test_thing_prefixes_work_in_queries_and_values():
    from smartcity_kg.prefixes import PREFIXES, QUERY_PREFIXES, expand

    assert expand("region:06411000") == "https://w3id.org/smartcity-kg/id/region/06411000"
    assert expand("topic:mobilitaet") == "https://w3id.org/smartcity-kg/id/topic/mobilitaet"
    assert QUERY_PREFIXES["org"] == PREFIXES["org"] == "http://www.w3.org/ns/org#"
    kb = KnowledgeBase.load()
    result = run(kb, "SELECT ?l WHERE { topic:mobilitaet rdfs:label ?l FILTER(LANG(?l) = 'de') }")
    assert result.values() == [("Mobilität",)]
