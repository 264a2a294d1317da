"""Export the knowledge graph: RDF formats, graph formats for graph tools, a page, pictures.

RDF formats serialise quads (named graphs kept where the format has them); every other format
is written from the networkx graph of :mod:`smartcity_kg.graph`. Every writer orders its output,
so the same graph always gives the same bytes. :func:`export` returns the bytes of each file
(CSV gives two: nodes and edges); writing them is the caller's job.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from . import formats
from .errors import InputError
from .languages import DEFAULT as DEFAULT_LANG
from .languages import check as check_language
from .prefixes import PREFIXES, compact
from .vocab import XSD_STRING

#: format name -> file extensions (the first is the one suggested), from the one registry
FORMATS: dict[str, tuple[str, ...]] = {
    f.name: f.extensions
    for f in sorted(formats.REGISTRY, key=lambda f: f.rdf is None)  # RDF first, then the rest
    if formats.EXPORT in f.kinds
}
RDF = tuple(name for name in FORMATS if formats.get(name).rdf)


def formats_text() -> str:
    return ", ".join(f"{name} ({' '.join(ext)})" for name, ext in FORMATS.items())


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of: {formats_text()}.")
    return fmt


def format_of(path: Path) -> str:
    """The export format an output file name asks for, by its extension."""
    found = formats.by_extension(path.name, formats.EXPORT)
    if found is not None:
        return found.name
    raise InputError(
        f"{path}: cannot tell the export format from the extension; use one of: "
        f"{formats_text()}, or give --format."
    )


@dataclass
class Selection:
    """Which part of the knowledge base to export."""

    view: str = "full"
    lang: str = DEFAULT_LANG
    focus: str | None = None
    depth: int = 1
    stated_only: bool = False

    @property
    def whole(self) -> bool:
        return self.view == "full" and self.focus is None and not self.stated_only


def export(kb, fmt: str, selection: Selection | None = None) -> dict[str, bytes]:
    """The files of one export: ``{"": bytes}``, or ``{"nodes": ..., "edges": ...}`` for CSV."""
    from . import graph as kg

    check_format(fmt)
    sel = selection or Selection()
    if fmt in RDF and sel.whole:
        store = getattr(kb, "store", None)
        if fmt in TRIPLE_FORMATS and store is not None and hasattr(store, "dump"):
            return {"": triples_bytes(store, fmt)}
        return {"": rdf_bytes(list(kb.quads()), fmt)}
    if fmt == "graphml" and sel.whole:  # the largest export, written without networkx
        check_language(sel.lang)
        return {"": graphml_whole(kb.store, sel.lang)}
    g = kg.build(
        kb,
        sel.view,
        lang=sel.lang,
        focus=sel.focus,
        depth=sel.depth,
        stated_only=sel.stated_only,
    )
    if fmt in RDF:
        return {"": rdf_bytes(selected_quads(kb, g, sel.stated_only), fmt)}
    return write_graph(g, fmt)


def write_graph(g, fmt: str) -> dict[str, bytes]:
    """The bytes of a networkx graph (from :mod:`smartcity_kg.graph`) in a graph format."""
    if fmt == "csv":
        return csv_files(g)
    writers: dict[str, Callable[[Any], str | bytes]] = {
        "graphml": graphml,
        "gexf": gexf,
        "gml": gml,
        "cytoscape": cytoscape,
        "dot": lambda x: dot(x).encode(),
        "mermaid": mermaid,
        "html": html,
        "svg": lambda x: picture(dot(x), "svg"),
        "png": lambda x: picture(dot(x), "png"),
    }
    if fmt not in writers:
        raise InputError(f"{fmt} is not a graph format; use one of {', '.join(writers)}.")
    out = writers[fmt](g)
    return {"": out if isinstance(out, bytes) else out.encode("utf-8")}


# --- RDF ---


def selected_quads(kb, g, stated_only: bool) -> list:
    """The quads behind a view: its nodes' data and types, and the links it shows."""
    import pyoxigraph as ox

    from .graph import DERIVED, RDF_TYPE

    nodes = set(g.nodes)
    curated = {
        q.subject.value
        for q in kb.store.quads_for_pattern(None, ox.NamedNode(PREFIXES["sc"] + "curated"), None)
        if q.object.value in ("true", "1")
    }
    out = []
    for q in kb.quads():
        s = q.subject.value
        if s not in nodes:
            continue
        if stated_only and q.graph_name.value in curated:
            continue
        o, p = q.object, q.predicate.value
        if (
            isinstance(o, ox.Literal)
            or p in (RDF_TYPE, DERIVED)
            or g.has_edge(s, o.value, compact(p))
        ):
            out.append(q)
    return out


