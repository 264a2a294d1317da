"""Property-based tests: label resolution, and CSV -> RDF -> query round trips."""

from __future__ import annotations

import csv
import io
from functools import cache

import pyoxigraph as ox
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from import_fixture import FIXTURE, ID, fixture_data
from smartcity_kg.dataset import KnowledgeBase
from smartcity_kg.import_reader import read_table
from smartcity_kg.import_templates import TEMPLATES
from smartcity_kg.importer import build
from smartcity_kg.labels import LabelIndex, normalize

TOPICS = {
    "Mobilität": ID + "topic/mobilitaet",
    "Energie & Umwelt": ID + "topic/energie-umwelt",
    "Verwaltung": ID + "topic/verwaltung",
    "Mobility": ID + "topic/mobilitaet",
    "Administration": ID + "topic/verwaltung",
}
SPELLED = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


@cache
def index() -> LabelIndex:
    kb = KnowledgeBase()
    kb.add_text(FIXTURE, ox.RdfFormat.TURTLE, "urn:fixture")
    from smartcity_kg import resources

    kb.add_file(resources.ontology_dir() / "smartcity.ttl")
    return LabelIndex(kb.store)


@st.composite
def spellings(draw, label: str) -> str:
    """The label as a user might type it: any case per letter, umlauts spelled out or not."""
    text = label.translate(SPELLED) if draw(st.booleans()) else label
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    text = "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + text + pad


@given(st.sampled_from(sorted(TOPICS)).flatmap(lambda lab: st.tuples(st.just(lab), spellings(lab))))
def test_any_spelling_of_a_label_resolves_to_its_iri(pair):
    label, typed = pair
    assert index().resolve("topic", typed).iri == TOPICS[label]


@given(st.text())
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12))
def test_unknown_words_are_reported_not_guessed(word):
    assume(normalize(word) not in index().categories["topic"].keys)
    found = index().resolve("topic", word)
    assert found.iri is None and found.reason == f"unknown topic area {word!r}"


NAMES = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "Zs", "P", "S"), max_codepoint=0x24F),
    min_size=1,
    max_size=40,
).map(str.strip)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            NAMES,
            st.integers(min_value=1000, max_value=2999),
            st.sets(st.sampled_from(sorted(TOPICS)), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_csv_to_rdf_to_query_round_trip(tmp_path_factory, rows):
    from smartcity_kg.importer import slug

    assume(all(any(c.isalnum() for c in name) for name, _, _ in rows))
    assume(len({slug(name) for name, _, _ in rows}) == len(rows))
    assume(all(slug(name) != "digitalstadt-darmstadt" for name, _, _ in rows))
    folder = tmp_path_factory.mktemp("rt")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = TEMPLATES["initiatives"].names
    writer.writerow(columns)
    for name, year, topics in rows:
        cells = {"name": name, "region": "06411000", "topic_areas": ";".join(sorted(topics)),
                 "start_year": str(year), "source": "Eigene Erhebung"}  # fmt: skip
        writer.writerow([cells.get(c, "") for c in columns])
    path = folder / "rows.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")

    result = build(read_table(path), fixture_data(folder), shipped=False)
    assert result.problems == []
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in result.triples)
    answer = store.query(
        """PREFIX sc: <https://w3id.org/smartcity-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?name ?year (GROUP_CONCAT(STR(?t); separator=" ") AS ?topics) WHERE {
          ?i a sc:Initiative ; rdfs:label ?name ; <https://schema.org/startDate> ?year ;
             sc:hasTopicArea ?t FILTER(lang(?name) = "de") } GROUP BY ?name ?year"""
    )
    got = {
        (r["name"].value, int(r["year"].value), frozenset(r["topics"].value.split()))
        for r in answer
    }
    want = {(name, year, frozenset(TOPICS[t] for t in topics)) for name, year, topics in rows}
    assert got == want
