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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter

from .errors import InputError
from .languages import DEFAULT as DEFAULT_LANG
from .languages import check
from .prefixes import ONTOLOGY_IRI, PREFIXES, SC, compact
from .vocab import (
    PROV_DERIVED as DERIVED,
)
from .vocab import (
    RDF_STATEMENT,
    RDF_TYPE,
    RDFS_LABEL,
    RDFS_SUBCLASS,
    SKOS_PREFLABEL,
    pick_label,
    superclass_closure,
)

CURATED = SC + "curated"
RATIONALE = SC + "rationale"
REIFY = {PREFIXES["rdf"] + x for x in ("subject", "predicate", "object")}
LABELS = frozenset({RDFS_LABEL, SKOS_PREFLABEL})
#: predicates with a resource as object that are not links (see collect)
NOT_LINKS = frozenset({RDF_TYPE, DERIVED, *REIFY})

VIEWS = ("topics", "regions", "full")
#: Classes of the ``topics`` view (themes link initiatives to topic areas).
TOPIC_CLASSES = tuple(
    SC + c
    for c in ("TopicArea", "Opportunity", "Goal", "Benefit", "Approach", "Initiative", "Theme")
)
REGION = SC + "Region"
WITHIN = SC + "within"


class _Node:
    """What the quads say of one subject; containers are made when first needed (most
    subjects use only some of them)."""

    __slots__ = ("labels", "links", "literals", "sources", "types")

    def __init__(self) -> None:
        self.labels: dict[str, str] | None = None
        self.types: set[str] | None = None
        #: predicate -> the value, or a set of them when there are several
        self.literals: dict[str, str | set[str]] | None = None
        #: [(predicate, object, graph), ...] in store order, one per quad
        self.links: list[tuple[str, str, str]] | None = None
        self.sources: set[str] | None = None


@dataclass
class _Facts:
    """What one pass over the quads collects."""

    nodes: dict[str, _Node] = field(default_factory=dict)
    #: every subject and link object, each string once (lookups then compare by identity)
    names: dict[str, str] = field(default_factory=dict)
    statements: set[str] = field(default_factory=set)
    reified: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    rationale: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    curated_graphs: set[str] = field(default_factory=set)
    graph_source: dict[str, str] = field(default_factory=dict)
    onto_labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    subclass: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def collect(store) -> _Facts:
    """One pass over a pyoxigraph store, graph by graph, sorting every triple into what it means
    for the networkx graph.

    This loop is the hot path of the conversion (see benchmarks/export.py), and on a large graph
    its cost is memory lookups more than computation. A store yields a graph's triples subject
    by subject, so the loop looks a subject's record up once per run of its triples, and files
    each triple in that small record; sorting and deduplication wait for the build. Terms are
    compared and hashed as they come (in Rust), so the text of a subject, predicate or link
    target is made once, not once per quad.
    """
    import pyoxigraph as ox

    f = _Facts()
    onto = ox.NamedNode(ONTOLOGY_IRI)
    for q in store.quads_for_pattern(None, None, None, onto):
        _ontology(f, q.subject.value, q.predicate.value, q.object, ox.Literal)
    literal_type, named_type = ox.Literal, ox.NamedNode
    nodes, canonical = f.nodes, f.names.setdefault
    #: subject or link target -> its name in f.names
    named: dict[object, str] = {}
    #: predicate term -> its IRI, one string for all its quads
    iri_of: dict[object, str] = {}
    for g in [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]:
        if g == onto:
            continue
        gname = g.value if type(g) is named_type else ""
        current = links = None
        rec = _Node()  # replaced by the first subject's record before any use
        skey = ""
        for q in store.quads_for_pattern(None, None, None, g):
            s = q.subject
            if s != current:
                current = s
                name = named.get(s)
                if name is None:
                    name = s.value if type(s) is named_type else "_:" + s.value
                    name = named[s] = canonical(name, name)
                skey = name
                found = nodes.get(skey)
                if found is None:
                    found = nodes[skey] = _Node()
                rec = found
                links = rec.links
            pt = q.predicate
            p = iri_of.get(pt)
            if p is None:
                p = iri_of[pt] = pt.value
            o = q.object
            if type(o) is literal_type:
                if p in LABELS:
                    labels = rec.labels
                    if labels is None:
                        labels = rec.labels = {}
                    if p == RDFS_LABEL:
                        labels[o.language or ""] = o.value
                    else:
                        labels.setdefault(o.language or "", o.value)
                    continue
                value, mine = o.value, rec.literals
                if mine is None:
                    mine = rec.literals = {}
                prev = mine.get(p)
                if prev is None:
                    mine[p] = value
                elif isinstance(prev, set):
                    prev.add(value)
                elif prev != value:
                    mine[p] = {prev, value}
                if p == RATIONALE:
                    f.rationale[skey][o.language or ""] = value
                elif p == CURATED and value in ("true", "1"):
                    f.curated_graphs.add(skey)
                continue
            if p not in NOT_LINKS:
                okey = named.get(o)
                if okey is None:
                    okey = o.value if type(o) is named_type else "_:" + o.value
                    okey = named[o] = canonical(okey, okey)
                if links is None:
                    links = rec.links = [(p, okey, gname)]
                else:
                    links.append((p, okey, gname))
                continue
            okey = o.value if type(o) is named_type else "_:" + o.value
            if p == RDF_TYPE:
                if rec.types is None:
                    rec.types = set()
                rec.types.add(okey)
                if okey == RDF_STATEMENT:
                    f.statements.add(skey)
            elif p == DERIVED:
                if rec.sources is None:
                    rec.sources = set()
                rec.sources.add(okey)
            else:
                f.reified[skey][p.rsplit("#", 1)[1]] = okey
    for node, rec in nodes.items():
        if rec.sources and node.startswith(PREFIXES["id"] + "graph/"):
            f.graph_source[node] = sorted(rec.sources)[0]
    return f


