"""The generated knowledge-base files (regions, SDGs, ISO 37120 themes), built from the CSVs.

The CSVs in ``ontology/data/`` are the edited source, so nobody keeps 455 regions in sync by
hand. Our own small Turtle writer, not rdflib's (which orders subjects by how often they are
referenced and writes ``id:`` IRIs in full), gives byte-stable, diff-friendly files.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, namedtuple
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .errors import InputError
from .namespaces import ID, PREFIXES, SC, UNIT, WD

REGIONS_CSV = "hessen-gebietsgliederung-2024.csv"
SDG_CSV = "un-sdg-goals.csv"
ISO_CSV = "iso-37120-2018-themes.csv"
ISO_DE_CSV = "iso-37120-2018-themes-de.csv"
REFERENCE_YEAR = "2024"  # the LAU / NUTS edition the regions CSV is taken from
LAU = ID["source/eurostat-lau-2024"]
SDG_HEADER = ("number", "iri", "wikidata", "name_en", "name_de")

# Per level: the class, the AGS length, and the levels a parent may have (so no cycles).
LEVELS: dict[str, tuple[URIRef, int, tuple[str, ...]]] = {
    "land": (SC.FederalState, 2, ()),
    "regierungsbezirk": (SC.GovernmentDistrict, 3, ("land",)),
    "landkreis": (SC.District, 5, ("regierungsbezirk",)),
    "kreisfreie-stadt": (SC.DistrictFreeCity, 5, ("regierungsbezirk",)),
    "gemeinde": (SC.Municipality, 8, ("landkreis", "kreisfreie-stadt")),
    "gemeindefreies-gebiet": (SC.UnincorporatedArea, 8, ("landkreis",)),
}
_Region = namedtuple("_Region", "line ags name designation level parent nuts")


def _rows(path: Path, header: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells), so every later error can point at the line to fix."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            got, want = ",".join(next(reader, [])), ",".join(header)
            if got != want:
                raise InputError(f"{path}:1: header is {got!r}; make it {want!r}.")
            for cells in (cells for cells in reader if cells):  # blank lines are no rows
                if len(cells) != len(header):
                    msg = f"{len(cells)} cells, not {len(header)} ({want}); quote commas in values"
                    raise InputError(f"{path}:{reader.line_num}: {msg}.")
                yield reader.line_num, [c.strip() for c in cells]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it ({exc}); check the path and UTF-8.") from exc


def _add(g: Graph, subject: Node, pairs: Iterable[tuple[Node, Node]]) -> None:
    for predicate, obj in pairs:
        g.add((subject, predicate, obj))


def _labels(de: str, en: str, prop: Node = RDFS.label) -> list[tuple[Node, Node]]:
    return [(prop, Literal(de, lang="de")), (prop, Literal(en, lang="en"))]


def _read_regions(path: Path) -> dict[str, _Region]:
    """Check the whole table before any triple is made: a half-built graph helps nobody."""
    regions: dict[str, _Region] = {}
    for line, cells in _rows(path, ("ags", "name", "designation", "level", "parent_ags", "nuts")):
        r, where = _Region(line, *cells), f"{path}:{line}"
        if r.level not in LEVELS:
            levels = ", ".join(LEVELS)
            raise InputError(f"{where}: unknown level {r.level!r}; use one of {levels}.")
        if not r.ags.isdigit() or len(r.ags) != (n := LEVELS[r.level][1]):
            raise InputError(f"{where}: AGS {r.ags!r} of a {r.level} must be {n} digits; fix it.")
        if r.ags in regions:
            raise InputError(f"{where}: AGS {r.ags} repeats line {regions[r.ags].line}; keep one.")
        if not r.name or not r.designation:
            raise InputError(f"{where}: name or designation is empty; fill it in.")
        regions[r.ags] = r
    for r in regions.values():
        where, allowed = f"{path}:{r.line}", LEVELS[r.level][2]
        parent = regions.get(r.parent)
        if not allowed and r.parent:
            raise InputError(f"{where}: a land has no parent_ags; clear {r.parent!r}.")
        if allowed and parent is None:
            raise InputError(f"{where}: parent AGS {r.parent!r} is no row of this file; add it.")
        if parent and (parent.level not in allowed or not r.ags.startswith(parent.ags)):
            msg = f"a {r.level} needs a {' or '.join(allowed)} whose AGS begins its own"
            raise InputError(f"{where}: parent {parent.ags} is a {parent.level}; {msg}. Fix it.")
    if not regions:
        raise InputError(f"{path}: no rows; the file needs at least the land.")
    return regions


#: English names where they differ from the official German one (the Land is "Hesse")
NAMES_EN = {"06": "Hesse"}
COUNTING = ID[f"activity/count-regions-{REFERENCE_YEAR}"]


def _counting(g: Graph, csv_name: str) -> None:
    """The activity that produced the computed figures: we counted the rows of the CSV."""
    pairs = [
        (RDF.type, PROV.Activity),
        *_labels(
            f"Zählung der Gebietseinheiten in ontology/data/{csv_name}",
            f"Count of the administrative units in ontology/data/{csv_name}",
        ),
        (PROV.used, LAU),
    ]
    _add(g, COUNTING, pairs)


def _figure(g: Graph, slug: str, count: int, land: _Region, de: str, en: str) -> None:
    """A count the project computed from the reference data (sc:ComputedFigure), kept beside
    the figures a page states so both can be compared; Eurostat states no such number."""
    land_en = NAMES_EN.get(land.ags, land.name)
    label_en = f"{en[0].upper()}{en[1:]} in {land_en}, {REFERENCE_YEAR} (counted)"
    pairs = [
        (RDF.type, SC.ComputedFigure),
        *_labels(f"{de} in {land.name} {REFERENCE_YEAR} (gezählt)", label_en),
        (PROV.wasGeneratedBy, COUNTING),
        *_labels(de, en, SC.measure),
        (SC.value, Literal(count)),
        (SC.unit, UNIT.NUM),
        (SC.about, ID[f"region/{land.ags}"]),
        (SC.referenceYear, Literal(REFERENCE_YEAR, datatype=XSD.gYear)),
        (PROV.wasDerivedFrom, LAU),
    ]
    _add(g, ID[f"figure/{slug}-{REFERENCE_YEAR}"], pairs)


def regions_graph(csv_path: Path) -> Graph:
    """Hessen's administrative units, one node per CSV row, with the direct sc:within only."""
    regions, g = _read_regions(Path(csv_path)), Graph(bind_namespaces="none")
    for r in regions.values():
        pairs = [
            (RDF.type, LEVELS[r.level][0]),
            (RDF.type, SC.Region),
            *_labels(r.name, NAMES_EN.get(r.ags, r.name)),  # proper names, but "Hesse"
            (SC.ags, Literal(r.ags)),
            (SC.designation, Literal(r.designation, lang="de")),
            *([(SC.nuts, Literal(r.nuts))] if r.nuts else []),
            *([(SC.within, ID[f"region/{r.parent}"])] if r.parent else []),
            (PROV.wasDerivedFrom, LAU),
        ]
        _add(g, ID[f"region/{r.ags}"], pairs)
    land = next(r for r in regions.values() if r.level == "land")
    n = Counter(r.level for r in regions.values())
    towns = ("Städte und Gemeinden", "towns and municipalities")
    _counting(g, Path(csv_path).name)
    _figure(g, "gemeinden-hessen", n["gemeinde"], land, *towns)
    _figure(g, "landkreise-hessen", n["landkreis"], land, "Landkreise", "districts (Landkreise)")
    return g


