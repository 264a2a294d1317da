"""Turn a user's table (CSV/YAML/JSON) into RDF in the project's vocabulary, behind a SHACL gate.

``build`` converts rows to triples, resolving labels to known IRIs (see labels.py), then checks
the new triples with the shipped SHACL shapes together with the knowledge-base facts they touch.
The outcome is data (:class:`ImportResult`): the triples, a provenance graph and the problems,
each with row, column, value, reason and suggestion. ``write`` writes only a clean (or, with
``partial``, a reduced) result, atomically; nothing is written when problems remain.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from . import import_terms
from .dataset import KnowledgeBase
from .errors import CheckFailed, InputError
from .import_reader import Row, Table
from .import_terms import Lit, Statement
from .labels import LabelIndex, Resolved, normalize
from .prefixes import ID, PREFIXES, SC
from .vocab import RDF, RDFS, XSD

PROV = PREFIXES["prov"]
DCT = PREFIXES["dcterms"]
SCHEMA = PREFIXES["schema"]
_YEAR = re.compile(r"^[0-9]{4}$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_STATUS = {
    "planned": "planned", "geplant": "planned",
    "active": "active", "laufend": "active", "aktiv": "active",
    "completed": "completed", "abgeschlossen": "completed",
}  # fmt: skip
_UNITS = {"count": "NUM", "anzahl": "NUM", "num": "NUM", "percent": "PERCENT", "%": "PERCENT",
          "prozent": "PERCENT", "eur": "Euro", "euro": "Euro", "€": "Euro"}  # fmt: skip
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WEB_SOURCE = re.compile(r"^https?://\S+$")
_WEB_ADDRESS = re.compile(r"^https?://[^\s/]+\S*$")


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    value: str | None
    reason: str
    suggestion: str = ""

    HEADERS = ("row", "column", "value", "reason", "suggestion")

    def cells(self) -> list:
        return [self.row, self.column, self.value, self.reason, self.suggestion]


@dataclass
class ImportResult:
    """The outcome of :func:`build`. The triples are kept as plain statements (import_terms.py)
    and made pyoxigraph triples when first asked for: writing a file does not need them."""

    table: Table
    problems: list[Problem] = field(default_factory=list)
    rows_ok: list[int] = field(default_factory=list)
    #: the new triples as (subject IRI, predicate IRI, IRI or Lit), in the order written
    statements: list[Statement] = field(default_factory=list)
    #: the provenance graph, likewise
    provenance_statements: list[Statement] = field(default_factory=list)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row is not None})

    @cached_property
    def triples(self) -> list[ox.Triple]:
        return import_terms.triples(self.statements)

    @cached_property
    def provenance(self) -> list[ox.Triple]:
        return import_terms.triples(self.provenance_statements)


_DATATYPES: dict[str, str] = {}


#: makes a Lit without NamedTuple's own __new__ (a Python call per literal, ~450,000 an import)
_new = tuple.__new__


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> Lit:
    if lang:
        return _new(Lit, (value, lang, None))
    if datatype:
        iri = _DATATYPES.get(datatype)
        if iri is None:
            iri = _DATATYPES[datatype] = XSD + datatype
        return _new(Lit, (value, None, iri))
    return _new(Lit, (value, None, None))


def slug(text: str) -> str:
    """The key of a new IRI: the normalised name, non-alphanumerics as '-' (or a hash)."""
    key = _NOT_SLUG.sub("-", normalize(text)).strip("-")[:80].strip("-")
    return key or "x-" + hashlib.sha1(text.encode()).hexdigest()[:10]


def _values(cell: str | list[str]) -> list[str]:
    if not cell:
        return []
    parts = cell if isinstance(cell, list) else cell.split(";")
    return [p.strip() for p in parts if p.strip()]


class _RowBuilder:
    """Collects one row's triples and problems."""

    def __init__(self, row: Row, index: LabelIndex, found: dict) -> None:
        self.row, self.index, self.found = row, index, found
        self.triples: list[Statement] = []
        self.problems: list[Problem] = []
        self.source: str | None = None  # the sc:Source IRI of the row's (first) source
        self.new_sources: list[str] = []  # sources this row adds to the knowledge base
        texts = defaultdict(  # column -> its text ("" for a column the table lacks)
            str,
            {c: v.strip() if type(v) is str else "; ".join(v) for c, v in row.cells.items()},
        )
        #: the text of a column: the cell stripped, or a list's values joined with "; "
        self.text: Callable[[str], str] = texts.__getitem__

    def fail(self, column: str | None, value: str | None, reason: str, hint: str = "") -> None:
        self.problems.append(Problem(self.row.number, column, value, reason, hint))

    def add(self, s: str, p: str, o: str | Lit) -> None:
        self.triples.append((s, p, o))

    def links(self, subject: str, column: str, category: str, predicate: str) -> None:
        cell = self.row.cells.get(column)
        if not cell:
            return
        key = (category, cell) if isinstance(cell, str) else None
        found = self.found.get(key) if key else None  # rows repeat the same cells
        if found is None:
            found = [(value, self.index.resolve(category, value)) for value in _values(cell)]
            if key and len(self.found) < 100_000:
                self.found[key] = found
        for value, resolved in found:
            if resolved.iri is None:
                self.fail(column, value, resolved.reason, resolved.suggestion)
            else:
                self.triples.append((subject, predicate, resolved.iri))

    def year(self, subject, column: str, predicate: str) -> None:
        value = self.text(column)
        if not value:
            return
        if _YEAR.match(value):
            self.add(subject, predicate, _lit(value, datatype="gYear"))
        else:
            self.fail(
                column, value, f"{column} {value!r} is not a year", "write four digits, e.g. 2023"
            )


