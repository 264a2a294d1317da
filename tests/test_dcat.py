"""The DCAT-AP.de description: valid against GovData's shapes, current, and complete."""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from serving import TOKEN
from smartcity_kg import __version__, dcat, formats

ROOT = Path(__file__).parent.parent
SHAPES_DIR = Path(__file__).parent / "data" / "dcat-ap-de-3.0"
DCAT_FILE = ROOT / "ontology" / "catalog" / "dcat.ttl"
DCAT = dcat.DCAT


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
    data = dcat.dcat_graph()
    dist = dcat.CAT["distribution/kb-turtle"]
    data.remove((dist, DCTERMS.license, None))
    assert results(data, shapes)["Violation"] == [
        "DE: dcat:Distribution: MUSS eine dcterms:license haben."
    ]


def test_dataset_without_publisher_and_theme_outside_vocabulary_fail(shapes):
    data = dcat.dcat_graph()
    dataset = dcat.CAT["dataset/ontology"]
    data.remove((dataset, DCTERMS.publisher, None))
    data.add((dataset, DCAT.theme, URIRef("https://example.org/theme/smart-city")))
    assert sorted(results(data, shapes)["Violation"]) == [
        "DE: dcat:DataService: MUSS einen dcterms:publisher haben.",  # sic: GovData's message
        "dcat:Dataset: dcat:theme MUSS folgendes Vokabular benutzen: "
        "https://www.dcat-ap.de/def/dcatde/3.0/spec/#kv-data-theme",
    ]


def test_shipped_file_is_current():
    assert DCAT_FILE.read_text(encoding="utf-8") == dcat.dcat_turtle()


def test_one_distribution_per_release_format_with_its_media_type():
    g = dcat.dcat_graph()
    names = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
    assert tuple(f.name for f in dcat.release_formats()) == names
    for dataset in ("kb", "ontology"):
        node = dcat.CAT[f"dataset/{dataset}"]
        dists = set(g.objects(node, DCAT.distribution))
        assert len(dists) == 6
        media = {str(g.value(d, DCAT.mediaType)) for d in dists}
        assert media == {dcat.IANA + formats.get(n).media[0] for n in names}
        urls = {str(g.value(d, DCAT.downloadURL)) for d in dists}
        assert f"{dcat.RELEASES}{__version__}/{dataset}.ttl" in urls
        assert g.value(node, DCAT.version) == Literal(__version__)


def test_licences_data_cc_by_and_code_apache():
    g = dcat.dcat_graph()
    licences = {g.value(d, DCTERMS.license) for d in g.subjects(RDF.type, DCAT.Distribution)}
    assert licences == {URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")}
    rights = g.value(dcat.CAT["catalog"], DCTERMS.rights)
    assert "Apache-2.0" in str(g.value(rights, RDFS.label))


def test_spatial_and_temporal_coverage():
    g = dcat.dcat_graph()
    kb = dcat.CAT["dataset/kb"]
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


# --- VoID ---

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def stats_json(cli_run, *args: str) -> dict:
    """What `smartcity-kg stats --format json` prints."""
    result = cli_run("stats", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def void_numbers(g: Graph, dataset) -> dict:
    """The figures a VoID graph states for ``dataset``, in the shape of ``stats``."""
    classes = {
        str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities))
        for p in g.objects(dataset, VOID.classPartition)
    }
    graphs = {
        str(g.value(s, SD.name)): int(g.value(s, VOID.triples))
        for s in g.objects(dataset, VOID.subset)
        if (s, RDF.type, VOID.Linkset) not in g
    }
    return {"triples": int(g.value(dataset, VOID.triples)), "classes": classes, "graphs": graphs}


def stats_numbers(found: dict) -> dict:
    return {
        "triples": found["triples"],
        "classes": {r["class"]: int(r["instances"]) for r in found["classes"]},
        "graphs": {r["graph"]: int(r["triples"]) for r in found["graphs"]},
    }


