"""Every link on the server's pages answers, in both page languages, and the page language never
reaches a named query as a parameter (it is the reserved key ``_lang``)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

HREF = re.compile(r'href="([^"]+)"')


def links(base: str, page: str, html: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        href = unescape(raw)
        url = urljoin(page, href)
        if url.startswith(base) and not urlsplit(url).path.startswith("/static"):
            found.append(url.split("#")[0])
    return found


def crawl(client: httpx.Client, start: list[str], base: str, follow) -> dict[str, int]:
    """Every page reachable from ``start`` with its status; the links of a page are followed
    when ``follow(depth, url)`` says so (pages of depth 0 are the start). The pages of one
    depth are fetched a few at a time."""
    from concurrent.futures import ThreadPoolExecutor

    seen: dict[str, int] = {}
    frontier = list(start)
    depth = 0

    def fetch(url):
        r = client.get(url)
        html = r.headers.get("content-type", "").startswith("text/html")
        return url, r.status_code, links(base, url, r.text) if html and follow(depth, url) else []

    with ThreadPoolExecutor(4) as pool:
        while frontier:
            todo = [u for u in dict.fromkeys(frontier) if u not in seen]
            following = []
            for url, status, found in pool.map(fetch, todo):
                seen[url] = status
                following += found
            frontier, depth = following, depth + 1
    return seen


def is_result_or_entity(url: str) -> bool:
    path = urlsplit(url).path
    return path.startswith("/id/") or (path.startswith("/queries/") and "." not in path)


@pytest.fixture(scope="module")
def patient_server(tmp_path_factory):
    """A server whose time limit leaves room for the crawl's few requests at a time to wait
    for the page worker (the shared test server stops anything after 2 s)."""
    from serving import start_server

    with start_server(tmp_path_factory.mktemp("crawl"), "--timeout", "30") as running:
        yield running


@pytest.mark.slow  # a real server and about 2200 pages
def test_every_link_of_the_pages_answers_in_both_languages(patient_server):
    """The home page and /queries, every page they link to, and every link of the entity
    pages and named-query result pages among those, in both page languages."""
    base = patient_server.url
    start = [f"{base}/?_lang={lang}" for lang in ("de", "en")]
    start += [f"{base}/queries?_lang={lang}" for lang in ("de", "en")]

    def follow(depth, url):
        return depth == 0 or (depth == 1 and is_result_or_entity(url))

    with httpx.Client(timeout=60) as client:
        seen = crawl(client, start, base, follow)
    bad = {url: status for url, status in seen.items() if status != 200}
    assert not bad, bad
    named = [u for u in seen if "/queries/" in u and "." not in urlsplit(u).path]
    assert len(named) >= 2 * 30  # every named query's page, in both languages
    entities = [u for u in seen if urlsplit(u).path.startswith("/id/")]
    for lang in ("de", "en"):
        # entity pages reached from the home page, and from the named queries' results
        ours = [u for u in entities if u.endswith(f"_lang={lang}")]
        assert len(ours) > 400, lang
        assert any("/id/initiative/" in u for u in ours)
        assert any("/id/region/" in u for u in ours)
        assert any("/id/source/" in u for u in ours)
    assert not [u for u in entities if "/id/curated/" in u and "_lang" not in u]


def test_page_language_switch_keeps_a_named_query_working(web):
    # a named query without a lang parameter, opened in English
    r = web.get("/queries/gemeinden-per-kreis", params={"_lang": "en"})
    assert r.status_code == 200
    # a named query with one takes the page language unless the form sets it
    r = web.get("/queries/topic-areas.csv", params={"_lang": "en"})
    assert r.text.splitlines()[1].endswith(",Administration")
    r = web.get("/queries/topic-areas.csv", params={"_lang": "en", "lang": "de"})
    assert r.text.splitlines()[1].endswith(",Bildung")
