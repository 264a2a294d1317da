"""A VoID description of the live dataset: sizes, partitions, named graphs and linksets.

Crawlers and catalogues read ``/.well-known/void`` to learn what an endpoint holds before they
query it. The figures come from the same queries as ``smartcity-kg stats`` (``triples``, the
classes with their instances, the named graphs with their triples), so the two never disagree;
the counts are taken per named graph, as ``stats`` counts statements.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from . import vocab
from .dataset import KnowledgeBase
from .prefixes import PREFIXES
from .sparql import Select, run
from .stats import stats

VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
DCTERMS = PREFIXES["dcterms"]
RDF_TYPE = ox.NamedNode(vocab.RDF_TYPE)
XSD_INTEGER = ox.NamedNode(vocab.XSD + "integer")
#: The datasets the knowledge base links to: name -> the namespace of their IRIs
TARGETS = {
    "sdg": PREFIXES["sdg"],
    "wikidata": PREFIXES["wd"],
    # the alignments (ontology/kb/alignments.ttl)
    "musterdatenkatalog": "https://musterdatenkatalog.de/def/musterdatensatz/",
    "saref4city": "https://saref.etsi.org/saref4city/",
    "schema": PREFIXES["schema"],
    # the FIWARE Smart Data Models subjects (ontology/kb/alignments-fiware.ttl); the models,
    # described in id:graph/smart-data-models, link to their licences in these repositories
    "smart-data-models": "https://github.com/smart-data-models/",
}

_ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER isIRI(?s) }"
_PROPERTIES = """
SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p ORDER BY ?p
"""
#: links into a target namespace from resources outside it, per predicate; a reification's
#: rdf:object describes a link (sc:CuratedLink), it is not one
_LINKS = """
SELECT ?p (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?o) && STRSTARTS(STR(?o), ?ns) && !STRSTARTS(STR(?s), ?ns)
         && !STRSTARTS(STR(?p), STR(rdf:)))
} GROUP BY ?p ORDER BY ?p
"""


@dataclass
class Void:
    """The figures of the description, as data (what the tests compare with ``stats``)."""

    triples: int
    entities: int
    classes: list[tuple[str, int]]  # class IRI, instances
    properties: list[tuple[str, int]]  # property IRI, triples
    graphs: list[tuple[str, int]]  # named graph IRI, triples
    links: dict[str, list[tuple[str, int]]]  # target name -> (link predicate, triples)


def _pairs(result) -> list[tuple[str, int]]:
    assert isinstance(result, Select)
    return [(_text(row[0]), int(_text(row[1]))) for row in result.rows if row[0] is not None]


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A cell that the counting queries always bind (an unbound one is a bug, not data)."""
    assert term is not None
    return term.value


def void_figures(kb: KnowledgeBase) -> Void:
    """Count what the description states, reusing :func:`stats` for what it already counts."""
    s = stats(kb)
    graphs: dict[str, int] = {}
    for row in s.graphs.rows:  # one row per (graph, source): a graph's count repeats
        graphs[_text(row[0])] = int(_text(row[1]))
    entities = run(kb, _ENTITIES, source="void")
    assert isinstance(entities, Select)
    links = {
        name: _pairs(run(kb, _LINKS, {"ns": ox.Literal(ns)}, source="void"))
        for name, ns in TARGETS.items()
    }
    return Void(
        triples=s.triples,
        entities=int(_text(entities.rows[0][0])),
        classes=_pairs(s.classes),
        properties=_pairs(run(kb, _PROPERTIES, source="void")),
        graphs=sorted(graphs.items()),
        links=links,
    )


def void_triples(figures: Void, base: str) -> list[ox.Triple]:
    """The description as triples; ``base`` is the server's root URL (no trailing slash)."""
    doc = base + "/.well-known/void"
    dataset = ox.NamedNode(doc + "#dataset")
    v = lambda name: ox.NamedNode(VOID + name)  # noqa: E731
    n = lambda value: ox.Literal(str(value), datatype=XSD_INTEGER)  # noqa: E731
    out = [
        ox.Triple(dataset, RDF_TYPE, v("Dataset")),
        ox.Triple(
            dataset, ox.NamedNode(DCTERMS + "title"), ox.Literal("smartcity-kg", language="en")
        ),
        ox.Triple(dataset, v("sparqlEndpoint"), ox.NamedNode(base + "/sparql")),
        ox.Triple(dataset, v("uriSpace"), ox.Literal(PREFIXES["id"])),
        ox.Triple(dataset, v("vocabulary"), ox.NamedNode(PREFIXES["sc"])),
        ox.Triple(dataset, v("triples"), n(figures.triples)),
        ox.Triple(dataset, v("entities"), n(figures.entities)),
        ox.Triple(dataset, v("classes"), n(len(figures.classes))),
        ox.Triple(dataset, v("properties"), n(len(figures.properties))),
    ]
    for cls, count in figures.classes:
        node = ox.BlankNode()
        out += [
            ox.Triple(dataset, v("classPartition"), node),
            ox.Triple(node, v("class"), ox.NamedNode(cls)),
            ox.Triple(node, v("entities"), n(count)),
        ]
    for prop, count in figures.properties:
        node = ox.BlankNode()
        out += [
            ox.Triple(dataset, v("propertyPartition"), node),
            ox.Triple(node, v("property"), ox.NamedNode(prop)),
            ox.Triple(node, v("triples"), n(count)),
        ]
    for graph, count in figures.graphs:
        node = ox.BlankNode()
        out += [
            ox.Triple(dataset, v("subset"), node),
            ox.Triple(node, RDF_TYPE, v("Dataset")),
            ox.Triple(node, ox.NamedNode(SD + "name"), ox.NamedNode(graph)),
            ox.Triple(node, v("triples"), n(count)),
        ]
    for name, pairs in figures.links.items():
        target = ox.NamedNode(f"{doc}#{name}")
        out += [
            ox.Triple(target, RDF_TYPE, v("Dataset")),
            ox.Triple(target, v("uriSpace"), ox.Literal(TARGETS[name])),
        ]
        for prop, count in pairs:
            node = ox.BlankNode()
            out += [
                ox.Triple(dataset, v("subset"), node),
                ox.Triple(node, RDF_TYPE, v("Linkset")),
                ox.Triple(node, v("subjectsTarget"), dataset),
                ox.Triple(node, v("objectsTarget"), target),
                ox.Triple(node, v("linkPredicate"), ox.NamedNode(prop)),
                ox.Triple(node, v("triples"), n(count)),
            ]
    return out


def render_void(triples: list[ox.Triple], fmt: str) -> bytes:
    """The description in ``fmt`` (a graph format), with ``void:`` and ``sd:`` prefixes too."""
    from . import formats
    from .render import RDF_FORMATS

    rdf = RDF_FORMATS[fmt]
    prefixes = {**PREFIXES, "void": VOID, "sd": SD} if formats.get(fmt).prefixes else None
    return ox.serialize(triples, format=rdf, prefixes=prefixes) or b""
