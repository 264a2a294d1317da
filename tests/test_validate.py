"""SHACL: the shipped knowledge base conforms; broken data is caught with the right message."""

from __future__ import annotations

import json

from smartcity_kg import open_kg

ID = "https://w3id.org/smartcity-kg/id/"

PREFIXES = """
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
@prefix id: <https://w3id.org/smartcity-kg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix unit: <http://qudt.org/vocab/unit/> .
"""


def broken(tmp_path, turtle: str, name: str = "broken.ttl"):
    path = tmp_path / name
    path.write_text(PREFIXES + turtle, encoding="utf-8")
    return path


CASES = {
    # two links, so the SPARQL constraint runs once per link with each its own $this
    "curated links describing triples that are not there": (
        """<https://w3id.org/smartcity-kg/id/curated/x1> a sc:CuratedLink ;
             rdfs:label "Verknüpfung 1"@de, "Link 1"@en ;
             rdf:subject <https://w3id.org/smartcity-kg/id/topic/bildung> ;
             rdf:predicate sc:servesGoal ;
             rdf:object <https://w3id.org/smartcity-kg/id/goal/nowhere> .
           <https://w3id.org/smartcity-kg/id/curated/x2> a sc:CuratedLink ;
             rdfs:label "Verknüpfung 2"@de, "Link 2"@en ;
             rdf:subject <https://w3id.org/smartcity-kg/id/topic/handel> ;
             rdf:predicate sc:servesGoal ;
             rdf:object <https://w3id.org/smartcity-kg/id/goal/elsewhere> .""",
        None,
        "that is not in the knowledge base",
    ),
    "municipality with a short AGS": (
        """<https://w3id.org/smartcity-kg/id/region/0643199> a sc:Municipality, sc:Region ;
             rdfs:label "Testdorf"@de, "Testdorf"@en ; sc:ags "0643199" ;
             sc:within <https://w3id.org/smartcity-kg/id/region/06431> ;
             prov:wasDerivedFrom <https://w3id.org/smartcity-kg/id/source/eurostat-lau-2024> .""",
        "https://w3id.org/smartcity-kg/ontology#ags",
        "AGS",
    ),
    "topic area without an English label": (
        """<https://w3id.org/smartcity-kg/id/topic/tourismus> a sc:TopicArea ;
             rdfs:label "Tourismus"@de ; skos:prefLabel "Tourismus"@de ;
             skos:inScheme <https://w3id.org/smartcity-kg/id/scheme/topic-areas> ;
             prov:wasDerivedFrom <https://w3id.org/smartcity-kg/id/source/digitale-staedte> .""",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "English",
    ),
    "figure whose value is text": (
        """<https://w3id.org/smartcity-kg/id/figure/x> a sc:StatedFigure ;
             rdfs:label "x"@de, "x"@en ; sc:value "viele" ; sc:unit unit:NUM ;
             sc:measure "Dinge"@de, "things"@en ;
             sc:about <https://w3id.org/smartcity-kg/id/region/06> ;
             prov:wasDerivedFrom <https://w3id.org/smartcity-kg/id/source/digitale-staedte> .""",
        "https://w3id.org/smartcity-kg/ontology#value",
        "value",
    ),
}


def test_each_broken_fixture_is_caught_with_its_message(tmp_path):
    """The cases are about different things, so one validation of all of them at once (a SHACL
    run over the whole knowledge base takes seconds) tells each one's violation apart."""
    files = [broken(tmp_path, CASES[case][0], f"case-{i}.ttl") for i, case in enumerate(CASES)]
    report = open_kg(files).validate()
    assert not report.conforms
    for case, (_, path, word) in CASES.items():
        hits = [v for v in report.violations if v.path == path]
        assert hits, (case, report.violations)
        assert any(word in v.message for v in hits), (case, [v.message for v in hits])
    missing = {v.focus for v in report.violations if "not in the knowledge base" in v.message}
    assert missing == {ID + "curated/x1", ID + "curated/x2"}


def test_cli_validate_reports_and_exits_1(cli_run, tmp_path):
    turtle, _, _ = CASES["municipality with a short AGS"]
    result = cli_run("validate", "--data", str(broken(tmp_path, turtle)), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["conforms"] is False
    assert any(
        v["focus"] == "id:region/0643199" and v["path"] == "sc:ags" for v in doc["violations"]
    )


def test_shipped_knowledge_base_conforms_and_the_cli_exits_0(cli_run):
    """One SHACL run (seconds) for both: the report, and the exit code that says it. The table
    form ("Conforms") is the README's example of `smartcity-kg validate`."""
    result = cli_run("validate", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"conforms": True, "violations": []}
