"""The fast GraphML writer gives, byte for byte, what the writer before it gave.

``reference_graphml`` is the project's own writer as it stood before the fast one (commit
45e8d1d): one ``xml.sax.saxutils.escape`` per value, no reuse. It is kept here, unchanged, as
the definition of the bytes; the fast writer must agree with it on the shipped knowledge base,
on a synthetic graph like the benchmark's, and on graphs made to be awkward.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_kg.export import Selection, export, graphml, write_graph
from smartcity_kg.languages import DEFAULT as DEFAULT_LANG

ID = "https://w3id.org/smartcity-kg/id/"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml(text: str) -> str:
    return escape(_XML_INVALID.sub("", text), {'"': "&quot;"})


def reference_graphml(g) -> str:
    """The GraphML writer of commit 45e8d1d, unchanged."""
    node_keys = sorted({k for _, d in g.nodes(data=True) for k in d})
    edge_keys = sorted({k for _, _, d in g.edges(data=True) for k in d})
    ids = {("graph", "view"): "g0", ("graph", "lang"): "g1"}
    ids.update({("node", k): f"n{i}" for i, k in enumerate(node_keys)})
    ids.update({("edge", k): f"e{i}" for i, k in enumerate(edge_keys)})
    out = [
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    ]
    for (kind, name), key in ids.items():
        out.append(
            f'  <key id="{key}" for="{kind}" attr.name="{_xml(name)}" attr.type="string" />\n'
        )
    out.append('  <graph edgedefault="directed">\n')
    for name in ("view", "lang"):
        value = g.graph.get(name, "full" if name == "view" else DEFAULT_LANG)
        out.append(f'    <data key="{ids[("graph", name)]}">{_xml(value)}</data>\n')
    node_ids = {k: ids[("node", k)] for k in node_keys}
    edge_ids = {k: ids[("edge", k)] for k in edge_keys}
    for n, d in g.nodes(data=True):
        data = "".join(f'<data key="{node_ids[k]}">{_xml(str(v))}</data>' for k, v in d.items())
        out.append(f'    <node id="{_xml(n)}">{data}</node>\n')
    for u, v, k, d in g.edges(keys=True, data=True):
        data = "".join(f'<data key="{edge_ids[a]}">{_xml(str(x))}</data>' for a, x in d.items())
        out.append(
            f'    <edge id="{_xml(k)}" source="{_xml(u)}" target="{_xml(v)}">{data}</edge>\n'
        )
    out.append("  </graph>\n</graphml>\n")
    return "".join(out)


@pytest.mark.parametrize(
    "selection",
    [
        Selection(),
        Selection(lang="en"),
        Selection(view="topics", lang="de"),
        Selection(view="regions", lang="en"),
        Selection(stated_only=True),
        Selection(focus="id:topic/mobilitaet", depth=2),
    ],
    ids=["full-de", "full-en", "topics-de", "regions-en", "stated-only", "focus"],
)
def test_shipped_knowledge_base_gives_the_reference_bytes(kb, selection):
    from smartcity_kg.graph import build

    g = build(
        kb,
        selection.view,
        lang=selection.lang,
        focus=selection.focus,
        depth=selection.depth,
        stated_only=selection.stated_only,
    )
    expected = reference_graphml(g).encode("utf-8")
    assert export(kb, "graphml", selection) == {"": expected}


def test_synthetic_graph_like_the_benchmark_gives_the_reference_bytes():
    import pyoxigraph as ox
    from benchmarks.export import synthetic

    from smartcity_kg.dataset import KnowledgeBase
    from smartcity_kg.graph import build

    kb = KnowledgeBase.load(shipped=False)
    kb.store.load(synthetic(20_000), format=ox.RdfFormat.N_QUADS)
    g = build(kb)
    assert g.number_of_edges() == 9_995
    assert export(kb, "graphml") == {"": reference_graphml(g).encode("utf-8")}


#: links whose targets repeat out of order (networkx groups a node's edges by target), a link
#: stated in a curated and a stated graph, a link to a statement (not a node), a self-link,
#: a blank node, and literals with markup, control characters and non-ASCII
AWKWARD_KB = {
    "stated": """
id:a a sc:Goal ; rdfs:label "A \\"quoted\\" <b> & c"@de , "A\\u0001\\u000b\\t\\n\\r ü 𝄞"@en ;
    sc:p1 id:c ; sc:p2 id:b ; sc:p3 id:c ; sc:p4 id:a ; sc:p5 id:s ; sc:p6 _:x ;
    sc:note "" , "x<y" , "1"^^xsd:integer ; prov:wasDerivedFrom id:source\\/page ;
    ex:iriValue "clash" ; ex:note "elsewhere" ; sc:iri "own" .
