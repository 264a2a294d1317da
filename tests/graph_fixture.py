"""A small knowledge base for the graph, export and analysis tests (see docs/model.md).

Stated graph, curated graph with rationales, graph descriptions and ontology labels, so every
rule of smartcity_kg.graph has something to act on; the expected answers are worked out by hand
in the tests.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from smartcity_kg import SmartCityKG, open_kg
from smartcity_kg.dataset import KnowledgeBase  # small_kb: for tests of modules that take one
from smartcity_kg.prefixes import ONTOLOGY_IRI

HEAD = """
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/smartcity-kg/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

ONTOLOGY = """
sc:servesGoal rdfs:label "serves goal"@en , "dient Ziel"@de .
sc:focusesOn rdfs:label "focuses on"@en , "fokussiert"@de .
sc:hasTopicArea rdfs:label "has topic area"@en , "hat Themenbereich"@de .
sc:hasTheme rdfs:label "has theme"@en , "hat Thema"@de .
sc:providesBenefit rdfs:label "provides benefit"@en , "bringt Nutzen"@de .
sc:within rdfs:label "within"@en , "liegt in"@de .
sc:District rdfs:subClassOf sc:Region .
sc:Municipality rdfs:subClassOf sc:Region .
"""

SOURCES = """
id:graph\\/stated a sc:KnowledgeGraph ; prov:wasDerivedFrom id:source\\/page ; sc:curated false .
id:graph\\/curated a sc:KnowledgeGraph ; prov:wasDerivedFrom id:source\\/curation ;
    sc:curated true .
"""

STATED = """
id:topic\\/mobilitaet a sc:TopicArea ; rdfs:label "Mobilität"@de , "Mobility"@en ;
    sc:quote "Mobilität ist ein Themenbereich."@de ; prov:wasDerivedFrom id:source\\/page .
id:topic\\/energie a sc:TopicArea ; rdfs:label "Energie"@de , "Energy"@en .
id:goal\\/natur a sc:Goal ; rdfs:label "Natur schützen"@de , "Protect nature"@en .
id:goal\\/wirtschaft a sc:Goal ; rdfs:label "Wirtschaft stärken"@de , "Economy"@en .
id:approach\\/smart-city a sc:Approach ; rdfs:label "Smart City"@de , "Smart City"@en ;
    sc:focusesOn id:topic\\/mobilitaet , id:topic\\/energie .
id:initiative\\/darmstadt a sc:Initiative ;
    rdfs:label "Digitalstadt Darmstadt"@de , "Digital City Darmstadt"@en ;
    sc:hasTheme id:theme\\/nachhaltigkeit ; sc:providesBenefit id:benefit\\/erfahrung ;
    dcterms:spatial id:region\\/m1 .
id:theme\\/nachhaltigkeit a sc:Theme ; rdfs:label "Nachhaltigkeit"@de , "Sustainability"@en .
id:benefit\\/erfahrung a sc:Benefit ; rdfs:label "Erfahrung"@de , "Experience"@en .
id:benefit\\/lonely a sc:Benefit ; rdfs:label "Einsam"@de , "Lonely"@en .
id:region\\/d1 a sc:District ; rdfs:label "Kreis A"@de , "District A"@en ; sc:ags "06001" .
id:region\\/d2 a sc:District ; rdfs:label "Kreis B"@de , "District B"@en ; sc:ags "06002" .
id:region\\/m1 a sc:Municipality ; rdfs:label "Stadt A"@de , "Town A"@en ;
    sc:ags "06001001" ; sc:within id:region\\/d1 .
id:region\\/m2 a sc:Municipality ; rdfs:label "Stadt"@de , "Town"@en ; sc:within id:region\\/d2 .
id:region\\/m3 a sc:Municipality ; rdfs:label "Stadt"@de , "Town"@en ; sc:within id:region\\/d2 .
"""

CURATED = """
id:topic\\/mobilitaet sc:servesGoal id:goal\\/natur .
id:theme\\/nachhaltigkeit sc:hasTopicArea id:topic\\/energie .
id:curated\\/a a rdf:Statement , sc:CuratedLink ;
    rdf:subject id:topic\\/mobilitaet ; rdf:predicate sc:servesGoal ; rdf:object id:goal\\/natur ;
    sc:rationale "Weniger Verkehr schont die Natur."@de , "Less traffic protects nature."@en .
id:curated\\/b a rdf:Statement , sc:CuratedLink ;
    rdf:subject id:theme\\/nachhaltigkeit ; rdf:predicate sc:hasTopicArea ;
    rdf:object id:topic\\/energie ; sc:rationale "Sustainability is about energy."@en .
"""

ID = "https://w3id.org/smartcity-kg/id/"
GRAPHS = {
    ONTOLOGY_IRI: ONTOLOGY,
    ID + "graph/sources": SOURCES,
    ID + "graph/stated": STATED,
    ID + "graph/curated": CURATED,
}


def small_kb() -> KnowledgeBase:
    kb = KnowledgeBase.load(shipped=False)
    for graph, body in GRAPHS.items():
        kb.add_text(HEAD + body, ox.RdfFormat.TURTLE, graph)
    return kb


def small_kg(folder: Path) -> SmartCityKG:
    """The same data opened through the Python API, alone (``open_kg(data=[small.trig],
    shipped=False)``): for the tests of what the API offers (graphs, analyses)."""
    trig = folder / "small.trig"
    write_trig(trig)
    return open_kg(data=[trig], shipped=False)


def write_trig(path) -> None:
    """The same data as one TriG file (for CLI runs with --data)."""
    parts = [HEAD]
    for graph, body in GRAPHS.items():
        parts.append(f"<{graph}> {{\n{body}\n}}\n")
    path.write_text("".join(parts), encoding="utf-8")
