"""Stored and reflected XSS through links: an IRI from the data or from a query result becomes
a link only when it is http(s) or a path on this site (``htmlsafe.safe_href``).

The data (a ``--data`` file written here) holds ``javascript:``, ``data:`` and ``vbscript:``
IRIs where the home page, an entity page, a result table, the graph view and the HTML export
show them; a real Chromium loads every page, clicks what carries those IRIs' labels and checks
that no link has another scheme and that no dialog opens.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serving import script, start_server

pytestmark = pytest.mark.slow

ID = "https://w3id.org/smartcity-kg/id/"
DATA_URL = "data:text/html,%3Cscript%3Ealert(3)%3C/script%3E"
EVIL_TTL = f"""\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
@prefix id: <https://w3id.org/smartcity-kg/id/> .

<javascript:alert(document.domain)> a sc:TopicArea ;
    rdfs:label "Script topic"@de , "Script topic"@en ;
    sc:servesGoal <{DATA_URL}> .
<{DATA_URL}> a sc:Goal ; rdfs:label "Data goal"@de , "Data goal"@en .
id:test\\/evil rdfs:label "Böse Seite"@de , "Evil page"@en ;
    rdfs:seeAlso <javascript:alert(1)> , <vbscript:msgbox(1)> , <{DATA_URL}> ,
        <https://example.org/fine> ;
    sc:hasTopicArea id:topic\\/mobilitaet .
