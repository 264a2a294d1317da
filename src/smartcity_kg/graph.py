"""RDF -> networkx: the one conversion that export and analysis share.

Every resource becomes a node keyed by its IRI, carrying ``iri``, ``label`` (in the chosen
language, falling back to the other one, then to the compact IRI), ``class`` (compact IRIs of
its types, space separated, most specific project class first) and one attribute per data
property (the literal's lexical form; several values are joined with `` | `` in sorted order).
``prov:wasDerivedFrom`` becomes the node attribute ``derivedFrom``.

Every link between two resources becomes an edge keyed by the compact predicate, carrying
``predicate`` (IRI), ``label`` (the predicate's label), ``status`` (``stated`` or ``curated``),
``graph`` (the named graph it stands in), ``derivedFrom`` (where that graph comes from) and, for a
curated link, its ``rationale``. Curated graphs are those described with ``sc:curated true``;
the ``rdf:Statement`` nodes that carry the rationales become edge attributes, not nodes. The
ontology graph only provides labels of classes and predicates.

All values are strings, so every graph format (GraphML, GEXF, GML, CSV, ...) keeps them exactly.
Nodes and edges are inserted in sorted order, so the same data always gives the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import InputError, did_you_mean
from .prefixes import ONTOLOGY_IRI, PREFIXES, SC, compact

RDF_TYPE = PREFIXES["rdf"] + "type"
RDF_STATEMENT = PREFIXES["rdf"] + "Statement"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
RDFS_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
SKOS_PREFLABEL = PREFIXES["skos"] + "prefLabel"
DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
CURATED = SC + "curated"
RATIONALE = SC + "rationale"
REIFY = {PREFIXES["rdf"] + x for x in ("subject", "predicate", "object")}

VIEWS = ("topics", "regions", "full")
#: Classes of the ``topics`` view (themes link initiatives to topic areas).
TOPIC_CLASSES = tuple(
    SC + c
    for c in ("TopicArea", "Opportunity", "Goal", "Benefit", "Approach", "Initiative", "Theme")
)
REGION = SC + "Region"
WITHIN = SC + "within"
LANGS = ("de", "en")


@dataclass
class _Facts:
    """What one pass over the quads collects."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    literals: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    links: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    sources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    subjects: set[str] = field(default_factory=set)
    statements: set[str] = field(default_factory=set)
    reified: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    rationale: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    curated_graphs: set[str] = field(default_factory=set)
    graph_source: dict[str, str] = field(default_factory=dict)
    onto_labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    subclass: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _term_key(term) -> str:
    """The node key of an IRI or blank node."""
    return term.value if type(term).__name__ == "NamedNode" else f"_:{term.value}"


def collect(quads: Iterable) -> _Facts:
    """One pass over pyoxigraph quads, sorting every triple into what it means for the graph."""
    import pyoxigraph as ox

    f = _Facts()
    literal_type = ox.Literal
    for q in quads:
        s, p, o, g = q.subject, q.predicate.value, q.object, q.graph_name
        gname = g.value if isinstance(g, ox.NamedNode) else ""
        skey = _term_key(s)
        is_literal = isinstance(o, literal_type)
        if gname == ONTOLOGY_IRI:
            if is_literal and p == RDFS_LABEL and o.language:
                f.onto_labels[skey][o.language] = o.value
            elif p == RDFS_SUBCLASS and not is_literal:
                f.subclass[skey].add(o.value)
            continue
        if p == CURATED and is_literal and o.value in ("true", "1"):
            f.curated_graphs.add(skey)
        if is_literal:
            if p in (RDFS_LABEL, SKOS_PREFLABEL):
                lang = o.language or ""
                if p == RDFS_LABEL or lang not in f.labels[skey]:
                    f.labels[skey][lang] = o.value
                if p == SKOS_PREFLABEL:
                    continue
                f.subjects.add(skey)
                continue
            if p == RATIONALE:
                f.rationale[skey][o.language or ""] = o.value
            f.literals[skey][p].add(o.value)
            f.subjects.add(skey)
            continue
        okey = _term_key(o)
        if p == RDF_TYPE:
            f.types[skey].add(okey)
            if okey == RDF_STATEMENT:
                f.statements.add(skey)
        elif p in REIFY:
            f.reified[skey][p.rsplit("#", 1)[1]] = okey
        elif p == DERIVED:
            f.sources[skey].add(okey)
        else:
            f.links[(skey, p, okey)].add(gname)
        f.subjects.add(skey)
    for node, srcs in f.sources.items():
        if node.startswith(PREFIXES["id"] + "graph/"):
            f.graph_source[node] = sorted(srcs)[0]
    return f


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    for choice in (lang, *LANGS, ""):
        if choice in labels:
            return labels[choice]
    return next(iter(sorted(labels.values())), fallback)


