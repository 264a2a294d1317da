"""Graph questions SPARQL answers badly: centrality, paths, the topic x goal matrix, gaps.

Every analysis takes the networkx graph of :mod:`smartcity_kg.graph` and returns a
:class:`Table` (headers and plain rows); the CLI renders it.

*Reach* is the direction of influence: a topic area reaches what it leads to. Links are followed
as stated, except ``sc:focusesOn``, ``sc:hasTopicArea`` and ``sc:hasTheme``, which point *to*
the topic area (or theme) and are followed backwards: a topic area reaches the approaches,
opportunities and themes that concern it, a theme the initiatives that work on it, and from
there the goals and benefits they serve or bring.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .errors import InputError
from .prefixes import SC, compact

BACKWARDS = {SC + "focusesOn", SC + "hasTopicArea", SC + "hasTheme"}
TOPIC = SC + "TopicArea"
GOAL = SC + "Goal"
BENEFIT = SC + "Benefit"
INITIATIVE = SC + "Initiative"
SDG = SC + "SDG"
SDG_IRI = "http://metadata.un.org/sdg/"
SPATIAL = "http://purl.org/dc/terms/spatial"
WITHIN = SC + "within"
#: --level names: the class local names and their German names
LEVELS = {
    "FederalState": "FederalState",
    "Land": "FederalState",
    "GovernmentDistrict": "GovernmentDistrict",
    "Regierungsbezirk": "GovernmentDistrict",
    "District": "District",
    "Landkreis": "District",
    "DistrictFreeCity": "DistrictFreeCity",
    "kreisfreie-Stadt": "DistrictFreeCity",
    "Municipality": "Municipality",
    "Gemeinde": "Municipality",
}


@dataclass
class Table:
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def _of_class(g, cls: str) -> list[str]:
    from .graph import has_class

    return sorted(n for n, d in g.nodes(data=True) if has_class(d, [cls]))


def _label(g, n: str) -> str:
    return g.nodes[n].get("label", compact(n))


# --- centrality ---


def centrality(g) -> Table:
    """Degree (links in and out), betweenness (undirected, normalised) and PageRank (directed,
    alpha 0.85) of the topic areas, goals and benefits, computed on the whole given graph."""
    import networkx as nx

    simple = nx.DiGraph(g)
    between = nx.betweenness_centrality(simple.to_undirected(), normalized=True)
    rank = pagerank(simple)
    rows = []
    for cls in (TOPIC, GOAL, BENEFIT):
        for n in _of_class(g, cls):
            rows.append(
                [
                    compact(n),
                    _label(g, n),
                    compact(cls),
                    g.degree(n),
                    round(between[n], 4),
                    round(rank[n], 4),
                ]
            )
    rows.sort(key=lambda r: (-r[5], -r[3], r[0]))
    return Table(["node", "label", "class", "degree", "betweenness", "pagerank"], rows)


def pagerank(g, alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 200) -> dict:
    """PageRank by power iteration on a DiGraph (dangling nodes spread their rank evenly),
    the same definition as networkx's, without its numpy/scipy dependency."""
    nodes = sorted(g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    rank = dict.fromkeys(nodes, 1.0 / n)
    out = {u: g.out_degree(u) for u in nodes}
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if out[u] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u in nodes:
            if out[u]:
                share = alpha * rank[u] / out[u]
                for v in g.successors(u):
                    new[v] += share
        if sum(abs(new[u] - rank[u]) for u in nodes) < n * tol:
            return new
        rank = new
    return rank


# --- reach and explain ---


def reach_graph(g):
    """A DiGraph in the direction of influence; each edge lists the RDF links behind it."""
    import networkx as nx

    r = nx.DiGraph()
    r.add_nodes_from(g.nodes)
    for u, v, k, d in g.edges(keys=True, data=True):
        a, b = (v, u) if d["predicate"] in BACKWARDS else (u, v)
        if not r.has_edge(a, b):
            r.add_edge(a, b, links=[])
        r.edges[a, b]["links"].append((u, v, k))
    return r


def explain(g, source: str, target: str, max_length: int = 3) -> Table:
    """The paths of at most ``max_length`` links along which ``source`` reaches ``target``;
    one row per link, with its label, direction and evidence (source or rationale)."""
    import networkx as nx

    from .graph import find_node

    if max_length < 1:
        raise InputError(f"--max-length {max_length}: give 1 or more.")
    s, t = find_node(g, source, "SOURCE"), find_node(g, target, "TARGET")
    r = reach_graph(g)
    paths = sorted(
        nx.all_simple_paths(r, s, t, cutoff=max_length),
        key=lambda p: (len(p), [_label(g, n) for n in p]),
    )
    rows = []
    for number, path in enumerate(paths, 1):
        for step, (a, b) in enumerate(itertools.pairwise(path), 1):
            for u, v, k in sorted(r.edges[a, b]["links"]):
                d = g.edges[u, v, k]
                stated = d["status"] == "stated"
                rows.append(
                    [
                        number,
                        step,
                        _label(g, u),
                        d["label"],
                        _label(g, v),
                        d["status"],
                        d["derivedFrom"] if stated else d["rationale"],
                    ]
                )
    headers = ["path", "step", "from", "link", "to", "status", "source or rationale"]
    return Table(headers, rows)


# --- matrix ---


def _natural(iri: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"(\d+)", iri))


def matrix_columns(g, columns: str) -> list[str]:
    if columns == "goals":
        return _of_class(g, GOAL)
    if columns == "sdgs":
        found = set(_of_class(g, SDG))
        found |= {v for _, v, d in g.edges(data=True) if d["predicate"] == SC + "contributesToSDG"}
        return sorted(found, key=_natural)
    raise InputError(f"unknown matrix columns {columns!r}; use goals or sdgs.")


