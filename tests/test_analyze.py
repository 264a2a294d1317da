"""smartcity_kg.analyze: exact answers on the fixture graph, and on the shipped graph."""

from __future__ import annotations

import networkx as nx
import pytest

from graph_fixture import small_kg
from smartcity_kg import InputError
from smartcity_kg.analyze import heatmap_dot, pagerank  # drawing and PageRank, tested alone

ID = "https://w3id.org/smartcity-kg/id/"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_kg(tmp_path_factory.mktemp("small"))


def test_centrality_exact(small):
    table = small.centrality(lang="en")
    assert table.headers == ["node", "label", "class", "degree", "betweenness", "pagerank"]
    by_node = {r[0]: r[3:5] for r in table.rows}
    # the undirected topics graph is the path natur-mobilitaet-approach-energie-theme-initiative-
    # erfahrung plus two isolated nodes: betweenness = pairs through the node / (8*7/2)
    assert by_node == {
        "id:topic/energie": [2, round(9 / 28, 4)],
        "id:topic/mobilitaet": [2, round(5 / 28, 4)],
        "id:goal/natur": [1, 0.0],
        "id:goal/wirtschaft": [0, 0.0],
        "id:benefit/erfahrung": [1, 0.0],
        "id:benefit/lonely": [0, 0.0],
    }
    ranks = [r[5] for r in table.rows]
    assert ranks == sorted(ranks, reverse=True)


def test_pagerank_of_two_nodes_by_hand():
    # a -> b, b dangling: r_a = 0.075 + 0.425 r_b and r_a + r_b = 1
    rank = pagerank(nx.DiGraph([("a", "b")]))
    assert rank["b"] == pytest.approx(0.925 / 1.425, abs=1e-9)
    assert rank["a"] == pytest.approx(1 - 0.925 / 1.425, abs=1e-9)


def test_explain_exact_path_with_evidence(small):
    table = small.explain("Energy", "id:benefit/erfahrung", lang="en")
    assert table.rows == [
        [1, 1, "Sustainability", "has topic area", "Energy", "curated",
         "Sustainability is about energy."],
        [1, 2, "Digital City Darmstadt", "has theme", "Sustainability", "stated",
         "id:source/page"],
        [1, 3, "Digital City Darmstadt", "provides benefit", "Experience", "stated",
         "id:source/page"],
    ]  # fmt: skip
    assert small.explain("Energy", "Experience", max_length=2, lang="en").rows == []
    assert small.explain("Energy", "Experience", lang="en", stated_only=True).rows == []


def test_explain_unknown_target_suggests(small):
    with pytest.raises(InputError, match=r"TARGET .Experiense. .* Did you mean .Experience."):
        small.explain("Energy", "Experiense", lang="en")


def test_matrix_goals_exact(small):
    table = small.matrix("goals", lang="en")
    assert table.headers == ["topic area", "Protect nature", "Economy"]
    assert table.rows == [["Energy", 0, 0], ["Mobility", 1, 0]]
    dot = heatmap_dot(table, "Topic areas x goals")
    assert dot.count("<TD BGCOLOR=") == 4


def test_gaps_exact(small):
    assert small.gaps("Landkreis", lang="en").rows == [
        ["goal not reached", "id:goal/wirtschaft", "Economy"],
        ["benefit not reached", "id:benefit/lonely", "Lonely"],
        ["topic area without initiative", "id:topic/mobilitaet", "Mobility"],
        ["District without initiative", "id:region/d2", "District B"],
    ]
    assert small.gaps("Municipality", lang="en").rows[-2:] == [
        ["Municipality without initiative", "id:region/m2", "Town"],
        ["Municipality without initiative", "id:region/m3", "Town"],
    ]
    stated = small.gaps("District", lang="en", stated_only=True).rows
    assert [r[1] for r in stated] == [
        "id:goal/natur",
        "id:goal/wirtschaft",
        "id:benefit/erfahrung",
        "id:benefit/lonely",
        "id:topic/energie",
        "id:topic/mobilitaet",
        "id:region/d2",
    ]


def test_gaps_unknown_level(small):
    with pytest.raises(InputError, match="unknown region level 'Kreis'"):
        small.gaps("Kreis", lang="en")


# --- the shipped graph ---


def test_shipped_matrix_shape_and_known_links(kg):
    table = kg.matrix("goals", lang="de")
    assert len(table.rows) == 10
    assert len(table.headers) == 6
    row = next(r for r in table.rows if r[0] == "Mobilität")
    cells = dict(zip(table.headers[1:], row[1:], strict=True))
    assert cells["Lebensqualität der Bürgerinnen und Bürger erhöhen"] == 1
    assert cells["Natur schonen und schützen"] == 1


def test_shipped_explain_it_infrastructure_to_experience(kg):
    rows = kg.explain(
        "id:topic/it-infrastruktur", "id:benefit/uebertragbarer-erfahrungsschatz", lang="en"
    ).rows
    assert [r[3] for r in rows] == ["has topic area", "provides benefit"]
    assert [r[5] for r in rows] == ["curated", "stated"]


def test_darmstadts_pre_competition_themes_no_longer_link_energy_to_the_initiative(kg):
    """Regression: the page's "Themen wie" are what Darmstadt scored with before the
    competition, not themes of the initiative, so no path runs through them any more."""
    rows = kg.explain(
        "id:topic/energie-umwelt", "id:benefit/uebertragbarer-erfahrungsschatz", lang="en"
    ).rows
    assert rows == []


def test_shipped_centrality_covers_topic_areas_goals_benefits(kg):
    table = kg.centrality(lang="en")
    classes = [r[2] for r in table.rows]
    assert classes.count("sc:TopicArea") == 10
    assert classes.count("sc:Goal") == 5
    assert sum(r[5] for r in table.rows) < 1.0
