"""The ``html`` export: one self-contained page (data, script and style inline; no network),
and the server's graph view (the same page with script and style as files).

The script (``htmlview_assets/graph.js``) lays the graph out with a small force simulation
started from fixed positions, so the same graph looks the same every time; it offers pan
(drag), zoom (wheel or buttons), search by label or IRI, and a details panel with a node's
attributes, source and links (stated with source, curated with rationale).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from html import escape
from importlib import resources

from .htmlsafe import json_for_html, safe_href, safe_relative

#: Where ``smartcity-kg serve`` publishes ``graph.js`` and ``graph.css`` for its graph view.
SERVED_ASSETS = "/static/graph/"


def _asset(name: str) -> str:
    return (resources.files("smartcity_kg") / "htmlview_assets" / name).read_text("utf-8")


def graph_data(g, href: Callable[[str], str] | None = None) -> dict:
    """The page's data: nodes with attributes (and a link when :func:`safe_href` allows one),
    edges by node index. ``href`` maps a node's IRI to where its link should go."""
    from .export import COLOURS, REGION_COLOURS, _kind

    index = {n: i for i, n in enumerate(g.nodes)}
    palette = {**REGION_COLOURS, **COLOURS}
    nodes = []
    for n, d in g.nodes(data=True):
        attrs = {k: v for k, v in sorted(d.items()) if k not in ("label", "iri") and v != ""}
        node = {
            "id": n,
            "label": d.get("label", n),
            "kind": _kind(d),
            "colour": palette.get(_kind(d), "#ffffff"),
            "attrs": attrs,
        }
        target = (href or str)(d.get("iri", n))
        # a relative file path only where the caller maps IRIs (the static site's pages)
        link = safe_href(target) or (safe_relative(target) if href else None)
        if link:
            node["href"] = link
        nodes.append(node)
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


def _hash(text: str) -> str:
    """A CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(
    g,
    title: str = "smartcity-kg graph",
    *,
    assets: str | None = None,
    href: Callable[[str], str] | None = None,
) -> str:
    """The graph page. Without ``assets`` it is one standalone file: script and style inline,
    allowed by a Content-Security-Policy that names their hashes, so it runs from disk without
    network and nothing else can run in it. With ``assets`` (a URL path such as
    ``/static/graph/``) script and style are loaded from there, so a server can forbid inline
    script altogether. ``href`` maps a node's IRI to its link in the details panel."""
    data = json_for_html(graph_data(g, href), sort_keys=True)
    lang = g.graph.get("lang", "en")
    if assets is None:
        script, style = "\n" + _asset("graph.js"), "\n" + _asset("graph.css")
        policy = (
            f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        head = (
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
            f"<title>{escape(title)}</title>\n<style>{style}</style>\n"
        )
        tail = f"<script>{script}</script>\n"
    else:
        head = (
            f"<title>{escape(title)}</title>\n"
            f'<link rel="stylesheet" href="{escape(assets)}graph.css">\n'
        )
        tail = f'<script src="{escape(assets)}graph.js"></script>\n'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{head}</head>\n"
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
        f"{tail}</body>\n</html>\n"
    )
