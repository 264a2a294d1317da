"""The DCAT-AP.de description: valid against GovData's shapes, current, and complete."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH

from smartcity_kg import __version__, catalogue, formats

ROOT = Path(__file__).parent.parent
SHAPES_DIR = Path(__file__).parent / "data" / "dcat-ap-de-3.0"
DCAT_FILE = ROOT / "ontology" / "catalog" / "dcat.ttl"
DCAT = catalogue.DCAT


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def results(data: Graph, shapes: Graph) -> dict[str, list[str]]:
    """Messages per severity (Violation, Warning, Info) of a pySHACL run."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    out: dict[str, list[str]] = {"Violation": [], "Warning": [], "Info": []}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = str(report.value(result, SH.resultSeverity)).split("#")[1]
        out[severity].append(str(report.value(result, SH.resultMessage)))
    return out


def test_shipped_description_conforms_without_violations_or_warnings(shapes):
    data = Graph().parse(DCAT_FILE, format="turtle")
    assert results(data, shapes) == {"Violation": [], "Warning": [], "Info": []}


def test_distribution_without_licence_is_a_violation(shapes):
    data = catalogue.dcat_graph()
    dist = catalogue.CAT["distribution/kb-turtle"]
    data.remove((dist, DCTERMS.license, None))
    assert results(data, shapes)["Violation"] == [
        "DE: dcat:Distribution: MUSS eine dcterms:license haben."
    ]


def test_dataset_without_publisher_and_theme_outside_vocabulary_fail(shapes):
    data = catalogue.dcat_graph()
    dataset = catalogue.CAT["dataset/ontology"]
    data.remove((dataset, DCTERMS.publisher, None))
    data.add((dataset, DCAT.theme, URIRef("https://example.org/theme/smart-city")))
    assert sorted(results(data, shapes)["Violation"]) == [
        "DE: dcat:DataService: MUSS einen dcterms:publisher haben.",  # sic: GovData's message
        "dcat:Dataset: dcat:theme MUSS folgendes Vokabular benutzen: "
        "https://www.dcat-ap.de/def/dcatde/3.0/spec/#kv-data-theme",
    ]


def test_shipped_file_is_current():
    assert DCAT_FILE.read_text(encoding="utf-8") == catalogue.dcat_turtle()


def test_one_distribution_per_release_format_with_its_media_type():
    g = catalogue.dcat_graph()
    names = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
    assert tuple(f.name for f in catalogue.release_formats()) == names
    for dataset in ("kb", "ontology"):
        node = catalogue.CAT[f"dataset/{dataset}"]
        dists = set(g.objects(node, DCAT.distribution))
        assert len(dists) == 6
        media = {str(g.value(d, DCAT.mediaType)) for d in dists}
        assert media == {catalogue.IANA + formats.get(n).media[0] for n in names}
        urls = {str(g.value(d, DCAT.downloadURL)) for d in dists}
        assert f"{catalogue.RELEASES}{__version__}/{dataset}.ttl" in urls
        assert g.value(node, DCAT.version) == Literal(__version__)


def test_spatial_and_temporal_coverage():
    g = catalogue.dcat_graph()
    kb = catalogue.CAT["dataset/kb"]
    assert set(g.objects(kb, DCTERMS.spatial)) == {
        URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/06"),
        URIRef("http://data.europa.eu/nuts/code/DE7"),
    }
    period = g.value(kb, DCTERMS.temporal)
    assert (str(g.value(period, DCAT.startDate)), str(g.value(period, DCAT.endDate))) == (
        "2024-01-01",
        "2024-12-31",
    )


def test_description_is_not_part_of_the_knowledge_base():
    from smartcity_kg import resources

    assert DCAT_FILE.parent.name == "catalog"
    assert all(p.parent.name != "catalog" for p in resources.kb_files())