def column_label(g, n: str) -> str:
    """A column's heading: its label, led by ``SDG 11:`` for a goal the UN numbers."""
    notation = g.nodes[n].get("notation", "") if n in g else ""
    if notation and n.startswith(SDG_IRI):
        return f"SDG {notation}: {_label(g, n)}"
    return _label(g, n)


def matrix(g, columns: str = "goals") -> Table:
    """Topic areas (rows) x goals or SDGs (columns): 1 where a link joins them, else 0."""
    cols = matrix_columns(g, columns)
    rows = []
    for t in sorted(_of_class(g, TOPIC), key=lambda n: _label(g, n).casefold()):
        rows.append([_label(g, t), *(1 if g.has_edge(t, c) else 0 for c in cols)])
    return Table(["topic area", *(column_label(g, c) for c in cols)], rows)


#: the words of the heatmap picture, by language
MATRIX_WORDS = {
    "en": {
        "goals": "Topic areas \u00d7 goals",
        "sdgs": "Topic areas \u00d7 UN Sustainable Development Goals (SDGs)",
        "corner": "topic area",
        "legend": "1 (dark) = a link joins the topic area and the column, 0 = no link",
    },
    "de": {
        "goals": "Themenbereiche \u00d7 Ziele",
        "sdgs": "Themenbereiche \u00d7 UN-Nachhaltigkeitsziele (SDGs)",
        "corner": "Themenbereich",
        "legend": "1 (dunkel) = ein Link verbindet Themenbereich und Spalte, 0 = kein Link",
    },
}


def matrix_words(columns: str, lang: str) -> dict[str, str]:
    """The picture's title, corner heading and legend for ``columns`` in ``lang``."""
    w = MATRIX_WORDS.get(lang, MATRIX_WORDS["en"])
    return {"title": w[columns], "corner": w["corner"], "legend": w["legend"]}


def heatmap_dot(table: Table, title: str, corner: str | None = None, legend: str = "") -> str:
    """The matrix as a Graphviz HTML-like table (coloured cells), for ``dot -Tsvg/-Tpng``,
    with ``title`` above and ``legend`` below."""
    from html import escape

    from .export import _wrap

    top = max([1, *(v for row in table.rows for v in row[1:])])

    def colour(v: int) -> str:
        share = v / top
        red, green, blue = (int(255 - share * (255 - c)) for c in (8, 81, 156))
        return f"#{red:02x}{green:02x}{blue:02x}"

    def cell_text(text: str) -> str:
        return "<BR/>".join(escape(x) for x in _wrap(text, 18))

    head = "".join(f"<TD><B>{cell_text(h)}</B></TD>" for h in table.headers[1:])
    first = escape(corner or table.headers[0])
    lines = [f'<TR><TD ALIGN="LEFT"><B>{first}</B></TD>{head}</TR>']
    for row in table.rows:
        cells = "".join(
            f'<TD BGCOLOR="{colour(v)}"><FONT COLOR="{"white" if v * 2 > top else "black"}">'
            f"{v}</FONT></TD>"
            for v in row[1:]
        )
        lines.append(f'<TR><TD ALIGN="LEFT">{escape(str(row[0]))}</TD>{cells}</TR>')
    if legend:
        span = len(table.headers)
        lines.append(f'<TR><TD COLSPAN="{span}" BORDER="0" ALIGN="LEFT">{escape(legend)}</TD></TR>')
    body = "".join(lines)
    return (
        'digraph "matrix" {\n  graph [fontname="DejaVu Sans", labelloc=t, fontsize=16, '
        f"label=<<B>{escape(title)}</B>>];\n"
        '  node [shape=plaintext, fontname="DejaVu Sans", fontsize=10];\n'
        '  m [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="5">'
        f"{body}</TABLE>>];\n}}\n"
    )


# --- gaps ---


def gaps(full, level: str = "District") -> Table:
    """Goals and benefits no topic area reaches, topic areas no initiative concerns (both in
    the topics view), and regions of one level (e.g. Landkreis) with no initiative in them."""
    import networkx as nx

    from .graph import view

    if level not in LEVELS:
        raise InputError(f"unknown region level {level!r}; use one of {', '.join(LEVELS)}.")
    g = view(full, "topics")
    r = reach_graph(g)
    topics = _of_class(g, TOPIC)
    reached: set[str] = set()
    for t in topics:
        reached |= nx.descendants(r, t)
    rows = []
    for cls, kind in ((GOAL, "goal not reached"), (BENEFIT, "benefit not reached")):
        rows += [[kind, compact(n), _label(g, n)] for n in _of_class(g, cls) if n not in reached]
    initiatives = set(_of_class(g, INITIATIVE))
    for t in topics:
        if not nx.descendants(r, t) & initiatives:
            rows.append(["topic area without initiative", compact(t), _label(g, t)])
    covered: set[str] = set()
    within = nx.DiGraph([(u, v) for u, v, d in full.edges(data=True) if d["predicate"] == WITHIN])
    for i in initiatives:
        for _, place, d in full.out_edges(i, data=True):
            if d["predicate"] == SPATIAL:
                covered.add(place)
                if place in within:
                    covered |= nx.descendants(within, place)
    for n in _of_class(full, SC + LEVELS[level]):
        if n not in covered:
            rows.append([f"{LEVELS[level]} without initiative", compact(n), _label(full, n)])
    return Table(["gap", "node", "label"], rows)