def _local(iri: str) -> str:
    """An attribute name from a predicate IRI: its local name (GML allows only letters/digits)."""
    name = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isalnum()) or "value"


def _superclasses(facts: _Facts) -> dict[str, set[str]]:
    """Each class with all its superclasses (itself included)."""
    out: dict[str, set[str]] = {}

    def up(c: str) -> set[str]:
        if c not in out:
            out[c] = {c}
            for parent in facts.subclass.get(c, ()):
                out[c] |= up(parent)
        return out[c]

    for c in list(facts.subclass):
        up(c)
    return out


def build_full(quads: Iterable, lang: str = "en"):
    """The full graph of ``quads`` (pyoxigraph quads), as a networkx MultiDiGraph."""
    import networkx as nx

    facts = collect(quads)
    supers = _superclasses(facts)
    reserved = {"iri", "label", "class", "derivedFrom", "id", "name"}
    nodes: set[str] = set()
    for s, _, o in facts.links:
        nodes.add(s)
        nodes.add(o)
    nodes |= facts.subjects
    nodes -= facts.statements
    nodes = {n for n in nodes if not _is_graph_description(n, facts)}

    rationale_of: dict[tuple[str, str, str], str] = {}
    for st in facts.statements:
        r = facts.reified.get(st, {})
        if {"subject", "predicate", "object"} <= set(r):
            text = _label(facts.rationale.get(st, {}), lang, "")
            rationale_of[(r["subject"], r["predicate"], r["object"])] = text

    graph = nx.MultiDiGraph(lang=lang)
    for n in sorted(nodes):
        types = facts.types.get(n, set())
        data = {"iri": n, "label": _label(facts.labels.get(n, {}), lang, compact(n))}
        data["class"] = " ".join(_order_classes(types, supers))
        data["derivedFrom"] = " ".join(compact(x) for x in sorted(facts.sources.get(n, ())))
        for p, values in sorted(facts.literals.get(n, {}).items()):
            key = _local(p)
            if key in reserved:
                key = key + "Value"
            data[key] = " | ".join(sorted(values))
        graph.add_node(n, **data)
    for (s, p, o), graphs in sorted(facts.links.items()):
        if s not in nodes or o not in nodes:
            continue
        stated = sorted(g for g in graphs if g not in facts.curated_graphs)
        chosen = stated[0] if stated else sorted(graphs)[0]
        attrs = {
            "predicate": p,
            "label": _label(facts.onto_labels.get(p, {}), lang, compact(p)),
            "status": "stated" if stated else "curated",
            "graph": chosen,
            "derivedFrom": compact(facts.graph_source.get(chosen, "")),
            "rationale": "" if stated else rationale_of.get((s, p, o), ""),
        }
        graph.add_edge(s, o, key=compact(p), **attrs)
    graph.graph["class_labels"] = {
        c: _label(labels, lang, compact(c)) for c, labels in facts.onto_labels.items()
    }
    graph.graph["names"] = {n: sorted(set(facts.labels.get(n, {}).values())) for n in nodes}
    graph.graph["regions"] = sorted(c for c, ups in supers.items() if REGION in ups) or [REGION]
    return graph