def test_void_figures_of_the_shipped_kb_equal_stats(kb, cli_run):
    from smartcity_kg.void import void_figures

    figures = void_figures(kb)
    expected = stats_numbers(stats_json(cli_run))
    assert figures.triples == expected["triples"] == 13859
    assert dict(figures.classes) == expected["classes"]
    assert dict(figures.graphs) == expected["graphs"]
    assert sum(n for _, n in figures.properties) == figures.triples  # partitions cover all
    assert (len(figures.classes), len(figures.properties), figures.entities) == (46, 104, 1500)
    skos, rdfs = str(SKOS), str(RDFS)
    assert figures.links == {
        "sdg": [
            (skos + "hasTopConcept", 17),
            ("https://w3id.org/smartcity-kg/ontology#contributesToSDG", 11),
        ],
        "wikidata": [(skos + "exactMatch", 17)],
        "musterdatenkatalog": [
            (skos + "broadMatch", 3),
            (skos + "closeMatch", 4),
            (skos + "narrowMatch", 5),
            (skos + "relatedMatch", 2),
        ],
        "saref4city": [(rdfs + "subClassOf", 6)],
        "schema": [
            (rdfs + "subClassOf", 10),
            (rdfs + "subPropertyOf", 2),
            (skos + "broadMatch", 79),
            (skos + "closeMatch", 4),
            (skos + "exactMatch", 24),
            (skos + "narrowMatch", 15),
            (skos + "relatedMatch", 34),
        ],
        "smart-data-models": [
            ("http://purl.org/dc/terms/license", 176),  # models link to their licence files
            ("https://w3id.org/smartcity-kg/ontology#servedBy", 22),
        ],
    }


def test_served_void_equals_stats_and_is_linked_from_the_service_description(web, cli_run):
    base = str(web.base_url).rstrip("/")
    r = web.get("/.well-known/void")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    dataset = URIRef(base + "/.well-known/void#dataset")
    assert g.value(dataset, VOID.sparqlEndpoint) == URIRef(base + "/sparql")
    fixture = web.data_file.resolve()
    expected = stats_numbers(stats_json(cli_run, "--data", str(fixture)))
    assert void_numbers(g, dataset) == expected
    assert expected["graphs"][fixture.as_uri()] == 7  # the --data file is a subset of its own
    linksets = {
        (str(g.value(s, VOID.linkPredicate)), int(g.value(s, VOID.triples)))
        for s in g.subjects(RDF.type, VOID.Linkset)
    }
    assert ("http://www.w3.org/2004/02/skos/core#exactMatch", 17) in linksets
    sd = Graph().parse(data=web.get("/sparql").text, format="turtle")
    described = sd.value(predicate=RDF.type, object=SD.Dataset)
    assert sd.value(described, RDFS.seeAlso) == URIRef(base + "/.well-known/void")


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_served_void_in_other_rdf_formats(web, accept, fmt):
    turtle = Graph().parse(data=web.get("/.well-known/void").text, format="turtle")
    r = web.get("/.well-known/void", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert isomorphic(Graph().parse(data=r.text, format=fmt), turtle)


def test_void_refuses_a_non_rdf_accept(web):
    r = web.get("/.well-known/void", headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_void_iris_do_not_come_from_the_client_host_header(web):
    spoof = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    r = web.get("/.well-known/void", headers=spoof)
    assert r.status_code == 200
    assert "evil.example" not in r.text
    assert f"<{str(web.base_url).rstrip('/')}/sparql>" in r.text


def test_void_follows_an_update(web_update):
    """The description is of the live dataset: after an update it counts the new triple and
    the new graph."""
    graph = "https://w3id.org/smartcity-kg/id/test/graph"
    url = "/.well-known/void"
    dataset = URIRef(str(web_update.base_url).rstrip("/") + url + "#dataset")
    before = void_numbers(Graph().parse(data=web_update.get(url).text, format="turtle"), dataset)
    update = f"INSERT DATA {{ GRAPH <{graph}> {{ <{graph}#a> <{graph}#p> 1 }} }}"
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    assert web_update.post("/update", content=update, headers=headers).status_code == 204
    after = void_numbers(Graph().parse(data=web_update.get(url).text, format="turtle"), dataset)
    assert after["triples"] == before["triples"] + 1
    assert after["graphs"] == {**before["graphs"], graph: 1}


def test_generate_checks_and_rewrites_the_description(cli_run, tmp_path):
    import shutil

    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    stale = onto / "catalog" / "dcat.ttl"
    stale.write_text(stale.read_text(encoding="utf-8").replace("CC BY", "CC-BY"), encoding="utf-8")
    result = cli_run("generate", "--check", "--ontology-dir", str(onto))
    assert result.exit_code == 1
    assert f"{stale}: out of date; run 'smartcity-kg generate'" in result.stderr
    shutil.rmtree(onto / "catalog")  # an ontology folder from before the catalogue existed
    result = cli_run("generate", "--ontology-dir", str(onto))
    assert result.exit_code == 0, result.stderr
    assert stale.read_text(encoding="utf-8") == DCAT_FILE.read_text(encoding="utf-8")
