"""Counts that tell a user what is in the dataset: triples, classes, graphs, sources."""

from __future__ import annotations

from dataclasses import dataclass

from .dataset import KnowledgeBase
from .sparql import Select, run

_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?instances) ?class
"""
_GRAPHS = """
SELECT ?graph (COUNT(*) AS ?triples) ?source WHERE {
  GRAPH ?graph { ?s ?p ?o }
  OPTIONAL { GRAPH ?any { ?graph prov:wasDerivedFrom ?source } }
} GROUP BY ?graph ?source ORDER BY ?graph
"""
_SOURCES = """
SELECT ?source (SAMPLE(?t) AS ?title) (SAMPLE(?u) AS ?url) WHERE {
  ?source a sc:Source .
  OPTIONAL { ?source dcterms:title|rdfs:label ?t }
  OPTIONAL { ?source sc:url ?u }
} GROUP BY ?source ORDER BY ?source
"""

_LANDSCAPE = """
SELECT
  (COUNT(DISTINCT ?initiative) AS ?initiatives)
  (COUNT(DISTINCT ?programme) AS ?programmes)
  (COUNT(DISTINCT ?place) AS ?municipalitiesAndDistricts)
  (COUNT(DISTINCT ?funded) AS ?withFundingAmount)
  (COUNT(DISTINCT ?dated) AS ?sourcesWithUrlAndAccessDate)
WHERE {
  { ?initiative a sc:Initiative }
  UNION { ?programme a sc:Programme }
  UNION { ?i a sc:Initiative ; dcterms:spatial ?place .
          { ?place a sc:Municipality } UNION { ?place a sc:District }
          UNION { ?place a sc:DistrictFreeCity } }
  UNION { ?funded a sc:Initiative ; sc:fundingAmount ?amount }
  UNION { ?dated a sc:Source ; sc:url ?url ; sc:accessed ?accessed }
}
"""


@dataclass
class Stats:
    triples: int
    classes: Select
    graphs: Select
    sources: Select
    #: the Smart City landscape in numbers: initiatives, programmes, places linked, ...
    landscape: Select


def class_counts(kb: KnowledgeBase) -> dict[str, int]:
    """Instances per class IRI, by their stated rdf:type: the figures of the "Classes" table,
    which the server's home page shows too."""
    result = run(kb, _CLASSES, source="stats")
    assert isinstance(result, Select)
    return {c.value: int(n.value) for c, n in result.rows if c is not None and n is not None}


def stats(kb: KnowledgeBase) -> Stats:
    """Triple count and the four overview tables."""
    queries = (_CLASSES, _GRAPHS, _SOURCES, _LANDSCAPE)
    results = [run(kb, q, source="stats") for q in queries]
    assert all(isinstance(r, Select) for r in results)
    return Stats(len(kb), *results)  # type: ignore[arg-type]
