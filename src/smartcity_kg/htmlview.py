"""The ``html`` export: one self-contained page (data, script and style inline; no network),
and the server's graph view (the same page with script and style as files, plus the site's
navigation and a view switcher).

The script (``htmlview_assets/graph.js``) lays the graph out with a small force simulation
started from fixed positions, so the same graph looks the same every time; it offers pan
(drag), zoom (wheel or buttons), search by label or IRI, and a details panel with a node's
IRI, sources and links (stated with source, curated with rationale), each a link where one is
allowed. Node labels are placed in screen space where they hit no other label and stay inside
the drawing (a label that does not fit is shown on hover); link labels show on hover and, when
zoomed in, wherever they fit. A large view opens clustered (:mod:`smartcity_kg.clusters`).
The legend lists exactly the classes present, the two kinds of link, clusters and the focus.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from importlib import resources

from .htmlsafe import json_for_html, safe_href, safe_relative
from .prefixes import expand

#: Where ``smartcity-kg serve`` publishes ``graph.js`` and ``graph.css`` for its graph view.
SERVED_ASSETS = "/static/graph/"

#: The page's own words, by language (the labels of the data come in the graph's language).
UI = {
    "en": {
        "search": "Search labels",
        "zoom_in": "Zoom in",
        "zoom_out": "Zoom out",
        "fit": "fit",
        "fit_title": "Show all",
        "collapse": "collapse",
        "collapse_title": "Close all expanded clusters",
        "legend": "Legend",
        "classes": "Classes",
        "links": "Links",
        "stated": "stated (from a source)",
        "curated": "curated (judgement, with rationale)",
        "cluster": "cluster of nodes: click to expand",
        "focus": "focused node",
        "hint": "Click a node for its details.",
        "view": "View",
        "topics": "topics",
        "regions": "regions",
        "full": "full",
        "nodes_links": "{n} nodes, {e} links",
        "shown": "{v} shown",
        "found": "{n} found",
        "iri": "IRI",
        "source": "source",
        "link": "link",
        "rationale": "rationale",
        "members": "{n} nodes; click the cluster to expand it",
        "navigation": "Site",
    },
    "de": {
        "search": "Labels suchen",
        "zoom_in": "Vergrößern",
        "zoom_out": "Verkleinern",
        "fit": "alles",
        "fit_title": "Alles zeigen",
        "collapse": "zuklappen",
        "collapse_title": "Alle aufgeklappten Gruppen schließen",
        "legend": "Legende",
        "classes": "Klassen",
        "links": "Links",
        "stated": "belegt (aus einer Quelle)",
        "curated": "kuratiert (Einschätzung, mit Begründung)",
        "cluster": "Gruppe von Knoten: Klick klappt sie auf",
        "focus": "fokussierter Knoten",
        "hint": "Klicken Sie auf einen Knoten für Details.",
        "view": "Ansicht",
        "topics": "Themen",
        "regions": "Regionen",
        "full": "alles",
        "nodes_links": "{n} Knoten, {e} Links",
        "shown": "{v} sichtbar",
        "found": "{n} gefunden",
        "iri": "IRI",
        "source": "Quelle",
        "link": "Link",
        "rationale": "Begründung",
        "members": "{n} Knoten; Klick auf die Gruppe klappt sie auf",
        "navigation": "Website",
    },
}


@dataclass
class SiteLinks:
    """The server's chrome for its graph view: site navigation, the view switcher and the
    language switch, each a list of ``(text, href)`` on this site; ``view`` is the current."""

    nav: list[tuple[str, str]] = field(default_factory=list)
    views: list[tuple[str, str, str]] = field(default_factory=list)  # (view, text, href)
    langs: list[tuple[str, str]] = field(default_factory=list)  # (lang, href)
    view: str = ""


def _asset(name: str) -> str:
    return (resources.files("smartcity_kg") / "htmlview_assets" / name).read_text("utf-8")


def _lang(g) -> str:
    lang = g.graph.get("lang", "en")
    return lang if lang in UI else "en"


def _sources(g, text: str, href: Callable[[str], str]) -> list[dict]:
    """The sources a ``derivedFrom`` value names (compact IRIs), each with its label when the
    graph has the source as a node, and a link where one is allowed."""
    out = []
    for name in text.split():
        iri = expand(name) or name
        item = {"text": g.nodes[iri].get("label", name) if iri in g else name, "iri": name}
        link = safe_href(href(iri))
        if link:
            item["href"] = link
        out.append(item)
    return out


def graph_data(g, href: Callable[[str], str] | None = None) -> dict:
    """The page's data: nodes with attributes, sources and a link (where :func:`safe_href`
    allows one), edges by node index, the classes present (the legend), the clusters of a
    large view and the focus. ``href`` maps an IRI to where its link should go."""
    from .clusters import clusters
    from .export import _kind, class_name, palette

    to = href or str
    index = {n: i for i, n in enumerate(g.nodes)}
    colours = palette(_kind(d) for _, d in g.nodes(data=True))
    member_of, cluster_info = clusters(g, _kind, lambda k: class_name(g, k))
    counts: dict[str, int] = {}
    nodes = []
    for n, d in g.nodes(data=True):
        kind = _kind(d)
        counts[kind] = counts.get(kind, 0) + 1
        skip = ("label", "iri", "derivedFrom")
        node = {
            "id": n,
            "label": d.get("label", n),
            "kind": kind,
            "colour": colours[kind],
            "attrs": {k: v for k, v in sorted(d.items()) if k not in skip and v != ""},
            "sources": _sources(g, d.get("derivedFrom", ""), to),
        }
        target = to(d.get("iri", n))
        # a relative file path only where the caller maps IRIs (the static site's pages)
        link = safe_href(target) or (safe_relative(target) if href else None)
        if link:
            node["href"] = link
        if n in member_of:
            node["cluster"] = member_of[n]
        nodes.append(node)
    edges = []
    for u, v, k, d in g.edges(keys=True, data=True):
        edge = {"s": index[u], "t": index[v], "key": k}
        edge.update({x: d.get(x, "") for x in ("label", "status", "derivedFrom", "rationale")})
        edge["sources"] = _sources(g, edge["derivedFrom"], to)
        edges.append(edge)
    classes = sorted(
        (
            {"kind": k, "name": class_name(g, k), "colour": colours[k], "count": counts[k]}
            for k in counts
        ),
        key=lambda c: (str(c["name"]).casefold(), str(c["kind"])),
    )
    for info in cluster_info.values():
        info["colour"] = colours[info["kind"]]
    focus = g.graph.get("focus")
    return {
        "view": g.graph.get("view", "full"),
        "lang": _lang(g),
        "ui": UI[_lang(g)],
        "nodes": nodes,
        "edges": edges,
        "classes": classes,
        "clusters": cluster_info,
        "focus": index.get(focus) if focus is not None else None,
    }


def _hash(text: str) -> str:
    """A CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _swatch(shape: str, colour: str = "#ffffff") -> str:
    """A small SVG picture for a legend entry (presentation attributes only: the page's
    Content-Security-Policy allows no inline style)."""
    inner = {
        "node": f'<circle cx="9" cy="8" r="6" fill="{colour}" stroke="#444"/>',
        "cluster": f'<rect x="2" y="2" width="14" height="12" rx="3" fill="{colour}" '
        'stroke="#444" stroke-width="2"/>',
        "focus": '<circle cx="9" cy="8" r="6" fill="#fff" stroke="#e8590c" stroke-width="3"/>',
        "stated": '<line x1="0" y1="8" x2="18" y2="8" stroke="#888" stroke-width="1.5"/>',
        "curated": '<line x1="0" y1="8" x2="18" y2="8" stroke="#aaa" stroke-width="1.5" '
        'stroke-dasharray="5 3"/>',
    }[shape]
    return f'<svg class="swatch" width="18" height="16" aria-hidden="true">{inner}</svg>'