def _sort_key(q) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def rdf_bytes(quads: list, fmt: str) -> bytes:
    """Quads in an RDF format, sorted; triple formats merge the graphs."""
    import pyoxigraph as ox

    from .render import render_graph

    if fmt == "jsonld":
        return jsonld(quads)
    if fmt in ("nquads", "trig"):
        return render_graph(sorted(quads, key=_sort_key), fmt)
    triples = sorted(
        {q.triple for q in quads}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
    )
    return render_graph([ox.Quad(t.subject, t.predicate, t.object) for t in triples], fmt)


#: RDF formats without named graphs, written from the sorted N-Triples lines (triples_bytes)
TRIPLE_FORMATS = ("turtle", "ntriples", "rdfxml")


def sorted_ntriples(store) -> bytes:
    """The union of all graphs of a pyoxigraph store as N-Triples, each triple once, sorted as
    :func:`rdf_bytes` sorts them.

    A line is ``S P O .`` with each term written as ``str(term)`` writes it, and no term is a
    proper prefix of another at a place where that could change the order (IRIs end in ``>``,
    blank node labels and literals are followed by a space, which sorts before every character
    they may hold), so sorting the lines sorts by (subject, predicate, object); UTF-8 bytes sort
    as their code points do. The store writes and :func:`sorted_lines` compares bytes, so no
    Python object is made per triple.
    """
    import pyoxigraph as ox

    graphs = [ox.DefaultGraph(), *store.named_graphs()]
    return sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) for g in graphs)


#: the lines of one subject that follow each other in a text: group 2 is the subject and the
#: space after it, and every further line starts with the same bytes
_SUBJECT_LINES = re.compile(rb"(([^ \n]+ )[^\n]*\n(?:\2[^\n]*\n)*)")


def sorted_lines(texts: Iterable[bytes]) -> bytes:
    """The distinct lines of ``texts`` (split at ``\\n``), sorted, each ending in ``\\n``;
    the lines of any one text are distinct (as a graph holds a triple once).

    Written for the N-Triples of a store's graphs, which write each subject's lines one after
    the other: sorting a million lines compares bytes some twenty million times, while sorting
    the subjects and then each subject's few lines compares a fraction of that. It gives the
    sorted lines because a line's key (the line up to and with its first space) is never a
    proper prefix of another key (that one's first space would come earlier), so two lines with
    different keys compare as their keys do. The lines of a key found apart (in two graphs) are
    put together, and only theirs need to be made distinct. Should a text not be in such
    groups (a line without a space after its first character, no newline at the end), all lines
    are sorted one by one instead.
    """
    groups: dict[bytes, bytes] = {}  # key -> its lines, each ending in "\n"
    apart: set[bytes] = set()  # the keys whose lines came in more than one group
    whole: set[bytes] | None = None  # all lines, once a text is not in subject groups
    for text in texts:
        found = _SUBJECT_LINES.findall(text) if whole is None else None
        if found is None or sum(len(block) for block, _ in found) != len(text):
            whole = set() if whole is None else whole
            whole.update(text.split(b"\n"))
            continue
        for block, key in found:
            old = groups.get(key)
            if old is None:
                groups[key] = block
            else:
                groups[key] = old + block
                apart.add(key)
    if whole is not None:
        whole.update(chain.from_iterable(block.split(b"\n") for block in groups.values()))
        whole.discard(b"")
        return b"".join(line + b"\n" for line in sorted(whole))
    out = []
    for key in sorted(groups):
        lines = groups[key].split(b"\n")  # the last one is empty
        lines.pop()
        if key in apart:
            lines = list(set(lines))
        lines.sort()
        lines.append(b"")
        out.append(b"\n".join(lines))
    return b"".join(out)


