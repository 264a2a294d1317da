"""What changed between two RDF files: added and removed triples, grouped by subject.

Blank nodes are compared by structure (``rdflib.compare``): two files that differ only in
blank-node names, or in the order and layout of their triples, are equal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .dataset import KnowledgeBase
from .prefixes import PREFIXES, compact
from .vocab import LANGS, pick_label

if TYPE_CHECKING:  # rdflib is imported only when a diff runs: it is slow to import
    import rdflib

ADDED_GRAPH = f"{PREFIXES['id']}diff/added"
REMOVED_GRAPH = f"{PREFIXES['id']}diff/removed"


@dataclass
class SubjectChange:
    subject: str  # N-Triples form of the subject (IRI in <>, blank node as _:id)
    label: str | None
    added: list[tuple[str, str]] = field(default_factory=list)  # (predicate, object) in N3
    removed: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Diff:
    added: rdflib.Graph
    removed: rdflib.Graph
    subjects: list[SubjectChange]

    @property
    def equal(self) -> bool:
        return not self.subjects


def load_graph(path: Path):
    """One file as an rdflib Graph (all its named graphs merged); errors name line and column."""
    from .validate import to_rdflib

    kb = KnowledgeBase(store=ox.Store())
    kb.add_file(Path(path))
    return to_rdflib(kb)


def diff(old, new) -> Diff:
    """Compare two rdflib graphs (or paths) up to blank-node renaming."""
    from rdflib.compare import graph_diff, to_isomorphic

    if isinstance(old, str | Path):
        old = load_graph(Path(old))
    if isinstance(new, str | Path):
        new = load_graph(Path(new))
    _, removed, added = graph_diff(to_isomorphic(old), to_isomorphic(new))
    labels = _labels(old, new)
    by_subject: dict[str, SubjectChange] = {}

    def entry(s) -> SubjectChange:
        key = s.n3()
        if key not in by_subject:
            by_subject[key] = SubjectChange(key, labels.get(s))
        return by_subject[key]

    for s, p, o in added:
        entry(s).added.append((p.n3(), o.n3()))
    for s, p, o in removed:
        entry(s).removed.append((p.n3(), o.n3()))
    for change in by_subject.values():
        change.added.sort()
        change.removed.sort()
    return Diff(added, removed, [by_subject[k] for k in sorted(by_subject)])


def _labels(*graphs) -> dict:
    from rdflib import RDFS

    found: dict = defaultdict(dict)
    for graph in graphs:
        for s, label in graph.subject_objects(RDFS.label):
            found[s].setdefault(getattr(label, "language", None) or "", str(label))
    return {s: pick_label(langs, LANGS[0]) for s, langs in found.items()}


def short(n3: str) -> str:
    """``id:topic/mobilitaet`` for ``<https://w3id.org/smartcity-kg/id/topic/mobilitaet>``."""
    if n3.startswith("<") and n3.endswith(">"):
        return compact(n3[1:-1])
    if "^^<" in n3:
        value, _, datatype = n3.rpartition("^^<")
        return f"{value}^^{compact(datatype[:-1])}"
    return n3


def rows(result: Diff) -> list[list[str | None]]:
    """One row per changed triple: subject, label, change (+ or -), predicate, object."""
    out: list[list[str | None]] = []
    for change in result.subjects:
        for sign, pairs in (("-", change.removed), ("+", change.added)):
            for p, o in pairs:
                out.append([short(change.subject), change.label, sign, short(p), short(o)])
    return out


def as_json(result: Diff) -> dict:
    return {
        "equal": result.equal,
        "added": len(result.added),
        "removed": len(result.removed),
        "subjects": [
            {
                "subject": short(c.subject),
                "label": c.label,
                "added": [{"predicate": short(p), "object": short(o)} for p, o in c.added],
                "removed": [{"predicate": short(p), "object": short(o)} for p, o in c.removed],
            }
            for c in result.subjects
        ],
    }


def as_trig(result: Diff) -> str:
    """TriG (Turtle with graphs): the graphs id:diff/added and id:diff/removed."""
    quads = []
    for iri, graph in ((ADDED_GRAPH, result.added), (REMOVED_GRAPH, result.removed)):
        name = ox.NamedNode(iri)
        text = graph.serialize(format="nt", encoding="utf-8")
        triples = sorted(ox.parse(text, format=ox.RdfFormat.N_TRIPLES), key=str)
        quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
    return (ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b"").decode("utf-8")
