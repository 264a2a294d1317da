"""The generated reference files: counts, containment, currency, determinism, strict input."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS, SKOS

import smartcity_kg
from smartcity_kg import InputError
from smartcity_kg.generate import (
    generate_all,
    iso37120_graph,
    regions_graph,
    sdg_graph,
    to_turtle,
)
from smartcity_kg.musterdatenkatalog import MATCHES, MDK_SCHEME, musterdatenkatalog_graph
from smartcity_kg.namespaces import ID, SC

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
DATA, KB = ONTOLOGY / "data", ONTOLOGY / "kb"
REGIONS_CSV = DATA / "hessen-gebietsgliederung-2024.csv"
HEADER = "ags,name,designation,level,parent_ags,nuts\n"
GOOD = (
    HEADER + "06,Hessen,Land,land,,DE7\n064,Darmstadt,Regierungsbezirk,regierungsbezirk,06,DE71\n"
)


@pytest.fixture(scope="module")
def regions() -> Graph:
    return regions_graph(REGIONS_CSV)


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return generate_all(DATA, KB)


@pytest.mark.parametrize(
    ("cls", "count"),
    [
        (SC.FederalState, 1),
        (SC.GovernmentDistrict, 3),
        (SC.District, 21),
        (SC.DistrictFreeCity, 5),
        (SC.Municipality, 421),
        (SC.UnincorporatedArea, 4),
        (SC.Region, 455),
    ],
)
def test_regions_per_type(regions: Graph, cls: URIRef, count: int) -> None:
    assert len(set(regions.subjects(RDF.type, cls))) == count


def test_darmstadt_chain(regions: Graph) -> None:
    chain = ["06411000", "06411", "064", "06"]
    for child, parent in itertools.pairwise(chain):
        assert list(regions.objects(ID[f"region/{child}"], SC.within)) == [ID[f"region/{parent}"]]
    assert list(regions.objects(ID["region/06"], SC.within)) == []
    node = ID["region/06411000"]
    assert regions.value(node, SC.designation) == Literal("Wissenschaftsstadt", lang="de")
    labels = set(regions.objects(node, RDFS.label))
    assert labels == {Literal("Darmstadt", lang="de"), Literal("Darmstadt", lang="en")}


def test_figures_are_counted_from_the_csv(regions: Graph) -> None:
    assert regions.value(ID["figure/gemeinden-hessen-2024"], SC.value).toPython() == 421
    assert regions.value(ID["figure/landkreise-hessen-2024"], SC.value).toPython() == 21
    assert regions.value(ID["figure/gemeinden-hessen-2024"], SC.about) == ID["region/06"]


def test_sdgs_and_iso_themes() -> None:
    sdg = sdg_graph(DATA / "un-sdg-goals.csv")
    goals = set(sdg.subjects(RDF.type, SC.SDG))
    assert goals == {URIRef(f"http://metadata.un.org/sdg/{n}") for n in range(1, 18)}
    assert sdg.value(URIRef("http://metadata.un.org/sdg/11"), SKOS.exactMatch) == URIRef(
        "http://www.wikidata.org/entity/Q53581228"
    )
    iso = iso37120_graph(DATA / "iso-37120-2018-themes.csv", DATA / "iso-37120-2018-themes-de.csv")
    themes = set(iso.subjects(RDF.type, SC.CityTheme))
    assert themes == {ID[f"iso37120/{n}"] for n in range(5, 24)}
    assert Literal("Wasser", lang="de") in set(iso.objects(ID["iso37120/23"], RDFS.label))
    assert all(iso.value(t, SKOS.editorialNote) is not None for t in themes)
    assert set(iso.objects(ID["scheme/iso37120"], SKOS.hasTopConcept)) == themes


def test_musterdatenkatalog_taxonomy() -> None:
    source = Graph().parse(DATA / "musterdatenkatalog-v4.rdf", format="xml")
    mdk = musterdatenkatalog_graph(DATA / "musterdatenkatalog-v4.rdf")
    concepts = set(mdk.subjects(RDF.type, SKOS.Concept))
    tops = set(mdk.objects(MDK_SCHEME, SKOS.hasTopConcept))
    assert (len(source), len(mdk), len(concepts), len(tops)) == (2851, 3120, 268, 26)
    assert tops == {c for c in concepts if mdk.value(c, SKOS.broader) is None}
    verkehr = URIRef("https://musterdatenkatalog.de/def/musterdatensatz/verkehr")
    assert Literal("Verkehr", lang="de") in set(mdk.objects(verkehr, SKOS.prefLabel))
    # every match target became the IRI it spells; nothing else changed
    targets = [(s, p, o) for p in MATCHES for s, o in mdk.subject_objects(p)]
    assert len(targets) == 905 and all(isinstance(o, URIRef) for _, _, o in targets)
    stadtgebiet = URIRef(
        "https://musterdatenkatalog.de/def/musterdatensatz/raumplanung/raumgliederung/stadtgebiet"
    )
    assert URIRef("https://schema.org/City") in set(mdk.objects(stadtgebiet, SKOS.relatedMatch))
    source_literals = {(s, p, str(o)) for s, p, o in source if p in MATCHES}
    assert {(s, p, str(o)) for s, p, o in targets} == source_literals
    rest = {t for t in source if t[1] not in MATCHES}
    assert rest <= set(mdk)
    assert len(mdk) - len(rest) - len(targets) == len(concepts) + 1  # provenance per node
    assert {mdk.value(c, PROV.wasDerivedFrom) for c in concepts} == {
        ID["source/musterdatenkatalog-v4"]
    }


def test_musterdatenkatalog_refuses_a_target_that_is_no_iri(tmp_path: Path) -> None:
    text = (DATA / "musterdatenkatalog-v4.rdf").read_text(encoding="utf-8")
    bad = text.replace(">https://schema.org/City<", ">schema.org City<", 1)
    (tmp_path / "mdk.rdf").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError, match=r"mdk\.rdf: match target 'schema.org City' of "):
        musterdatenkatalog_graph(tmp_path / "mdk.rdf")
    (tmp_path / "broken.rdf").write_text("<rdf:RDF", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"broken\.rdf:1:0: cannot read it as RDF/XML \(unclosed token\)"
    ):
        musterdatenkatalog_graph(tmp_path / "broken.rdf")


def test_committed_files_are_current(generated: dict[str, str]) -> None:
    assert sorted(generated) == [
        "alignments-fiware.ttl",
        "iso37120.ttl",
        "landscape-curated.ttl",
        "landscape.ttl",
        "musterdatenkatalog.ttl",
        "regions.ttl",
        "sdg.ttl",
        "smart-data-models.ttl",
    ]
    for name, text in generated.items():
        committed = (KB / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale; run 'smartcity-kg generate'"


def test_header_and_round_trip(generated: dict[str, str], regions: Graph) -> None:
    for text in generated.values():
        first = text.splitlines()[0]
        assert first.startswith("# GENERATED by `smartcity-kg generate` from ontology/data/")
        assert first.endswith(" — do not edit by hand.")
        assert text.splitlines()[1].startswith("# Source: ")
        assert "id:source/" in text.splitlines()[1]
    assert isomorphic(Graph().parse(data=generated["regions.ttl"], format="turtle"), regions)


def test_same_bytes_whatever_the_insertion_order(regions: Graph) -> None:
    reversed_graph = Graph()
    for triple in sorted(regions, reverse=True):
        reversed_graph.add(triple)
    assert to_turtle(reversed_graph, ["x"]) == to_turtle(regions, ["x"])


@pytest.mark.slow
def test_same_bytes_across_hash_seeds(generated: dict[str, str]) -> None:
    code = (
        "import sys, json; from pathlib import Path; from smartcity_kg.generate import "
        "generate_all; json.dump(generate_all(Path(sys.argv[1]), Path(sys.argv[2])), sys.stdout)"
    )
    src = str(Path(smartcity_kg.__file__).resolve().parents[1])
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": src}
        run = subprocess.run(
            [sys.executable, "-c", code, str(DATA), str(KB)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            encoding="utf-8",
        )
        assert json.loads(run.stdout) == generated


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("ags,name,designation,level,parent,nuts\n06,Hessen,Land,land,,DE7\n", 1, "header"),
        (GOOD + "06411,Darmstadt,Kreisfreie Stadt,kreisfreie-stadt,064\n", 4, "5 cells"),
        (GOOD + "06411,Darmstadt,Kreisfreie Stadt,kreisstadt,064,DE711\n", 4, "unknown level"),
        (GOOD + "06411,Darmstadt,Kreisfreie Stadt,kreisfreie-stadt,065,DE711\n", 4, "065"),
        (GOOD + "064,Darmstadt,Regierungsbezirk,regierungsbezirk,06,DE71\n", 4, "repeats line 3"),
        (GOOD + "06411,Darmstadt,Kreisfreie Stadt,kreisfreie-stadt,06,DE711\n", 4, "a land"),
        (GOOD + "0641,Darmstadt,Kreisfreie Stadt,kreisfreie-stadt,064,DE711\n", 4, "5 digits"),
    ],
    ids=["header", "cells", "level", "parent", "duplicate", "parent-level", "ags-length"],
)
def test_bad_regions_csv(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "regions.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        regions_graph(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert fragment in str(caught.value)
    assert caught.value.exit_code == 2


def test_bad_iso_translation_file(tmp_path: Path) -> None:
    de = tmp_path / "de.csv"
    ours = (DATA / "iso-37120-2018-themes-de.csv").read_text(encoding="utf-8")
    de.write_text(ours + "99,Unbekannt\n", encoding="utf-8")
    with pytest.raises(InputError, match="^" + re.escape(f"{de}:21: clause 99 ")):
        iso37120_graph(DATA / "iso-37120-2018-themes.csv", de)


def test_bad_sdg_row(tmp_path: Path) -> None:
    bad = tmp_path / "sdg.csv"
    head = "number,iri,wikidata,name_en,name_de\n"
    bad.write_text(head + "1,http://metadata.un.org/sdg/2,Q1,No poverty,Keine Armut\n")
    with pytest.raises(InputError, match=r"sdg\.csv:2: goal '1'"):
        sdg_graph(bad)
