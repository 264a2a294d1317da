"""Every link on the server's pages answers, in both page languages, and the page language never
reaches a named query as a parameter (it is the reserved key ``_lang``)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

HREF = re.compile(r'href="([^"]+)"')


def links(base: str, page: str, html: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        href = unescape(raw)
        url = urljoin(page, href)
        if url.startswith(base) and not urlsplit(url).path.startswith("/static"):
            found.append(url.split("#")[0])
    return found


def test_every_link_of_the_main_pages_answers_in_both_languages(web):
    base = str(web.base_url).rstrip("/")
    start = [f"{base}/?_lang={lang}" for lang in ("de", "en")]
    start += [f"{base}/queries?_lang={lang}" for lang in ("de", "en")]
    seen: dict[str, int] = {}
    frontier = list(start)
    for depth in range(2):  # the pages and every page they link to
        following = []
        for url in frontier:
            if url in seen:
                continue
            r = web.get(url)
            seen[url] = r.status_code
            if depth == 0 and r.headers.get("content-type", "").startswith("text/html"):
                following += links(base, url, r.text)
        frontier = following
    bad = {url: status for url, status in seen.items() if status != 200}
    assert not bad, bad
    named = [u for u in seen if "/queries/" in u]
    assert len(named) >= 2 * 30  # every named query's page, in both languages
    assert len(seen) > 100


def test_page_language_switch_keeps_a_named_query_working(web):
    # a named query without a lang parameter, opened in English
    r = web.get("/queries/gemeinden-per-kreis", params={"_lang": "en"})
    assert r.status_code == 200
    # a named query with one takes the page language unless the form sets it
    r = web.get("/queries/topic-areas.csv", params={"_lang": "en"})
    assert r.text.splitlines()[1].endswith(",Administration")
    r = web.get("/queries/topic-areas.csv", params={"_lang": "en", "lang": "de"})
    assert r.text.splitlines()[1].endswith(",Bildung")
