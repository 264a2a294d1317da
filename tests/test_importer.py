"""Import: templates, label resolution, every bad input the issue lists, gate, provenance."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from import_fixture import HEADER, ID, fixture_data, write
from smartcity_kg import CheckFailed, InputError
from smartcity_kg.import_reader import read_table
from smartcity_kg.import_templates import TEMPLATES, template_csv
from smartcity_kg.importer import build, provenance_path
from smartcity_kg.importer import write as write_result

GOOD = (
    "Smarte Parkplätze,Smart parking,Sensoren melden freie Plätze.,06411000,"
    "Mobilitaet;energie & umwelt,,lebensqualitaet,,Land Hessen,2023,laufend,"
    "https://example.org/p,Ratsbeschluss 2023\n"
)


@pytest.fixture
def data(tmp_path):
    return fixture_data(tmp_path)


def run(path, data, **kw):
    return build(read_table(path), data, shipped=False, **kw)


def store_of(triples) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def objects(store: ox.Store, s: str, p: str) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)}


SC = "https://w3id.org/smartcity-kg/ontology#"
PARK = ID + "initiative/smarte-parkplaetze"


def test_good_row_resolves_labels_with_and_without_umlauts(tmp_path, data):
    result = run(write(tmp_path, "a.csv", HEADER + GOOD), data)
    assert result.problems == []
    store = store_of(result.triples)
    assert objects(store, PARK, SC + "hasTopicArea") == {
        ID + "topic/mobilitaet",
        ID + "topic/energie-umwelt",
    }
    assert objects(store, PARK, "http://purl.org/dc/terms/spatial") == {ID + "region/06411000"}
    assert objects(store, PARK, SC + "servesGoal") == {ID + "goal/lebensqualitaet"}
    assert objects(store, PARK, SC + "supportedBy") == {ID + "org/land-hessen"}
    assert objects(store, PARK, "https://schema.org/creativeWorkStatus") == {"active"}
    assert objects(store, PARK, "https://schema.org/startDate") == {"2023"}
    assert objects(store, PARK, "http://www.w3.org/ns/prov#wasDerivedFrom") == {
        ID + "source/ratsbeschluss-2023"
    }


def test_template_has_header_and_example_row_for_every_kind():
    for kind, template in TEMPLATES.items():
        lines = template_csv(kind).splitlines()
        assert len(lines) == 2
        assert lines[0].split(",") == template.names
    assert TEMPLATES["initiatives"].required == ["name", "region", "source"]


def test_template_example_rows_import_cleanly_on_the_fixture(tmp_path, data):
    for kind in ("initiatives", "memberships"):
        result = run(write(tmp_path, f"{kind}.csv", template_csv(kind)), data)
        assert result.problems == [], kind


# --- bad input, one test each: message parts and nothing written --------------------------


def assert_input_error(path, *parts):
    with pytest.raises(InputError) as err:
        read_table(path)
    for part in parts:
        assert part in err.value.message
    return err.value.message


def test_empty_file(tmp_path):
    assert_input_error(write(tmp_path, "e.csv", ""), "e.csv", "the file is empty", "template")


def test_header_only(tmp_path):
    assert_input_error(write(tmp_path, "h.csv", HEADER), "h.csv", "no data rows")


def test_unknown_column_suggests_the_nearest(tmp_path):
    text = HEADER.replace("topic_areas", "topic_area") + GOOD
    msg = assert_input_error(write(tmp_path, "u.csv", text), "u.csv:1:5:", "'topic_area'")
    assert 'Did you mean "topic_areas"' in msg


def test_missing_required_column(tmp_path):
    text = "name,region\nSmarte Parkplätze,06411000\n"
    assert_input_error(write(tmp_path, "m.csv", text), "m.csv:1:", "missing required", "source")


def test_wrong_delimiter(tmp_path):
    text = HEADER.replace(",", ";") + GOOD.replace(",", ";")
    assert_input_error(write(tmp_path, "d.csv", text), "d.csv:1:1:", "separated by ';'")


def test_utf8_with_bom_is_read(tmp_path, data):
    path = write(tmp_path, "bom.csv", "\ufeff" + HEADER + GOOD)
    result = run(path, data)
    assert result.problems == []
    assert result.table.rows[0].cells["name"] == "Smarte Parkplätze"


def test_latin1_names_line_and_column(tmp_path):
    path = write(tmp_path, "l.csv", HEADER + GOOD, encoding="latin-1")
    assert_input_error(path, "l.csv:2:14:", "not UTF-8", "byte 0xe4", "save it as UTF-8")


def test_row_with_too_many_cells(tmp_path, data):
    result = run(write(tmp_path, "t.csv", HEADER + GOOD.rstrip("\n") + ",extra\n"), data)
    [problem] = result.problems
    assert problem.row == 2
    assert "14 cells but the header has 13" in problem.reason


def test_year_not_a_number(tmp_path, data):
    result = run(write(tmp_path, "y.csv", HEADER + GOOD.replace(",2023,", ",20x3,")), data)
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "start_year", "20x3")]
    assert result.problems[0].suggestion == "write four digits, e.g. 2023"


def test_unknown_region_ags(tmp_path, data):
    result = run(write(tmp_path, "r.csv", HEADER + GOOD.replace("06411000", "06999")), data)
    [problem] = result.problems
    assert (problem.column, problem.value) == ("region", "06999")
    assert problem.reason == "unknown region AGS '06999'"


def test_ambiguous_region_lists_candidates_with_ags(tmp_path, data):
    result = run(write(tmp_path, "k.csv", HEADER + GOOD.replace("06411000", "kassel")), data)
    [problem] = result.problems
    assert problem.reason == (
        "ambiguous region 'kassel': 4 candidates: Kassel (Regierungsbezirk, AGS 066), "
        "Kassel (kreisfreie Stadt, AGS 06611), Kassel (Gemeinde, AGS 06611000), "
        "Kassel (Landkreis, AGS 06633)"
    )


def test_unknown_label_suggests_nearest(tmp_path, data):
    result = run(write(tmp_path, "s.csv", HEADER + GOOD.replace("Mobilitaet", "Mobilitat")), data)
    [problem] = result.problems
    assert problem.reason == "unknown topic area 'Mobilitat'"
    assert problem.suggestion.startswith('did you mean "Mobilität"')


def test_duplicate_initiative_in_the_file(tmp_path, data):
    result = run(write(tmp_path, "dup.csv", HEADER + GOOD + GOOD), data)
    [problem] = result.problems
    assert problem.row == 3
    assert problem.reason == "duplicate initiative 'Smarte Parkplätze': row 2 has the same name"


def test_duplicate_initiative_already_in_the_knowledge_base(tmp_path, data):
    text = HEADER + GOOD.replace("Smarte Parkplätze", "digitalstadt darmstadt")
    [problem] = run(write(tmp_path, "kb.csv", text), data).problems
    assert "already in the knowledge base as " + ID + "initiative/digitalstadt-darmstadt" in (
        problem.reason
    )


def test_formula_cell_is_taken_as_text(tmp_path, data):
    formula = '"=HYPERLINK(""http://evil.example"",""x"")"'
    text = HEADER + formula + GOOD[GOOD.index(",") :]
    result = run(write(tmp_path, "f.csv", text), data)
    assert result.problems == []
    labels = {
        (t.object.value, t.object.language)
        for t in result.triples
        if t.predicate.value.endswith("#label") and t.subject.value.startswith(ID + "initiative")
    }
    assert ('=HYPERLINK("http://evil.example","x")', "de") in labels


def test_shacl_gate_rejects_an_initiative_without_topic_area(tmp_path, data):
    text = HEADER + GOOD.replace("Mobilitaet;energie & umwelt", "")
    result = run(write(tmp_path, "g.csv", text), data)
    assert [p.row for p in result.problems] == [2]
    assert result.problems[0].reason.startswith("SHACL: An Initiative (sc:Initiative) needs")


def test_nothing_written_on_error_and_existing_file_kept(tmp_path, data):
    out = tmp_path / "out.ttl"
    out.write_text("# old\n")
    result = run(write(tmp_path, "bad.csv", HEADER + GOOD.replace(",2023,", ",x,")), data)
    with pytest.raises(CheckFailed) as err:
        write_result(result, out)
    assert "1 problem(s) in 1 row(s); nothing written" in err.value.message
    assert out.read_text() == "# old\n"
    assert not provenance_path(out).exists()


def test_partial_writes_valid_rows_only(tmp_path, data):
    second = GOOD.replace("Smarte Parkplätze", "Zweite").replace(",2023,", ",x,")
    result = run(write(tmp_path, "p.csv", HEADER + GOOD + second), data, partial=True)
    assert result.rows_ok == [2]
    assert result.rejected_rows == [3]
    out = tmp_path / "p.ttl"
    write_result(result, out, partial=True)
    store = ox.Store()
    store.load(path=str(out), format=ox.RdfFormat.TURTLE)
    names = {q.subject.value for q in store.quads_for_pattern(None, None, None)}
    assert PARK in names and ID + "initiative/zweite" not in names


def test_provenance_graph_names_file_time_row_and_source(tmp_path, data):
    from datetime import UTC, datetime

    path = write(tmp_path, "prov.csv", HEADER + GOOD)
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    result = run(path, data, now=now)
    store = store_of(result.provenance)
    rows = list(
        store.query(
            """PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?file ?time ?pos ?src ?made WHERE {
              ?run prov:used ?file ; prov:startedAtTime ?time .
              ?row prov:wasInformedBy ?run ;
                   <https://schema.org/position> ?pos ; <http://purl.org/dc/terms/source> ?src ;
                   prov:generated ?made }"""
        )
    )
    assert [(r["file"].value, r["time"].value, r["pos"].value, r["src"].value) for r in rows] == [
        (path.resolve().as_uri(), "2026-01-02T03:04:05Z", "2", "Ratsbeschluss 2023")
    ]
    assert rows[0]["made"].value == PARK


def test_membership_records_statement_with_its_source(tmp_path, data):
    text = (
        "member,metropolitan_region,source\n"
        "Frankfurt am Main,metropolregion frankfurt-rhein-main,RV 2024\n"
    )
    result = run(write(tmp_path, "m.csv", text), data)
    assert result.problems == []
    within = [t for t in result.triples if t.predicate.value == SC + "within"]
    assert [(t.subject.value, t.object.value) for t in within] == [
        (ID + "region/06412", ID + "region/frankfurt-rhein-main")
    ]
    store = store_of(result.provenance)
    [row] = store.query(
        """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?s ?o ?src WHERE { ?st rdf:subject ?s ; rdf:object ?o ;
          <http://www.w3.org/ns/prov#wasDerivedFrom> ?src }"""
    )
    assert row["src"].value == ID + "source/rv-2024"


