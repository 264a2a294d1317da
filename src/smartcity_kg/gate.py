"""The SHACL gate of the importer: validate new triples with the shipped shapes, fast.

pySHACL takes seconds per thousand nodes, too slow for an import of 50,000 rows. Most imported
nodes look alike to the shapes: an initiative with two labels, a region, two topic areas and a
source is checked the same way as the next one. So nodes are grouped by their *signature*:

* their types and, per predicate, each value's kind: an IRI with the types of the node it
  points to, or a literal with its datatype and language tag;
* the exact value wherever a shape looks at values (sh:pattern, sh:in, sh:hasValue, lengths,
  ranges, sh:equals ...), and the exact lexical form of typed literals other than strings
  (a year, a number), so ill-typed values are never hidden;
* nodes a shape checks with SPARQL or a complex path, and nodes with blank-node values, are
  each their own group.

One node per group is validated (with the class hierarchy, the existing facts of nodes the
import adds to, and the types of the nodes it links to), and each finding is reported for every
node of the group. Nodes in one group get the same results by construction of the signature.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from . import vocab
from .dataset import KnowledgeBase
from .import_terms import Lit, Statement
from .prefixes import PREFIXES
from .threads import Call
from .validate import Violation, validate

SH = PREFIXES["sh"]
T = TypeVar("T")
RDF_TYPE = ox.NamedNode(vocab.RDF_TYPE)
_SUBJECT = itemgetter(0)
SUBCLASS = ox.NamedNode(vocab.RDFS_SUBCLASS)
_VALUE_CONSTRAINTS = {
    SH + c
    for c in ("pattern", "in", "hasValue", "minLength", "maxLength", "minInclusive",
              "maxInclusive", "minExclusive", "maxExclusive", "lessThan", "lessThanOrEquals")
}  # fmt: skip
_PAIR_CONSTRAINTS = {SH + "equals", SH + "disjoint"}
_PLAIN = {vocab.XSD_STRING, vocab.RDF_LANGSTRING, vocab.XSD + "anyURI"}


@dataclass(frozen=True)
class ShapeFacts:
    """What the shapes look at: predicates whose values matter, targets that are opaque."""

    value_predicates: frozenset[str]
    pairs: frozenset[tuple[str, str]]  # sh:equals / sh:disjoint: (path, other predicate)
    opaque_classes: frozenset[str]
    opaque_predicates: frozenset[str]


@cache
def shape_facts(shapes: Path) -> ShapeFacts:
    import rdflib
    from rdflib import BNode, URIRef

    g = rdflib.Graph().parse(shapes, format="turtle")
    sh = rdflib.Namespace(SH)

    def below(node) -> set:
        seen, todo = set(), [node]
        while todo:
            n = todo.pop()
            for p, o in g.predicate_objects(n):
                seen.add((p, o))
                if isinstance(o, BNode):
                    todo.append(o)
        return seen

    values: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    opaque_classes: set[str] = set()
    opaque_preds: set[str] = set()
    for shape, path in g.subject_objects(sh.path):
        found = below(shape)
        sensitive = any(str(p) in _VALUE_CONSTRAINTS for p, _ in found)
        if isinstance(path, URIRef):
            if sensitive:
                values.add(str(path))
            pairs.update((str(path), str(o)) for p, o in found if str(p) in _PAIR_CONSTRAINTS)
        else:
            opaque_preds.add("*")
    for shape in set(g.subjects(sh.sparql)) | {s for s, _ in g.subject_objects(sh.pattern)
                                               if (s, sh.path, None) not in g}:  # fmt: skip
        opaque_classes.update(str(c) for c in g.objects(shape, sh.targetClass))
        opaque_preds.update(str(p) for p in g.objects(shape, sh.targetSubjectsOf))
    return ShapeFacts(
        frozenset(values), frozenset(pairs), frozenset(opaque_classes), frozenset(opaque_preds)
    )


def check(
    kb: KnowledgeBase, groups: Iterable[list[Statement]], shapes: Path
) -> dict[str, list[Violation]]:
    """SHACL findings per new subject IRI (only subjects of ``groups`` are reported).

    ``groups`` hold the new triples as the importer makes them, one list per row (or new
    source): (subject IRI, predicate IRI, object IRI or :class:`~.import_terms.Lit`)."""
    facts = _apart(shape_facts, shapes)
    by_subject: dict[str, list[Statement]] = {}  # subject -> the new triples about it
    for group in groups:
        if not group:
            continue
        first = group[0][0]
        if first not in by_subject and all(map(first.__eq__, map(_SUBJECT, group))):
            by_subject[first] = group  # a row about one subject: taken as it is
            continue
        for t in group:
            own = by_subject.get(t[0])
            if own is None:
                by_subject[t[0]] = _Merged([t])
            elif type(own) is _Merged:
                own.append(t)
            else:  # a group taken as it is: copied, not changed
                by_subject[t[0]] = _Merged([*own, t])
    rdf_type = vocab.RDF_TYPE
    supers = _superclasses(kb)

    @cache
    def types_of(node: str) -> frozenset[str]:
        quads = kb.store.quads_for_pattern(ox.NamedNode(node), RDF_TYPE, None, None)
        found = {q.object.value for q in quads}  # type: ignore[union-attr]  # no RDF-star
        own = by_subject.get(node)
        if own is not None:
            found.update([o for _, p, o in own if p == rdf_type])
        return frozenset(found)

    @cache
    def opaque(types: frozenset[str]) -> bool:
        """Nodes of these types are each validated on their own."""
        everything = set(types).union(*(supers.get(t, set()) for t in types))
        return "*" in facts.opaque_predicates or bool(everything & facts.opaque_classes)

    classes: dict[object, list[str]] = defaultdict(list)  # signature -> its subjects
    memo: dict = {}
    for subject, own in by_subject.items():
        classes[_signature(subject, own, types_of, opaque, facts, memo)].append(subject)

    representatives = [members[0] for members in classes.values()]
    report = _apart(validate, _gate_kb(kb, representatives, by_subject), shapes)
    found: dict[str, list[Violation]] = defaultdict(list)
    for v in report.violations:
        found[v.focus].append(v)
    out: dict[str, list[Violation]] = {}
    for members in classes.values():
        first = members[0]
        hits = found.get(first, [])
        if hits:
            for member in members:
                out[member] = [v if member == first else _moved(v, member) for v in hits]
    return out


class _Merged(list):
    """The new triples of a subject collected from several groups (the groups stay as they
    are)."""


def _apart(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a thread of its own (the caller waits for it).

    rdflib's SPARQL parser and pySHACL leave reference cycles behind, exceptions whose
    tracebacks hold the frames they were raised in; every frame a cycle holds keeps its
    variables until the garbage collector runs. On the caller's stack those would be the
    import's frames, with all its rows and triples. A thread's frames end at the thread, so
    the import's data is freed as soon as it is not used, and the collector (which the import
    pauses, collector.py) has little to look at when it runs again."""
    return Call(function, *args, name="smartcity-kg SHACL gate").result()


