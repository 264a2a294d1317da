"""The curated alignments (id:graph/alignments): every link explained, every target real, and
kept out of stated-only exports like the other curated links."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, SKOS

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
ID = "https://w3id.org/smartcity-kg/id/"
SC = "https://w3id.org/smartcity-kg/ontology#"
MDK = "https://musterdatenkatalog.de/def/musterdatensatz/"
S4CITY = "https://saref.etsi.org/saref4city/"
S4CITY_DRAFT = "https://w3id.org/def/saref4city#"
SCHEMA = "https://schema.org/"
GRAPH = f"<{ID}graph/alignments>"


def alignments() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY / "kb" / "alignments.ttl")


def links(g: rdflib.Graph) -> set[tuple]:
    """The aligned triples: everything but the statements that describe them."""
    described = set(g.subjects(RDF.type, rdflib.URIRef(SC + "CuratedLink")))
    return {t for t in g if t[0] not in described}


def test_every_alignment_has_one_curated_link_with_a_rationale_in_de_and_en():
    g = alignments()
    sc = rdflib.Namespace(SC)
    for s, p, o in links(g):
        found = [
            link
            for link in g.subjects(RDF.subject, s)
            if (link, RDF.predicate, p) in g and (link, RDF.object, o) in g
        ]
        assert len(found) == 1, (s, p, o)
        langs = sorted(r.language for r in g.objects(found[0], sc.rationale))
        assert langs == ["de", "en"], found[0]
    assert len(set(g.subjects(RDF.type, sc.CuratedLink))) == len(links(g)) == 28


def test_topic_areas_match_musterdatenkatalog_themen_only():
    g, mdk = alignments(), rdflib.Graph().parse(ONTOLOGY / "kb" / "musterdatenkatalog.ttl")
    themen = set(mdk.objects(None, SKOS.hasTopConcept))
    matches = (SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
    topic_links = [(s, p, o) for s, p, o in links(g) if str(s).startswith(ID + "topic/")]
    assert {p for _, p, _ in topic_links} == set(matches)
    assert all(o in themen for _, _, o in topic_links)
    topics = {str(s).removeprefix(ID + "topic/") for s, _, _ in topic_links}
    assert len(topic_links) == 14 and len(topics) == 10  # every topic area has a match


def test_saref4city_and_schema_terms_exist_and_the_core_stays_free_of_them():
    g = alignments()
    draft = rdflib.Graph().parse(ONTOLOGY / "data" / "saref4city-draft-1.0.ttl")
    draft_names = {
        str(n)[len(S4CITY_DRAFT) :] for n in draft.all_nodes() if str(n).startswith(S4CITY_DRAFT)
    }
    onto = [t for t in links(g) if str(t[0]).startswith(SC)]
    s4 = {str(o)[len(S4CITY) :] for _, _, o in onto if str(o).startswith(S4CITY)}
    assert s4 == {"AdministrativeArea", "District", "Event"} and s4 <= draft_names
    for _, _, o in onto:
        assert str(o).startswith((S4CITY, SCHEMA)), o
    assert {p for _, p, _ in onto} == {rdflib.RDFS.subClassOf, rdflib.RDFS.subPropertyOf}
    core = (ONTOLOGY / "smartcity.ttl").read_text(encoding="utf-8")
    assert "saref" not in core and "musterdatenkatalog" not in core
    assert not list(
        rdflib.Graph().parse(data=core, format="turtle").triples((None, OWL.imports, None))
    )


def test_stated_only_exports_leave_the_alignments_out(kg):
    whole = kg.export("nquads")[""].decode()
    stated = kg.export("nquads", stated_only=True)[""].decode()
    close = f"<{ID}topic/mobilitaet> <{SKOS.closeMatch}> <{MDK}verkehr> {GRAPH} ."
    sub = f"<{SC}Municipality> <{rdflib.RDFS.subClassOf}> <{S4CITY}AdministrativeArea> {GRAPH} ."
    assert close in whole and sub in whole
    assert GRAPH not in stated
    assert (
        f'<{MDK}verkehr> <{SKOS.prefLabel}> "Verkehr"@de <{ID}graph/musterdatenkatalog> .' in stated
    )


def test_export_stated_only_on_the_command_line_leaves_the_alignments_out(cli_run, tmp_path):
    whole, stated = tmp_path / "whole.nq", tmp_path / "stated.nq"
    assert cli_run("export", "-o", str(whole)).exit_code == 0
    assert cli_run("export", "--stated-only", "-o", str(stated)).exit_code == 0
    assert GRAPH in whole.read_text(encoding="utf-8")
    kept = stated.read_text(encoding="utf-8")
    assert GRAPH not in kept and f"<{ID}graph/musterdatenkatalog>" in kept
    assert f"<{ID}graph/curated-links>" not in kept
