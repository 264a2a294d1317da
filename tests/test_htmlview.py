"""The graph page's data, legend, clusters, language and server chrome (no browser here; the
browser tests are in test_graph_view_browser.py)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from graph_fixture import small_kg
from smartcity_kg.clusters import CLUSTER_ABOVE, CLUSTER_MAX, CLUSTER_MIN
from smartcity_kg.export import _kind
from smartcity_kg.htmlview import UI, graph_data, page  # the page's pieces, tested here
from smartcity_kg.server.page_data import graph_links, local_href

ID = "https://w3id.org/smartcity-kg/id/"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_kg(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def full(kg):
    return kg.graph("full", lang="de")


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html)
    return json.loads(found.group(1))


def legend_kinds(html: str) -> list[str]:
    return re.findall(r'<li data-kind="([^"]*)">', html)


def test_legend_lists_exactly_the_classes_present(small):
    g = small.graph("full")
    html = page(g)
    present = Counter(_kind(d) for _, d in g.nodes(data=True))
    data = page_data(html)
    assert {c["kind"]: c["count"] for c in data["classes"]} == dict(present)
    assert sorted(legend_kinds(html)) == sorted(present)
    assert re.findall(r'<li data-link="(\w+)">', html) == ["stated", "curated"]
    assert 'data-mark="cluster"' not in html and 'data-mark="focus"' not in html
    # each class its own colour, so the legend tells them apart
    colours = [c["colour"] for c in data["classes"] if c["kind"]]
    assert len(set(colours)) == len(colours)


def test_legend_of_a_focused_view_marks_the_focus(small):
    g = small.graph("full", focus="Mobility")
    html = page(g)
    data = page_data(html)
    assert data["nodes"][data["focus"]]["id"] == ID + "topic/mobilitaet"
    assert 'data-mark="focus"' in html
    assert sorted(legend_kinds(html)) == sorted({_kind(d) for _, d in g.nodes(data=True)})


def test_page_speaks_the_graph_language(small):
    for lang in ("de", "en"):
        html = page(small.graph("topics", lang=lang))
        assert f'<html lang="{lang}">' in html
        assert f'placeholder="{UI[lang]["search"]}"' in html
        assert page_data(html)["ui"] == UI[lang]
    de = page_data(page(small.graph("topics", lang="de")))
    assert "Mobilität" in {n["label"] for n in de["nodes"]}
    assert "<title>Smart-City-Wissensgraph: Themenbereiche" in page(
        small.graph("topics", lang="de")
    )


def test_sources_and_iris_are_links(small):
    g = small.graph("full")
    data = graph_data(g)
    mobility = next(n for n in data["nodes"] if n["id"] == ID + "topic/mobilitaet")
    assert mobility["href"] == ID + "topic/mobilitaet"
    assert mobility["sources"] == [
        {"text": "id:source/page", "iri": "id:source/page", "href": ID + "source/page"}
    ]
    served = graph_data(g, href=local_href)
    mobility = next(n for n in served["nodes"] if n["id"] == ID + "topic/mobilitaet")
    assert mobility["href"] == "/id/topic/mobilitaet"
    assert mobility["sources"][0]["href"] == "/id/source/page"
    stated = [e for e in served["edges"] if e["status"] == "stated"]
    assert stated and all(e["sources"][0]["href"].startswith("/id/source/") for e in stated)


def test_no_inline_style_attributes(small):
    """The page's policy allows only its own hashed style block: a style="..." attribute
    would be refused, so colours are SVG presentation attributes."""
    html = small.export("html", focus="Mobility")[""].decode()
    assert " style=" not in html


def test_small_views_are_not_clustered(kg):
    g = kg.graph("topics")
    assert g.number_of_nodes() <= CLUSTER_ABOVE
    data = graph_data(g)
    assert data["clusters"] == {}
    assert not any("cluster" in n for n in data["nodes"])


def shown_at_start(data: dict) -> set[str]:
    """What the page shows before any click: each node as its outermost cluster."""
    out = set()
    for i, n in enumerate(data["nodes"]):
        c, top = n.get("cluster"), None
        while c:
            top, c = c, data["clusters"][c]["parent"]
        out.add(f"c:{top}" if top else f"n:{i}")
    return out


def test_the_full_view_opens_as_clusters(full):
    data = graph_data(full)
    kinds = Counter(_kind(d) for _, d in full.nodes(data=True))
    clusters = data["clusters"]
    top = {c["kind"]: c for c in clusters.values() if c["parent"] is None}
    assert set(top) == {k for k, n in kinds.items() if n >= CLUSTER_MIN}
    assert all(top[k]["count"] == kinds[k] for k in top)
    shown = shown_at_start(data)
    assert len(shown) == len(top) + sum(n for n in kinds.values() if n < CLUSTER_MIN)
    assert len(shown) < 100 < full.number_of_nodes()
    # every cluster opens to at most CLUSTER_MAX things: sub-clusters and loose members
    for cid, c in clusters.items():
        children = [k for k, x in clusters.items() if x["parent"] == cid]
        loose = [n for n in data["nodes"] if n.get("cluster") == cid]
        assert len(children) + len(loose) <= max(CLUSTER_MAX, len(children)), c["label"]
        assert c["count"] == len(loose) + sum(clusters[k]["count"] for k in children)


def test_municipalities_are_grouped_by_their_district(full):
    data = graph_data(full)
    clusters = data["clusters"]
    (municipalities,) = [
        k for k, c in clusters.items() if c["kind"] == "Municipality" and c["parent"] is None
    ]
    groups = {c["label"]: c["count"] for c in clusters.values() if c["parent"] == municipalities}
    within = Counter(
        full.nodes[v]["label"]
        for u, v, d in full.edges(data=True)
        if d["predicate"].endswith("#within") and _kind(full.nodes[u]) == "Municipality"
    )
    assert groups == {name: n for name, n in within.items() if n > 1}
    assert groups["Fulda"] == 23


def test_server_graph_links_keep_the_language():
    site = graph_links("regions", "de", None, 1)
    assert site.view == "regions"
    assert site.nav[0] == ("Start", "/?_lang=de")
    assert all(href.endswith("?_lang=de") for _, href in site.nav)
    assert site.views == [
        ("topics", "Themen", "/graph?view=topics&_lang=de"),
        ("regions", "Regionen", "/graph?view=regions&_lang=de"),
        ("full", "alles", "/graph?view=full&_lang=de"),
    ]
    assert site.langs == [
        ("de", "/graph?view=regions&_lang=de"),
        ("en", "/graph?view=regions&_lang=en"),
    ]
    focused = graph_links("full", "en", "id:topic/mobilitaet", 2)
    assert focused.view == ""  # a focused page is none of the whole views
    assert focused.langs[0] == (
        "de",
        "/graph?view=full&focus=id%3Atopic%2Fmobilitaet&depth=2&_lang=de",
    )


def test_a_source_that_is_no_web_address_stays_text():
    import networkx as nx

    g = nx.MultiDiGraph(view="full", lang="en")
    g.add_node("https://example.org/a", label="A", iri="https://example.org/a")
    g.nodes["https://example.org/a"]["derivedFrom"] = "javascript:alert(1) id:source/page"
    (node,) = graph_data(g)["nodes"]
    assert node["sources"] == [
        {"text": "javascript:alert(1)", "iri": "javascript:alert(1)"},
        {"text": "id:source/page", "iri": "id:source/page", "href": ID + "source/page"},
    ]