def triples_bytes(store, fmt: str) -> bytes:
    """The whole store in a triple format: the same bytes as ``rdf_bytes(quads, fmt)``."""
    import pyoxigraph as ox

    from .render import RDF_FORMATS

    text = sorted_ntriples(store)
    if fmt == "ntriples":
        return text
    # as render_graph writes, but the parsed quads (all in the default graph) go straight to
    # the writer: no list of a million triple objects in between. The text is the store's own
    # N-Triples, so the parser may skip checking it (lenient: a third faster at 1 M triples).
    prefixes = PREFIXES if formats.get(fmt).prefixes else None
    triples = ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=prefixes) or b""


def _jsonld_value(term) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@value": term.value, "@type": compact(term.datatype.value)}


def jsonld(quads: list) -> bytes:
    """JSON-LD with a compact ``@context`` of the project's prefixes, one object per graph."""
    import pyoxigraph as ox

    from .graph import RDF_TYPE

    graphs: dict[str, dict[str, dict[str, list]]] = {}
    for q in quads:
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        s = q.subject
        sid = compact(s.value) if isinstance(s, ox.NamedNode) else f"_:{s.value}"
        node = graphs.setdefault(g, {}).setdefault(sid, {})
        if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(q.object.value))
        else:
            node.setdefault(compact(q.predicate.value), []).append(_jsonld_value(q.object))

    def objects(nodes: dict[str, dict[str, list]]) -> list[dict]:
        out = []
        for sid in sorted(nodes):
            obj: dict = {"@id": sid}
            for key in sorted(nodes[sid]):
                values = nodes[sid][key]
                if key == "@type":
                    obj[key] = sorted(set(values))
                else:
                    unique = {json.dumps(v, sort_keys=True): v for v in values}
                    obj[key] = [unique[k] for k in sorted(unique)]
            out.append(obj)
        return out

    doc: dict = {"@context": dict(sorted(PREFIXES.items()))}
    top = objects(graphs.pop("", {}))
    top += [{"@id": compact(g), "@graph": objects(graphs[g])} for g in sorted(graphs)]
    doc["@graph"] = top
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --- graph formats through networkx ---


def _plain(g):
    """A copy whose graph attributes are only strings (the writers store them)."""
    out = g.copy()
    out.graph.clear()
    out.graph.update(
        {"view": g.graph.get("view", "full"), "lang": g.graph.get("lang", DEFAULT_LANG)}
    )
    return out


#: what XML text and attribute values cannot hold as they are: markup characters become
#: entities, and the control characters XML 1.0 forbids are dropped
_XML_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f]')
_XML_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    | dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
)


def _xml(text: str) -> str:
    """Text for an XML attribute value or element (most text needs nothing, and is returned
    as it is)."""
    return text if _XML_SPECIAL.search(text) is None else text.translate(_XML_ESCAPES)


class _Escaped(dict):
    """Each string's :func:`_xml` form, made once: node ids and edge keys repeat on every
    edge."""

    def __missing__(self, text: str) -> str:
        value = self[text] = _xml(text)
        return value


def _text(value: object) -> str:
    return _xml(value if type(value) is str else str(value))


_ONLY_STR = {str}


def _edge_data(edge_ids: dict[str, str], items) -> str:
    """An edge's data elements and its end tag."""
    return "".join([f"{edge_ids[a]}{_text(x)}</data>" for a, x in items]) + "</edge>\n"