def _ontology(f: _Facts, skey: str, p: str, o, literal_type) -> None:
    """The ontology graph gives labels of classes and predicates, and the class hierarchy."""
    if isinstance(o, literal_type):
        if p == RDFS_LABEL and o.language:
            f.onto_labels[skey][o.language] = o.value
    elif p == RDFS_SUBCLASS:
        f.subclass[skey].add(o.value)


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    return pick_label(labels, lang) or fallback


def _local(iri: str) -> str:
    """An attribute name from a predicate IRI: its local name (GML allows only letters/digits)."""
    name = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isalnum()) or "value"


def _superclasses(facts: _Facts) -> dict[str, set[str]]:
    return superclass_closure(facts.subclass)


def build_full(store, lang: str = DEFAULT_LANG):
    """The full graph of a pyoxigraph store, as a networkx MultiDiGraph.

    The conversion allocates millions of small objects for a large graph, all of which it
    keeps; the cyclic garbage collector waits meanwhile (collector.py).
    """
    from .collector import paused

    with paused():
        return _build_full(store, lang)


@dataclass
class Parts:
    """The full graph without networkx: its nodes with their attributes, in order, and what
    its edges are made of (see :func:`full_parts`)."""

    #: every node with the names and the values of its attributes, in order (see _node_rows)
    nodes: list[tuple[str, tuple[str, ...], list[str]]]
    #: every node with its record, in order: the subjects whose links are the edges
    entries: list[tuple[str, _Node]]
    #: the nodes (a link to anything else, a statement say, is no edge)
    known: set[str]
    kinds: EdgeKinds
    facts: _Facts
    supers: dict[str, set[str]]
    short: Callable[[str], str]

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, str], str | None]]:
        """Every edge as (subject, object, key, the attributes shared by all edges of one
        predicate and graph, the rationale of a curated edge or None), in networkx's order
        (see :func:`shown`). The shared dict is the consumer's to copy or only read; its keys
        are :data:`EDGE_ATTRIBUTES`."""
        known, curated = self.known, self.kinds.curated
        template, rationale = self.kinds.template, self.kinds.rationale
        last_p = last_g = None
        key, shared = "", dict[str, str]()  # replaced before the first edge
        for s, rec in self.entries:
            if rec.links:
                for p, o, g in shown(rec.links, known, curated):
                    if p is not last_p or g is not last_g:
                        last_p, last_g = p, g
                        key, shared = template(p, g)
                    why = rationale.get((s, p, o), "") if g in curated else None
                    yield s, o, key, shared, why