def test_membership_with_ambiguous_kassel(tmp_path, data):
    text = "member,metropolitan_region,source\nKassel,Metropolregion Frankfurt-Rhein-Main,x\n"
    [problem] = run(write(tmp_path, "mk.csv", text), data).problems
    assert problem.reason == (
        "ambiguous Landkreis or kreisfreie Stadt 'Kassel': 2 candidates: "
        "Kassel (kreisfreie Stadt, AGS 06611), Kassel (Landkreis, AGS 06633)"
    )


def test_yaml_and_json_rows(tmp_path, data):
    yaml_text = (
        "- name: Smarte Parkplätze\n  region: '06411000'\n"
        "  topic_areas: [Mobility, Verwaltung]\n  start_year: 2023\n  source: R\n"
    )
    json_text = (
        '[{"name": "Smarte Parkplätze", "region": "06411000", '
        '"topic_areas": ["Mobility", "Verwaltung"], "start_year": 2023, "source": "R"}]'
    )
    for name, text in (("r.yaml", yaml_text), ("r.json", json_text)):
        result = run(write(tmp_path, name, text), data)
        assert result.problems == [], name
        store = store_of(result.triples)
        assert objects(store, PARK, SC + "hasTopicArea") == {
            ID + "topic/mobilitaet",
            ID + "topic/verwaltung",
        }


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    path = write(tmp_path, "bad.yaml", "- name: [unclosed\n")
    assert_input_error(path, "bad.yaml:2:1:", "fix the YAML")


