"""Hessen's Smart City landscape: programmes, initiatives and figures curated from web pages.

The edited source is ``ontology/data/landscape/*.csv`` (see its README). Initiatives and figures
go through :func:`smartcity_kg.importer.build`, the code ``smartcity-kg import`` runs, so label
resolution, the checks and the SHACL gate are the ones users get; sources, organisations,
programmes and their fields of action, which the import templates do not cover, are built here.
What a page states goes to ``landscape.ttl``; topic areas we judge, with their rationale, go to
``landscape-curated.ttl``, a curated graph like ``curated-links.ttl``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .errors import InputError
from .namespaces import ID, SC, SCHEMA

FOLDER = "landscape"
ACCESS_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
#: regions the CSV names by key rather than AGS (functional and metropolitan regions)
_REGION_KEYS = {"rhein-neckar", "frankfurt-rhein-main", "nordhessen"}
_TRANSLATED = Literal("English title translated by the smartcity-kg project.", lang="en")
HEADERS = {
    "sources.csv": ("key", "url", "title", "title_en", "publisher", "published", "accessed"),
    "organisations.csv": ("key", "name", "name_en", "source"),
    "programmes.csv": (
        "key", "name", "name_en", "description", "description_en", "funder", "start_year",
        "end_year", "action_fields", "url", "source",
    ),
    "action-fields.csv": (
        "programme", "action_field", "action_field_en", "topic_areas", "rationale_de",
        "rationale_en",
    ),
    "initiatives.csv": (
        "name", "name_en", "description", "description_en", "region", "lead", "programme",
        "amount_eur", "funding_year", "status", "topic_areas", "source",
    ),
    "figures.csv": (
        "name", "name_en", "about", "value", "unit", "measure", "measure_en", "date",
        "approximate", "source",
    ),
    "curated-topics.csv": ("initiative", "topic_area", "rationale_de", "rationale_en"),
}  # fmt: skip


@dataclass(frozen=True)
class _Line:
    path: Path
    number: int
    cells: dict[str, str]

    def where(self) -> str:
        return f"{self.path}:{self.number}"


def _read(folder: Path, name: str) -> list[_Line]:
    """Rows with their line numbers, the header checked exactly (a typo in a column name would
    otherwise drop a fact silently)."""
    path, header = folder / name, HEADERS[name]
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            got = next(reader, [])
            if tuple(got) != header:
                raise InputError(
                    f"{path}:1: header is {','.join(got)!r}; make it {','.join(header)!r}."
                )
            lines = []
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    msg = f"{len(cells)} cells, not {len(header)}; quote commas in values"
                    raise InputError(f"{path}:{reader.line_num}: {msg}.")
                lines.append(
                    _Line(
                        path,
                        reader.line_num,
                        dict(zip(header, (c.strip() for c in cells), strict=True)),
                    )
                )
            return lines
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc}); check that the file exists.") from exc


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(";") if v.strip()]


def _date(line: _Line, column: str) -> Literal | None:
    value = line.cells[column]
    if not value:
        return None
    if not _DATE.match(value):
        raise InputError(f"{line.where()}: {column} {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD.")
    return Literal(value, datatype=_TYPES[len(value)])


def _labels(node: URIRef, de: str, en: str, g: Graph, prop=RDFS.label) -> None:
    g.add((node, prop, Literal(de, lang="de")))
    g.add((node, prop, Literal(en or de, lang="en")))


def _sources(folder: Path, g: Graph) -> set[str]:
    keys: set[str] = set()
    collection = ID["source/landscape"]
    for line in _read(folder, "sources.csv"):
        c = line.cells
        if not _KEY.match(c["key"]) or c["key"] in keys:
            raise InputError(f"{line.where()}: key {c['key']!r} is empty, not a-z0-9- or repeated.")
        if not c["url"].startswith(("https://", "http://")) or not c["title"]:
            raise InputError(f"{line.where()}: every source needs an http(s) url and a title.")
        if not ACCESS_DATE.match(c["accessed"]):
            raise InputError(f"{line.where()}: accessed {c['accessed']!r} must be YYYY-MM-DD.")
        keys.add(c["key"])
        node = ID[f"source/{c['key']}"]
        g.add((node, RDF.type, SC.Source))
        g.add((node, RDF.type, PROV.Entity))
        _labels(node, c["title"], c["title_en"], g)  # the title, and our translation of it
        g.add((node, SKOS.editorialNote, _TRANSLATED))
        g.add((node, DCTERMS.title, Literal(c["title"], lang="de")))
        g.add((node, DCTERMS.language, Literal("de")))
        g.add((node, SC.url, Literal(c["url"], datatype=XSD.anyURI)))
        g.add((node, SC.accessed, Literal(c["accessed"], datatype=XSD.date)))
        g.add((node, DCTERMS.isPartOf, collection))
        if c["publisher"]:
            g.add((node, SC.publisherName, Literal(c["publisher"])))
        if (issued := _date(line, "published")) is not None:
            g.add((node, DCTERMS.issued, issued))
    return keys


def _source_links(line: _Line, column: str, keys: set[str]) -> list[URIRef]:
    found = _values(line.cells[column])
    unknown = [k for k in found if k not in keys]
    if not found or unknown:
        raise InputError(
            f"{line.where()}: {column} {line.cells[column]!r} must name sources of sources.csv"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + "."
        )
    return [ID[f"source/{k}"] for k in found]


def _organisations(folder: Path, g: Graph, sources: set[str]) -> set[str]:
    keys = set()
    for line in _read(folder, "organisations.csv"):
        node = ID[f"org/{line.cells['key']}"]
        keys.add(line.cells["key"])
        g.add((node, RDF.type, SC.Organisation))
        _labels(node, line.cells["name"], line.cells["name_en"], g)
        for src in _source_links(line, "source", sources):
            g.add((node, PROV.wasDerivedFrom, src))
    return keys


def _programmes(folder: Path, g: Graph, sources: set[str], orgs: set[str]) -> dict[str, URIRef]:
    programmes: dict[str, URIRef] = {}
    for line in _read(folder, "programmes.csv"):
        c = line.cells
        node = ID[f"programme/{c['key']}"]
        programmes[c["key"]] = node
        if c["funder"] not in orgs:
            raise InputError(
                f"{line.where()}: funder {c['funder']!r} is no key of organisations.csv."
            )
        g.add((node, RDF.type, SC.Programme))
        _labels(node, c["name"], c["name_en"], g)
        _labels(node, c["description"], c["description_en"], g, DCTERMS.description)
        g.add((node, SCHEMA.funder, ID[f"org/{c['funder']}"]))
        for column, prop in (("start_year", SCHEMA.startDate), ("end_year", SCHEMA.endDate)):
            if (year := _date(line, column)) is not None:
                g.add((node, prop, year))
        if c["url"]:
            g.add((node, SCHEMA.url, Literal(c["url"], datatype=XSD.anyURI)))
        links = _source_links(line, "source", sources)
        for src in links:
            g.add((node, PROV.wasDerivedFrom, src))
        for field in _values(c["action_fields"]):
            af = _action_field(c["key"], field)
            g.add((node, SC.hasActionField, af))
            g.add((af, RDF.type, SC.ActionField))
            g.add((af, RDF.type, SKOS.Concept))
            g.add((af, RDFS.label, Literal(field, lang="de")))
            g.add((af, SKOS.prefLabel, Literal(field, lang="de")))
            g.add((af, PROV.wasDerivedFrom, links[0]))
    return programmes


def _action_field(programme: str, field: str) -> URIRef:
    from .importer import slug

    return ID[f"actionfield/{programme}/{slug(field)}"]


def _import(kb, table_rows: list[_Line], kind: str, cells) -> Graph:
    """Rows through the importer: same resolution, checks and SHACL gate as ``import``."""
    from .import_reader import Row, Table
    from .import_templates import TEMPLATES
    from .import_terms import ntriples
    from .importer import build

    path = table_rows[0].path if table_rows else Path(kind)
    table = Table(path, TEMPLATES[kind], [Row(r.number, cells(r)) for r in table_rows])
    result = build(table, kb=kb, now=datetime(2026, 12, 1, tzinfo=UTC))
    if result.problems:
        shown = "; ".join(
            f"{path}:{p.row}: {p.column or ''} {p.value or ''!r}: {p.reason}"
            + (f" ({p.suggestion})" if p.suggestion else "")
            for p in result.problems[:10]
        )
        raise InputError(f"{path}: {len(result.problems)} problem(s): {shown}")
    return Graph().parse(data=ntriples(result.statements), format="nt")


def _region(value: str) -> str:
    return f"id:region/{value}" if value in _REGION_KEYS else value


def _initiative_cells(programmes: dict[str, URIRef], sources: set[str]):
    def cells(line: _Line) -> dict[str, str | list[str]]:
        c = line.cells
        _source_links(line, "source", sources)  # a key must name a row of sources.csv
        if c["programme"] and c["programme"] not in programmes:
            raise InputError(
                f"{line.where()}: programme {c['programme']!r} is no key of programmes.csv."
            )
        return {
            "name": c["name"],
            "name_en": c["name_en"],
            "description": c["description"],
            "description_en": c["description_en"],
            "region": [_region(v) for v in _values(c["region"])],
            "lead": c["lead"],
            "programme": str(programmes[c["programme"]]) if c["programme"] else "",
            "amount_eur": c["amount_eur"],
            "funding_year": c["funding_year"],
            "status": c["status"],
            "topic_areas": _values(c["topic_areas"]),
            "source": [f"id:source/{k}" for k in _values(c["source"])],
        }

    return cells


def _figure_cells(programmes: dict[str, URIRef], sources: set[str]):
    def cells(line: _Line) -> dict[str, str | list[str]]:
        c = line.cells
        _source_links(line, "source", sources)
        about = str(programmes[c["about"]]) if c["about"] in programmes else _region(c["about"])
        return {
            "name": c["name"],
            "name_en": c["name_en"],
            "about": about,
            "value": c["value"],
            "unit": c["unit"],
            "measure": c["measure"],
            "measure_en": c["measure_en"],
            "date": c["date"],
            "approximate": c["approximate"],
            "source": [f"id:source/{k}" for k in _values(c["source"])],
        }

    return cells


def _topic(kb_topics: dict[str, URIRef], line: _Line, value: str) -> URIRef:
    from .labels import normalize

    topic = kb_topics.get(normalize(value))
    if topic is None:
        raise InputError(f"{line.where()}: unknown topic area {value!r}; use one of the ten.")
    return topic


def _names(g: Graph, node: URIRef) -> tuple[str, str]:
    """The German and English label of ``node`` in ``g``."""
    found = {getattr(lit, "language", None): str(lit) for lit in g.objects(node, RDFS.label)}
    return found["de"], found.get("en", found["de"])


def _curated(
    folder: Path,
    kb_topics: dict[str, URIRef],
    initiatives: dict[str, URIRef],
    stated: Graph,
    topic_names: dict[URIRef, tuple[str, str]],
) -> Graph:
    """Judged links with their rationale, as in curated-links.ttl: the triple and an
    rdf:Statement typed sc:CuratedLink naming it."""
    from .importer import slug

    g = Graph(bind_namespaces="none")

    def link(line: _Line, subject: URIRef, obj: URIRef, key: str, label: tuple[str, str]) -> None:
        if (subject, SC.hasTopicArea, obj) in stated:
            raise InputError(
                f"{line.where()}: the source already states this topic area; drop the row."
            )
        g.add((subject, SC.hasTopicArea, obj))
        node = ID[f"curated/{key}"]
        g.add((node, RDF.type, SC.CuratedLink))
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, SC.hasTopicArea))
        g.add((node, RDF.object, obj))
        _labels(node, *label, g)
        g.add((node, SC.rationale, Literal(line.cells["rationale_de"], lang="de")))
        g.add((node, SC.rationale, Literal(line.cells["rationale_en"], lang="en")))
        g.add((node, PROV.wasDerivedFrom, ID["source/smartcity-kg-curation"]))

    for line in _read(folder, "curated-topics.csv"):
        c = line.cells
        subject = initiatives.get(c["initiative"])
        if subject is None:
            raise InputError(
                f"{line.where()}: initiative {c['initiative']!r} is not in initiatives.csv."
            )
        topic = _topic(kb_topics, line, c["topic_area"])
        key = f"{subject.rsplit('/', 1)[-1]}-{topic.rsplit('/', 1)[-1]}"
        de, en = _names(stated, subject), topic_names[topic]
        label = (
            f"{de[0]} – betrifft den Themenbereich – {en[0]}",
            f"{de[1]} – concerns topic area – {en[1]}",
        )
        link(line, subject, topic, key, label)
    for line in _read(folder, "action-fields.csv"):
        c = line.cells
        field = _action_field(c["programme"], c["action_field"])
        if (field, RDF.type, SC.ActionField) not in stated:
            raise InputError(
                f"{line.where()}: {c['action_field']!r} is no action field of programmes.csv."
            )
        stated.add((field, RDFS.label, Literal(c["action_field_en"], lang="en")))
        stated.add((field, SKOS.prefLabel, Literal(c["action_field_en"], lang="en")))
        for value in _values(c["topic_areas"]):
            topic = _topic(kb_topics, line, value)
            key = f"{c['programme']}-{slug(c['action_field'])}-{topic.rsplit('/', 1)[-1]}"
            names = topic_names[topic]
            label = (
                f"{c['action_field']} – betrifft den Themenbereich – {names[0]}",
                f"{c['action_field_en']} – concerns topic area – {names[1]}",
            )
            link(line, field, topic, key, label)
    return g


def landscape_graphs(
    data_dir: Path, ontology_file: Path, kb_texts: dict[str, str]
) -> tuple[Graph, Graph]:
    """The stated graph and the curated graph built from ``data_dir/landscape``. ``kb_texts``
    are the knowledge-base files the rows are resolved against (regions, topic areas, ...)."""
    from .dataset import KnowledgeBase

    folder = Path(data_dir) / FOLDER
    stated = Graph(bind_namespaces="none")
    sources = _sources(folder, stated)
    orgs = _organisations(folder, stated, sources)
    programmes = _programmes(folder, stated, sources, orgs)
    kb = KnowledgeBase.load([ontology_file], shipped=False)
    for name, text in kb_texts.items():
        kb.add_text(text, ox.RdfFormat.TURTLE, str(ID[f"graph/{Path(name).stem}"]), name)
    kb.add_text(stated.serialize(format="nt"), ox.RdfFormat.N_TRIPLES, str(ID["graph/landscape"]))
    topics = _topics(kb)
    initiative_rows = _read(folder, "initiatives.csv")
    stated_topics = Graph()
    for line in initiative_rows:  # the gate sees the judged topic areas next to the stated ones
        for row in _read(folder, "curated-topics.csv"):
            if row.cells["initiative"] == line.cells["name"]:
                iri = ID[f"initiative/{_slug(line.cells['name'])}"]
                stated_topics.add(
                    (iri, SC.hasTopicArea, _topic(topics, row, row.cells["topic_area"]))
                )
    kb.add_text(
        stated_topics.serialize(format="nt"),
        ox.RdfFormat.N_TRIPLES,
        str(ID["graph/landscape-curated"]),
    )
    stated += _import(kb, initiative_rows, "initiatives", _initiative_cells(programmes, sources))
    stated += _import(
        kb, _read(folder, "figures.csv"), "figures", _figure_cells(programmes, sources)
    )
    initiatives = {
        line.cells["name"]: ID[f"initiative/{_slug(line.cells['name'])}"]
        for line in initiative_rows
    }
    curated = _curated(folder, topics, initiatives, stated, _topic_names(kb))
    return stated, curated


def _slug(name: str) -> str:
    from .importer import slug

    return slug(name)


def _topics(kb) -> dict[str, URIRef]:
    """Topic areas by every normalised label (de and en) and key."""
    from .labels import normalize

    query = (
        "SELECT ?t ?l WHERE { ?t a <%s> ; <%s> ?l }" % (SC.TopicArea, RDFS.label)  # noqa: UP031
    )
    found: dict[str, URIRef] = {}
    for row in kb.store.query(query, use_default_graph_as_union=True):
        found[normalize(row["l"].value)] = URIRef(row["t"].value)
        found[normalize(row["t"].value.rsplit("/", 1)[-1])] = URIRef(row["t"].value)
    return found


def _topic_names(kb) -> dict[URIRef, tuple[str, str]]:
    """German and English label of every topic area."""
    query = "SELECT ?t ?l WHERE { ?t a <%s> ; <%s> ?l }" % (SC.TopicArea, RDFS.label)  # noqa: UP031
    found: dict[URIRef, dict[str, str]] = {}
    for row in kb.store.query(query, use_default_graph_as_union=True):
        found.setdefault(URIRef(row["t"].value), {})[row["l"].language] = row["l"].value
    return {iri: (names["de"], names["en"]) for iri, names in found.items()}


def counts(stated: Graph) -> Iterator[tuple[str, int]]:
    """How much the landscape holds (for the generated file's header)."""
    regions = {o for o in stated.objects(None, DCTERMS.spatial)}
    yield "initiatives", len(set(stated.subjects(RDF.type, SC.Initiative)))
    yield "programmes", len(set(stated.subjects(RDF.type, SC.Programme)))
    yield "regions linked", len(regions)
    yield "sources", len(set(stated.subjects(RDF.type, SC.Source)))