def graphml(g) -> str:
    """GraphML (all attributes are strings; the edge id is the key). Written directly: the
    networkx writer builds an element tree first and is an order of magnitude slower."""
    from .collector import paused

    with paused():
        nodes, adjacency = g._node.items(), g._adj.items()
        edge_data = chain.from_iterable(
            map(dict.values, chain.from_iterable(map(dict.values, (t for _, t in adjacency))))
        )
        edge_keys = sorted(set(chain.from_iterable(edge_data)))
        out, node_ids, edge_ids = _graphml_head(g.graph, nodes, edge_keys)
        escaped = _Escaped()
        _graphml_nodes(out, nodes, node_ids, escaped)
        written: dict[tuple, str] = {}  # an edge's attributes (all strings) -> their XML
        for u, targets in adjacency:
            source = escaped[u]
            for v, keyed in targets.items():
                target = escaped[v]
                for k, d in keyed.items():
                    if set(map(type, d.values())) == _ONLY_STR:  # equal strings, same text
                        values = tuple(d.items())
                        attrs = written.get(values)
                        if attrs is None:
                            attrs = written[values] = _edge_data(edge_ids, values)
                    else:
                        attrs = _edge_data(edge_ids, d.items())
                    out.append(f'    <edge id="{escaped[k]}" source="{source}" target="{target}">')
                    out.append(attrs)  # one string shared by many edges, copied by the join
        out.append(_GRAPHML_END)
        return "".join(out)


def graphml_whole(store, lang: str) -> bytes:
    """GraphML of the full graph of a store: the UTF-8 text of
    ``graphml(build_full(store, lang))`` without the networkx graph.

    graph.full_parts gives the nodes and, subject by subject, the links that are edges in the
    order networkx keeps them (graph.shown). An edge is written right there as pieces made
    once, in UTF-8: the start of every edge of one predicate in one graph, the ids of its
    source and target, the text of the shared attributes (around a curated edge's rationale).
    One join at the end copies them: no string per edge, no text of the whole file to encode.
    The work's millions of objects are freed before the cyclic collector runs again, so it
    never scans them."""
    from .collector import paused

    with paused():
        return _graphml_whole(store, lang)


def _graphml_whole(store, lang: str) -> bytes:
    from .graph import EDGE_ATTRIBUTES, full_parts, shown

    parts = full_parts(store, lang)
    entries, known, kinds = parts.entries, parts.known, parts.kinds
    has_edges = any(rec.links and shown(rec.links, known, kinds.curated) for _, rec in entries)
    edge_keys = sorted(EDGE_ATTRIBUTES) if has_edges else []
    shapes = {id(names): names for _, names, _ in parts.nodes}
    out, node_ids, edge_ids = _graphml_head(
        {"view": "full", "lang": lang}, [(None, names) for names in shapes.values()], edge_keys
    )
    chunks = ["".join(out).encode()]
    ids = _graphml_rows(chunks, parts.nodes, node_ids)
    curated, rationale, template = kinds.curated, kinds.rationale, kinds.template
    #: graph -> predicate -> (start of the edge up to its source, the text after the target's
    #: id; before and after the rationale's value of a curated edge, else None)
    pieces: dict[str, dict[str, tuple[bytes, bytes, tuple[bytes, bytes] | None]]] = {}
    add = chunks.extend  # an edge's pieces are joined once, with everything else, at the end
    target = b'" target="'
    for s, rec in entries:
        links = rec.links
        if not links:
            continue
        source = ids[s]
        for p, o, g in shown(links, known, curated):
            by_p = pieces.get(g)
            if by_p is None:
                by_p = pieces[g] = {}
            piece = by_p.get(p)
            if piece is None:
                piece = by_p[p] = _edge_pieces(edge_ids, *template(p, g), g in curated)
            start, end, around = piece
            if around is None:
                add((start, source, target, ids[o], end))
            else:
                why = _xml(rationale.get((s, p, o), "")).encode()
                add((start, source, target, ids[o], around[0], why, around[1]))
    chunks.append(_GRAPHML_END.encode())
    return b"".join(chunks)


