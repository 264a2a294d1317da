"""An invalid IRI in a path or a parameter gets 400 and one line naming it, never a 500.

The server checks each IRI with the engine's own IRI parser before a worker sees it
(``server.security.checked_iri``); named-query parameters are bound as RDF terms, which
checks them the same way.
"""

from __future__ import annotations

import httpx
import pytest

from serving import TOKEN, start_server

pytestmark = pytest.mark.slow

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {"Content-Type": "text/turtle", **AUTH}
BAD = [
    ("GET", "/id/%00", {}),
    ("GET", "/id/a%20b", {}),
    ("GET", "/id/%C2%85", {}),
    ("GET", "/id/%FF", {}),
    ("GET", "/id/x%0Ay", {}),
    ("GET", "/id/%00.ttl", {}),
    ("GET", "/id/%00", {"Accept": "application/ld+json"}),
    ("GET", "/rdf-graphs?graph=not%20an%20iri", AUTH),
    ("GET", "/rdf-graphs?graph=relative", AUTH),
    ("PUT", "/rdf-graphs?graph=not%20an%20iri", TURTLE),
    ("POST", "/rdf-graphs?graph=%00", TURTLE),
    ("DELETE", "/rdf-graphs?graph=a%0Ab", AUTH),
    ("GET", "/graph?focus=%00", {}),
    ("GET", "/graph?view=full&focus=%3Cnot%20an%20iri%3E", {}),
    ("GET", "/queries/regions-within.json?region=not%20an%20iri", {}),
    ("GET", "/queries/regions-within.csv?region=%00", {}),
    ("GET", "/queries/facts-of-source.json?source=a%0Ab", {}),
]


@pytest.fixture(scope="module")
def updatable(tmp_path_factory):
    folder = tmp_path_factory.mktemp("iri")
    env = {"SCKG_TEST_TOKEN": TOKEN}
    args = ("--allow-update", "--token-env", "SCKG_TEST_TOKEN")
    with start_server(folder, *args, env=env) as running:
        yield running


def test_invalid_iris_get_400_with_one_line(updatable):
    for method, path, headers in BAD:
        body = b"<urn:a> <urn:b> <urn:c> ." if method in ("PUT", "POST") else None
        response = httpx.request(method, updatable.url + path, headers=headers, content=body)
        where = f"{method} {path}: {response.text!r}"
        assert response.status_code == 400, where
        assert response.headers["content-type"].startswith("text/plain"), where
        text = response.text
        assert text.endswith("\n") and text.count("\n") == 1, where
        assert all(c >= " " for c in text[:-1]), where
    # A browser gets the error page with the same status; the server stays up and logs no
    # traceback for any of it.
    page = httpx.get(updatable.url + "/id/%00", headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert "is not a valid IRI" in page.text
    assert httpx.get(updatable.url + "/id/topic/mobilitaet").status_code == 200
    log = updatable.log.read_text()
    assert "Traceback" not in log
    assert " 500 " not in log
