"""The ``html`` export: one self-contained page (data, script and style inline; no network).

The script (``htmlview_assets/graph.js``) lays the graph out with a small force simulation
started from fixed positions, so the same graph looks the same every time; it offers pan
(drag), zoom (wheel or buttons), search by label or IRI, and a details panel with a node's
attributes, source and links (stated with source, curated with rationale).
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources


def _asset(name: str) -> str:
    return (resources.files("smartcity_kg") / "htmlview_assets" / name).read_text("utf-8")


def graph_data(g) -> dict:
    """The page's data: nodes with attributes, edges by node index."""
    from .export import COLOURS, REGION_COLOURS, _kind

    index = {n: i for i, n in enumerate(g.nodes)}
    palette = {**REGION_COLOURS, **COLOURS}
    nodes = []
    for n, d in g.nodes(data=True):
        attrs = {k: v for k, v in sorted(d.items()) if k not in ("label", "iri") and v != ""}
        nodes.append(
            {
                "id": n,
                "label": d.get("label", n),
                "kind": _kind(d),
                "colour": palette.get(_kind(d), "#ffffff"),
                "attrs": attrs,
            }
        )
    edges = [
        {
            "s": index[u],
            "t": index[v],
            "key": k,
            **{x: d.get(x, "") for x in ("label", "status", "derivedFrom", "rationale")},
        }
        for u, v, k, d in g.edges(keys=True, data=True)
    ]
    return {"view": g.graph.get("view", "full"), "nodes": nodes, "edges": edges}


def page(g, title: str = "smartcity-kg graph") -> str:
    data = json.dumps(graph_data(g), ensure_ascii=False, sort_keys=True)
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    lang = g.graph.get("lang", "en")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{escape(title)}</title>\n<style>\n{_asset('graph.css')}</style>\n</head>\n"
        "<body>\n<header>\n"
        f"<h1>{escape(title)}</h1>\n"
        '<input id="search" type="search" placeholder="Search labels" autocomplete="off">\n'
        '<span id="count"></span>\n'
        '<button id="zoom-in" title="Zoom in">+</button>'
        '<button id="zoom-out" title="Zoom out">&#8722;</button>'
        '<button id="fit" title="Show all">fit</button>\n'
        "</header>\n<main>\n"
        '<svg id="graph" xmlns="http://www.w3.org/2000/svg"><defs><marker id="arrow" '
        'viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker>'
        '</defs><g id="viewport">'
        '<g id="edges"></g><g id="nodes"></g></g></svg>\n'
        '<aside><ul id="results"></ul><div id="details"><p>Click a node for its details.</p>'
        "</div></aside>\n</main>\n"
        f'<script type="application/json" id="graph-data">{data}</script>\n'
        f"<script>\n{_asset('graph.js')}</script>\n</body>\n</html>\n"
    )