def _edge_pieces(
    edge_ids: dict[str, str], key: str, shared: dict[str, str], curated: bool
) -> tuple[bytes, bytes, tuple[bytes, bytes] | None]:
    """The text of an edge with key ``key`` and attributes ``shared``, around its source and
    target: the start up to the source's id, the rest after the target's id, and for a curated
    edge, the rest before and after its rationale's value instead (all in UTF-8)."""
    start = f'    <edge id="{_xml(key)}" source="'.encode()
    elements = [f"{edge_ids[a]}{_text(x)}</data>" for a, x in shared.items()]
    if not curated:
        return start, ('">' + "".join(elements) + "</edge>\n").encode(), None
    r = list(shared).index("rationale")
    before = '">' + "".join(elements[:r]) + edge_ids["rationale"]
    after = "</data>" + "".join(elements[r + 1 :]) + "</edge>\n"
    return start, b"", (before.encode(), after.encode())


def _graphml_head(graph: dict, nodes, edge_keys: list[str]):
    """The declaration, the keys and the graph's data; and the start tags of the nodes' and
    edges' data elements, by attribute name."""
    node_keys = sorted(set(chain.from_iterable(d for _, d in nodes)))
    ids = {("graph", "view"): "g0", ("graph", "lang"): "g1"}
    ids.update({("node", k): f"n{i}" for i, k in enumerate(node_keys)})
    ids.update({("edge", k): f"e{i}" for i, k in enumerate(edge_keys)})
    out = [
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    ]
    for (kind, name), key in ids.items():
        out.append(
            f'  <key id="{key}" for="{kind}" attr.name="{_xml(name)}" attr.type="string" />\n'
        )
    out.append('  <graph edgedefault="directed">\n')
    for name in ("view", "lang"):
        value = graph.get(name, "full" if name == "view" else DEFAULT_LANG)
        out.append(f'    <data key="{ids[("graph", name)]}">{_xml(value)}</data>\n')
    node_ids = {k: f'<data key="{ids[("node", k)]}">' for k in node_keys}
    edge_ids = {k: f'<data key="{ids[("edge", k)]}">' for k in edge_keys}
    return out, node_ids, edge_ids


def _graphml_nodes(out: list[str], nodes, node_ids: dict[str, str], escaped: _Escaped) -> None:
    """The node elements; when a node's attributes are all strings and none needs escaping
    (one search over all of them says so), they are written as they are."""
    special = _XML_SPECIAL.search
    for n, d in nodes:
        values = d.values()
        if set(map(type, values)) <= _ONLY_STR and special("".join(values)) is None:
            data = "".join([f"{node_ids[k]}{v}</data>" for k, v in d.items()])
        else:
            data = "".join([f"{node_ids[k]}{_text(v)}</data>" for k, v in d.items()])
        out.append(f'    <node id="{escaped[n]}">{data}</node>\n')


def _graphml_rows(out: list[bytes], rows, node_ids: dict[str, str]) -> dict[str, bytes]:
    """The node elements of graph.full_parts' nodes, and each node's id as the XML text has it
    (the edges repeat them), in UTF-8. The text around the values is made once for all nodes
    with the same attribute names (one tuple, shared); one search over all of a node's values
    (its IRI among them) says whether any needs escaping."""
    special = _XML_SPECIAL.search
    ids: dict[str, bytes] = {}
    templates: dict[int, str] = {}  # id(names) -> the node's text, %s for its id and values
    for n, names, values in rows:
        template = templates.get(id(names))
        if template is None:
            elements = "".join(f"{node_ids[k].replace('%', '%%')}%s</data>" for k in names)
            template = templates[id(names)] = f'    <node id="%s">{elements}</node>\n'
        if special("".join(values)) is None:
            ids[n] = n.encode()
            out.append((template % (n, *values)).encode())
        else:
            node_id = _xml(n)
            ids[n] = node_id.encode()
            out.append((template % (node_id, *map(_xml, values))).encode())
    return ids


