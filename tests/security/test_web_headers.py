"""Every response carries the security headers: a Content-Security-Policy without inline script
and with ``frame-ancestors 'none'``, ``X-Frame-Options: DENY`` and ``X-Content-Type-Options:
nosniff``. The pages keep working under that policy in Chromium (no violation reported), and
another site cannot frame them."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote

import httpx
import pytest

from serving import start_server

pytestmark = pytest.mark.slow

ID = "https://w3id.org/smartcity-kg/id/"
HTML_PAGES = [
    "/",
    "/id/topic/mobilitaet",
    "/query",
    "/query?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 3"),
    "/queries",
    "/queries/topic-areas",
    "/ontology",
    "/graph?view=topics",
    "/graph?view=full&focus=" + quote(ID + "topic/mobilitaet"),
]
OTHER = [
    ("GET", "/sparql?query=" + quote("ASK {}"), {}, 200),
    ("GET", "/sparql", {"Accept": "text/turtle"}, 200),
    ("GET", "/queries.json", {}, 200),
    ("GET", "/queries/topic-areas.csv", {}, 200),
    ("GET", "/id/topic/mobilitaet.ttl", {}, 200),
    ("GET", "/static/app.js", {}, 200),
    ("GET", "/static/style.css", {}, 200),
    ("GET", "/static/favicon.svg", {}, 200),
    ("GET", "/static/graph/graph.js", {}, 200),
    ("GET", "/favicon.ico", {}, 301),
    ("GET", "/sparql", {"Accept": "text/html"}, 303),
    ("GET", "/nowhere", {}, 404),
    ("GET", "/nowhere", {"Accept": "text/html"}, 404),
    ("GET", "/sparql?query=SELEC", {}, 400),
    ("DELETE", "/sparql", {}, 405),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, 413),
]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("headers"), "--max-body", "100") as running:
        yield running


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


class InlineCode(HTMLParser):
    """Script that a CSP with inline script allowed would run: inline <script> (other than
    JSON data blocks), on* event attributes and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.in_script = tag == "script" and "src" not in attrs
        if self.in_script and attrs.get("type") == "application/json":
            self.in_script = False
        self.found += [f"{tag} {k}" for k in attrs if k.startswith("on")]
        self.found += [f"{tag} {k}" for k, v in attrs.items() if "javascript:" in (v or "")]

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.found.append("inline script")

    def handle_endtag(self, tag):
        self.in_script = False


def check_headers(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url} -> {response.status_code}"
    assert response.headers.get("x-content-type-options") == "nosniff", where
    assert response.headers.get("x-frame-options") == "DENY", where
    csp = policy(response.headers.get("content-security-policy", ""))
    assert csp.get("frame-ancestors") == ["'none'"], where
    assert csp.get("default-src") == ["'none'"], where
    assert csp.get("script-src") == ["'self'"], where
    assert csp.get("object-src", ["'none'"]) == ["'none'"], where
    assert csp.get("base-uri") == ["'none'"], where


def test_security_headers_and_no_inline_script(web, browser):
    for path in HTML_PAGES:
        response = httpx.get(web.url + path, headers={"Accept": "text/html"})
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        check_headers(response)
        scan = InlineCode()
        scan.feed(response.text)
        assert scan.found == [], path
    for method, path, headers, status in OTHER:
        body = b"x" * 200 if status == 413 else None
        response = httpx.request(method, web.url + path, headers=headers, content=body)
        assert response.status_code == status, (method, path, response.text)
        check_headers(response)

    # Chromium enforces the policy: the pages still work and report no violation.
    context = browser.new_context()
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    for path in HTML_PAGES:
        page.goto(web.url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__violations") == [], path
    page.goto(web.url + "/query")
    page.select_option("#examples", "topic-areas")  # app.js, loaded as a file, runs
    assert "sc:TopicArea" in page.input_value("#query")
    page.goto(web.url + "/graph?view=topics")  # graph.js and graph.css, loaded as files
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    assert page.locator("#nodes g.node").count() > 10
    assert page.evaluate("getComputedStyle(document.querySelector('aside')).overflowY") == "auto"
    assert errors == []

    # Another site cannot frame the pages.
    other = context.new_page()
    other.set_content(f'<iframe id="f" src="{web.url}/"></iframe>')
    other.wait_for_timeout(1500)
    framed = [f for f in other.frames if f != other.main_frame]
    assert len(framed) == 1
    assert "smartcity-kg" not in framed[0].content()
    context.close()


def test_offline_export_allows_only_its_own_script(tmp_path, browser):
    """The HTML export is one file with its script inline: its policy allows that script by
    hash and nothing else, so it runs offline, and script added to the file does not."""
    import re
    import subprocess

    from serving import script

    out = tmp_path / "topics.html"
    subprocess.run([script(), "export", "--view", "topics", "-o", str(out)], check=True)
    html = out.read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    csp = policy(meta.group(1))
    assert csp["default-src"] == ["'none'"]
    assert len(csp["script-src"]) == 1 and csp["script-src"][0].startswith("'sha256-")
    assert len(csp["style-src"]) == 1 and csp["style-src"][0].startswith("'sha256-")
    injected = tmp_path / "injected.html"
    injected.write_text(
        html.replace("</body>", "<script>window.injected = 1;</script>\n</body>"),
        encoding="utf-8",
    )

    context = browser.new_context(offline=True)
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective));"
    )
    page = context.new_page()
    for path, violations in ((out, []), (injected, ["script-src-elem"])):
        page.goto(path.as_uri())
        page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
        assert page.locator("#nodes g.node").count() > 10
        assert page.evaluate("getComputedStyle(document.querySelector('aside')).overflowY") == (
            "auto"
        )
        assert page.evaluate("window.injected === undefined")
        assert page.evaluate("window.__violations") == violations
    context.close()