id:b a sc:Goal , sc:Benefit ; sc:p2 id:a ; sc:note "b" ; ex:note "b elsewhere" .
id:c rdfs:label ""@de .
_:x rdfs:label "blank"@de .
id:graph\\/stated a sc:KnowledgeGraph ; sc:curated false ;
    prov:wasDerivedFrom id:source\\/page .
id:graph\\/curated a sc:KnowledgeGraph ; sc:curated true .
""",
    "curated": """
id:a sc:p1 id:c ; sc:p7 id:b .
id:s a rdf:Statement ; rdf:subject id:a ; rdf:predicate sc:p7 ; rdf:object id:b ;
    sc:rationale "Weil <es> & \\"so\\" ist."@de .
""",
}


def awkward_kb():
    import pyoxigraph as ox

    from smartcity_kg.dataset import KnowledgeBase

    head = (
        "@prefix ex: <http://example.org/vocabulary#> .\n"
        "@prefix id: <https://w3id.org/smartcity-kg/id/> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    )
    kb = KnowledgeBase.load(shipped=False)
    for name, body in AWKWARD_KB.items():
        kb.add_text(
            head + body, ox.RdfFormat.TURTLE, f"https://w3id.org/smartcity-kg/id/graph/{name}"
        )
    return kb


def unlinked_kb():
    import pyoxigraph as ox

    from smartcity_kg.dataset import KnowledgeBase

    kb = KnowledgeBase.load(shipped=False)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    kb.store.add(ox.Quad(ox.NamedNode(ID + "alone"), label, ox.Literal("allein", language="de")))
    return kb


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("which", ["small", "awkward", "tricky", "unlinked", "empty"])
def test_whole_graph_without_networkx_gives_the_reference_bytes(which, lang):
    """export.graphml_whole writes the full graph from graph.full_parts, not from networkx:
    the text must be the reference writer's on the networkx graph of the same store."""
    from graph_fixture import small_kb
    from smartcity_kg.dataset import KnowledgeBase
    from smartcity_kg.graph import build
    from test_export import _tricky_kb

    kb = {
        "small": small_kb,
        "awkward": awkward_kb,
        "tricky": _tricky_kb,
        "unlinked": unlinked_kb,
        "empty": lambda: KnowledgeBase.load(shipped=False),
    }[which]()
    g = build(kb, lang=lang)
    assert g.number_of_edges() >= 3 or which in ("unlinked", "empty")
    assert export(kb, "graphml", Selection(lang=lang)) == {"": reference_graphml(g).encode("utf-8")}


def test_awkward_kb_keeps_the_edge_order_of_networkx():
    from smartcity_kg.graph import build

    g = build(awkward_kb(), lang="de")
    a = "https://w3id.org/smartcity-kg/id/a"
    shown = [(v.rsplit("/", 1)[-1][:2], k) for _, v, k in g.out_edges(a, keys=True)]
    assert shown == [("c", "sc:p1"), ("c", "sc:p3"), ("b", "sc:p2"), ("b", "sc:p7"),
                     ("a", "sc:p4"), ("_:", "sc:p6")]  # fmt: skip
    assert g.edges[a, "https://w3id.org/smartcity-kg/id/b", "sc:p7"]["rationale"] == (
        'Weil <es> & "so" ist.'
    )
    assert g.edges[a, "https://w3id.org/smartcity-kg/id/c", "sc:p1"]["status"] == "stated"


def test_data_properties_with_one_local_name_share_one_attribute():
    """Two data properties with one local name (and ``sc:iri``, renamed ``iriValue`` as the
    name is taken, beside ``ex:iriValue``) give one attribute: in the place of the first by
    IRI, with the value of the last, in the networkx graph and the GraphML alike."""
    from smartcity_kg.graph import build

    kb = awkward_kb()
    g = build(kb, lang="en")
    assert list(g.nodes[ID + "a"].items()) == [
        ("iri", ID + "a"),
        ("label", "A\x01\x0b\t\n\r ü 𝄞"),
        ("class", "sc:Goal"),
        ("derivedFrom", "id:source/page"),
        ("iriValue", "own"),
        ("note", " | 1 | x<y"),
    ]
    assert list(g.nodes[ID + "b"].items()) == [
        ("iri", ID + "b"),
        ("label", "id:b"),
        ("class", "sc:Benefit sc:Goal"),
        ("derivedFrom", ""),
        ("note", "b"),
    ]
    text = export(kb, "graphml", Selection(lang="en"))[""].decode()
    assert text == reference_graphml(g)
    assert '<data key="n3">own</data><data key="n5"> | 1 | x&lt;y</data></node>' in text


class Shouting(str):
    """A string whose str() differs from its value: only str() may be written."""

    def __str__(self) -> str:
        return self.upper()


