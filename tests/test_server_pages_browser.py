"""The server's pages as a user sees them: headless Chromium (Debian package) via Playwright,
against a real ``smartcity-kg serve``. The page-by-page HTML checks are in
tests/test_server_pages.py."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def run_query(page):
    """Click "run" and return the answer's HTTP status."""
    with page.expect_response(lambda r: "/query?" in r.url) as response:
        page.click("#run")
    page.wait_for_load_state()
    return response.value.status


def test_query_page_messages_and_the_kept_example(server, page, cli_run, tmp_path):
    page.goto(server.url + "/query?_lang=en")
    page.fill("#query", "ASK { ?s ?p ?o . ?s")
    assert run_query(page) == 400
    cli = cli_run("query", "-e", "ASK { ?s ?p ?o . ?s")
    message = page.locator("#message").inner_text()
    assert message == "query:" + cli.output.strip().removeprefix("Error: -e:")
    assert "\n" not in message and len(message) < 200
    page.screenshot(path=tmp_path / "syntax-error.png")

    page.fill("#query", "   ")
    assert run_query(page) == 400
    assert page.locator("#message").inner_text() == (
        "The query is empty: write a SPARQL query or pick an example, then run it."
    )

    page.select_option("#examples", "topic-goals")
    assert "sc:servesGoal" in page.input_value("#query")
    assert run_query(page) == 200
    assert page.locator("#examples").input_value() == "topic-goals"
    assert page.locator("#results tbody tr").count() == 16
    assert page.locator("#examples option:checked").inner_text() == (
        "Topic areas and the goals they serve"
    )


def test_named_query_form_with_selects_and_linked_labels(server, page, tmp_path):
    page.goto(server.url + "/queries/initiatives-within?_lang=en")
    region = page.locator("select[name=region]")
    assert region.locator("option:checked").inner_text() == "Fulda (district (Landkreis), 06631)"
    region.select_option(label="Kassel (district (Landkreis), 06633)")
    page.click("#run")
    page.wait_for_url("**/queries/initiatives-within?region=id%3Aregion%2F06633&lang=en&_lang=en")
    assert region.input_value() == "id:region/06633"
    assert page.locator("select[name=lang]").input_value() == "en"
    assert page.locator("#results thead th").all_inner_texts() == ["initiative", "places inside"]
    first = page.locator("#results tbody tr").first.locator("td").first
    name = first.inner_text()
    page.screenshot(path=tmp_path / "named-query.png", full_page=True)
    first.locator("a").click()
    page.wait_for_url("**/id/initiative/**")
    assert page.locator("h1").inner_text() == name


def test_entity_page_labels_sources_and_references(server, page, tmp_path):
    page.goto(server.url + "/id/topic/mobilitaet")
    assert page.locator("#names dt").all_inner_texts() == ["de", "en"]
    assert page.locator("#names dd").all_inner_texts() == ["Mobilität", "Mobility"]
    assert page.locator("h2").all_inner_texts() == ["Aussagen", "Verwiesen von"]
    assert page.locator("#outgoing thead th").all_inner_texts() == [
        "Eigenschaft",
        "Wert",
        "Quelle",
    ]
    assert page.locator("header nav a").first.inner_text() == "Start"
    assert page.locator("#incoming a[href^='/id/curated/']").count() == 0
    assert "Bus-App" in page.locator("#incoming").inner_text()
    page.screenshot(path=tmp_path / "entity.png", full_page=True)

    quote = page.locator("#outgoing tr", has_text="Zitat")
    assert quote.locator(".badge").inner_text() == "belegt"
    quote.get_by_role("link", name="Digitale Städte, Digitale Regionen").click()
    page.wait_for_url("**/id/source/digitale-staedte?_lang=de")
    assert page.locator("h1").inner_text() == "Digitale Städte, Digitale Regionen"

    page.get_by_role("link", name="en", exact=True).click()
    assert page.locator("header nav a").first.inner_text() == "Home"
    assert page.locator("h1").inner_text() == "Digital Cities, Digital Regions"


def test_home_marks_curated_links_and_counts_as_stats(server, page, tmp_path):
    page.goto(server.url + "/?_lang=en")
    assert page.title() == "Smart City knowledge graph · smartcity-kg"
    card = page.locator("#topics .card", has_text="Mobility")
    goals = card.locator(".goals")
    assert goals.locator(".badge").all_inner_texts() == ["curated", "curated"]
    why = goals.locator(".badge").first.get_attribute("title")
    assert why == ("Better mobility offers make everyday life easier and increase quality of life.")
    region = page.locator("#counts tr", has_text="region").first
    assert region.locator("td.num").inner_text() == "455"
    page.screenshot(path=tmp_path / "home.png", full_page=True)
