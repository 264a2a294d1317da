"""The import templates: which columns a CSV/YAML/JSON file of each kind has, and what they mean.

The same table drives the template files (``smartcity-kg template KIND``), the help text, the
README and the importer's checks, so the documentation cannot drift from what is accepted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    doc: str
    example: str
    required: bool = False
    multi: bool = False  # several values separated by ';'


@dataclass(frozen=True)
class Template:
    kind: str
    doc: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_SOURCE = Column(
    "source",
    "Where the row's facts come from: a known source (label or IRI, e.g. "
    "id:source/digitale-staedte) or your own text or URL; it becomes an sc:Source.",
    "Ratsbeschluss Musterstadt 2023",
    required=True,
)
_SOURCES = Column(
    "source",
    "Where the row's facts come from: known sources (label or IRI, e.g. "
    "id:source/digitale-staedte) or your own text or URL, several separated by ';'; "
    "each becomes an sc:Source.",
    "Ratsbeschluss Musterstadt 2023",
    required=True,
    multi=True,
)

TEMPLATES: dict[str, Template] = {
    t.kind: t
    for t in (
        Template(
            "initiatives",
            "One row per initiative (sc:Initiative).",
            (
                Column(
                    "name",
                    "Name in German (rdfs:label@de); must be new.",
                    "Smarte Parkplätze Musterstadt",
                    True,
                ),
                Column(
                    "name_en",
                    "Name in English (rdfs:label@en); the German name if empty.",
                    "Smart parking Musterstadt",
                ),
                Column(
                    "description",
                    "A sentence on what it does (dcterms:description@de).",
                    "Sensoren melden freie Parkplätze an eine App.",
                ),
                Column(
                    "description_en",
                    "The same sentence in English (dcterms:description@en).",
                    "Sensors report free parking spaces to an app.",
                ),
                Column(
                    "region",
                    "Where it takes place: AGS (e.g. 06411000) or region name.",
                    "06411000",
                    True,
                    True,
                ),
                Column(
                    "topic_areas",
                    "Topic areas (German or English label), e.g. Mobilität.",
                    "Mobilität;Energie & Umwelt",
                    multi=True,
                ),
                Column(
                    "themes",
                    "Themes that are not topic areas, e.g. Nachhaltigkeit.",
                    "Nachhaltigkeit",
                    multi=True,
                ),
                Column(
                    "goals",
                    "Goals it serves (label or key, e.g. lebensqualitaet).",
                    "lebensqualitaet",
                    multi=True,
                ),
                Column(
                    "benefits",
                    "Benefits it brings (label or key of an sc:Benefit).",
                    "uebertragbarer-erfahrungsschatz",
                    multi=True,
                ),
                Column(
                    "supported_by",
                    "Supporting organisations (label of an sc:Organisation).",
                    "Land Hessen",
                    multi=True,
                ),
                Column(
                    "lead",
                    "The lead applicant: AGS or name of the region that leads it.",
                    "06411000",
                ),
                Column(
                    "programme",
                    "The funding programme (label or IRI of an sc:Programme).",
                    "",
                ),
                Column("amount_eur", "Funding amount in euros (decimal point).", "120000"),
                Column("funding_year", "Year the funding was granted (four digits).", "2023"),
                Column("start_year", "Year it started (four digits).", "2023"),
                Column(
                    "status",
                    "planned, active or completed (geplant, laufend, abgeschlossen).",
                    "active",
                ),
                Column("url", "Web page (http or https).", "https://example.org/parken"),
                _SOURCES,
            ),
        ),
        Template(
            "figures",
            "One row per stated figure (sc:StatedFigure).",
            (
                Column(
                    "name",
                    "Name in German (rdfs:label@de); must be new.",
                    "Ladepunkte Musterstadt 2024",
                    True,
                ),
                Column(
                    "name_en",
                    "Name in English (rdfs:label@en); the German name if empty.",
                    "Charging points Musterstadt 2024",
                ),
                Column(
                    "about",
                    "What the number is about: AGS, region name or any known label.",
                    "06411000",
                    True,
                    True,
                ),
                Column("value", "The number (decimal point, e.g. 12.5).", "48", True),
                Column(
                    "unit",
                    "count (unit:NUM), percent (unit:PERCENT) or eur (unit:Euro).",
                    "count",
                    True,
                ),
                Column(
                    "measure",
                    "What is counted, in German (sc:measure@de).",
                    "öffentliche Ladepunkte",
                    True,
                ),
                Column(
                    "measure_en",
                    "What is counted, in English (sc:measure@en).",
                    "public charging points",
                    True,
                ),
                Column("reference_year", "Year the figure is for (four digits).", "2024"),
                Column("approximate", "true when the source says 'rund' or 'ca.'.", "false"),
                Column(
                    "date",
                    "The date the source gives the figure for (YYYY, YYYY-MM or YYYY-MM-DD).",
                    "2024-06-30",
                ),
                _SOURCES,
            ),
        ),
        Template(
            "memberships",
            "One row per Landkreis or kreisfreie Stadt in a Metropolregion (sc:within).",
            (
                Column(
                    "member",
                    "The Landkreis or kreisfreie Stadt: AGS (5 digits) or name.",
                    "06412",
                    True,
                ),
                Column(
                    "metropolitan_region",
                    "The Metropolregion (name).",
                    "Metropolregion Frankfurt-Rhein-Main",
                    True,
                ),
                _SOURCE,
            ),
        ),
    )
}


def template_csv(kind: str) -> str:
    """The CSV template: the header and one example row (formula-safe, see spreadsheet.py)."""
    from .spreadsheet import safe_cell

    template = TEMPLATES[kind]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(n) for n in template.names])
    writer.writerow([safe_cell(c.example) for c in template.columns])
    return buf.getvalue()


def describe(kind: str) -> list[list[str]]:
    """Rows ``column, required, several, meaning, example`` documenting a template."""
    return [
        [c.name, "yes" if c.required else "", "yes" if c.multi else "", c.doc, c.example]
        for c in TEMPLATES[kind].columns
    ]
