"""smartcity_kg.export: every format read back by a real reader, deterministic bytes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from graph_fixture import small_kb
from smartcity_kg import InputError
from smartcity_kg.export import (
    FORMATS,
    Selection,
    export,
    format_of,
    sorted_lines,
    write_graph,
)
from smartcity_kg.graph import build
from smartcity_kg.prefixes import compact

ID = "https://w3id.org/smartcity-kg/id/"
SC = "https://w3id.org/smartcity-kg/ontology#"
RDFLIB_FORMAT = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}


@pytest.fixture(scope="module")
def small():
    return small_kb()


@pytest.fixture(scope="module")
def small_full(small):
    return build(small, "full", lang="en")


def source_dataset(kb) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=kb.dump().decode("utf-8"), format="nquads")
    return ds


def named_graphs(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    out = {}
    for g in ds.graphs():
        if len(g):
            out[str(g.identifier)] = g
    return out


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml"])
def test_rdf_triple_formats_reparse_isomorphic_to_the_shipped_graph(kb, fmt):
    out = export(kb, fmt)[""]
    back = rdflib.Graph()
    back.parse(data=out.decode("utf-8"), format=RDFLIB_FORMAT[fmt])
    source = union(source_dataset(kb))
    assert len(back) == len(source)
    assert isomorphic(back, source)


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_rdf_dataset_formats_keep_the_named_graphs(kb, fmt):
    out = export(kb, fmt)[""]
    back = rdflib.Dataset()
    back.parse(data=out.decode("utf-8"), format=RDFLIB_FORMAT[fmt])
    want, got = named_graphs(source_dataset(kb)), named_graphs(back)
    assert sorted(got) == sorted(want)
    for name, graph in want.items():
        assert isomorphic(got[name], graph), name


def test_jsonld_has_a_compact_context_with_the_project_prefixes(kb):
    doc = json.loads(export(kb, "jsonld")[""])
    assert doc["@context"]["sc"] == SC
    assert doc["@context"]["id"] == ID
    graphs = {g["@id"]: g["@graph"] for g in doc["@graph"]}
    topics = {n["@id"]: n for n in graphs["id:graph/digitale-staedte"]}
    mob = topics["id:topic/mobilitaet"]
    assert mob["@type"] == ["sc:TopicArea"]
    assert {"@value": "Mobilität", "@language": "de"} in mob["rdfs:label"]


def test_view_export_and_stated_only_in_rdf(small):
    triple = f"<{ID}topic/mobilitaet> <{SC}servesGoal> <{ID}goal/natur> ."
    topics = export(small, "ntriples", Selection(view="topics"))[""].decode()
    assert triple in topics
    assert f"<{ID}region/d1>" not in topics
    stated = export(small, "ntriples", Selection(view="topics", stated_only=True))[""].decode()
    assert triple not in stated
    assert f"<{ID}approach/smart-city> <{SC}focusesOn> <{ID}topic/energie> ." in stated


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"png"}))
def test_same_graph_same_bytes(small, fmt):
    assert export(small, fmt, Selection(view="full")) == export(
        small_kb(), fmt, Selection(view="full")
    )


def as_edges(g, key_attr=None):
    out = {}
    for u, v, k, d in g.edges(keys=True, data=True):
        d = dict(d)
        if key_attr:
            k = d.pop(key_attr)
            d.pop("id", None)
        out[(u, v, k)] = d
    return out


def test_graphml_reads_back_with_same_nodes_edges_attributes(small_full, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_bytes(write_graph(small_full, "graphml")[""])
    back = nx.read_graphml(path, force_multigraph=True)
    assert dict(back.nodes(data=True)) == dict(small_full.nodes(data=True))
    assert as_edges(back) == as_edges(small_full)


def test_gexf_reads_back_with_same_nodes_edges_attributes(small_full, tmp_path):
    path = tmp_path / "g.gexf"
    path.write_bytes(write_graph(small_full, "gexf")[""])
    back = nx.read_gexf(path)
    assert dict(back.nodes(data=True)) == dict(small_full.nodes(data=True))
    got = {}
    for u, v, d in back.edges(data=True):  # no parallel links here: read as a simple DiGraph
        d = dict(d)
        d.pop("id")
        got[(u, v, compact(d["predicate"]))] = d
    assert got == as_edges(small_full)


def test_gml_reads_back_with_label_as_name(small_full, tmp_path):
    path = tmp_path / "g.gml"
    path.write_bytes(write_graph(small_full, "gml")[""])
    back = nx.read_gml(path)
    want = {
        n: {**{k: v for k, v in d.items() if k != "label"}, "name": d["label"]}
        for n, d in small_full.nodes(data=True)
    }
    assert dict(back.nodes(data=True)) == want
    assert as_edges(back) == as_edges(small_full)


def test_cytoscape_json_reads_back(small_full):
    doc = json.loads(write_graph(small_full, "cytoscape")[""])
    assert len(doc["elements"]["nodes"]) == 14
    assert len(doc["elements"]["edges"]) == 10
    back = nx.cytoscape_graph(doc)
    for n, d in small_full.nodes(data=True):
        got = back.nodes[n]
        assert {k: got[k] for k in d} == d
        assert got["name"] == d["label"]
    got_edges = {
        (u, v, d["key"]): {k: x for k, x in d.items() if k not in ("source", "target", "key")}
        for u, v, d in back.edges(data=True)
    }
    assert got_edges == as_edges(small_full)


def test_shipped_topics_in_graph_formats_read_back(kb, tmp_path):
    g = build(kb, "topics", lang="en")
    path = tmp_path / "topics.graphml"
    path.write_bytes(write_graph(g, "graphml")[""])
    back = nx.read_graphml(path, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        g.number_of_nodes(),
        g.number_of_edges(),
    )
    assert back.nodes[ID + "topic/mobilitaet"]["label"] == "Mobility"


def test_dot_renders_with_graphviz(small_full):
    text = write_graph(small_full, "dot")[""]
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, check=True)
    svg = ET.fromstring(done.stdout)
    ns = {"s": "http://www.w3.org/2000/svg"}
    nodes = svg.findall(".//s:g[@class='node']", ns)
    edges = svg.findall(".//s:g[@class='edge']", ns)
    linked = {n for n in small_full.nodes if small_full.degree(n) > 0}
    assert (len(nodes), len(edges)) == (len(linked), 10) == (12, 10)
    titles = {n.find("s:title", ns).text for n in nodes}
    assert titles == linked  # the two nodes without links are named in the legend instead


MERMAID_NODE = re.compile(r'^  (n\d+)\["([^"]*)"\]$')
MERMAID_EDGE = re.compile(r'^  (n\d+) (-->|-\.->)\|"([^"]*)"\| (n\d+)$')
MERMAID_CLASS = re.compile(
    r"^  (classDef c\w+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6}|class [n\d,]+ c\w+)$"
)


def test_mermaid_follows_the_basic_flowchart_rules(small_full):
    lines = write_graph(small_full, "mermaid")[""].decode().splitlines()
    assert lines[0] == "flowchart LR"
    ids, edges = {}, []
    for line in lines[1:]:
        if m := MERMAID_NODE.match(line):
            ids[m.group(1)] = m.group(2)
        elif m := MERMAID_EDGE.match(line):
            edges.append(m.groups())
        else:
            assert MERMAID_CLASS.match(line), line
    assert len(ids) == 14
    assert len(edges) == 10
    assert all(a in ids and b in ids for a, _, _, b in edges)
    assert sorted(arrow for _, arrow, _, _ in edges).count("-.->") == 2
    assert "Mobility" in ids.values()


def test_mermaid_escapes_quotes_in_labels():
    g = nx.MultiDiGraph()
    g.add_node("x", label='Say "hi" <b>#1</b>', **{"class": "sc:Goal"})
    text = write_graph(g, "mermaid")[""].decode()
    assert '  n0["Say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt;"]' in text


def test_csv_nodes_and_edges(small_full):
    files = write_graph(small_full, "csv")
    nodes = list(csv.DictReader(io.StringIO(files["nodes"].decode())))
    edges = list(csv.DictReader(io.StringIO(files["edges"].decode())))
    assert len(nodes) == 14
    assert len(edges) == 10
    mob = next(r for r in nodes if r["Id"] == ID + "topic/mobilitaet")
    assert (mob["Label"], mob["class"], mob["quote"]) == (
        "Mobility",
        "sc:TopicArea",
        "Mobilität ist ein Themenbereich.",
    )
    curated = [r for r in edges if r["status"] == "curated"]
    assert sorted(r["rationale"] for r in curated) == [
        "Less traffic protects nature.",
        "Sustainability is about energy.",
    ]


def test_pictures(kb):
    svg = export(kb, "svg", Selection(view="topics"))[""]
    root = ET.fromstring(svg)
    nodes = root.findall(".//{http://www.w3.org/2000/svg}g[@class='node']")
    topics = build(kb, "topics")
    assert len(nodes) == sum(1 for n in topics if topics.degree(n)) == 97  # 5 named, left out
    png = export(kb, "png", Selection(view="topics"))[""]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_html_is_self_contained(small_full):
    page = write_graph(small_full, "html")[""].decode()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script src" not in page
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    doc = json.loads(data.group(1))
    assert (len(doc["nodes"]), len(doc["edges"])) == (14, 10)


def test_format_from_extension_and_unknown_format():
    from pathlib import Path

    assert format_of(Path("a.graphml")) == "graphml"
    assert format_of(Path("a.cytoscape.json")) == "cytoscape"
    assert format_of(Path("a.TTL")) == "turtle"
    with pytest.raises(InputError, match=r"cannot tell the export format .* graphml \(\.graphml\)"):
        format_of(Path("a.xlsx"))


def test_parallel_links_keep_their_keys_in_gexf_and_graphml(tmp_path):
    g = nx.MultiDiGraph(view="full", lang="en")
    g.add_node("a", label="A", iri="a", **{"class": "sc:Goal"})
    g.add_node("b", label="B", iri="b", **{"class": "sc:Goal"})
    g.add_edge("a", "b", key="sc:p", predicate=SC + "p", label="p", status="stated")
    g.add_edge("a", "b", key="sc:q", predicate=SC + "q", label="q", status="curated")
    (tmp_path / "g.gexf").write_bytes(write_graph(g, "gexf")[""])
    (tmp_path / "g.graphml").write_bytes(write_graph(g, "graphml")[""])
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    graphml = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert sorted(gexf.edges(keys=True)) == [("a", "b", "sc:p"), ("a", "b", "sc:q")]
    assert sorted(graphml.edges(keys=True)) == [("a", "b", "sc:p"), ("a", "b", "sc:q")]
    assert gexf.edges["a", "b", "sc:q"]["status"] == "curated"


def test_graphml_escapes_markup_in_values(tmp_path):
    g = nx.MultiDiGraph(view="full", lang="de")
    g.add_node("urn:x?a=1&b=2", label='<b>"Straße" & Co</b>\x01', iri="urn:x?a=1&b=2")
    (tmp_path / "g.graphml").write_bytes(write_graph(g, "graphml")[""])
    back = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert back.nodes["urn:x?a=1&b=2"]["label"] == '<b>"Straße" & Co</b>'
    assert back.graph == {"node_default": {}, "edge_default": {}, "view": "full", "lang": "de"}


def _tricky_kb():
    """A synthetic graph that tests the sort of sorted_ntriples: blank-node labels that are
    prefixes of each other, IRIs that are prefixes of each other, literals equal up to a
    language tag or datatype, escapes, non-ASCII, and a triple stated in two graphs."""
    import pyoxigraph as ox

    from smartcity_kg.dataset import KnowledgeBase

    kb = KnowledgeBase.load(shipped=False)
    p, q = ox.NamedNode(SC + "p"), ox.NamedNode(SC + "p2")
    g1, g2 = ox.NamedNode(ID + "graph/a"), ox.NamedNode(ID + "graph/b")
    subjects = [ox.BlankNode("b1"), ox.BlankNode("b12"), ox.NamedNode(ID + "x"),
                ox.NamedNode(ID + "x/y"), ox.NamedNode(ID + "x-y"),
                ox.NamedNode(ID + "Ä")]  # fmt: skip
    objects = [ox.Literal("a"), ox.Literal("a", language="de"), ox.Literal("a b"),
               ox.Literal("a\x01\n\"\\é"), ox.Literal("1", datatype=ox.NamedNode(
                   "http://www.w3.org/2001/XMLSchema#integer")), ox.Literal("ab"),
               ox.NamedNode(ID + "x"), ox.BlankNode("b1")]  # fmt: skip
    for i, s in enumerate(subjects):
        for j, o in enumerate(objects):
            graph = (g1, g2, ox.DefaultGraph())[(i + j) % 3]
            kb.store.add(ox.Quad(s, p if j % 2 else q, o, graph))
    kb.store.add(ox.Quad(subjects[2], p, objects[0], g1))
    kb.store.add(ox.Quad(subjects[2], p, objects[0], g2))
    # one subject in three graphs, two triples of it in all three, one in two
    for graph in (g1, g2, ox.DefaultGraph()):
        kb.store.add(ox.Quad(subjects[3], p, objects[2], graph))
        kb.store.add(ox.Quad(subjects[3], q, objects[7], graph))
    kb.store.add(ox.Quad(subjects[3], p, objects[3], g2))
    kb.store.add(ox.Quad(subjects[3], p, objects[3], ox.DefaultGraph()))
    # literals holding what a line's key or end looks like once written: spaces, "> <", " .",
    # and the characters the writer escapes
    for text in ("x> <y", "a .", " ", "\t\r\x7f", "_:b1 "):
        kb.store.add(ox.Quad(subjects[0], q, ox.Literal(text), g1))
    return kb


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml"])
@pytest.mark.parametrize("which", ["shipped", "synthetic", "tricky"])
def test_whole_export_from_the_store_is_the_old_writers_bytes(fmt, which):
    """The whole-graph export of a triple format, written from the store's sorted N-Triples
    lines (export.triples_bytes), gives exactly the bytes of the writer that sorts term objects
    (export.rdf_bytes over all quads)."""
    import pyoxigraph as ox
    from benchmarks.export import synthetic

    from smartcity_kg.dataset import KnowledgeBase
    from smartcity_kg.export import rdf_bytes

    if which == "shipped":
        kb = KnowledgeBase.load()
    elif which == "synthetic":
        kb = KnowledgeBase.load(shipped=False)
        kb.store.load(synthetic(5_000), format=ox.RdfFormat.N_QUADS)
    else:
        kb = _tricky_kb()
    new = export(kb, fmt)[""]
    assert new == rdf_bytes(list(kb.quads()), fmt)
    assert len(new) > 1000


#: keys (the text before a line's first space) that are prefixes of each other, in several
#: scripts, as N-Triples subjects and otherwise
_KEYS = [b"a", b"ab", b"a\xc3\xa4", b"_:b1", b"_:b12", b"<x>", b"<x/y>", b"<x-y>", b"<x>y", b"\x01"]
_REST = st.binary(max_size=6).map(lambda b: b.replace(b"\n", b"."))
_LINE = st.builds(lambda k, r: k + b" " + r, st.sampled_from(_KEYS), _REST)


@st.composite
def _texts(draw) -> list[bytes]:
    """Texts as a store writes its graphs (distinct lines, each key's lines together, every line
    ended), and now and then one that is not: keys apart, a line without a space, no final
    newline. Texts share lines (a triple in two graphs) by drawing from few keys and short
    rests."""
    out = []
    for _ in range(draw(st.integers(0, 4))):
        lines = draw(st.lists(_LINE, max_size=12, unique=True))  # a graph's lines
        kind = draw(st.sampled_from(["grouped", "grouped", "grouped", "apart", "odd"]))
        if kind == "grouped":
            lines.sort(key=lambda line: _KEYS.index(line.split(b" ")[0]))
        elif kind == "odd":
            lines.append(draw(st.sampled_from([b"", b"nospace", b" lead", b"\r"])))
        text = b"".join(line + b"\n" for line in lines)
        out.append(text[:-1] if kind == "odd" and draw(st.booleans()) else text)
    return out


@settings(max_examples=400, deadline=None)
@given(_texts())
def test_sorted_lines_are_the_distinct_lines_sorted(texts):
    """sorted_lines sorts subjects, then each subject's lines, merging a subject's lines from
    several texts; that is the order and the set of sorting all the lines."""
    every = {line for text in texts for line in text.split(b"\n")} - {b""}
    assert sorted_lines(texts) == b"".join(line + b"\n" for line in sorted(every))


def test_the_store_writes_each_subjects_lines_together():
    """What makes sorted_lines fast (its result does not depend on it): the store writes a
    graph's N-Triples subject by subject, so each subject is one group of lines."""
    import pyoxigraph as ox
    from benchmarks.export import synthetic

    from smartcity_kg.export import _SUBJECT_LINES

    store = ox.Store()
    store.load(synthetic(20_000), format=ox.RdfFormat.N_QUADS)
    for graph in store.named_graphs():
        text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        found = _SUBJECT_LINES.findall(text)
        assert sum(len(block) for block, _ in found) == len(text)
        keys = [key for _, key in found]
        assert (
            len(keys)
            == len(set(keys))
            == len({line.split(b" ")[0] for line in text.split(b"\n")} - {b""})
        )