def awkward() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(view='a "view" <&>', lang="d\x00e")
    g.add_node('urn:x?a=1&b=2"<>', label='<b>"Straße" & Co</b>\x01\x0b\x1f', iri="urn:x")
    g.add_node("ü", label="Ünïcødé ☃ 𝄞 \u200f\u05d0", empty="", tab="a\tb\nc\rd")
    g.add_node("n", count=3, share=0.5, flag=True, nothing=None, items=["a", "<b>"])
    g.add_node("zero", positive=0.0, negative=-0.0, one=1, true=True, also_one=1.0)
    g.add_node("plain")  # no attributes
    g.add_node("shout", label=Shouting("quiet"))
    edge = {"predicate": "p", "label": "l", "status": "stated", "rationale": ""}
    for key in ("k1", "k2", 'k&"3"'):  # parallel edges, same attributes
        g.add_edge('urn:x?a=1&b=2"<>', "ü", key=key, **edge)
    g.add_edge("ü", "ü", key="self", **edge)  # a loop
    g.add_edge("n", "zero", key="int", weight=1)  # 1, True and 1.0 are equal, str() is not
    g.add_edge("n", "zero", key="bool", weight=True)
    g.add_edge("n", "zero", key="float", weight=1.0)
    g.add_edge("zero", "n", key="zero", weight=0.0)  # -0.0 == 0.0, str() is not
    g.add_edge("zero", "n", key="minus-zero", weight=-0.0)
    g.add_edge("plain", "n", key="list", weight=["x", 1])  # unhashable
    g.add_edge("plain", "shout", key="shout", label=Shouting("x"))  # == "x", str() is "X"
    g.add_edge("plain", "shout", key="x", label="x")
    g.add_edge("shout", "plain", key="bare")  # no attributes
    g.add_edge("shout", "plain", key="", label="", **{"a<b": '"'})  # empty key, odd name
    return g


def test_awkward_graph_gives_the_reference_bytes():
    g = awkward()
    assert graphml(g) == reference_graphml(g)
    assert write_graph(g, "graphml") == {"": reference_graphml(g).encode("utf-8")}
    text = graphml(g)  # equal values whose str() differ are written each as its own
    for line in (
        '<edge id="bool" source="n" target="zero"><data key="e5">True</data></edge>',
        '<edge id="float" source="n" target="zero"><data key="e5">1.0</data></edge>',
        '<edge id="minus-zero" source="zero" target="n"><data key="e5">-0.0</data></edge>',
        '<edge id="shout" source="plain" target="shout"><data key="e1">X</data></edge>',
        '<edge id="x" source="plain" target="shout"><data key="e1">x</data></edge>',
    ):
        assert f"    {line}\n" in text


def test_graph_without_edges_or_attributes_gives_the_reference_bytes():
    g = nx.MultiDiGraph()
    assert graphml(g) == reference_graphml(g)
    g.add_node("only")
    assert graphml(g) == reference_graphml(g)


_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_value = st.one_of(_text, st.integers(), st.floats(), st.booleans(), st.none())


@st.composite
def graphs(draw) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(**draw(st.dictionaries(st.sampled_from(["view", "lang"]), _text)))
    names = draw(st.lists(_text, min_size=1, max_size=6, unique=True))
    for n in names:
        g.add_node(n, **draw(st.dictionaries(_text, _value, max_size=4)))
    shared = draw(st.dictionaries(_text, _value, max_size=3))  # attributes that repeat
    for _ in range(draw(st.integers(0, 12))):
        u, v = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        data = shared if draw(st.booleans()) else draw(st.dictionaries(_text, _value, max_size=3))
        g.add_edge(u, v, key=draw(_text), **data)
    return g


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_any_graph_gives_the_reference_text(g):
    assert graphml(g) == reference_graphml(g)


_links = st.lists(
    st.tuples(
        st.sampled_from(["p1", "p2", "p3"]),
        st.sampled_from(["a", "b", "c", "statement"]),
        st.sampled_from(["g1", "g2", "curated1", "curated2"]),
    ),
    unique=True,
    max_size=10,
)


@settings(max_examples=300, deadline=None)
@given(_links)
def test_shown_orders_one_subjects_links_as_networkx_does(links):
    """graph.shown (which both the GraphML writer and build_full use) against its definition:
    one edge per link to a node, from the first stated graph that has it, else from its first
    graph, added to networkx in sorted order; networkx then gives them target by target."""
    from smartcity_kg.graph import shown

    nodes, curated = {"a", "b", "c"}, {"curated1", "curated2"}
    g = nx.MultiDiGraph()
    g.add_node("s")
    for p, o in sorted({(p, o) for p, o, _ in links if o in nodes}):
        graphs = sorted(x for q, t, x in links if (q, t) == (p, o))
        stated = [x for x in graphs if x not in curated]
        g.add_edge("s", o, key=p, graph=(stated or graphs)[0])
    expected = [(p, o, graph) for _, o, p, graph in g.edges("s", keys=True, data="graph")]
    assert shown(list(links), nodes, curated) == expected
