"""Tables with awkward values whose written import is pinned byte for byte (test_import_output.py).

The golden files in tests/data/import-output/ were written by the importer as it was before its
fast writer (commit d54c0ae), which serialised every triple with pyoxigraph; the fast writer must
give the same bytes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from import_fixture import fixture_data
from smartcity_kg.import_reader import read_table
from smartcity_kg.importer import ImportResult, build

GOLDEN = Path(__file__).parent / "data" / "import-output"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
TRICKY = [
    'say "hi"',
    "back\\slash \\n not a newline",
    "line one\nline two",
    "carriage\rreturn\r\n",
    "tab\there",
    "Grüße aus Gießen: ÄÖÜ äöü ß",
    "emoji \U0001f68c and CJK 漢字",
    "control \x01\x07\x1f\x7f chars",
    "apostrophe's and ''' triple",
    'ends with a quote"',
    "\u2028 line separator \u00a0 nbsp",
    "#hash ;semicolon @at ^^caret <angle> {brace}",
]

TABLES: dict[str, list[dict]] = {
    "initiatives": [
        {
            "name": f"Initiative {i} {text}",
            "name_en": text if i % 2 else "",
            "description": text,
            "description_en": f"en: {text}" if i % 3 else "",
            "region": ["06411000", "Kassel (06611)", "06531"][i % 3] if i % 3 != 1 else "06611000",
            "topic_areas": ["Mobilität", "energie & umwelt"][: 1 + i % 2],
            "themes": "Nachhaltigkeit" if i % 4 == 0 else "",
            "goals": "lebensqualitaet",
            "benefits": "uebertragbarer-erfahrungsschatz" if i % 5 == 0 else "",
            "supported_by": "Land Hessen" if i % 2 else "",
            "amount_eur": ["1250000", "729611.50", ""][i % 3],
            "funding_year": str(2015 + i) if i % 2 else "",
            "start_year": str(2010 + i),
            "status": ["geplant", "laufend", "abgeschlossen", ""][i % 4],
            "url": f"https://example.org/{i}?q=a&b=c#frag" if i % 2 else "",
            "source": [
                f"Quelle {text}",
                "https://example.org/quelle",
                "Digitale Städte, Digitale Regionen",
            ][i % 3],
        }
        for i, text in enumerate(TRICKY)
    ],
    "figures": [
        {
            "name": f"Figure {i} {text}",
            "name_en": text if i % 2 else "",
            "about": "Digitalstadt Darmstadt" if i % 2 else "Mobilität",
            "value": ["12", "12.5", "-3", "0.75", "007", "1000000"][i % 6],
            "unit": ["count", "percent", "Prozent", "EUR", "Anzahl", "%"][i % 6],
            "measure": f"gemessen: {text}",
            "measure_en": f"measured: {text}",
            "reference_year": str(2000 + i) if i % 2 else "",
            "approximate": ["true", "nein", "", "ja"][i % 4],
            "date": ["2023", "2023-05", "2023-05-17", ""][i % 4],
            "source": ["Digitale Städte, Digitale Regionen", f"Zahl {text}"][i % 2],
        }
        for i, text in enumerate(TRICKY)
    ],
    "memberships": [
        {"member": member, "metropolitan_region": "Frankfurt-Rhein-Main", "source": source}
        for member, source in [
            ("06411", 'Regionalverband "FrankfurtRheinMain"'),
            ("06412", 'Regionalverband "FrankfurtRheinMain"'),
            ("06412", "https://example.org/frm"),
            ("06531", "Satzung\nmit Zeilenumbruch"),
            ("06411", "Digitale Städte, Digitale Regionen"),
        ]
    ],
}


def result_of(kind: str, folder: Path) -> ImportResult:
    """The import of the table ``kind``, as if read from /golden/KIND.json at NOW."""
    path = folder / f"{kind}.json"
    path.write_text(json.dumps(TABLES[kind], ensure_ascii=False), encoding="utf-8")
    table = replace(read_table(path, kind), path=Path(f"/golden/{kind}.json"))
    return build(table, fixture_data(folder), shipped=False, now=NOW)
