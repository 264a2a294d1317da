"""The web UI in a real browser: headless Chromium (Debian package) via Playwright."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.slow

ID = "https://w3id.org/smartcity-kg/id/"


def test_home_to_mobility_page(server, page, tmp_path):
    page.goto(server.url + "/")
    assert page.title() == "Smart-City-Wissensgraph · smartcity-kg"  # the server's default: de
    cards = page.locator("#topics .card h3")
    assert cards.count() == 10
    assert "Mobilität" in cards.all_inner_texts()
    benefits = httpx.get(
        server.url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?b a sc:Benefit }", "format": "csv"},
    ).text.split()[1]
    assert page.locator("#benefits li").count() == int(benefits) > 0
    mobility = page.locator("#topics .card", has_text="Mobilität").inner_text()
    assert "Lebensqualität der Bürgerinnen und Bürger erhöhen" in mobility
    page.screenshot(path=tmp_path / "home.png", full_page=True)

    page.locator("#topics").get_by_role("link", name="Mobilität", exact=True).click()
    page.wait_for_url("**/id/topic/mobilitaet?_lang=de")
    assert page.locator("h1").inner_text() == "Mobilität"
    assert page.locator(".iri code").inner_text() == ID + "topic/mobilitaet"
    incoming = page.locator("#incoming").inner_text()
    assert "Sensornetz" in incoming and "Bus-App" in incoming
    page.screenshot(path=tmp_path / "mobilitaet.png", full_page=True)

    page.get_by_role("link", name="en", exact=True).click()
    assert page.locator("h1").inner_text() == "Mobility"
    assert (tmp_path / "home.png").stat().st_size > 10_000


def test_named_query_form(server, page, tmp_path):
    page.goto(server.url + "/queries")
    page.get_by_role("link", name="topic-areas", exact=True).click()
    page.wait_for_url("**/queries/topic-areas**")
    page.select_option("select[name=lang]", "en")
    page.click("#run")
    page.wait_for_url("**/queries/topic-areas?lang=en&_lang=de")
    assert page.locator("select[name=lang]").input_value() == "en"
    # ?topic and its ?label are one column: the labels, linked to the topic areas' pages
    assert page.locator("#results thead th").all_inner_texts() == ["label"]
    labels = page.locator("#results tbody td a").all_inner_texts()
    assert len(labels) == 10
    assert labels == sorted(labels)
    assert "Mobility" in labels
    assert page.locator(".count").inner_text() == "10 Zeilen"  # the page is German
    page.screenshot(path=tmp_path / "named-query.png", full_page=True)


def test_sparql_from_the_query_page(server, page, tmp_path):
    page.goto(server.url + "/query")
    page.select_option("#examples", "topic-areas")
    assert "sc:TopicArea" in page.input_value("#query")

    page.fill(
        "#query",
        f"""SELECT ?label WHERE {{
  ?thing sc:hasTopicArea <{ID}topic/mobilitaet> ; rdfs:label ?label .
  FILTER(STRSTARTS(STR(?thing), "{ID}test/") && LANG(?label) = "en")
}} ORDER BY ?label""",
    )
    page.click("#run")
    page.wait_for_selector("#results")
    assert page.locator("#results tbody td").all_inner_texts() == ["Bus app", "Sensor network"]
    page.screenshot(path=tmp_path / "query.png", full_page=True)

    page.fill("#query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    page.click("#run")
    assert "SERVICE <http://example.org/sparql> is refused" in page.locator("#message").inner_text()


def test_ontology_page(server, page):
    page.goto(server.url + "/ontology")
    row = page.locator("#classes tr#TopicArea")
    assert row.locator("td").nth(0).inner_text() == "sc:TopicArea"
    assert "Themenbereich" in row.locator("td").nth(1).inner_text()


def test_graph_view_around_an_entity(server, page, tmp_path):
    page.goto(server.url + "/id/topic/mobilitaet")
    page.click("#graph-link")
    page.wait_for_url("**/graph?view=full&focus=**")
    page.wait_for_function("document.querySelectorAll('#nodes > *').length > 1")
    shown = page.locator("#nodes").text_content()
    assert "Mobilität" in shown and "Bus-App" in shown
    page.screenshot(path=tmp_path / "graph.png")
