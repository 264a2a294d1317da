"""The FIWARE Smart Data Models subset (id:graph/smart-data-models, stated) and the topic areas'
curated links to it (id:graph/alignments-fiware): faithful to the copied data, every link
explained, strict input, and kept out of stated-only exports."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from smartcity_kg import InputError
from smartcity_kg.generate import generate_all
from smartcity_kg.smart_data_models import (
    links_graph,
    models_graph,
    read_models,
    topic_labels,
)

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
DATA, KB = ONTOLOGY / "data", ONTOLOGY / "kb"
FIWARE = DATA / "fiware"
ID = "https://w3id.org/smartcity-kg/id/"
SC = rdflib.Namespace("https://w3id.org/smartcity-kg/ontology#")
REPO = "https://github.com/smart-data-models/"
FIWARE_GRAPH = f"<{ID}graph/alignments-fiware>"
MODELS_GRAPH = f"<{ID}graph/smart-data-models>"


def source() -> dict:
    return json.loads((FIWARE / "smart-data-models.json").read_text(encoding="utf-8"))


def topics() -> dict[str, tuple[str, str]]:
    return topic_labels((KB / "digitale-staedte.ttl").read_text(encoding="utf-8"))


def test_the_subset_names_its_package_version_and_holds_21_subjects_with_177_models():
    data = source()
    assert data["source"]["package"] == "pysmartdatamodels"
    assert data["source"]["version"] == "0.8.2.0"
    assert data["source"]["officialListUpdated"].startswith("2026-07-19")
    models = [m for s in data["subjects"] for m in s["dataModels"]]
    assert (len(data["subjects"]), len(models)) == (21, 177)
    smart_cities = sorted(s["repoName"] for s in data["subjects"] if "SmartCities" in s["domains"])
    assert smart_cities == [
        "dataModel.GBFS",
        "dataModel.Parking",
        "dataModel.PointOfInterest",
        "dataModel.Streetlighting",
        "dataModel.Transportation",
        "dataModel.UrbanMobility",
        "dataModel.WasteManagement",
        "dataModel.Weather",
        "dataModel.WifiNetwork",
    ]


def test_the_stated_graph_carries_every_model_as_the_package_gives_it():
    data = source()
    g = models_graph(read_models(FIWARE / "smart-data-models.json"))
    expected = set()
    for s in data["subjects"]:
        subject = rdflib.URIRef(s["repoLink"].removesuffix(".git"))
        assert str(subject) == REPO + s["repoName"]
        expected |= {
            (subject, RDF.type, SC.DataModelSubject),
            (subject, RDFS.label, rdflib.Literal(s["repoName"], lang="de")),
            (subject, RDFS.label, rdflib.Literal(s["repoName"], lang="en")),
            (subject, PROV.wasDerivedFrom, rdflib.URIRef(ID + "source/smart-data-models")),
        }
        for m in s["dataModels"]:
            model = rdflib.URIRef(m["jsonSchemaUrl"])
            expected |= {
                (subject, DCTERMS.hasPart, model),
                (model, RDF.type, SC.DataModel),
                (model, RDFS.label, rdflib.Literal(m["dataModel"], lang="de")),
                (model, RDFS.label, rdflib.Literal(m["dataModel"], lang="en")),
                (model, PROV.wasDerivedFrom, rdflib.URIRef(ID + "source/smart-data-models")),
                (model, DCTERMS.identifier, rdflib.Literal(m["$id"])),
                (model, OWL.versionInfo, rdflib.Literal(m["version"])),
            }
            if m["license"]:
                expected.add((model, DCTERMS.license, rdflib.URIRef(m["license"])))
    assert set(g) == expected
    assert len(g) == 1499
    parking = rdflib.URIRef(
        "https://raw.githubusercontent.com/smart-data-models/dataModel.Parking/master/"
        "OffStreetParking/schema.json"
    )
    assert g.value(parking, DCTERMS.license) == rdflib.URIRef(
        REPO + "dataModel.Parking/blob/master/OffStreetParking/LICENSE.md"
    )
    assert str(g.value(parking, OWL.versionInfo)) == "0.1.3"
    # $id is not unique in the package (two RiskManagement models share one): a literal only
    risk = "https://raw.githubusercontent.com/smart-data-models/dataModel.RiskAssessment/"
    assert (
        len(list(g.subjects(DCTERMS.identifier, rdflib.Literal(risk + "master/Risk/schema.json"))))
        == 2
    )


def test_every_fiware_link_is_a_curated_link_with_its_rationale_from_the_csv():
    data = read_models(FIWARE / "smart-data-models.json")
    g = links_graph(FIWARE / "topic-subjects.csv", data, topics())
    with open(FIWARE / "topic-subjects.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    links = {(s, p, o) for s, p, o in g if p == SC.servedBy}
    assert links == {
        (rdflib.URIRef(ID + "topic/" + r["topic"]), SC.servedBy, rdflib.URIRef(REPO + r["subject"]))
        for r in rows
    }
    assert len(links) == len(rows) == 22
    for s, p, o in links:
        (node,) = [n for n in g.subjects(RDF.subject, s) if (n, RDF.object, o) in g]
        assert (node, RDF.type, SC.CuratedLink) in g and (node, RDF.predicate, p) in g
        assert sorted(r.language for r in g.objects(node, SC.rationale)) == ["de", "en"]
        assert g.value(node, PROV.wasDerivedFrom) == rdflib.URIRef(
            ID + "source/smartcity-kg-curation"
        )
    node = rdflib.URIRef(ID + "curated/mobilitaet--servedBy--sdm-Parking")
    assert {str(x) for x in g.objects(node, RDFS.label)} == {
        "Mobilität – wird bedient von – dataModel.Parking",
        "Mobility – served by – dataModel.Parking",
    }
    # nothing but the links and their descriptions: the graph is curated through and through
    described = set(g.subjects(RDF.type, SC.CuratedLink))
    assert {t for t in g if t[0] not in described} == links


def test_every_topic_area_but_bildung_is_served():
    g = rdflib.Graph().parse(KB / "alignments-fiware.ttl")
    served = {str(s).removeprefix(ID + "topic/") for s in g.subjects(SC.servedBy, None)}
    assert served == set(topics()) - {"bildung"}


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "fiware"
    shutil.copytree(FIWARE, folder)
    return folder


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("verkehr,dataModel.Parking,a,b", r"topic-subjects\.csv:24: 'verkehr' is no topic area"),
        ("mobilitaet,dataModel.Agrifood,a,b", r":24: subject 'dataModel.Agrifood' is not in"),
        ("mobilitaet,dataModel.Parking,a,b", r":24: mobilitaet -> dataModel.Parking repeats"),
        ("handel,dataModel.Parking,,b", r":24: the rationale needs both"),
        ("handel,dataModel.Parking,a", r":24: 3 cells, not 4"),
    ],
    ids=["topic", "subject", "duplicate", "rationale", "cells"],
)
def test_bad_link_rows_are_refused_with_file_and_line(tmp_path, row, message):
    folder = _copy(tmp_path)
    with open(folder / "topic-subjects.csv", "a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    data = read_models(folder / "smart-data-models.json")
    with pytest.raises(InputError, match=message):
        links_graph(folder / "topic-subjects.csv", data, topics())


def test_a_subject_no_row_links_is_refused(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "topic-subjects.csv"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if "Hl7" not in line]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no row links dataModel\.Hl7; link it or leave it out"):
        links_graph(path, read_models(folder / "smart-data-models.json"), topics())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["subjects"][0].update(repoLink="https://example.org/x"),
            r"subjects\[0\]\.repoLink",
        ),
        (
            lambda d: d["subjects"][1]["dataModels"][0].update(jsonSchemaUrl="not an iri"),
            r"subjects\[1\]\.dataModels\[0\]\.jsonSchemaUrl: needs an IRI",
        ),
        (
            lambda d: d["subjects"][1]["dataModels"][2].update(license=""),
            r"subjects\[1\]\.dataModels\[2\]\.license: must be an IRI or null",
        ),
        (lambda d: d["source"].pop("version"), r"source: needs the package version"),
        (
            lambda d: d["subjects"].append(d["subjects"][0]),
            r"subjects\[21\]\.repoName: dataModel\.Alert repeats",
        ),
    ],
    ids=["repo", "schema-url", "licence", "version", "duplicate"],
)
def test_bad_subset_is_refused_naming_the_value(tmp_path, change, message):
    data = source()
    change(data)
    path = tmp_path / "smart-data-models.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match=r"smart-data-models\.json: " + message):
        read_models(path)


def test_broken_json_names_line_and_column(tmp_path):
    path = tmp_path / "smart-data-models.json"
    path.write_text('{\n "source": {,\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"smart-data-models\.json:2:13: not JSON"):
        read_models(path)


def test_generate_writes_both_graphs_with_source_and_version_in_the_header():
    out = generate_all(DATA, KB)
    models, links = out["smart-data-models.ttl"].splitlines(), out["alignments-fiware.ttl"]
    assert models[1] == (
        "# Source: id:source/smart-data-models (pysmartdatamodels 0.8.2.0, official list of "
        "2026-07-19)."
    )
    assert links.splitlines()[1].startswith("# Source: id:source/smartcity-kg-curation")


def test_stated_only_exports_leave_the_fiware_links_out_and_keep_the_models(kg):
    whole = kg.export("nquads")[""].decode()
    stated = kg.export("nquads", stated_only=True)[""].decode()
    link = f"<{ID}topic/mobilitaet> <{SC}servedBy> <{REPO}dataModel.Parking> {FIWARE_GRAPH} ."
    assert link in whole
    assert FIWARE_GRAPH not in stated and f"<{SC}servedBy>" not in stated
    label = f'<{REPO}dataModel.Parking> <{RDFS.label}> "dataModel.Parking"@en {MODELS_GRAPH} .'
    assert label in whole and label in stated


def test_the_data_checks_pass_with_the_fiware_graphs(kg):
    for name in ("curated-rationale-violation", "label-missing-violation"):
        assert kg.run(name).rows == [], name