def _concepts(g: Graph, scheme: URIRef, labels: tuple[str, str], source: URIRef) -> None:
    """The scheme, and for every concept already typed skos:Concept: scheme, top concept, source."""
    pairs = [(RDF.type, SKOS.ConceptScheme), *_labels(*labels), (PROV.wasDerivedFrom, source)]
    _add(g, scheme, pairs)
    for node in list(g.subjects(RDF.type, SKOS.Concept)):
        _add(g, node, [(SKOS.inScheme, scheme), (PROV.wasDerivedFrom, source)])
        g.add((scheme, SKOS.hasTopConcept, node))


def sdg_graph(csv_path: Path) -> Graph:
    """The 17 SDGs under the UN's own IRIs, so links from other graphs meet the UN's data."""
    path, g, seen = Path(csv_path), Graph(bind_namespaces="none"), set()
    for line, (num, iri, wikidata, en, de) in _rows(path, SDG_HEADER):
        if num in seen or iri != f"{PREFIXES['sdg']}{num}" or not num.isdigit():
            raise InputError(f"{path}:{line}: goal {num!r} repeats or its iri is not sdg:{num}.")
        if not re.fullmatch(r"Q[0-9]+", wikidata) or not en or not de:
            raise InputError(f"{path}:{line}: needs a Wikidata item Q... and both names.")
        seen.add(num)
        pairs = [
            (RDF.type, SC.SDG),
            (RDF.type, SKOS.Concept),
            (SKOS.notation, Literal(num)),
            *_labels(de, en),
            *_labels(de, en, SKOS.prefLabel),
            (SKOS.exactMatch, WD[wikidata]),
        ]
        _add(g, URIRef(iri), pairs)
    names = ("UN-Nachhaltigkeitsziele (SDGs)", "UN Sustainable Development Goals (SDGs)")
    _concepts(g, ID["scheme/sdg"], names, ID["source/un-sdg"])
    return g