def full_parts(store, lang: str = DEFAULT_LANG) -> Parts:
    """What :func:`build_full` puts into networkx, for a writer of the whole graph that needs
    no networkx graph (export.graphml_whole): a million edges then cost no dictionaries."""
    facts = collect(store)
    supers = _superclasses(facts)
    short = cache(compact)
    knowledge_graph = SC + "KnowledgeGraph"
    left_out = facts.statements | {
        n for n, rec in facts.nodes.items() if rec.types and knowledge_graph in rec.types
    }
    record, blank = facts.nodes.get, _Node()
    entries = [(n, record(n, blank)) for n in sorted(facts.names) if n not in left_out]
    nodes = list(_node_rows(entries, lang, supers, short))
    known = {n for n, _, _ in nodes}
    return Parts(nodes, entries, known, EdgeKinds(facts, lang, short), facts, supers, short)


def _build_full(store, lang: str):
    import networkx as nx

    parts = full_parts(store, lang)
    facts, supers, short = parts.facts, parts.supers, parts.short
    graph = nx.MultiDiGraph(lang=lang)
    # names and values have one length (_node_rows); strict=True would double the zip's cost
    _fill(graph, ((n, dict(zip(names, values, strict=False))) for n, names, values in parts.nodes))
    _link(
        graph,
        (
            (s, o, key, shared.copy() if why is None else {**shared, "rationale": why})
            for s, o, key, shared, why in parts.edges()
        ),
    )
    graph.graph["names"] = {
        n: sorted(set(rec.labels.values())) for n, rec in facts.nodes.items() if rec.labels
    }
    graph.graph["regions"] = sorted(c for c, ups in supers.items() if REGION in ups) or [REGION]
    #: class local name -> its label in ``lang`` (legends of pictures and the graph page)
    graph.graph["class_labels"] = {
        c.rsplit("#", 1)[-1]: _label(labels, lang, "")
        for c, labels in facts.onto_labels.items()
        if c.startswith(SC) and labels
    }
    graph.graph["levels"] = {
        short(c): _label(facts.onto_labels.get(c, {}), lang, short(c))
        for c in graph.graph["regions"]
        if c != REGION
    }
    return graph


def level(graph, node: str) -> str | None:
    """The administrative level of a region node in the graph's language ("Landkreis",
    "kreisfreie Stadt", ...), or None for anything else: Kassel, Darmstadt and Gießen each
    name regions at several levels, so a name alone does not say which one is meant."""
    levels = graph.graph.get("levels", {})
    for cls in graph.nodes[node].get("class", "").split():
        if cls in levels:
            return levels[cls]
    return None


def shown_name(graph, node: str) -> str:
    """A node's label, with the level for a region: "Kassel (Landkreis)"."""
    label = graph.nodes[node].get("label") or compact(node)
    found = level(graph, node)
    return f"{label} ({found})" if found else label


def _sorted(g):
    """A copy of ``g`` with nodes and edges in sorted order (a subgraph iterates in set order,
    which changes from run to run; writers must see the same order every time)."""
    import networkx as nx

    out = nx.MultiDiGraph()
    out.graph.update(g.graph)
    _fill(out, ((n, dict(d)) for n, d in sorted(g.nodes(data=True), key=lambda x: x[0])))
    edges = sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])
    _link(out, ((u, v, k, dict(d)) for u, v, k, d in edges))
    return out


def _fill(graph, node_data) -> None:
    """Add nodes the way ``add_nodes_from`` does, minus its per-node checks (all are new)."""
    succ, pred, node = graph._succ, graph._pred, graph._node
    for n, data in node_data:
        succ[n] = graph.adjlist_inner_dict_factory()
        pred[n] = graph.adjlist_inner_dict_factory()
        node[n] = data


def _link(graph, edge_data) -> None:
    """Add edges between existing nodes into networkx's MultiDiGraph adjacency (successor and
    predecessor maps share one key dict per node pair), as ``add_edge`` does, without its
    per-edge checks."""
    succ, pred = graph._succ, graph._pred
    for u, v, key, data in edge_data:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = graph.edge_key_dict_factory()
        keys[key] = data


RESERVED = {"iri", "label", "class", "derivedFrom", "id", "name"}
#: the attributes of every edge, in this order (see the module docstring)
EDGE_ATTRIBUTES = ("predicate", "label", "status", "graph", "derivedFrom", "rationale")