_GRAPHML_END = "  </graph>\n</graphml>\n"


def gexf(g) -> str:
    """GEXF (networkx keeps each edge's key in its ``networkx_key`` attribute)."""
    import networkx as nx

    text = "\n".join(nx.generate_gexf(_plain(g))) + "\n"
    return re.sub(r'<meta lastmodifieddate="[^"]*">', "<meta>", text, count=1)


def gml(g) -> str:
    """GML; it reserves ``label`` for the node id (the IRI), so the label is called ``name``."""
    import networkx as nx

    h = _plain(g)
    for _, data in h.nodes(data=True):
        data["name"] = data.pop("label", "")
    return "\n".join(nx.generate_gml(h)) + "\n"


def cytoscape(g) -> str:
    """Cytoscape.js JSON (``elements`` with ``nodes`` and ``edges``), readable by networkx."""
    import networkx as nx

    h = _plain(g)
    for _, data in h.nodes(data=True):
        data["name"] = data["label"]
    doc = nx.cytoscape_data(h)
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def csv_files(g) -> dict[str, bytes]:
    """A nodes table and an edges table (Gephi's ``Id``/``Source``/``Target`` columns), with
    formula-safe cells (spreadsheet.py)."""
    from .spreadsheet import render_sheet

    keys = sorted({k for _, d in g.nodes(data=True) for k in d} - {"iri", "label", "class"})
    node_rows = [
        [n, d.get("label", ""), d.get("class", ""), *(d.get(k, "") for k in keys)]
        for n, d in g.nodes(data=True)
    ]
    edge_keys = ["predicate", "label", "status", "graph", "derivedFrom", "rationale"]
    edge_rows = [
        [u, v, k, *(d.get(x, "") for x in edge_keys)]
        for u, v, k, d in g.edges(keys=True, data=True)
    ]
    nodes = render_sheet(["Id", "Label", "class", *keys], node_rows, "csv")
    edges = render_sheet(["Source", "Target", "key", *edge_keys], edge_rows, "csv")
    return {"nodes": nodes.encode("utf-8"), "edges": edges.encode("utf-8")}


# --- DOT, Mermaid and pictures ---

#: fill colours by class local name (topic view first)
COLOURS = {
    "TopicArea": "#cfe2ff",
    "Goal": "#d1e7dd",
    "Benefit": "#fff3cd",
    "Opportunity": "#f8d7da",
    "Approach": "#e2d9f3",
    "Initiative": "#ffe5d0",
    "Theme": "#e9ecef",
    "SDG": "#c3f0f0",
    "CityTheme": "#f0e6c3",
}
REGION_COLOURS = {
    "FederalState": "#9ec5fe",
    "GovernmentDistrict": "#cfe2ff",
    "District": "#e7f1ff",
    "DistrictFreeCity": "#ffe5d0",
    "Municipality": "#ffffff",
}


#: colours for the classes without one of their own, given in sorted order of class names
EXTRA_COLOURS = (
    "#b6e3a8",
    "#f4c7e8",
    "#ffd59e",
    "#c9d6a3",
    "#a8d8ea",
    "#e6c9a8",
    "#d5c6f5",
    "#f5b7b1",
    "#cce0d6",
    "#f9e79f",
    "#d7dbdd",
    "#aed6f1",
)


def _kind(data: dict) -> str:
    first = data.get("class", "").split(" ")[0]
    return first.split(":", 1)[-1]