class Importer:
    """Converts the rows of one table; keeps the state shared between rows."""

    def __init__(self, table: Table, kb: KnowledgeBase) -> None:
        self.table, self.kb = table, kb
        self.index = LabelIndex(kb.store)
        self.seen: dict[str, int] = {}  # new subject IRI -> the row that made it
        self.sources: dict[str, list[Statement]] = {}  # new source IRI -> its triples
        #: (category, cell) -> what each of the cell's values resolves to
        self.found: dict[tuple[str, str], list[tuple[str, Resolved]]] = {}
        self.multi_source = table.template.column("source").multi
        self.source_iris: dict[str, tuple[bool, str]] = {}  # a source as written -> _source_iri

    def row(self, row: Row) -> _RowBuilder:
        b = _RowBuilder(row, self.index, self.found)
        if row.problem:
            b.fail(None, None, row.problem)
            return b
        if list in map(type, row.cells.values()):  # only YAML and JSON have lists
            for name, cell in row.cells.items():
                if isinstance(cell, list) and not self.table.template.column(name).multi:
                    b.fail(name, "; ".join(cell), f"{name} takes one value, not a list")
        getattr(self, "_" + self.table.template.kind)(b)
        return b

    def _new_subject(self, b: _RowBuilder, kind: str, category: str) -> str | None:
        name = b.text("name")
        if not name:
            b.fail("name", "", "name is empty", "give the item a German name")
            return None
        iri = f"{ID}{kind}/{slug(name)}"
        if iri in self.seen:
            reason = f"duplicate {category} {name!r}: row {self.seen[iri]} has the same name"
            b.fail("name", name, reason, "give each row its own name or merge the rows")
            return None
        known = self.index.categories[category].lookup(name) | self.index.categories[
            category
        ].keys.get(iri, set())
        if known:
            where = ", ".join(sorted(known))
            reason = f"duplicate {category} {name!r}: already in the knowledge base as {where}"
            b.fail("name", name, reason, "use another name, or leave the row out")
            return None
        self.seen[iri] = b.row.number
        b.add(iri, RDFS + "label", _lit(name, "de"))
        b.add(iri, RDFS + "label", _lit(b.text("name_en") or name, "en"))
        return iri

    def _source(self, b: _RowBuilder, subject=None) -> None:
        """The row's sources as sc:Sources (known or new); ``subject`` prov:wasDerivedFrom each.
        Several sources (a fact two pages give) are separated by ';' where the column allows."""
        values = _values(b.row.cells.get("source", ""))
        if not values:
            b.fail("source", "", "source is empty", "say where the facts come from")
            return
        for value in values if self.multi_source else [b.text("source")]:
            self._one_source(b, value, subject)

    def _one_source(self, b: _RowBuilder, value: str, subject) -> None:
        known, iri = self.source_iris.get(value) or self._source_iri(value)
        if known:
            b.source = b.source or iri
            if subject is not None:
                b.add(subject, PROV + "wasDerivedFrom", iri)
            return
        if iri not in self.sources:
            triples: list[Statement] = [
                (iri, RDF + "type", SC + "Source"),
                (iri, RDFS + "label", _lit(value, "de")),
                (iri, RDFS + "label", _lit(value, "en")),
            ]
            if _WEB_SOURCE.match(value):
                triples.append((iri, SC + "url", _lit(value, datatype="anyURI")))
            self.sources[iri] = triples
        b.source = b.source or iri
        b.new_sources.append(iri)
        if subject is not None:
            b.add(subject, PROV + "wasDerivedFrom", iri)

    def _source_iri(self, value: str) -> tuple[bool, str]:
        """Whether ``value`` names one known source, and its IRI (else the new source's)."""
        found = self.index.categories["source"].lookup(value)
        known = (True, next(iter(found))) if len(found) == 1 else (False, "")
        if not known[0]:
            known = (False, f"{ID}source/{slug(value)}")
        self.source_iris[value] = known
        return known

    def _initiatives(self, b: _RowBuilder) -> None:
        s = self._new_subject(b, "initiative", "initiative")
        if s is None:
            return
        b.add(s, RDF + "type", SC + "Initiative")
        for column, lang in (("description", "de"), ("description_en", "en")):
            if text := b.text(column):
                b.add(s, DCT + "description", _lit(text, lang))
        b.links(s, "region", "region", DCT + "spatial")
        b.links(s, "lead", "region", SC + "leadApplicant")
        b.links(s, "programme", "programme", SC + "fundedUnder")
        amount = b.text("amount_eur")
        if amount and _NUMBER.match(amount):
            b.add(s, SC + "fundingAmount", _lit(amount, datatype="decimal"))
        elif amount:
            hint = "write the euros as digits with a decimal point, e.g. 1250000 or 729611.50"
            b.fail("amount_eur", amount, f"amount_eur {amount!r} is not a number", hint)
        b.year(s, "funding_year", SC + "fundingYear")
        b.links(s, "topic_areas", "topic", SC + "hasTopicArea")
        b.links(s, "themes", "theme", SC + "hasTheme")
        b.links(s, "goals", "goal", SC + "servesGoal")
        b.links(s, "benefits", "benefit", SC + "providesBenefit")
        b.links(s, "supported_by", "organisation", SC + "supportedBy")
        b.year(s, "start_year", SCHEMA + "startDate")
        status = b.text("status")
        if status:
            if (key := normalize(status)) in _STATUS:
                b.add(s, SCHEMA + "creativeWorkStatus", _lit(_STATUS[key]))
            else:
                b.fail(
                    "status",
                    status,
                    f"unknown status {status!r}",
                    "use planned, active or completed",
                )
        url = b.text("url")
        if url:
            if _WEB_ADDRESS.match(url):
                b.add(s, SCHEMA + "url", _lit(url, datatype="anyURI"))
            else:
                b.fail("url", url, f"{url!r} is not a web address", "write it as https://...")
        self._source(b, s)

    def _figures(self, b: _RowBuilder) -> None:
        s = self._new_subject(b, "figure", "figure")
        if s is None:
            return
        b.add(s, RDF + "type", SC + "StatedFigure")
        b.links(s, "about", "any", SC + "about")
        value = b.text("value")
        if _NUMBER.match(value):
            b.add(s, SC + "value", _lit(value, datatype="decimal" if "." in value else "integer"))
        else:
            hint = "write digits with a decimal point, e.g. 12.5"
            b.fail("value", value, f"value {value!r} is not a number", hint)
        unit = normalize(b.text("unit"))
        if unit in _UNITS:
            b.add(s, SC + "unit", PREFIXES["unit"] + _UNITS[unit])
        else:
            b.fail(
                "unit", b.text("unit"), f"unknown unit {b.text('unit')!r}", "use count or percent"
            )
        for column, lang in (("measure", "de"), ("measure_en", "en")):
            if b.text(column):
                b.add(s, SC + "measure", _lit(b.text(column), lang))
            else:
                b.fail(column, "", f"{column} is empty", "say what is counted or measured")
        b.year(s, "reference_year", SC + "referenceYear")
        date = b.text("date")
        if date and _DATE.match(date):
            kind = {4: "gYear", 7: "gYearMonth", 10: "date"}[len(date)]
            b.add(s, DCT + "date", _lit(date, datatype=kind))
        elif date:
            b.fail(
                "date", date, f"date {date!r} is not a date", "write YYYY, YYYY-MM or YYYY-MM-DD"
            )
        approx = normalize(b.text("approximate"))
        if approx in ("true", "false", "ja", "nein", "yes", "no"):
            flag = "true" if approx in ("true", "ja", "yes") else "false"
            b.add(s, SC + "approximate", _lit(flag, datatype="boolean"))
        elif approx:
            b.fail("approximate", b.text("approximate"), "approximate must be true or false")
        self._source(b, s)

    def _memberships(self, b: _RowBuilder) -> None:
        member = self.index.resolve("district", b.text("member"))
        metro = self.index.resolve("metro", b.text("metropolitan_region"))
        for column, found in (("member", member), ("metropolitan_region", metro)):
            if found.iri is None:
                b.fail(
                    column, b.text(column), found.reason or f"{column} is empty", found.suggestion
                )
        if member.iri and metro.iri:
            b.add(member.iri, SC + "within", metro.iri)
            self._source(b)  # recorded on the statement in the provenance graph