"""
REFLECTED = (
    "SELECT ?x WHERE { VALUES ?x { <javascript:alert(2)> <vbscript:msgbox(2)> "
    f"<{DATA_URL}> <https://example.org/fine> }} }}"
)


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("links")
    evil = folder / "evil.ttl"
    evil.write_text(EVIL_TTL, encoding="utf-8")
    with start_server(folder, "--data", str(evil)) as running:
        yield running


PAGES = {
    "home": "/",
    "entity": "/id/test/evil?_lang=en",
    "reflected": "/query?query=" + quote(REFLECTED),
    "graph": "/graph?view=full&depth=1&focus=" + quote(ID + "test/evil"),
}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src", "action")]


def allowed(href: str) -> bool:
    return href.startswith(("http://", "https://", "?", "#")) or (
        href.startswith("/") and not href.startswith(("//", "/\\"))
    )


def test_no_link_but_http_or_site_paths_in_any_page(evil_server, browser):
    # In the HTML as served: every href/src/action is http(s) or a path here.
    for name, path in PAGES.items():
        response = httpx.get(evil_server.url + path)
        assert response.status_code == 200, (name, response.text)
        parser = Links()
        parser.feed(response.text)
        assert parser.hrefs, name
        assert [h for h in parser.hrefs if not allowed(h)] == [], name
    # The http(s) IRIs stay links, so the test above is not passing by linking nothing.
    entity = httpx.get(evil_server.url + PAGES["entity"]).text
    assert '<a href="https://example.org/fine"' in entity
    table = httpx.get(evil_server.url + PAGES["reflected"]).text
    assert '<a href="https://example.org/fine"' in table

    # In Chromium: every link resolves to http(s); clicking the bad IRIs' text runs nothing.
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for name, path in PAGES.items():
        page.goto(evil_server.url + path)
        protocols = page.eval_on_selector_all("a[href]", "els => els.map(a => a.protocol)")
        assert set(protocols) <= {"http:", "https:"}, name
    page.goto(evil_server.url + "/")
    page.get_by_text("Script topic", exact=True).first.click()
    page.get_by_text("Data goal", exact=True).first.click()
    page.goto(evil_server.url + PAGES["entity"])
    for text in ("javascript:alert(1)", "vbscript:msgbox(1)", "Data goal"):
        page.get_by_text(text, exact=True).first.click()
    page.goto(evil_server.url + PAGES["reflected"])
    page.get_by_text("javascript:alert(2)", exact=True).first.click()
    page.wait_for_timeout(300)
    assert page.url.startswith(evil_server.url)
    assert dialogs == []

    # The graph view's details panel: a link only for http(s) nodes, none for the others.
    page.goto(evil_server.url + PAGES["graph"])
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    details = details_links(page)
    assert details["https://example.org/fine"] == ["https://example.org/fine"]
    assert details["javascript:alert(1)"] == []
    assert details["vbscript:msgbox(1)"] == []
    assert details[DATA_URL] == []
    assert details[ID + "test/evil"] == [evil_server.url + "/id/test/evil"]
    assert dialogs == []
    context.close()


def details_links(page) -> dict[str, list[str]]:
    """Select every node of the graph page in turn: its IRI -> the links its details show."""
    found = {}
    ids = page.eval_on_selector_all("#nodes g.node", "els => els.map(e => e.dataset.id)")
    for i, iri in enumerate(ids):
        page.evaluate(f"window.smartcityGraph.select({i})")
        found[iri] = page.eval_on_selector_all("#details a", "els => els.map(a => a.href)")
    return found


def test_html_export_details_link_only_http(tmp_path, browser):
    """The offline HTML export of the same data: the details panel links only http(s) IRIs."""
    import subprocess

    evil = tmp_path / "evil.ttl"
    evil.write_text(EVIL_TTL, encoding="utf-8")
    out = tmp_path / "evil.html"
    args = ["export", "--data", str(evil), "--focus", ID + "test/evil", "-o", str(out)]
    subprocess.run([script(), *args], check=True, capture_output=True)
    context = browser.new_context(offline=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    details = details_links(page)
    assert details["https://example.org/fine"] == ["https://example.org/fine"]
    assert details[ID + "test/evil"] == [ID + "test/evil"]
    for iri in ("javascript:alert(1)", "vbscript:msgbox(1)", DATA_URL):
        assert details[iri] == []
    assert dialogs == []
    context.close()


# Pieces of URLs that browsers read in surprising ways: case, leading controls and spaces,
# tabs and newlines inside the scheme, backslashes, extra slashes, percent-escapes.
URL_PIECES = st.sampled_from(
    [
        "javascript:",
        "JaVaScRiPt:",
        "java\tscript:",
        "java\nscript:",
        "vbscript:",
        "data:",
        "http:",
        "https:",
        "HTTPS:",
        "ftp:",
        "file:",
        "//",
        "/",
        "\\",
        "/\\",
        "\\\\",
        "\t",
        "\n",
        "\r",
        " ",
        "\x00",
        "\x01",
        "\x1f",
        "\x7f",
        "\x85",
        "\u00a0",
        "\u3000",
        "%2f",
        "%5c",
        "%0a",
        "evil.example",
        "@",
        ":",
        "?",
        "#",
        "alert(1)",
        "ſ",
        "K",
        ".",
    ]
)
URLISH = st.tuples(
    st.sampled_from(["", "/", "http://", "https://", "HtTpS://"]),
    st.lists(URL_PIECES | st.text(max_size=3), max_size=6).map("".join),
).map("".join)


@pytest.fixture(scope="module")
def blank_page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


TRICKY = [
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "/\\evil.example/",
    "//evil.example/",
    " //evil.example/",
    "\x01//evil.example/",
    "/ /evil.example",
    "\x00javascript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "\u00a0javascript:alert(1)",
    "httpſ://evil.example/",
    "http:\\\\evil.example/",
    "https:evil.example",
]


@settings(max_examples=400, deadline=None)
@given(text=URLISH)
def test_safe_href_agrees_with_chromium(blank_page, text):
    """Whatever ``safe_href`` lets through, Chromium resolves to http(s), and a site path to
    this very host: the decision reads the string the way the browser will."""
    check_against_chromium(blank_page, text)


def test_safe_href_on_tricky_urls(blank_page):
    from smartcity_kg.htmlsafe import safe_href

    for text in TRICKY:
        check_against_chromium(blank_page, text)
    assert [safe_href(t) for t in TRICKY[:-2]] == [None] * (len(TRICKY) - 2)


def check_against_chromium(blank_page, text: str) -> None:
    from smartcity_kg.htmlsafe import safe_href

    href = safe_href(text)
    if href is None:
        return
    assert href == text
    # The browser's own URL parser, resolving as a link on a page of this site would. An
    # href it cannot parse ("http://") is a link to nowhere: harmless.
    protocol, host = blank_page.evaluate(
        """h => { try { const u = new URL(h, "http://site.test/base/");
                        return [u.protocol, u.host]; }
                  catch (e) { return ["invalid", ""]; } }""",
        href,
    )
    if protocol == "invalid":
        return
    assert protocol in ("http:", "https:"), (href, protocol)
    if not href.lower().startswith(("http://", "https://")):
        assert host == "site.test", (href, host)
