"""A client cannot make the pages link or redirect to another host: links and redirects are
paths on this site, never URLs built from the Host or X-Forwarded-Host header, and a path such
as ``//evil.example/`` does not turn into a protocol-relative link."""

from __future__ import annotations

import socket
from html.parser import HTMLParser
from urllib.parse import quote

import httpx
import pytest

from serving import start_server

pytestmark = pytest.mark.slow

EVIL = "evil.example"
SPOOF = {
    "Host": EVIL,
    "X-Forwarded-Host": EVIL,
    "X-Forwarded-Proto": "https",
    "Forwarded": f"host={EVIL}",
}
PATHS = [
    "/",
    "/?lang=en",
    "/id/topic/mobilitaet",
    "/query",
    "/query?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 2"),
    "/queries",
    "/queries/",
    "/queries/?lang=en",
    "/queries.json",
    "/queries/topic-areas",
    "/ontology",
    "/graph?view=topics",
    "/favicon.ico",
    "/nowhere/",
]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src", "action")]


def raw_get(url: str, target: str) -> tuple[int, dict[str, str], str]:
    """GET with a request target httpx would normalise (``//host/...``)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        request = (
            f"GET {target} HTTP/1.1\r\nHost: {EVIL}\r\nAccept: text/html\r\n"
            "Connection: close\r\n\r\n"
        )
        sock.sendall(request.encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body.decode()


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("host")) as running:
        yield running


def test_no_link_or_redirect_to_the_client_given_host(web):
    with httpx.Client(base_url=web.url, headers=SPOOF, follow_redirects=False) as client:
        for path in PATHS:
            for accept in ("text/html", "*/*"):
                response = client.get(path, headers={"Accept": accept})
                where = f"{path} ({accept}) -> {response.status_code}"
                assert response.status_code < 500, where
                assert EVIL not in response.text, where
                location = response.headers.get("location")
                if location is not None:
                    assert location.startswith("/") and not location.startswith("//"), where
        moved = client.get("/queries/?lang=en")
        assert (moved.status_code, moved.headers["location"]) == (307, "/queries?lang=en")
        assert client.get("/queries.json").json()[0]["url"].startswith("/queries/")
        # The browser's way from /sparql to the query page is a path too.
        to_query = client.get("/sparql", headers={"Accept": "text/html"})
        assert (to_query.status_code, to_query.headers["location"]) == (303, "/query")

    for target in (f"//{EVIL}/", f"//{EVIL}/x/", f"/\\{EVIL}/", f"//{EVIL}/queries/"):
        status, headers, body = raw_get(web.url, target)
        assert status == 404, target
        assert not headers.get("location", "/").startswith(("//", "/\\", "http")), target
        parser = Links()
        parser.feed(body)
        assert parser.hrefs, target
        bad = [h for h in parser.hrefs if EVIL in h or h.startswith(("//", "/\\"))]
        assert bad == [], target