def build(
    table: Table,
    data: Sequence[Path | str] = (),
    *,
    partial: bool = False,
    progress: Callable[[int], object] | None = None,
    shipped: bool = True,
    now: datetime | None = None,
    kb: KnowledgeBase | None = None,
) -> ImportResult:
    """Convert and check ``table`` against the knowledge base (shipped files plus ``data``, or
    ``kb`` as given: the landscape generator imports against the knowledge base it builds).

    An import keeps every triple it makes until it is written: the garbage collector waits
    meanwhile (collector.py)."""
    from .collector import paused

    with paused():
        return _build(table, data, partial, progress, shipped, now, kb)


def _build(
    table: Table,
    data: Sequence[Path | str],
    partial: bool,
    progress: Callable[[int], object] | None,
    shipped: bool,
    now: datetime | None,
    kb: KnowledgeBase | None,
) -> ImportResult:
    kb = kb if kb is not None else KnowledgeBase.load(data, shipped=shipped)
    importer = Importer(table, kb)
    result = ImportResult(table)
    built: list[tuple[Row, _RowBuilder]] = []
    for row in table.rows:
        b = importer.row(row)
        built.append((row, b))
        result.problems += b.problems
        if progress is not None:
            progress(1)
    bad = set(result.rejected_rows)
    good = [(row, b) for row, b in built if row.number not in bad]
    result.problems += _gate(kb, importer, good)
    bad = set(result.rejected_rows)
    good = [(row, b) for row, b in good if row.number not in bad]
    if result.problems and not partial:
        return result
    used_sources = {iri for _, b in good for iri in b.new_sources}
    for iri, triples in importer.sources.items():
        if iri in used_sources:
            result.statements += triples
    for _, b in good:
        result.statements += b.triples
    result.rows_ok = [row.number for row, _ in good]
    result.provenance_statements = _provenance(table, good, now or datetime.now(UTC))
    return result


