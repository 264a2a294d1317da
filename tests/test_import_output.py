"""The importer writes the same bytes as pyoxigraph's serialiser would (import_terms.py).

Golden files (tests/data/import-output/) were written by the importer when it serialised every
triple with pyoxigraph; tables with awkward values (quotes, backslashes, line breaks, control
characters, non-ASCII, every literal kind) must give the same Turtle, N-Triples and provenance.
Property tests compare the text written from plain statements with pyoxigraph's own output."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from import_output_tables import GOLDEN, TABLES, result_of
from smartcity_kg import import_terms
from smartcity_kg.import_terms import Lit, quoted
from smartcity_kg.importer import _TURTLE_PREFIXES, provenance_path, write
from smartcity_kg.prefixes import PREFIXES
from smartcity_kg.vocab import XSD

PREFIX_MAP = {p: PREFIXES[p] for p in _TURTLE_PREFIXES}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return {kind: result_of(kind, tmp_path_factory.mktemp(kind)) for kind in TABLES}


@pytest.mark.parametrize("kind", sorted(TABLES))
@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_written_import_is_byte_identical_to_the_golden_files(tmp_path, results, kind, suffix):
    result = results[kind]
    assert result.problems == []
    out = tmp_path / f"out{suffix}"
    write(result, out)
    assert out.read_bytes() == (GOLDEN / f"{kind}{suffix}").read_bytes()
    assert provenance_path(out).read_bytes() == (GOLDEN / f"{kind}.prov{suffix}").read_bytes()


@pytest.mark.parametrize("kind", sorted(TABLES))
def test_golden_tables_take_the_fast_turtle_path_and_triples_round_trip(results, kind):
    """The golden comparison above tests import_terms.turtle, not pyoxigraph's fallback."""
    result = results[kind]
    for statements, triples in (
        (result.statements, result.triples),
        (result.provenance_statements, result.provenance),
    ):
        assert import_terms.turtle(statements, PREFIX_MAP) is not None
        assert triples == [ox.Triple(*map(_term, st)) for st in statements]


def _term(o):
    if isinstance(o, str):
        return ox.NamedNode(o)
    value, language, datatype = o
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def _pyoxigraph(statements, fmt) -> str:
    triples = [ox.Triple(*map(_term, st)) for st in statements]
    prefixes = PREFIX_MAP if fmt == ox.RdfFormat.TURTLE else None
    return (ox.serialize(triples, format=fmt, prefixes=prefixes) or b"").decode()


def test_quoted_escapes_every_character_as_pyoxigraph_does():
    chars = [*range(0x3000), 0x1F68C, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF]
    s = "https://w3id.org/smartcity-kg/id/x"
    statements = [(s, PREFIXES["rdfs"] + "label", Lit(f"a{chr(c)}b")) for c in chars]
    expected = _pyoxigraph(statements, ox.RdfFormat.N_TRIPLES).split(" .\n")[:-1]
    assert [quoted(f"a{chr(c)}b") for c in chars] == [line.split(" ", 2)[2] for line in expected]


def _valid(make, value) -> bool:
    try:
        make(value)
    except ValueError:
        return False
    return True


ID, SC, XSD_TYPES = PREFIXES["id"], PREFIXES["sc"], ["gYear", "integer", "decimal", "boolean"]
PREDICATES = [PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "label", SC + "x"]
NAMESPACES = st.sampled_from([ID, SC, PREFIXES["schema"]])
#: IRIs of any shape: some are written here, some are left to pyoxigraph
ANY_LOCAL = st.lists(st.sampled_from([*"az09-_/.~:#ä", "AZ", "%20", "initiative/x-1"]), max_size=5)
any_iris = st.one_of(
    st.builds(lambda ns, parts: ns + "".join(parts), NAMESPACES, ANY_LOCAL),
    st.sampled_from(["file:///golden/a%20b.csv", "https://example.org/x?q=1#f", "urn:x:y"]),
).filter(lambda iri: _valid(ox.NamedNode, iri))
#: IRIs as the importer makes them (slugs under a kind), always written here
slug_iris = st.builds(
    lambda ns, kind, key: f"{ns}{kind}/{key}",
    NAMESPACES,
    st.sampled_from(["initiative", "region", "import/ab12/row"]),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True),
)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
lexical = st.one_of(texts, st.sampled_from(["1", "-07", "+3", "1.5", ".5", "5.", "true", "0"]))
literals = st.one_of(
    st.builds(Lit, texts, st.sampled_from(["de", "en"]), st.none()),
    st.builds(Lit, texts, st.none(), st.none()),
    st.builds(Lit, lexical, st.none(), st.sampled_from([XSD + t for t in XSD_TYPES])),
)


def statements(iris):
    return st.lists(
        st.tuples(iris, st.sampled_from(PREDICATES), st.one_of(iris, literals)), max_size=8
    )


@settings(max_examples=300, deadline=None)
@given(statements(any_iris))
def test_text_from_statements_is_what_pyoxigraph_writes(found):
    ntriples = import_terms.ntriples(found)
    assert ntriples == _pyoxigraph(found, ox.RdfFormat.N_TRIPLES)
    assert import_terms.triples(found) == [ox.Triple(*map(_term, st)) for st in found]
    turtle = import_terms.turtle(found, PREFIX_MAP)
    if turtle is not None:  # None: left to pyoxigraph
        assert turtle == (_pyoxigraph(found, ox.RdfFormat.TURTLE) if found else "")


@settings(max_examples=300, deadline=None)
@given(statements(slug_iris))
def test_turtle_of_the_importers_statements_is_written_here_as_pyoxigraph_would(found):
    assert import_terms.turtle(found, PREFIX_MAP) == (
        _pyoxigraph(found, ox.RdfFormat.TURTLE) if found else ""
    )
