"""Parameter binding: values arrive as one RDF term, whatever characters they hold."""

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_kg import InputError
from smartcity_kg.binding import bind, body_start, prefixes_used, term, variables
from smartcity_kg.dataset import KnowledgeBase
from smartcity_kg.sparql import Select, run

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


# --- bindings that must never silently change a query (issue 12) -------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_construct_where_short_form_takes_a_parameter(kb):
    q = f"CONSTRUCT WHERE {{ ?s <{EX}in> ?region }}"
    graph = run(kb, q, {"region": ox.NamedNode(f"{EX}y")})
    assert [(t.subject.value, t.object.value) for t in graph.triples] == [(f"{EX}c", f"{EX}y")]
    with_from = f"CONSTRUCT FROM <{EX}g> WHERE {{ ?s <{EX}in> ?region }}"
    assert len(run(kb, with_from, {"region": ox.NamedNode(f"{EX}x")}).triples) == 2


def test_values_go_into_the_where_group_not_an_exists_of_the_select_clause(kb):
    """Regression: the VALUES block landed in the first '{' of the text, an EXISTS in SELECT."""
    q = (
        f"SELECT ?s (EXISTS {{ ?s <{EX}name> ?n }} AS ?named) "
        f"WHERE {{ ?s <{EX}in> ?region }} ORDER BY ?s"
    )
    assert q[: body_start(q)].endswith("WHERE {")
    result = run(kb, q, {"region": ox.NamedNode(f"{EX}x")})
    assert result.values() == [(f"{EX}a", "true"), (f"{EX}b", "true")]


def test_a_query_that_is_only_a_subquery_gets_the_values_around_it(kb):
    q = f"SELECT ?s ?tag WHERE {{ SELECT ?s {{ ?s <{EX}in> <{EX}y> }} }}"
    assert run(kb, q, {"tag": ox.Literal("t")}).values() == [(f"{EX}c", "t")]


@pytest.mark.parametrize(
    ("query", "name", "why"),
    [
        ("SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }", "c", "computes it itself"),
        ("SELECT * WHERE { ?s ?p ?o BIND(STR(?o) AS ?t) }", "t", "computes it itself"),
        ("SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s (STR(?o) AS ?k)", "k", "computes it"),
        ("SELECT * WHERE { ?s ?p ?o { ?s ?q ?x FILTER(?x = ?v) } }", "v", "nested group"),
        ("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?q ?x FILTER(?x != ?v) } }", "v", "nested"),
        ("SELECT * WHERE { ?s ?p ?o MINUS { ?s ?p ?v } }", "v", "MINUS"),
        ("SELECT * WHERE { ?s ?p ?o { SELECT ?s { ?s ?q ?v } LIMIT 1 } }", "v", "subquery"),
        ("SELECT * WHERE { ?s ?p ?o { ?s ?q ?x OPTIONAL { ?x ?r ?v } } }", "v", "OPTIONAL"),
        ("SELECT * WHERE { ?s ?p ?o VALUES ?v { 1 2 } }", "v", "VALUES block"),
        ("SELECT * { ?s ?p ?o { SELECT ?s ?v { ?s ?q ?o BIND(1 AS ?v) } LIMIT 1 } }", "v", "sub"),
        ("SELECT * { ?s ?p ?o { SELECT ?s (COUNT(*) AS ?v) { ?s ?q ?o } GROUP BY ?s } }", "v", ""),
        ("SELECT * { ?s ?p ?o OPTIONAL { SELECT ?s { ?s ?q ?v } } }", "v", "subquery"),
        (
            "SELECT * { ?s ?p ?v { SELECT ?s { ?s ?q ?w } GROUP BY ?s HAVING(COUNT(?w) > ?v) } }",
            "v",
            "subquery",
        ),
    ],
)
def test_a_parameter_that_values_cannot_bind_is_refused_by_name(kb, query, name, why):
    with pytest.raises(InputError, match=rf"parameter \?{name} cannot be bound: .*{why}"):
        run(kb, query, {name: ox.Literal("1")})


