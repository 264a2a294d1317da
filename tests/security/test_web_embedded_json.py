"""The graph data embedded in the graph view and the HTML export survives any label.

A label holding ``</script>``, ``<!--`` (which makes an HTML parser treat a later ``<script>``
as nested), ``&``, U+2028 or controls must not end, derail or corrupt the JSON block: an
HTML5 parser (html5rdf, which implements the WHATWG tokenizer) reads the block, ``json.loads``
gives back exactly the data; Chromium draws the node with its label as written.
"""

from __future__ import annotations

import json
import subprocess
from urllib.parse import quote

import html5rdf
import httpx
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serving import script, start_server
from smartcity_kg.htmlview import graph_data, page

ID = "https://w3id.org/smartcity-kg/id/"
NASTY = "Böse </script><!--<script>alert(1)</script> & \u2028\u2029 </SCRIPT x> -->"
EVIL_TTL = f"""\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
@prefix id: <https://w3id.org/smartcity-kg/id/> .

id:test\\/nasty rdfs:label {json.dumps(NASTY, ensure_ascii=True)}@de ;
    sc:hasTopicArea id:topic\\/mobilitaet .
"""

# Any text a label may hold (no lone surrogates: they are not UTF-8 and no RDF parser yields
# them), with the dangerous pieces mixed in often.
LABELS = st.text(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from(["<", ">", "&", "/", "!", "-", "\u2028", "\u2029", "\x00", "\r"]),
    )
) | st.lists(
    st.sampled_from(["</script>", "<!--", "-->", "<script>", "</SCRIPT", "\u2028", "x", "&"])
).map("".join)


def embedded(html: str) -> dict:
    """The JSON in the page's ``#graph-data`` block, read as a browser's parser reads it."""
    doc = html5rdf.parse(html, namespaceHTMLElements=False)
    blocks = [e for e in doc.iter("script") if e.get("id") == "graph-data"]
    assert len(blocks) == 1
    return json.loads(blocks[0].text)


@settings(max_examples=300, deadline=None)
@given(labels=st.lists(LABELS, min_size=1, max_size=4), title=LABELS)
def test_embedded_json_round_trips_for_any_label(labels, title):
    g = nx.MultiDiGraph(view="full", lang="de")
    for i, text in enumerate(labels):
        g.add_node(f"{ID}test/{i}", iri=f"{ID}test/{i}", label=text, note=text)
    for i in range(1, len(labels)):
        g.add_edge(f"{ID}test/0", f"{ID}test/{i}", key="sc:p", label=labels[i], status="stated")
    want = json.loads(json.dumps(graph_data(g)))
    assert embedded(page(g, title=title)) == want
    assert embedded(page(g, title=title, assets="/static/graph/")) == want


@pytest.mark.slow
def test_nasty_label_drawn_in_graph_view_and_export(tmp_path, browser):
    evil = tmp_path / "nasty.ttl"
    evil.write_text(EVIL_TTL, encoding="utf-8")
    focus = ID + "test/nasty"
    out = tmp_path / "nasty.html"
    args = ["export", "--data", str(evil), "--lang", "de", "--focus", focus, "-o", str(out)]
    subprocess.run([script(), *args], check=True, capture_output=True)

    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with start_server(tmp_path, "--data", str(evil)) as server:
        view = f"{server.url}/graph?view=full&_lang=de&depth=1&focus={quote(focus)}"
        assert embedded(httpx.get(view).text)["nodes"]
        for url in (view, out.as_uri()):
            tab.goto(url)
            tab.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
            ids = tab.eval_on_selector_all("#nodes g.node", "els => els.map(e => e.dataset.id)")
            assert focus in ids, url
            tab.evaluate(f"window.smartcityGraph.select({ids.index(focus)})")
            assert tab.evaluate("document.querySelector('#details h2').textContent") == NASTY
    assert errors == []
    assert dialogs == []
    context.close()
