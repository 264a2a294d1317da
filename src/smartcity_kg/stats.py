"""Counts that tell a user what is in the dataset: triples, classes, graphs, sources."""

from __future__ import annotations

from dataclasses import dataclass

from .sparql import Select, run
from .store import KnowledgeBase

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


@dataclass
class Stats:
    triples: int
    classes: Select
    graphs: Select
    sources: Select


def stats(kb: KnowledgeBase) -> Stats:
    """Triple count and the three overview tables."""
    results = [run(kb, q, source="stats") for q in (_CLASSES, _GRAPHS, _SOURCES)]
    assert all(isinstance(r, Select) for r in results)
    return Stats(len(kb), *results)  # type: ignore[arg-type]