def _gate(kb: KnowledgeBase, importer: Importer, good: list) -> list[Problem]:
    """SHACL with the shipped shapes on the new triples and the facts they touch (gate.py)."""
    from . import resources
    from .gate import check

    groups = [b.triples for _, b in good if b.triples]
    groups += importer.sources.values()
    if not groups:
        return []
    found = check(kb, groups, resources.shapes_file())
    if not found:
        return []
    owner: dict[str, int] = {}  # a focus node -> the first row that says something of it
    for row, b in good:
        for subject, _, _ in b.triples:
            if subject in found:
                owner.setdefault(subject, row.number)
    problems = []
    for focus, violations in found.items():
        for v in violations:
            reason = f"SHACL: {v.message}"
            problems.append(Problem(owner.get(focus), _column_of(v.path), v.value, reason))
    return problems


_PATH_COLUMNS = {
    DCT + "spatial": "region", SC + "hasTopicArea": "topic_areas", SC + "hasTheme": "themes",
    SC + "servesGoal": "goals", SC + "providesBenefit": "benefits", SC + "supportedBy":
    "supported_by", PROV + "wasDerivedFrom": "source", RDFS + "label": "name",
    SC + "value": "value", SC + "unit": "unit", SC + "about": "about",
    SC + "measure": "measure", SC + "within": "metropolitan_region",
    SC + "leadApplicant": "lead", SC + "fundedUnder": "programme", SC + "fundingAmount":
    "amount_eur", SC + "fundingYear": "funding_year", DCT + "date": "date",
}  # fmt: skip


