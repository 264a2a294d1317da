"""smartcity_kg.graph: RDF -> networkx, views, focus, stated-only, on a fixture and shipped."""

from __future__ import annotations

import pytest

from graph_fixture import small_kg
from smartcity_kg import InputError

ID = "https://w3id.org/smartcity-kg/id/"
SC = "https://w3id.org/smartcity-kg/ontology#"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_kg(tmp_path_factory.mktemp("small"))


def short(g):
    return sorted(n[len(ID) :] for n in g.nodes)


def test_topics_view_nodes_and_edges(small):
    g = small.graph("topics")
    assert short(g) == [
        "approach/smart-city",
        "benefit/erfahrung",
        "benefit/lonely",
        "goal/natur",
        "goal/wirtschaft",
        "initiative/darmstadt",
        "theme/nachhaltigkeit",
        "topic/energie",
        "topic/mobilitaet",
    ]
    assert sorted((u[len(ID) :], k, v[len(ID) :]) for u, v, k in g.edges(keys=True)) == [
        ("approach/smart-city", "sc:focusesOn", "topic/energie"),
        ("approach/smart-city", "sc:focusesOn", "topic/mobilitaet"),
        ("initiative/darmstadt", "sc:hasTheme", "theme/nachhaltigkeit"),
        ("initiative/darmstadt", "sc:providesBenefit", "benefit/erfahrung"),
        ("theme/nachhaltigkeit", "sc:hasTopicArea", "topic/energie"),
        ("topic/mobilitaet", "sc:servesGoal", "goal/natur"),
    ]


def test_node_attributes_label_class_literals_source(small):
    en = small.graph("full", lang="en")
    de = small.graph("full", lang="de")
    mob = ID + "topic/mobilitaet"
    assert en.nodes[mob] == {
        "iri": mob,
        "label": "Mobility",
        "class": "sc:TopicArea",
        "derivedFrom": "id:source/page",
        "quote": "Mobilität ist ein Themenbereich.",
    }
    assert de.nodes[mob]["label"] == "Mobilität"
    assert en.nodes[ID + "region/m1"]["ags"] == "06001001"
    # literals are attributes, never nodes; statements and graph descriptions are not nodes
    assert all(n.startswith(ID) for n in en.nodes)
    assert not any("/curated/" in n or "/graph/" in n for n in en.nodes)


def test_edges_carry_predicate_label_status_and_rationale(small):
    g = small.graph("full", lang="de")
    curated = g.edges[ID + "topic/mobilitaet", ID + "goal/natur", "sc:servesGoal"]
    assert curated == {
        "predicate": SC + "servesGoal",
        "label": "dient Ziel",
        "status": "curated",
        "graph": ID + "graph/curated",
        "derivedFrom": "id:source/curation",
        "rationale": "Weniger Verkehr schont die Natur.",
    }
    stated = g.edges[ID + "approach/smart-city", ID + "topic/energie", "sc:focusesOn"]
    assert (stated["status"], stated["derivedFrom"], stated["rationale"]) == (
        "stated",
        "id:source/page",
        "",
    )


def test_full_and_regions_views(small):
    full = small.graph("full")
    assert (full.number_of_nodes(), full.number_of_edges()) == (14, 10)
    regions = small.graph("regions")
    assert short(regions) == ["region/d1", "region/d2", "region/m1", "region/m2", "region/m3"]
    assert sorted(k for _, _, k in regions.edges(keys=True)) == ["sc:within"] * 3


def test_stated_only_leaves_out_curated_links(small):
    g = small.graph("topics", stated_only=True)
    assert g.number_of_nodes() == 9
    assert sorted(k for _, _, k in g.edges(keys=True)) == [
        "sc:focusesOn",
        "sc:focusesOn",
        "sc:hasTheme",
        "sc:providesBenefit",
    ]


def test_focus_by_label_in_either_language_iri_and_depth(small):
    one = small.graph("topics", focus="Mobilität", depth=1)
    assert short(one) == ["approach/smart-city", "goal/natur", "topic/mobilitaet"]
    two = small.graph("topics", focus="id:topic/mobilitaet", depth=2)
    assert short(two) == ["approach/smart-city", "goal/natur", "topic/energie", "topic/mobilitaet"]
    zero = small.graph("topics", focus=ID + "goal/natur", depth=0)
    assert short(zero) == ["goal/natur"]


def test_focus_that_matches_nothing_suggests_near_labels(small):
    with pytest.raises(InputError) as err:
        small.graph("topics", focus="Mobilty")
    assert str(err.value) == (
        "--focus 'Mobilty' matches no node of this view by IRI or label. "
        'Did you mean "Mobility" or "Mobilität"?'
    )


def test_ambiguous_focus_lists_candidates(small):
    with pytest.raises(InputError) as err:
        small.graph("full", focus="Town")
    assert str(err.value) == (
        "--focus 'Town' names 2 nodes: id:region/m2 = Stadt (sc:Municipality); "
        "id:region/m3 = Stadt (sc:Municipality). "
        "Give one of these IRIs instead."
    )


def test_unknown_view_and_language(small):
    with pytest.raises(InputError, match="unknown view 'maps'; use one of topics, regions, full"):
        small.graph("maps")
    with pytest.raises(InputError, match="unknown language 'fr'"):
        small.graph("full", lang="fr")


def test_same_data_same_graph(small, tmp_path):
    a, b = small.graph("full"), small_kg(tmp_path).graph("full")
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_shipped_topics_view(kg):
    g = kg.graph("topics", lang="de")
    classes = [d["class"].split()[0] for _, d in g.nodes(data=True)]
    assert classes.count("sc:TopicArea") == 10
    assert classes.count("sc:Goal") == 5
    assert g.nodes[ID + "topic/mobilitaet"]["label"] == "Mobilität"
    assert g.has_edge(ID + "approach/smart-city", ID + "topic/mobilitaet", "sc:focusesOn")