#: the attributes every node has, first and in this order (see the module docstring)
NODE_ATTRIBUTES = ("iri", "label", "class", "derivedFrom")


def _node_rows(entries: list[tuple[str, _Node]], lang: str, supers, short):
    """Every node of ``entries`` with the names and values of its attributes (see the module
    docstring): nodes with the same data properties share one tuple of names, made once."""
    classes_of = cache(lambda types: " ".join(_order_classes(types, supers, short)))
    sources_of = cache(lambda srcs: " ".join(short(x) for x in sorted(srcs)))
    shapes: dict[tuple[str, ...], tuple[tuple[str, ...], list[int] | None]] = {}
    for n, rec in entries:
        types, sources = rec.types, rec.sources
        values = [
            n,
            _label(rec.labels, lang, "") if rec.labels else short(n),
            classes_of(frozenset(types)) if types else "",
            sources_of(frozenset(sources)) if sources else "",
        ]
        literals = rec.literals
        if not literals:
            yield n, NODE_ATTRIBUTES, values
            continue
        predicates = tuple(sorted(literals))
        shape = shapes.get(predicates)
        if shape is None:
            shape = shapes[predicates] = _shape(predicates)
        names, slots = shape
        if slots is not None:  # two predicates with one attribute name
            values += [""] * (len(names) - len(values))
            for p, slot in zip(predicates, slots, strict=True):
                found = literals[p]
                values[slot] = found if type(found) is str else " | ".join(sorted(found))
        else:
            for p in predicates:
                found = literals[p]
                values.append(found if type(found) is str else " | ".join(sorted(found)))
        yield n, names, values


def _shape(predicates: tuple[str, ...]) -> tuple[tuple[str, ...], list[int] | None]:
    """The attribute names of a node with data properties ``predicates`` (sorted), and, when
    two of them have one name, where each one's value goes (the first one's place, the last
    one's value, as when they are put into a dict in turn); else None."""
    names = list(NODE_ATTRIBUTES)
    slots = []
    for p in predicates:
        name = _local(p) + ("Value" if _local(p) in RESERVED else "")
        if name not in names:
            names.append(name)
        slots.append(names.index(name))
    simple = slots == list(range(len(NODE_ATTRIBUTES), len(names)))
    return tuple(names), None if simple else slots


class EdgeKinds:
    """What the attributes of the edges are made of: the edges of one predicate in one graph
    share them (:meth:`template`); a curated edge adds its rationale."""

    def __init__(self, facts: _Facts, lang: str, short: Callable[[str], str]) -> None:
        #: (subject, predicate, object) -> the rationale of a curated link
        self.rationale: dict[tuple[str, str, str], str] = {}
        for st in facts.statements:
            r = facts.reified.get(st, {})
            if {"subject", "predicate", "object"} <= set(r):
                text = _label(facts.rationale.get(st, {}), lang, "")
                self.rationale[(r["subject"], r["predicate"], r["object"])] = text
        self.curated = facts.curated_graphs
        label_of = cache(lambda p: _label(facts.onto_labels.get(p, {}), lang, short(p)))

        @cache
        def template(p: str, g: str) -> tuple[str, dict[str, str]]:
            """The key and attributes every edge of predicate ``p`` in graph ``g`` shares."""
            status = "curated" if g in self.curated else "stated"
            source = short(facts.graph_source.get(g, ""))
            values = (p, label_of(p), status, g, source, "")
            return short(p), dict(zip(EDGE_ATTRIBUTES, values, strict=True))

        self.template = template


_target = itemgetter(1)