def _moved(v: Violation, focus: str) -> Violation:
    return Violation(focus, v.path, None, v.message, v.severity, v.shape)


def _superclasses(kb: KnowledgeBase) -> dict[str, set[str]]:
    direct: dict[str, set[str]] = defaultdict(set)
    for q in kb.store.quads_for_pattern(None, SUBCLASS, None, None):
        direct[q.subject.value].add(q.object.value)  # type: ignore[union-attr]  # no RDF-star
    return vocab.superclass_closure(direct)


def _signature(subject: str, own: list[Statement], types_of, opaque, facts: ShapeFacts, memo):
    """The subject's group: itself when its shapes need it alone, else its types and the
    multiset of what it says (``memo`` maps what it says, in order, to that multiset)."""
    types = types_of(subject)
    if opaque(types):
        return subject
    items: list[tuple] = []
    append = items.append
    rdf_type, opaque_predicates = vocab.RDF_TYPE, facts.opaque_predicates
    value_predicates = facts.value_predicates
    langstring, plain, string = vocab.RDF_LANGSTRING, _PLAIN, vocab.XSD_STRING
    for _, p, o in own:
        if p == rdf_type:
            continue  # already in ``types``
        if p in opaque_predicates:
            return subject
        if p in value_predicates:
            append((p, o))  # the term itself: an IRI (str) never equals a literal (Lit)
        elif type(o) is str:
            append((p, "I", types_of(o)))
        elif type(o) is Lit:
            value, language, datatype = o
            if language:  # rdf:langString, a plain datatype
                append((p, "L", langstring, language, ""))
            else:
                datatype = datatype or string
                append((p, "L", datatype, None, "" if datatype in plain else value))
        else:
            return subject
    for p1, p2 in facts.pairs:  # whether the two value sets are equal, disjoint
        v1 = {o for _, p, o in own if p == p1}
        if not v1:  # equal only if both are empty, and always disjoint
            append((p1, p2, not any(p == p2 for _, p, _ in own), True))
            continue
        v2 = {o for _, p, o in own if p == p2}
        append((p1, p2, v1 == v2, not (v1 & v2)))
    key = (types, *items)
    found = memo.get(key)
    if found is None:
        found = memo[key] = (types, frozenset(Counter(items).items()))
    return found


def _term(o: str | Lit) -> ox.NamedNode | ox.Literal:
    if isinstance(o, str):
        return ox.NamedNode(o)
    value, language, datatype = o
    if language:
        return ox.Literal(value, language=language)
    if datatype:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


def _gate_kb(kb: KnowledgeBase, subjects: list[str], by_subject: dict) -> KnowledgeBase:
    """The representatives' new triples, their existing facts and the types of what they link
    to: all pySHACL needs to see (pyoxigraph terms are made for these few nodes only)."""
    gate = KnowledgeBase(store=ox.Store())
    gate.store.extend(kb.store.quads_for_pattern(None, SUBCLASS, None, None))
    new = ox.NamedNode("urn:smartcity-kg:import")
    context = ox.NamedNode("urn:smartcity-kg:context")
    touched: set[str] = set()
    for s in subjects:
        own = by_subject[s]
        node = ox.NamedNode(s)
        gate.store.extend(ox.Quad(node, ox.NamedNode(p), _term(o), new) for _, p, o in own)
        touched.update(o for _, _, o in own if type(o) is str)
        existing = list(kb.store.quads_for_pattern(node, None, None, None))
        gate.store.extend(ox.Quad(q.subject, q.predicate, q.object, context) for q in existing)
        touched.update(q.object.value for q in existing if isinstance(q.object, ox.NamedNode))
    for o in touched:
        node = ox.NamedNode(o)
        gate.store.extend(
            ox.Quad(q.subject, q.predicate, q.object, context)
            for q in kb.store.quads_for_pattern(node, RDF_TYPE, None, None)
        )
        gate.store.extend(  # new nodes linked to (a new source) keep their types too
            ox.Quad(node, RDF_TYPE, ox.NamedNode(value), context)
            for _, p, value in by_subject.get(o, ())
            if p == vocab.RDF_TYPE
        )
    return gate