def _names(path: Path, column: str) -> dict[str, tuple[int, str]]:
    """clause -> (line, name); strict, because the two ISO files must pair up exactly."""
    names: dict[str, tuple[int, str]] = {}
    for line, (clause, name) in _rows(path, ("clause", column)):
        if not clause.isdigit() or clause in names or not name:
            raise InputError(f"{path}:{line}: clause {clause!r} is no number, repeated or unnamed.")
        names[clause] = (line, name)
    return names


def iso37120_graph(themes_csv: Path, themes_de_csv: Path) -> Graph:
    """The ISO 37120:2018 themes: English from the standard, German our own translation."""
    en_names, de_names = _names(Path(themes_csv), "name_en"), _names(Path(themes_de_csv), "name_de")
    for clause in sorted(en_names.keys() ^ de_names.keys(), key=int):
        path, names = (themes_csv, en_names) if clause in en_names else (themes_de_csv, de_names)
        msg = f"clause {clause} is in only one of the two ISO files; add it to the other"
        raise InputError(f"{path}:{names[clause][0]}: {msg}.")
    g = Graph(bind_namespaces="none")
    note = Literal("German label translated by the smartcity-kg project.", lang="en")
    for clause, (_, en) in en_names.items():
        pairs = [
            (RDF.type, SC.CityTheme),
            (RDF.type, SKOS.Concept),
            (SKOS.notation, Literal(clause)),
            *_labels(de_names[clause][1], en),
            (SKOS.editorialNote, note),
        ]
        _add(g, ID[f"iso37120/{clause}"], pairs)
    scheme = ("Themen der ISO 37120:2018", "ISO 37120:2018 themes")
    _concepts(g, ID["scheme/iso37120"], scheme, ID["source/iso-37120-2018"])
    return g


# --- Turtle writer: used prefixes, then subjects, predicates and objects in a fixed order ---

_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-/]*")
_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0]))
_ESCAPES = {92: "\\\\", 34: '\\"', 10: "\\n", 13: "\\r", 9: "\\t"}
_WIDTH = 100


def _sort_key(text: str) -> tuple[list[str], str]:
    """Numbers by value (sdg:2 before sdg:10), codes with a leading 0 (AGS) as text, so that
    a Kreis is followed by its Gemeinden."""
    parts = re.split(r"(\d+)", text.replace("\\", ""))
    return [p.zfill(20) if i % 2 and p[0] != "0" else p for i, p in enumerate(parts)], text


def _term(term: Node, used: set[str], table=_LONGEST_FIRST) -> str:
    if isinstance(term, URIRef):
        for prefix, ns in table:
            if term.startswith(ns) and _LOCAL.fullmatch(local := term[len(ns) :]):
                used.add(prefix)
                return prefix + ":" + local.replace("/", "\\/")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype in (None, XSD.string):
            return text
        if term.datatype == XSD.integer and re.fullmatch(r"-?[0-9]+", str(term)):
            return str(term)
        return f"{text}^^{_term(term.datatype, used, table)}"
    raise ValueError(f"cannot write {term!r}: the generated files hold IRIs and literals only")


def _statement(first: str, objects: list[str], end: str) -> list[str]:
    """One predicate with its objects, wrapped at _WIDTH columns like the hand-written files."""
    lines: list[str] = []
    current = first
    for i, obj in enumerate(objects):
        piece = obj + (" ," if i < len(objects) - 1 else end)
        if i and len(current) + 1 + len(piece) > _WIDTH:
            lines, current = [*lines, current], " " * 8 + piece
        else:
            current += " " + piece
    return [*lines, current]