def shown(links: list[tuple[str, str, str]], nodes: set[str], curated: set[str]):
    """The links of one subject (its record's ``links``) that are edges, as (predicate,
    object, graph), in the order networkx iterates the edges of a graph built from them: by
    target in the order the targets first appear when the links are sorted by predicate and
    object, then in that order. Only links to ``nodes`` are edges. A link stated in several
    graphs is one edge, shown from a stated graph if it has one. The result may be ``links``
    itself (sorted), for the caller to read."""
    links.sort()
    targets = set(map(_target, links))
    if len(targets) == len(links) and nodes.issuperset(targets):
        return links  # the usual case, found without a step per link: each target once
    last = len(links) - 1
    last_p = last_o = None
    by_target: dict[str, tuple[str, str, str]] = {}
    again: dict[str, list[tuple[str, str, str]]] | None = None  # targets linked more than once
    for i, link in enumerate(links):
        p, o, g = link
        if o is last_o and p == last_p:
            continue  # the same link in another graph
        last_p, last_o = p, o
        if o not in nodes:
            continue  # not a node: a statement or a knowledge-graph description
        if g in curated and i < last:
            after = links[i + 1]
            if after[1] is o and after[0] == p:  # the link is in another graph too
                link = (p, o, _chosen(links, i, curated))
        if o not in by_target:
            by_target[o] = link
        elif again is None:
            again = {o: [link]}
        elif o in again:
            again[o].append(link)
        else:
            again[o] = [link]
    if again is None:
        return list(by_target.values())
    out = []
    for o, link in by_target.items():
        out.append(link)
        out += again.get(o, ())
    return out


def _chosen(links: list[tuple[str, str, str]], i: int, curated: set[str]) -> str:
    """The graph the link at ``i`` is shown from: the first stated graph that has it (its
    graphs follow it, sorted), else its first graph."""
    p, o, first = links[i]
    for p2, o2, g in links[i + 1 :]:
        if (p2, o2) != (p, o):
            break
        if g not in curated:
            return g
    return first


def _order_classes(types, supers: dict[str, set[str]], short=compact) -> list[str]:
    """Project classes before others, specific before general, then by name."""

    def rank(c: str) -> tuple[int, int, str]:
        return (0 if c.startswith(SC) else 1, -len(supers.get(c, {c})), c)

    return [short(c) for c in sorted(types, key=rank)]


def has_class(data: dict, classes: Iterable[str]) -> bool:
    """True when a node's ``class`` attribute names one of ``classes`` (full IRIs)."""
    mine = set(data.get("class", "").split())
    return any(compact(c) in mine for c in classes)


def view(full, name: str = "full", *, stated_only: bool = False):
    """The ``topics``, ``regions`` or ``full`` view of a full graph (a new graph)."""
    if name not in VIEWS:
        raise InputError(f"unknown view {name!r}; use one of {', '.join(VIEWS)}.")
    if name == "full" and not stated_only:
        full.graph["view"] = name
        return full
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
    g = _sorted(g)
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
        listed = "; ".join(f"{compact(h)} = {shown_name(graph, h)}" for h in hits[:10])
        raise InputError(
            f"{what} {text!r} names {len(hits)} nodes: {listed}. Give one of these IRIs instead."
        )
    names = graph.graph.get("names", {})
    labels = {d["label"] for _, d in graph.nodes(data=True)}
    labels |= {x for n in graph.nodes for x in names.get(n, ())}
    hint = _suggest(graph, text, labels)
    raise InputError(f"{what} {text!r} matches no node of this view by IRI or label.{hint}")


def _suggest(graph, text: str, labels: set[str]) -> str:
    """ "Did you mean ...?" for a --focus that matches nothing; a name that several regions
    share is offered once per region, with its level and IRI, so the choice can be made."""
    from .errors import near_matches

    hits = near_matches(text, labels)
    if not hits:
        return ""
    offered = []
    for name in hits:
        wanted = name.casefold()
        nodes = sorted(n for n, d in graph.nodes(data=True) if _names(graph, n, d, wanted))
        if len(nodes) > 1:
            offered += [f'"{shown_name(graph, n)}" ({compact(n)})' for n in nodes]
        else:
            offered.append(f'"{name}"')
    return " Did you mean " + " or ".join(offered) + "?"


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
    sub = _sorted(graph.subgraph(near))
    sub.graph["focus"] = node
    sub.graph["depth"] = depth
    return sub


def build(
    kb,
    view_name: str = "full",
    *,
    lang: str = DEFAULT_LANG,
    focus: str | None = None,
    depth: int = 1,
    stated_only: bool = False,
):
    """The networkx MultiDiGraph of a knowledge base, for one view (and focus)."""
    check(lang)
    full = build_full(kb.store, lang)
    g = view(full, view_name, stated_only=stated_only)
    if focus is not None:
        g = neighbourhood(g, focus, depth)
    return g