def _is_graph_description(node: str, facts: _Facts) -> bool:
    return SC + "KnowledgeGraph" in facts.types.get(node, ())


def _order_classes(types: set[str], supers: dict[str, set[str]]) -> list[str]:
    """Project classes before others, specific before general, then by name."""

    def rank(c: str) -> tuple[int, int, str]:
        return (0 if c.startswith(SC) else 1, -len(supers.get(c, {c})), c)

    return [compact(c) for c in sorted(types, key=rank)]


def has_class(data: dict, classes: Iterable[str]) -> bool:
    """True when a node's ``class`` attribute names one of ``classes`` (full IRIs)."""
    mine = set(data.get("class", "").split())
    return any(compact(c) in mine for c in classes)


def view(full, name: str = "full", *, stated_only: bool = False):
    """The ``topics``, ``regions`` or ``full`` view of a full graph (a new graph)."""
    if name not in VIEWS:
        raise InputError(f"unknown view {name!r}; use one of {', '.join(VIEWS)}.")
    g = full.copy()
    if stated_only:
        g.remove_edges_from(
            [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if d["status"] != "stated"]
        )
    if name == "topics":
        keep = [n for n, d in g.nodes(data=True) if has_class(d, TOPIC_CLASSES)]
        g = g.subgraph(keep).copy()
    elif name == "regions":
        keep = [n for n, d in g.nodes(data=True) if has_class(d, g.graph["regions"])]
        g = g.subgraph(keep).copy()
        g.remove_edges_from(
            [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if d["predicate"] != WITHIN]
        )
    g.graph["view"] = name
    return g


def find_node(graph, text: str, what: str = "--focus") -> str:
    """The node an IRI, compact IRI or label (any language, case-insensitive) names."""
    from .prefixes import expand

    iri = expand(text) or text.strip("<>")
    if iri in graph:
        return iri
    wanted = text.casefold().strip()
    hits = sorted(n for n, d in graph.nodes(data=True) if _names(graph, n, d, wanted))
    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = "; ".join(f"{compact(h)} ({graph.nodes[h]['label']})" for h in hits[:10])
        raise InputError(
            f"{what} {text!r} names {len(hits)} nodes: {listed}. Give one of these IRIs instead."
        )
    names = graph.graph.get("names", {})
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    labels |= {x for n in graph.nodes for x in names.get(n, ())}
    hint = did_you_mean(text, labels)
    raise InputError(f"{what} {text!r} matches no node of this view by IRI or label.{hint}")


def _names(graph, node: str, data: dict, wanted: str) -> bool:
    """True when ``wanted`` is the node's label in any language or its compact IRI."""
    names = graph.graph.get("names", {}).get(node, ())
    return (
        any(x.casefold() == wanted for x in names)
        or data.get("label", "").casefold() == wanted
        or compact(node).casefold() == wanted
    )


def neighbourhood(graph, focus: str, depth: int = 1):
    """The nodes within ``depth`` links of ``focus`` (either direction), with their links."""
    import networkx as nx

    if depth < 0:
        raise InputError(f"--depth {depth}: give 0 or more.")
    node = find_node(graph, focus)
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), node, depth)
    sub = graph.subgraph(sorted(near)).copy()
    sub.graph["focus"] = node
    return sub


def build(
    kb,
    view_name: str = "full",
    *,
    lang: str = "en",
    focus: str | None = None,
    depth: int = 1,
    stated_only: bool = False,
):
    """The networkx MultiDiGraph of a knowledge base, for one view (and focus)."""
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}.")
    full = build_full(kb.quads(), lang)
    g = view(full, view_name, stated_only=stated_only)
    if focus is not None:
        g = neighbourhood(g, focus, depth)
    return sorted_copy(g)


def sorted_copy(g):
    """The same graph with nodes and edges inserted in sorted order (deterministic writers)."""
    import networkx as nx

    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    out.add_nodes_from(sorted(g.nodes(data=True), key=lambda x: x[0]))
    out.add_edges_from(sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])))
    return out