def to_turtle(
    graph: Graph, header_lines: Sequence[str], extra_prefixes: dict[str, str] | None = None
) -> str:
    """Sorted Turtle with ``header_lines`` as leading comments: the same triples give the same
    bytes whatever the hash seed, so "is the generated file current" is a text comparison.
    ``extra_prefixes`` adds namespaces the project's table lacks (DCAT, VCARD, ...)."""
    used: set[str] = set()
    names = {**PREFIXES, **(extra_prefixes or {})}
    table = sorted(names.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    tree: dict[str, dict[str, list[tuple[str, tuple[list[str], str]]]]] = {}
    for s, p, o in graph:
        written = _term(o, used, table)
        lang = o.language or "" if isinstance(o, Literal) else ""
        pred = "a" if p == RDF.type else _term(p, used, table)
        subject = _term(s, used, table)
        tree.setdefault(subject, {}).setdefault(pred, []).append((lang, _sort_key(written)))
    blocks, first = [], {"a": "0", "rdfs:label": "1"}
    for subject in sorted(tree, key=_sort_key):
        preds = sorted(tree[subject], key=lambda p: (first.get(p, "2"), _sort_key(p)))
        lines = []
        for n, pred in enumerate(preds):
            objects = [key[1] for _, key in sorted(tree[subject][pred])]
            start = f"{subject} {pred}" if n == 0 else f"    {pred}"
            lines += _statement(start, objects, " ." if n == len(preds) - 1 else " ;")
        blocks.append("\n".join(lines))
    head = "".join(f"# {line}".rstrip() + "\n" for line in header_lines)
    prefixes = "".join(f"@prefix {p}: <{names[p]}> .\n" for p in sorted(used))
    return f"{head}\n{prefixes}\n" + "\n\n".join(blocks) + "\n"


def _header(csvs: Sequence[str], source: str) -> list[str]:
    files = " and ".join(f"ontology/data/{name}" for name in csvs)
    return [
        f"GENERATED by `smartcity-kg generate` from {files} — do not edit by hand.",
        f"Source: {source}",
        'Local names contain "/", which prefixed names escape: id:region\\/06 is '
        "<https://w3id.org/smartcity-kg/id/region/06>.",
    ]


_SOURCES = {
    "regions.ttl": "id:source/eurostat-lau-2024 (Eurostat LAU and NUTS 2024, keys by Destatis).",
    "sdg.ttl": "id:source/un-sdg (UN SDG linked data, Wikidata, German federal government).",
    "iso37120.ttl": "id:source/iso-37120-2018 (table of contents); German names: our translation.",
    "musterdatenkatalog.ttl": "id:source/musterdatenkatalog-v4 (Bertelsmann Stiftung, CC0).",
}


def generate_all(data_dir: Path, kb_dir: Path) -> dict[str, str]:
    """Turtle text per file name in ``kb_dir``. Nothing is written, so the caller can compare
    (``--check``) or write atomically; the text does not depend on ``kb_dir``."""
    data = Path(data_dir)
    graphs = {
        "regions.ttl": ([REGIONS_CSV], regions_graph(data / REGIONS_CSV)),
        "sdg.ttl": ([SDG_CSV], sdg_graph(data / SDG_CSV)),
        "iso37120.ttl": ([ISO_CSV, ISO_DE_CSV], iso37120_graph(data / ISO_CSV, data / ISO_DE_CSV)),
    }
    out = {name: to_turtle(g, _header(csvs, _SOURCES[name])) for name, (csvs, g) in graphs.items()}
    out["musterdatenkatalog.ttl"] = _musterdatenkatalog(data)
    out.update(_landscape(data, Path(kb_dir), out["regions.ttl"]))
    return out


def _musterdatenkatalog(data: Path) -> str:
    from .musterdatenkatalog import MDK_RDF, musterdatenkatalog_graph

    header = _header([MDK_RDF], _SOURCES["musterdatenkatalog.ttl"])
    note = "Match targets, strings in the source, are written as the IRIs they spell."
    return to_turtle(musterdatenkatalog_graph(data / MDK_RDF), [*header[:2], note])


def _landscape(data: Path, kb_dir: Path, regions_text: str) -> dict[str, str]:
    """The landscape graphs, resolved against the regions just generated and the hand-written
    statements of the page (topic areas, organisations)."""
    from .landscape import counts, landscape_graphs

    hand = ("digitale-staedte.ttl", "sources.ttl")
    texts = {"regions.ttl": regions_text}
    texts.update({name: (kb_dir / name).read_text(encoding="utf-8") for name in hand})
    stated, curated = landscape_graphs(data, data.parent / "smartcity.ttl", texts)
    held = ", ".join(f"{n} {label}" for label, n in counts(stated))
    files = "ontology/data/landscape/*.csv"
    return {
        "landscape.ttl": to_turtle(
            stated,
            [
                f"GENERATED by `smartcity-kg generate` from {files} — do not edit by hand.",
                "Source: the public web pages listed in ontology/data/landscape/sources.csv "
                "(id:source/landscape), each fact with its own prov:wasDerivedFrom.",
                f"Stated facts only: {held}.",
                'Local names contain "/", which prefixed names escape: id:region\\/06 is '
                "<https://w3id.org/smartcity-kg/id/region/06>.",
            ],
        ),
        "landscape-curated.ttl": to_turtle(
            curated,
            [
                f"GENERATED by `smartcity-kg generate` from {files} — do not edit by hand.",
                "Source: id:source/smartcity-kg-curation: topic areas judged by the project "
                "(curated-topics.csv, action-fields.csv), each with its rationale.",
                'Local names contain "/", which prefixed names escape: id:region\\/06 is '
                "<https://w3id.org/smartcity-kg/id/region/06>.",
            ],
        ),
    }
