"""The interactive graph in headless Chromium: the offline export and the server's /graph.

Labels are measured where Chromium lays them out (tests/overlap.py): in the default view no
two node labels intersect and every label lies inside the drawing, so none hides behind the
side panel.
"""

from __future__ import annotations

import json

import pytest

from overlap import labels, overlaps
from smartcity_kg.export import _kind  # the legend's class of a node, as the page computes it

pytestmark = pytest.mark.slow

ID = "https://w3id.org/smartcity-kg/id/"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == []  # no script errors, no refused script or style (CSP)


@pytest.fixture(scope="module")
def graph_server(tmp_path_factory):
    """A server with its default time limit: building the full graph for a view takes a
    second or two on a busy machine, more than the 2 s of the shared test server."""
    from serving import start_server

    with start_server(tmp_path_factory.mktemp("graph-server")) as running:
        yield running


def open_export(page, cli_run, tmp_path, *args: str):
    out = tmp_path / "graph.html"
    assert cli_run("export", *args, "-o", str(out)).exit_code == 0
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    page.mouse.move(0, 0)  # the default view: nothing hovered
    return requests, out


def texts(locator) -> list[str]:
    """The text of SVG elements (innerText is an HTML property)."""
    return locator.evaluate_all("els => els.map(e => e.textContent)")


def label_boxes(page):
    """The shown node labels of the drawing, and the drawing's box."""
    found = labels(page, "#labels")
    box = page.locator("#graph").bounding_box()
    return found, box


def assert_labels_readable(page):
    found, box = label_boxes(page)
    assert found
    assert overlaps(found) == []
    aside = page.locator("aside").bounding_box()
    for text, (x, y, w, h) in found:
        assert box["x"] <= x and x + w <= box["x"] + box["width"], text
        assert box["y"] <= y and y + h <= box["y"] + box["height"], text
        assert x + w <= aside["x"], text  # not under the side panel
    return found


def test_topics_view_legend_labels_and_details(page, cli_run, tmp_path, kg):
    requests, out = open_export(page, cli_run, tmp_path, "--view", "topics", "--lang", "de")
    g = kg.graph("topics", lang="de")
    kinds = {_kind(d) for _, d in g.nodes(data=True)}
    assert (
        set(page.locator("#legend-classes li").evaluate_all("els => els.map(e => e.dataset.kind)"))
        == kinds
    )
    assert page.locator("#legend-classes li").count() == len(kinds)
    assert page.locator("#legend-marks li").all_inner_texts() == [
        "belegt (aus einer Quelle)",
        "kuratiert (Einschätzung, mit Begründung)",
    ]
    found = assert_labels_readable(page)
    # labels that did not fit are hidden, never overlapping; the busiest nodes keep theirs
    shown = {text for text, _ in found}
    assert {"Verwaltung", "Sicherheit", "Datenplattform", "Mobilität"} <= shown
    assert page.locator("#labels .edge-label").count() == 0

    # link labels on hover
    page.hover("g.node[data-id='" + ID + "topic/mobilitaet']")
    hover = texts(page.locator("#hover text.edge-label"))
    assert 0 < len(hover) <= g.degree(ID + "topic/mobilitaet")
    assert set(hover) <= {"hat Themenbereich", "fokussiert", "dient Ziel"}
    assert overlaps(labels(page, "#hover")) == []  # where they would collide, fewer show
    assert texts(page.locator("#hover text:not(.edge-label)")) == ["Mobilität"]
    (title,) = texts(page.locator("#edges line.curated").first.locator("title"))
    page.locator("#edge-hits line").nth(
        page.evaluate(
            "Array.from(document.querySelectorAll('#edges line'))"
            ".findIndex(l => l.classList.contains('curated'))"
        )
    ).hover()
    assert texts(page.locator("#hover text")) == [title.split(" (")[0]]
    page.mouse.move(0, 0)
    assert page.locator("#hover text").count() == 0

    # link labels at zoom, where they fit
    for _ in range(3):
        page.click("#zoom-in")
    page.wait_for_timeout(100)
    assert page.locator("#labels .edge-label").count() > 0
    assert overlaps(labels(page, "#labels")) == []

    # details: IRI and sources as links, the other end of a link selects it
    page.evaluate(f"smartcityGraph.select({list(g.nodes).index(ID + 'topic/mobilitaet')})")
    link = page.locator("#details dd a", has_text=ID + "topic/mobilitaet")
    assert link.get_attribute("href") == ID + "topic/mobilitaet"
    source = page.locator("#details dd a", has_text="id:source/digitale-staedte").first
    assert source.get_attribute("href") == ID + "source/digitale-staedte"
    page.locator("#details button.go", has_text="Smart City-Ansatz").first.click()
    assert page.evaluate("smartcityGraph.selected") == ID + "approach/smart-city"
    assert requests == [out.as_uri()]


