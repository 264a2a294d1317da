"""An RDF/XML entity bomb sent to the Graph Store is refused before any worker parses it.

Finding (medium): 888 bytes became a 300 MB literal in every worker through PUT /rdf-graphs.
"""

from __future__ import annotations

import httpx

from serving import TOKEN

from .test_parsers_rdfxml import bomb


def test_graph_store_refuses_an_rdfxml_entity_bomb(update_server):
    body = bomb().encode()
    assert len(body) < 2000
    r = httpx.put(
        update_server.url + "/rdf-graphs",
        params={"graph": "urn:test:bomb"},
        content=body,
        headers={"Content-Type": "application/rdf+xml", "Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    assert r.status_code == 400
    assert r.text.startswith("request body:")
    assert r.text.count("\n") == 1
    gone = httpx.get(
        update_server.url + "/rdf-graphs",
        params={"graph": "urn:test:bomb"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert gone.status_code == 404