@pytest.mark.parametrize(
    "query",
    [
        # joined with the top-level group: the same answer as writing the value in
        "SELECT * WHERE { ?s <http://example.org/in> ?v FILTER(?v != <urn:x>) }",
        "SELECT * WHERE { { ?s <http://example.org/in> ?v } UNION { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/in> ?v } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?x FILTER(?x = ?v) } }",
        "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { ?s <http://example.org/in> ?v } }",
        "SELECT * WHERE { ?s ?p ?o GRAPH ?g { ?s ?p ?v } }",
        # a key a subquery groups by (as the initiatives query groups labels by language)
        "SELECT * { ?s ?p ?o OPTIONAL { SELECT ?s ?v (COUNT(*) AS ?n) "
        "{ ?s ?q ?x BIND(STR(?x) AS ?v) } GROUP BY ?s ?v } }",
    ],
)
def test_a_parameter_joined_with_the_top_level_group_is_bound(kb, query):
    run(kb, query, {"v": ox.NamedNode(f"{EX}x")})


def test_syntax_errors_point_into_the_users_text_after_a_rewrite(kb):
    q = "CONSTRUCT WHERE {\n  ?s ?p ?o )\n}"
    with pytest.raises(InputError, match=r"^query:2:12: SPARQL syntax error"):
        run(kb, q, {"o": ox.Literal("1")})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.5", ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal"))),
        ('"2024"^^xsd:gYear', ox.Literal("2024", datatype=ox.NamedNode(XSD + "gYear"))),
        ('"Hessen"@de', ox.Literal("Hessen", language="de")),
        ("<https://example.org/a>", ox.NamedNode("https://example.org/a")),
        ("true", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
        ("1e3", ox.Literal("1e3", datatype=ox.NamedNode(XSD + "double"))),
        ("topic:mobilitaet", ox.NamedNode("https://w3id.org/smartcity-kg/id/topic/mobilitaet")),
        ('"x" . <urn:a> <urn:b> "y"', ox.Literal('"x" . <urn:a> <urn:b> "y"')),
        ("Hessen", ox.Literal("Hessen")),
    ],
)
def test_untyped_parameters_are_turtle_terms(value, expected):
    assert term(value) == expected


def test_a_relative_parameter_iri_is_refused():
    with pytest.raises(InputError, match="must be absolute"):
        term("<a>")


def test_a_decimal_parameter_matches_a_decimal(kb):
    """Regression: 1.5 became the string "1.5" and matched nothing."""
    data = KnowledgeBase.load(shipped=False)
    data.add_text(f"<{EX}a> <{EX}v> 1.5 .", ox.RdfFormat.TURTLE, f"{EX}g")
    q = f"SELECT ?s WHERE {{ ?s <{EX}v> ?v }}"
    assert run(data, q, {"v": term("1.5")}).values() == [(f"{EX}a",)]


def test_the_union_default_graph_is_a_set():
    """A triple stated in two files appears once (Oxigraph's union is a bag)."""
    data = KnowledgeBase.load(shipped=False)
    for g in ("g1", "g2"):
        data.add_text(f"<{EX}a> <{EX}p> <{EX}o> .", ox.RdfFormat.TURTLE, EX + g)
    assert data.shared is True
    assert run(data, f"SELECT ?o {{ <{EX}a> <{EX}p> ?o }}").values() == [(f"{EX}o",)]
    named = f"SELECT ?g {{ GRAPH ?g {{ <{EX}a> <{EX}p> ?o }} }} ORDER BY ?g"
    assert run(data, named).values() == [(f"{EX}g1",), (f"{EX}g2",)]


def test_the_shipped_graphs_share_no_triple(kb):
    assert kb.shared is False and kb.union_store() is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a/rdfs:subClassOf*", {"rdfs"}),
        ("sc:within/skos:broader", {"sc", "skos"}),
        ("sc:within|^dcterms:isPartOf", {"sc", "dcterms"}),
        ("(sc:within/owl:sameAs)+", {"sc", "owl"}),
        ("^(skos:broader|foaf:knows)*/rdfs:label", {"skos", "foaf", "rdfs"}),
        ("id:region\\/066/sc:within", {"id", "sc"}),
    ],
)
def test_prefixes_after_path_operators_are_lent_regression(path, expected):
    """``?r a/rdfs:subClassOf* sc:Region`` failed with a grammar dump: the scanner read
    ``a/rdfs:subClassOf`` as one name, so ``rdfs`` was never lent."""
    q = f"SELECT ?r WHERE {{ ?r {path} ?o. }}"
    assert prefixes_used(q) == expected


def test_a_property_path_with_lent_prefixes_runs_on_the_shipped_graph():
    kb = KnowledgeBase.load()
    q = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a/rdfs:subClassOf* sc:Region }"
    direct = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a ?c . ?c rdfs:subClassOf* sc:Region }"
    (n,) = run(kb, q).values()[0]
    assert int(n) > 400
    assert run(kb, direct).values() == [(n,)]