def test_gate_reports_every_row_of_a_group_and_only_those(tmp_path, data):
    no_topic = GOOD.replace("Mobilitaet;energie & umwelt", "")
    text = (
        HEADER
        + GOOD
        + no_topic.replace("Smarte Parkplätze", "Zwei")
        + GOOD.replace("Smarte Parkplätze", "Drei")
        + no_topic.replace("Smarte Parkplätze", "Vier")
    )
    result = run(write(tmp_path, "groups.csv", text), data)
    assert [(p.row, p.reason[:40]) for p in result.problems] == [
        (3, "SHACL: An Initiative (sc:Initiative) nee"),
        (5, "SHACL: An Initiative (sc:Initiative) nee"),
    ]


def test_gate_keeps_values_where_shapes_look_at_them():
    from smartcity_kg import resources
    from smartcity_kg.gate import shape_facts

    facts = shape_facts(resources.shapes_file())
    assert {SC + "ags", SC + "nuts", SC + "unit"} <= facts.value_predicates
    assert (
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://www.w3.org/2000/01/rdf-schema#label",
    ) in facts.pairs
    assert SC + "CuratedLink" in facts.opaque_classes


def test_a_misspelt_region_name_is_suggested_with_each_level(kb):
    from smartcity_kg.labels import LabelIndex

    found = LabelIndex(kb.store).resolve("region", "Kasel")
    assert found.suggestion.startswith(
        'did you mean "Kassel" (Regierungsbezirk 066, kreisfreie Stadt 06611, '
        "Gemeinde 06611000, Landkreis 06633)"
    )