def palette(kinds) -> dict[str, str]:
    """A fill colour for each class local name: its own (COLOURS, REGION_COLOURS), else one
    of EXTRA_COLOURS by sorted order, so the same classes always get the same colours and a
    legend can tell them apart; nodes without a class are white."""
    own = {**REGION_COLOURS, **COLOURS}
    out, spare = {}, 0
    for kind in sorted(set(kinds)):
        if kind in own:
            out[kind] = own[kind]
        elif kind == "":
            out[kind] = "#ffffff"
        else:
            out[kind] = EXTRA_COLOURS[spare % len(EXTRA_COLOURS)]
            spare += 1
    return out


def class_name(g, kind: str) -> str:
    """A class's label in the graph's language (``class_labels`` of graph.build), else its
    local name; nodes without a class are called so."""
    lang = g.graph.get("lang", "en")
    if kind == "":
        return "ohne Klasse" if lang == "de" else "no class"
    name = g.graph.get("class_labels", {}).get(kind, kind)
    return name[:1].upper() + name[1:]


def _wrap(text: str, width: int = 28) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines or [""]


def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: the words of pictures and pages, by language
WORDS = {
    "en": {
        "title": "Smart City knowledge graph",
        "topics": "topic areas, goals, benefits, initiatives",
        "regions": "administrative regions",
        "full": "everything",
        "around": "around {label} (depth {depth})",
        "stated": "stated link (source)",
        "curated": "curated link (judgement, with rationale)",
        "left_out": "Left out, without links in this view ({n}): {names}",
        "more": "and {n} more",
    },
    "de": {
        "title": "Smart-City-Wissensgraph",
        "topics": "Themenbereiche, Ziele, Nutzen, Initiativen",
        "regions": "Verwaltungsgliederung",
        "full": "alles",
        "around": "um {label} (Tiefe {depth})",
        "stated": "belegter Link (Quelle)",
        "curated": "kuratierter Link (Einschätzung, mit Begründung)",
        "left_out": "Ausgelassen, ohne Links in dieser Ansicht ({n}): {names}",
        "more": "und {n} weitere",
    },
}


def words(g) -> dict[str, str]:
    return WORDS.get(g.graph.get("lang", "en"), WORDS["en"])


def picture_title(g) -> str:
    """What a picture or page of ``g`` shows: its view, and its focus if it has one."""
    w = words(g)
    title = f"{w['title']}: {w[g.graph.get('view', 'full')]}"
    focus = g.graph.get("focus")
    if focus is not None and focus in g:
        label = g.nodes[focus].get("label", compact(focus))
        title += ", " + w["around"].format(label=label, depth=g.graph.get("depth", 1))
    return title