def _column_of(path: str | None) -> str | None:
    return _PATH_COLUMNS.get(path or "")


def _provenance(table: Table, good: list, now: datetime) -> list[Statement]:
    """One prov:Activity for the import, one per row: file, time, row, source column."""
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    file_iri = table.path.resolve().as_uri()
    digest = hashlib.sha1(f"{table.path.resolve()}{stamp}".encode()).hexdigest()[:12]
    run = f"{ID}import/{digest}"
    a, activity, informed = RDF + "type", PROV + "Activity", PROV + "wasInformedBy"
    position, source, generated = SCHEMA + "position", DCT + "source", PROV + "generated"
    out: list[Statement] = [
        (run, a, activity),
        (run, RDFS + "label", _lit(f"Import of {table.path.name}", "en")),
        (run, PROV + "used", file_iri),
        (run, PROV + "startedAtTime", _lit(stamp, datatype="dateTime")),
    ]
    append, integer = out.append, XSD + "integer"
    memberships = table.template.kind == "memberships"
    for row, b in good:
        node = f"{run}/row/{row.number}"
        append((node, a, activity))
        append((node, informed, run))  # the file and the time
        append((node, position, Lit(str(row.number), None, integer)))
        append((node, source, Lit(b.text("source"), None, None)))
        if memberships:
            fact = b.triples[0]
            stmt = f"{run}/statement/{row.number}"
            out += [
                (stmt, a, RDF + "Statement"),
                (stmt, RDF + "subject", fact[0]),
                (stmt, RDF + "predicate", fact[1]),
                (stmt, RDF + "object", fact[2]),
                (node, generated, stmt),
            ]
            if b.source:
                append((stmt, PROV + "wasDerivedFrom", b.source))
        else:
            append((node, generated, b.triples[0][0]))
    return out


def provenance_path(out: Path) -> Path:
    """Where the provenance graph of ``out`` goes: ``NAME.prov.ttl`` beside it."""
    return out.with_name(out.stem + ".prov" + out.suffix)


def write(result: ImportResult, out: Path, *, partial: bool = False) -> list[Path]:
    """Write the triples to ``out`` and the provenance beside it, atomically; refuse when
    problems remain (unless ``partial``) so an existing file is only replaced on success."""
    from .files import write_atomic

    out = Path(out)
    if out.suffix.lower() not in (".ttl", ".nt"):
        raise InputError(f"{out}: write the import as .ttl (Turtle) or .nt (N-Triples).")
    if result.problems and not partial:
        raise CheckFailed(
            f"{result.table.path}: {len(result.problems)} problem(s) in "
            f"{len(result.rejected_rows) or 1} row(s); nothing written. Fix them or use --partial."
        )
    if not result.statements:
        raise CheckFailed(f"{result.table.path}: no valid row to write; nothing written.")
    if out.suffix.lower() == ".ttl":
        data = _turtle(result.statements, lambda: result.triples)
        prov = _turtle(result.provenance_statements, lambda: result.provenance)
    else:
        data = import_terms.ntriples(result.statements).encode()
        prov = import_terms.ntriples(result.provenance_statements).encode()
    prov_out = provenance_path(out)
    write_atomic(prov_out, prov)
    write_atomic(out, data)
    return [out, prov_out]


_TURTLE_PREFIXES = ("rdf", "rdfs", "xsd", "sc", "id", "prov", "dcterms", "schema", "unit")


def _turtle(statements: list[Statement], triples: Callable[[], list[ox.Triple]]) -> bytes:
    """Turtle as pyoxigraph writes it: written here when every term has a form import_terms.py
    knows, else by pyoxigraph from the ``triples``."""
    prefixes = {p: PREFIXES[p] for p in _TURTLE_PREFIXES}
    text = import_terms.turtle(statements, prefixes)
    if text is not None:
        return text.encode()
    return ox.serialize(triples(), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