def test_focused_node_is_marked(page, cli_run, tmp_path):
    open_export(page, cli_run, tmp_path, "--view", "topics", "--focus", "Mobility", "--lang", "en")
    focus = page.locator("g.node.focus")
    assert focus.count() == 1
    assert focus.get_attribute("data-id") == ID + "topic/mobilitaet"
    assert page.locator("#legend-marks li[data-mark=focus]").inner_text() == "focused node"
    assert page.locator("#details h2").inner_text() == "Mobility"
    found = assert_labels_readable(page)
    assert "Mobility" in {text for text, _ in found}


def test_full_view_opens_clustered_and_expands_on_click(page, cli_run, tmp_path, kg):
    open_export(page, cli_run, tmp_path, "--view", "full")
    data = json.loads(page.locator("#graph-data").text_content())
    clusters = data["clusters"]
    top = [k for k, c in clusters.items() if c["parent"] is None]
    loose = sum(1 for n in data["nodes"] if "cluster" not in n)
    assert page.evaluate("smartcityGraph.shown()") == len(top) + loose
    assert page.locator("#nodes g.node").count() == len(top) + loose
    assert page.locator("#nodes g.cluster").count() == len(top)
    assert page.locator("#legend-marks li[data-mark=cluster]").count() == 1
    full = kg.graph("full")
    assert page.locator("#legend-classes li").count() == len(
        {_kind(d) for _, d in full.nodes(data=True)}
    )
    assert_labels_readable(page)

    (topic_areas,) = [k for k in top if clusters[k]["kind"] == "TopicArea"]
    before = page.evaluate("smartcityGraph.shown()")
    page.click(f"g.cluster[data-cluster={topic_areas}]")
    assert page.evaluate("smartcityGraph.shown()") == before - 1 + clusters[topic_areas]["count"]
    member_ids = {n["id"] for n in data["nodes"] if n.get("cluster") == topic_areas}
    shown_ids = set(
        page.locator("#nodes g.node[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")
    )
    assert member_ids <= shown_ids
    page.mouse.move(0, 0)
    assert_labels_readable(page)

    # a search hit inside a closed cluster opens it and is selected
    page.fill("#search", "Fulda")
    page.locator("#results li", has_text="Fulda").first.click()
    selected = page.evaluate("smartcityGraph.selected")
    assert page.locator(f"g.node.selected[data-id='{selected}']").count() == 1
    page.click("#collapse")
    assert page.evaluate("smartcityGraph.shown()") == len(top) + loose


def test_server_graph_page_navigation_views_and_language(page, graph_server):
    server = graph_server
    page.goto(server.url + "/graph?_lang=en")
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    assert page.locator("#site-nav a").all_inner_texts() == [
        "Home",
        "Query",
        "Named queries",
        "Ontology",
        "Graph",
        "SPARQL endpoint",
    ]
    assert page.locator("#views a.current").inner_text() == "topics"
    assert page.locator("#langs a.current").inner_text() == "en"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Mobility" in page.locator("#graph-data").text_content()
    page.mouse.move(0, 0)
    assert_labels_readable(page)
    page.locator("#views a", has_text="regions").click()
    page.wait_for_url("**/graph?view=regions&_lang=en")
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    assert page.locator("#views a.current").inner_text() == "regions"
    assert page.locator("#nodes g.cluster").count() > 0  # 460 regions open clustered
    page.locator("#langs a", has_text="de").click()
    page.wait_for_url("**/graph?view=regions&_lang=de")
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    assert page.locator("#views a.current").inner_text() == "Regionen"
    assert page.locator("#site-nav a").first.get_attribute("href") == "/?_lang=de"
    page.goto(server.url + "/graph?view=topics&focus=Mobilit%C3%A4t&_lang=de")
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    link = page.locator("#details dd a").first
    assert link.get_attribute("href") == "/id/topic/mobilitaet"
    assert (
        page.locator("#details dd a", has_text="id:source/digitale-staedte").first.get_attribute(
            "href"
        )
        == "/id/source/digitale-staedte"
    )
