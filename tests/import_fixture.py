"""A small knowledge base for import, reasoning and diff tests (the ontology plus a few nodes)."""

from __future__ import annotations

from pathlib import Path

from smartcity_kg import resources

ID = "https://w3id.org/smartcity-kg/id/"

FIXTURE = """
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix id: <https://w3id.org/smartcity-kg/id/> .

id:region\\/06 a sc:FederalState ; rdfs:label "Hessen"@de , "Hesse"@en ; sc:ags "06" .
id:region\\/064 a sc:GovernmentDistrict ; rdfs:label "Darmstadt"@de , "Darmstadt"@en ;
    sc:ags "064" ; sc:within id:region\\/06 .
id:region\\/066 a sc:GovernmentDistrict ; rdfs:label "Kassel"@de , "Kassel"@en ;
    sc:ags "066" ; sc:within id:region\\/06 .
id:region\\/06411 a sc:DistrictFreeCity ; rdfs:label "Darmstadt"@de , "Darmstadt"@en ;
    sc:ags "06411" ; sc:nuts "DE711" ; sc:within id:region\\/064 .
id:region\\/06411000 a sc:Municipality ; rdfs:label "Darmstadt"@de , "Darmstadt"@en ;
    sc:ags "06411000" ; sc:within id:region\\/06411 .
id:region\\/06412 a sc:DistrictFreeCity ; rdfs:label "Frankfurt am Main"@de ,
    "Frankfurt am Main"@en ; sc:ags "06412" ; sc:nuts "DE712" ; sc:within id:region\\/064 .
id:region\\/06611 a sc:DistrictFreeCity ; rdfs:label "Kassel"@de , "Kassel"@en ;
    sc:ags "06611" ; sc:nuts "DE731" ; sc:within id:region\\/066 .
id:region\\/06611000 a sc:Municipality ; rdfs:label "Kassel"@de , "Kassel"@en ;
    sc:ags "06611000" ; sc:within id:region\\/06611 .
id:region\\/06633 a sc:District ; rdfs:label "Kassel"@de , "Kassel"@en ;
    sc:ags "06633" ; sc:nuts "DE734" ; sc:within id:region\\/066 .
id:region\\/06531 a sc:District ; rdfs:label "Gießen"@de , "Giessen"@en ;
    sc:ags "06531" ; sc:nuts "DE721" ; sc:within id:region\\/064 .
id:region\\/frankfurt-rhein-main a sc:MetropolitanRegion ;
    rdfs:label "Metropolregion Frankfurt-Rhein-Main"@de ,
    "Frankfurt Rhine-Main Metropolitan Region"@en .

id:topic\\/mobilitaet a sc:TopicArea ; rdfs:label "Mobilität"@de , "Mobility"@en .
id:topic\\/energie-umwelt a sc:TopicArea ;
    rdfs:label "Energie & Umwelt"@de , "Energy & environment"@en .
id:topic\\/verwaltung a sc:TopicArea ; rdfs:label "Verwaltung"@de , "Administration"@en .
id:theme\\/nachhaltigkeit a sc:Theme ; rdfs:label "Nachhaltigkeit"@de , "Sustainability"@en .
id:goal\\/lebensqualitaet a sc:Goal ;
    rdfs:label "Lebensqualität der Bürgerinnen und Bürger erhöhen"@de ,
    "Improve citizens' quality of life"@en .
id:benefit\\/uebertragbarer-erfahrungsschatz a sc:Benefit ;
    rdfs:label "Ein übertragbarer Erfahrungsschatz"@de , "Transferable experience"@en .
id:org\\/land-hessen a sc:Organisation ; rdfs:label "Land Hessen"@de , "State of Hesse"@en .
id:source\\/digitale-staedte a sc:Source ;
    rdfs:label "Digitale Städte, Digitale Regionen"@de , "Digital cities, digital regions"@en .
id:initiative\\/digitalstadt-darmstadt a sc:Initiative ;
    rdfs:label "Digitalstadt Darmstadt"@de , "Digital City Darmstadt"@en .
"""

HEADER = (
    "name,name_en,description,region,topic_areas,themes,goals,benefits,supported_by,"
    "start_year,status,url,source\n"
)


def fixture_data(folder: Path) -> list[Path]:
    """The ontology and the fixture nodes as --data files (load with shipped=False)."""
    path = folder / "fixture-kb.ttl"
    path.write_text(FIXTURE, encoding="utf-8")
    return [resources.ontology_dir() / "smartcity.ttl", path]


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path