def legend(data: dict) -> str:
    """The legend: one entry per class present (with its colour and count), the two kinds of
    link, and the cluster and focus marks where the page has them."""
    ui = data["ui"]
    rows = [
        f'<li data-kind="{escape(c["kind"])}">{_swatch("node", c["colour"])}'
        f'<span class="name">{escape(c["name"])}</span> <span class="n">{c["count"]}</span></li>'
        for c in data["classes"]
    ]
    marks = [
        f'<li data-link="stated">{_swatch("stated")}{escape(ui["stated"])}</li>',
        f'<li data-link="curated">{_swatch("curated")}{escape(ui["curated"])}</li>',
    ]
    if data["clusters"]:
        marks.append(f'<li data-mark="cluster">{_swatch("cluster")}{escape(ui["cluster"])}</li>')
    if data["focus"] is not None:
        marks.append(f'<li data-mark="focus">{_swatch("focus")}{escape(ui["focus"])}</li>')
    return (
        f'<section id="legend"><h2>{escape(ui["legend"])}</h2>'
        f'<h3>{escape(ui["classes"])}</h3><ul id="legend-classes">{"".join(rows)}</ul>'
        f'<h3>{escape(ui["links"])}</h3><ul id="legend-marks">{"".join(marks)}</ul></section>'
    )


