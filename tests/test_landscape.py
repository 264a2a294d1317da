"""The landscape: curated CSVs -> importer -> generated graphs, and the import columns it uses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from import_fixture import ID, fixture_data, write
from smartcity_kg import InputError
from smartcity_kg.generate import generate_all
from smartcity_kg.import_reader import read_table
from smartcity_kg.importer import build
from smartcity_kg.landscape import counts
from smartcity_kg.namespaces import SC

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
DATA, KB = ONTOLOGY / "data", ONTOLOGY / "kb"
HEADER = (
    "name,name_en,description,description_en,region,lead,programme,amount_eur,funding_year,"
    "topic_areas,source\n"
)


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return generate_all(DATA, KB)


def test_landscape_counts_meet_the_issue_targets(generated):
    from rdflib import Graph

    stated = Graph().parse(data=generated["landscape.ttl"], format="turtle")
    held = dict(counts(stated))
    assert held == {
        "initiatives": 69,
        "programmes": 3,
        "regions linked": 105,  # incl. the Land, a Metropolregion and Nordhessen
        "sources": 79,
    }
    assert "# Stated facts only: 69 initiatives, 3 programmes" in generated["landscape.ttl"]


def test_every_source_has_url_title_and_access_date(generated):
    from rdflib import Graph

    g = Graph().parse(data=generated["landscape.ttl"], format="turtle")
    sources = set(g.subjects(RDF.type, SC.Source))
    for s in sources:
        assert g.value(s, SC.url) is not None, s
        assert g.value(s, SC.accessed) == Literal("2026-12-01", datatype=XSD.date), s
    assert len(sources) == 79


def test_fact_given_by_two_sources_links_both(generated):
    from rdflib import Graph

    g = Graph().parse(data=generated["landscape.ttl"], format="turtle")
    kassel = ID + "initiative/modellprojekt-smart-city-kassel-smart-kassel"
    derived = set(g.objects(URIRef(kassel), PROV.wasDerivedFrom))
    assert len(derived) == 5
    assert URIRef(ID + "source/tonline-mpsc-2020") in derived


def test_curated_topic_areas_carry_rationales(generated):
    from rdflib import Graph

    g = Graph().parse(data=generated["landscape-curated.ttl"], format="turtle")
    links = set(g.subjects(RDF.type, SC.CuratedLink))
    assert len(links) == 30 + 11  # initiatives' judged topic areas and the action fields'
    for link in links:
        assert {r.language for r in g.objects(link, SC.rationale)} == {"de", "en"}
        s, p, o = (g.value(link, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert (s, p, o) in g


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    shutil.copy(ONTOLOGY / "smartcity.ttl", tmp_path / "smartcity.ttl")
    return data


def _append(path: Path, line: str) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line, encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize(
    ("file", "line", "fragment"),
    [
        (
            "initiatives.csv",
            "Neu,New,x,x,06999999,,,,,Mobilität,hmd-hessennext\n",
            "unknown region AGS '06999999'",
        ),
        (
            "initiatives.csv",
            "Neu,New,x,x,06411000,,,,,Mobilität,no-such-source\n",
            "must name sources of sources.csv; unknown: no-such-source",
        ),
        (
            "initiatives.csv",
            "Neu,New,x,x,06411000,,,12 Mio,,Mobilität,hmd-hessennext\n",
            "amount_eur '12 Mio' is not a number",
        ),
        (
            "initiatives.csv",
            "Neu,New,x,x,06411000,,,,,,hmd-hessennext\n",
            "needs at least one sc:hasTopicArea",
        ),
        (
            "sources.csv",
            "neu,https://example.org,Titel,Title,Herausgeber,,01.12.2026\n",
            "accessed '01.12.2026' must be YYYY-MM-DD",
        ),
        (
            "curated-topics.csv",
            "Mobilfalt,Mobilität,schon genannt,already stated\n",
            "already states this topic area",
        ),
    ],
    ids=["region", "source", "amount", "no-topic", "access-date", "stated-twice"],
)
def test_bad_landscape_rows_name_file_and_line(tmp_path, file, line, fragment):
    data = _copy_data(tmp_path)
    path = data / "landscape" / file
    if file == "initiatives.csv":  # the file has a status column before topic_areas
        cells = line.split(",")
        line = ",".join([*cells[:9], "", *cells[9:]])
    number = _append(path, line)
    with pytest.raises(InputError) as caught:
        generate_all(data, KB)
    message = str(caught.value)
    assert fragment in message, message
    if file != "curated-topics.csv":
        assert f"{path}:{number}" in message, message


def test_import_columns_for_programme_lead_amount_and_sources(tmp_path):
    data = fixture_data(tmp_path)
    src = write(
        tmp_path,
        "i.csv",
        HEADER + "Projekt,Project,Etwas.,Something.,06411000,06411000,,729611.50,2025,"
        'Verwaltung,"Digitale Städte, Digitale Regionen;https://example.org/zwei"\n',
    )
    result = build(read_table(src), data, shipped=False)
    assert result.problems == []
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in result.triples)
    subject = ox.NamedNode(ID + "initiative/projekt")

    def values(predicate: str) -> set[str]:
        found = store.quads_for_pattern(subject, ox.NamedNode(predicate), None)
        return {q.object.value for q in found}

    assert values(str(SC.leadApplicant)) == {ID + "region/06411000"}
    assert values(str(SC.fundingAmount)) == {"729611.5"}  # xsd:decimal, canonical form
    assert values(str(SC.fundingYear)) == {"2025"}
    assert values(str(PROV.wasDerivedFrom)) == {
        ID + "source/digitale-staedte",
        ID + "source/https-example-org-zwei",
    }
    descriptions = store.quads_for_pattern(
        subject, ox.NamedNode("http://purl.org/dc/terms/description"), None
    )
    assert {q.object.language for q in descriptions} == {"de", "en"}


def test_figure_in_euros_with_a_date(tmp_path):
    data = fixture_data(tmp_path)
    header = "name,name_en,about,value,unit,measure,measure_en,date,source\n"
    src = write(
        tmp_path,
        "f.csv",
        header + "Budget,Budget,06411000,64000000,eur,Mittel,funds,2021-03,Seite\n",
    )
    result = build(read_table(src), data, shipped=False)
    assert result.problems == []
    (date,) = [t.object for t in result.triples if t.predicate.value.endswith("/date")]
    assert date.datatype == ox.NamedNode(str(XSD.gYearMonth)) and date.value == "2021-03"
    (unit,) = [t.object for t in result.triples if t.predicate.value == str(SC.unit)]
    assert unit.value == "http://qudt.org/vocab/unit/Euro"