def _legend(g, kinds: dict[str, str], left_out: list[str]) -> str:
    """The picture's title and legend as one Graphviz HTML-like label: a swatch per class
    present, the two kinds of link, and the nodes left out for having no link."""
    from html import escape as h

    w = words(g)
    cells = [
        f'<TD BGCOLOR="{colour}" BORDER="1" COLOR="#555555">{h(class_name(g, kind))}</TD>'
        for kind, colour in sorted(kinds.items(), key=lambda kc: class_name(g, kc[0]).casefold())
    ]
    per_row = 7
    rows = ["".join(cells[i : i + per_row]) for i in range(0, len(cells), per_row)]
    rows.append(
        f"<TD>\u2500\u2500\u2500 {h(w['stated'])}</TD><TD>\u254c\u254c\u254c {h(w['curated'])}</TD>"
    )
    title = h(picture_title(g))
    out = [f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="15"><B>{title}</B></FONT></TD></TR>']
    out += [
        f'<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="4"><TR>{r}</TR></TABLE></TD></TR>'
        for r in rows
    ]
    if left_out:
        names = [g.nodes[n].get("label", compact(n)) for n in left_out]
        shown = names[:6] + ([w["more"].format(n=len(names) - 6)] if len(names) > 6 else [])
        text = w["left_out"].format(n=len(names), names="; ".join(shown))
        lines = '<BR ALIGN="LEFT"/>'.join(h(x) for x in _wrap(text, 110))
        out.append(
            f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="11">{lines}</FONT><BR ALIGN="LEFT"/></TD></TR>'
        )
    return '<<TABLE BORDER="0" CELLSPACING="0">' + "".join(out) + "</TABLE>>"


def isolated(g) -> list[str]:
    """The nodes of ``g`` without any link (a picture leaves them out and names them)."""
    return sorted(n for n in g.nodes if g.degree(n) == 0 and n != g.graph.get("focus"))


def dot(g) -> str:
    """Graphviz DOT: a layered left-to-right layout, colour by class, curated links dashed,
    a title and legend on top; nodes without links are left out and named in the legend."""
    left_out = set(isolated(g))
    shown = [(n, d) for n, d in g.nodes(data=True) if n not in left_out]
    colours = palette(_kind(d) for _, d in shown)
    predicates = {d["predicate"] for _, _, d in g.edges(data=True)}
    edge_labels = len(predicates) > 1
    lines = [
        'digraph "smartcity-kg" {',
        '  graph [rankdir=LR, fontname="DejaVu Sans", nodesep=0.2, ranksep=0.8, bgcolor="white", '
        f"fontsize=11, labelloc=t, labeljust=l, label={_legend(g, colours, sorted(left_out))}];",
        '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=10, '
        'fillcolor="#ffffff", color="#555555"];',
        '  edge [fontname="DejaVu Sans", fontsize=8, color="#666666", fontcolor="#444444"];',
    ]
    for n, d in shown:
        fill = colours[_kind(d)]
        label = "\\n".join(_dq(x)[1:-1] for x in _wrap(d.get("label", n)))
        lines.append(
            f'  {_dq(n)} [label="{label}", fillcolor="{fill}", tooltip={_dq(d.get("class", ""))}];'
        )
    for u, v, _, d in g.edges(keys=True, data=True):
        attrs = []
        if edge_labels:
            attrs.append(f"label={_dq(d.get('label', ''))}")
        if d.get("status") == "curated":
            attrs.append('style=dashed, color="#999999"')
        lines.append(f"  {_dq(u)} -> {_dq(v)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def picture(dot_text: str, fmt: str) -> bytes:
    """SVG or PNG rendered by Graphviz ``dot`` (Debian package graphviz)."""
    exe = shutil.which("dot")
    if exe is None:
        raise InputError(
            f"exporting {fmt} needs Graphviz 'dot'; install it (Debian: apt-get install graphviz)."
        )
    done = subprocess.run(
        [exe, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise InputError(f"Graphviz dot failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _mq(text: str) -> str:
    """A Mermaid quoted label: quotes and the characters Mermaid treats specially as entities."""
    for ch, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(ch, entity)
    return '"' + " ".join(text.split()) + '"'


def mermaid(g) -> str:
    """A Mermaid flowchart: nodes n0, n1, ... with quoted labels; curated links dotted."""
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    lines = ["flowchart LR"]
    kinds: dict[str, list[str]] = {}
    for n, d in g.nodes(data=True):
        lines.append(f"  {ids[n]}[{_mq(d.get('label', n))}]")
        kinds.setdefault(_kind(d) or "Thing", []).append(ids[n])
    for u, v, _, d in g.edges(keys=True, data=True):
        arrow = "-.->" if d.get("status") == "curated" else "-->"
        lines.append(f"  {ids[u]} {arrow}|{_mq(d.get('label', ''))}| {ids[v]}")
    for kind in sorted(kinds):
        colour = COLOURS.get(kind) or REGION_COLOURS.get(kind) or "#ffffff"
        name = "c" + "".join(ch for ch in kind if ch.isalnum())
        lines.append(f"  classDef {name} fill:{colour},stroke:#555555")
        lines.append(f"  class {','.join(kinds[kind])} {name}")
    return "\n".join(lines) + "\n"


def html(g) -> str:
    from .htmlview import page

    return page(g)