def _site_header(site: SiteLinks | None, ui: dict, lang: str) -> str:
    """The server's navigation, view switcher and language switch (nothing offline)."""
    if site is None:
        return ""

    def links(items, current) -> str:
        return "".join(
            f'<a href="{escape(h)}"'
            + (' class="current" aria-current="page"' if key == current else "")
            + f">{escape(text)}</a>"
            for key, text, h in items
        )

    nav = links([("", t, h) for t, h in site.nav], None)
    views = links(site.views, site.view)
    langs = links([(x, x, h) for x, h in site.langs], lang)
    return (
        f'<nav id="site-nav" aria-label="{escape(ui["navigation"])}">{nav}</nav>'
        f'<nav id="views" aria-label="{escape(ui["view"])}"><span>{escape(ui["view"])}:</span>'
        f"{views}</nav>"
        f'<span id="langs">{langs}</span>'
    )


def page(
    g,
    title: str | None = None,
    *,
    assets: str | None = None,
    href: Callable[[str], str] | None = None,
    site: SiteLinks | None = None,
) -> str:
    """The graph page. Without ``assets`` it is one standalone file: script and style inline,
    allowed by a Content-Security-Policy that names their hashes, so it runs from disk without
    network and nothing else can run in it. With ``assets`` (a URL path such as
    ``/static/graph/``) script and style are loaded from there, so a server can forbid inline
    script altogether. ``href`` maps an IRI to its link in the details panel; ``site`` adds
    the server's navigation and view switcher. The title says the view (and focus) by
    default."""
    from .export import picture_title

    data = graph_data(g, href)
    lang, ui = data["lang"], data["ui"]
    title = title or picture_title(g)
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
        f'<div id="bar"><h1>{escape(title)}</h1>{_site_header(site, ui, lang)}</div>\n'
        '<div id="tools">'
        f'<input id="search" type="search" placeholder="{escape(ui["search"])}" '
        'autocomplete="off">'
        '<span id="count"></span>'
        f'<button id="zoom-in" title="{escape(ui["zoom_in"])}">+</button>'
        f'<button id="zoom-out" title="{escape(ui["zoom_out"])}">&#8722;</button>'
        f'<button id="fit" title="{escape(ui["fit_title"])}">{escape(ui["fit"])}</button>'
        f'<button id="collapse" title="{escape(ui["collapse_title"])}">'
        f"{escape(ui['collapse'])}</button></div>\n"
        "</header>\n<main>\n"
        '<svg id="graph" xmlns="http://www.w3.org/2000/svg"><defs><marker id="arrow" '
        'viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker>'
        '</defs><g id="viewport">'
        '<g id="edges"></g><g id="edge-hits"></g><g id="nodes"></g></g>'
        '<g id="labels"></g><g id="hover"></g></svg>\n'
        f'<aside><ul id="results"></ul><div id="details"><p>{escape(ui["hint"])}</p></div>'
        f"{legend(data)}</aside>\n</main>\n"
        f'<script type="application/json" id="graph-data">{json_for_html(data, sort_keys=True)}'
        "</script>\n"
        f"{tail}</body>\n</html>\n"
    )


__all__ = ["SERVED_ASSETS", "UI", "SiteLinks", "graph_data", "legend", "page"]
