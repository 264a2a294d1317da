"""Whether a graph shares a triple with another graph decides if queries need a union copy
(Oxigraph's union default graph is a bag). The check is one ASK query joined in the engine;
here it must agree with the plain definition on any small dataset, whichever side is smaller,
for named graphs, the default graph and graphs named by blank nodes."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_kg.dataset import shares_triples

EX = "http://example.org/"
NODES = [ox.NamedNode(EX + n) for n in "abc"]
GRAPHS = [ox.DefaultGraph(), ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2"), ox.BlankNode("b")]
OBJECTS = [
    *NODES,
    ox.Literal("a"),
    ox.Literal("a", language="de"),
    ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
]

quads = st.lists(
    st.builds(
        ox.Quad,
        st.sampled_from(NODES),
        st.sampled_from(NODES[:2]),
        st.sampled_from(OBJECTS),
        st.sampled_from(GRAPHS),
    ),
    max_size=12,
)


def by_definition(all_quads: list[ox.Quad], graph) -> bool:
    mine = {q.triple for q in all_quads if q.graph_name == graph}
    others = {q.triple for q in all_quads if q.graph_name != graph}
    return bool(mine & others)


@settings(max_examples=300, deadline=None)
@given(quads, st.sampled_from(GRAPHS))
def test_shares_triples_agrees_with_the_definition(data, graph):
    store = ox.Store()
    store.extend(data)
    assert shares_triples(store, graph) == by_definition(data, graph)


def test_a_large_graph_beside_a_small_one_either_way():
    """The walk starts from the smaller side; the answer is the same from both."""
    store = ox.Store()
    big, small = ox.NamedNode(EX + "big"), ox.NamedNode(EX + "small")
    store.extend(
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), NODES[0], ox.Literal(str(i)), big) for i in range(2000)
    )
    store.add(ox.Quad(NODES[1], NODES[0], NODES[2], small))
    assert not shares_triples(store, big) and not shares_triples(store, small)
    store.add(ox.Quad(ox.NamedNode(f"{EX}s7"), NODES[0], ox.Literal("7"), small))
    assert shares_triples(store, big) and shares_triples(store, small)
    assert not shares_triples(store, ox.DefaultGraph())
