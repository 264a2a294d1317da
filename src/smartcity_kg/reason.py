"""Materialise the inferences the ontology declares, apart from the stated facts.

The ontology needs four kinds of rule (RDFS / OWL 2 RL): ``rdfs:subClassOf`` (cax-sco),
``rdfs:subPropertyOf`` (prp-spo1), ``owl:inverseOf`` (prp-inv1/2) and
``owl:TransitiveProperty`` (prp-trp). They run as SPARQL CONSTRUCT queries on pyoxigraph until
nothing new appears, reading the axioms from the data, so a new axiom in the ontology is
honoured without code changes. owlrl computes the full OWL 2 RL closure for the consistency
check (:func:`owlrl_check`); it is much slower, so it is not used for everyday materialisation.
The inferred triples go into their own graph (:data:`INFERRED_GRAPH`) or file, never into the
graphs of stated facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .dataset import KnowledgeBase
from .prefixes import ID

INFERRED_GRAPH = f"{ID}graph/inferred"

_PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

RULES = {
    "subclass": "CONSTRUCT { ?s a ?super } WHERE { ?c rdfs:subClassOf+ ?super . "
    "FILTER(isIRI(?super) && ?super != ?c) ?s a ?c }",
    "subproperty": "CONSTRUCT { ?s ?super ?o } WHERE { ?p rdfs:subPropertyOf+ ?super . "
    "FILTER(isIRI(?super) && ?super != ?p) ?s ?p ?o }",
    "inverse": "CONSTRUCT { ?o ?q ?s } WHERE { { ?p owl:inverseOf ?q } UNION "
    "{ ?q owl:inverseOf ?p } ?s ?p ?o FILTER(!isLiteral(?o)) }",
}
_TRANSITIVE = "SELECT ?p WHERE { ?p a owl:TransitiveProperty FILTER(isIRI(?p)) }"


@dataclass
class Inference:
    triples: list[ox.Triple]
    rounds: int


def infer(kb: KnowledgeBase) -> Inference:
    """The triples the rules add to ``kb`` (not already stated anywhere), to a fixpoint."""
    work = ox.Store()
    graph = ox.NamedNode(INFERRED_GRAPH)
    work.extend(kb.store.quads_for_pattern(None, None, None, None))
    rounds = 0
    while True:
        rounds += 1
        new = []
        for query in [*RULES.values(), *_transitive_rules(work)]:
            constructed = work.query(_PREFIXES + query, use_default_graph_as_union=True)
            assert isinstance(constructed, ox.QueryTriples)
            for t in constructed:
                if not _known(work, t):
                    new.append(ox.Quad(t.subject, t.predicate, t.object, graph))
        if not new:
            break
        work.extend(new)
    inferred = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in work.quads_for_pattern(None, None, None, graph)
    ]
    return Inference(sorted(inferred, key=str), rounds)


def _transitive_rules(store: ox.Store) -> list[str]:
    solutions = store.query(_PREFIXES + _TRANSITIVE, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    props = [r["p"] for r in solutions]
    return [f"CONSTRUCT {{ ?s {p} ?o }} WHERE {{ ?s {p}/{p}+ ?o }}" for p in props]


def _known(store: ox.Store, t: ox.Triple) -> bool:
    return (
        next(iter(store.quads_for_pattern(t.subject, t.predicate, t.object, None)), None)
        is not None
    )


def add_inferred(kb: KnowledgeBase) -> int:
    """Put the inferences into ``kb`` as the named graph :data:`INFERRED_GRAPH`."""
    graph = ox.NamedNode(INFERRED_GRAPH)
    triples = infer(kb).triples
    kb.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    kb.added(graph)
    return len(triples)


@dataclass
class Consistency:
    consistent: bool
    problems: list[str]
    closure_size: int


def owlrl_check(kb: KnowledgeBase) -> Consistency:
    """Run owlrl's full OWL 2 RL closure and report the inconsistencies it flags."""
    import owlrl
    import rdflib

    from .validate import to_rdflib

    graph: rdflib.Graph = to_rdflib(kb)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False).expand(graph)
    # owlrl records each inconsistency it finds as a literal of this property
    err = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
    problems = sorted(str(o) for o in graph.objects(None, err))
    return Consistency(not problems, problems, len(graph))
