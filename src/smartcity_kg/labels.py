"""Resolve what a user typed (a label, a key, an AGS, an IRI) to the IRI of a known resource.

Labels match in German or English, case-insensitively, with or without umlauts ("Mobilitaet"
and "mobilität" both find "Mobilität"). The key of a resource (the last part of its IRI, e.g.
``lebensqualitaet``), a prefixed name (``id:topic/mobilitaet``) and a full IRI match too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import near_matches
from .prefixes import ID, SC, expand

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """The matching key of a label: NFC, case-folded, umlauts spelled out, spaces collapsed.
    Remembered: an import asks for the same regions, topics and sources on every row."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(_UMLAUTS)
    return _SPACE.sub(" ", folded).strip()


@dataclass(frozen=True)
class Resolved:
    """The outcome of one lookup: exactly one IRI, or why not."""

    iri: str | None
    reason: str = ""
    suggestion: str = ""
    candidates: tuple[str, ...] = ()


@dataclass
class Category:
    """The resources of some classes, indexed by every name they can be called."""

    noun: str
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, str] = field(default_factory=dict)  # IRI -> display label (de)
    ags: dict[str, str] = field(default_factory=dict)  # IRI -> AGS
    shown: set[str] = field(default_factory=set)  # labels offered as suggestions
    #: IRI -> administrative level of a region (de): several regions share a name
    levels: dict[str, str] = field(default_factory=dict)

    def add(self, iri: str, label: str | None = None, ags: str | None = None) -> None:
        self.keys[iri].add(iri)
        self.keys[normalize(iri.rsplit("/", 1)[-1])].add(iri)
        if label:
            self.keys[normalize(label)].add(iri)
            self.shown.add(label)
            self.labels.setdefault(iri, label)
        if ags:
            self.keys[ags].add(iri)
            self.ags[iri] = ags

    def lookup(self, text: str) -> set[str]:
        """The IRIs ``text`` names (no suggestions: cheap enough to test every row's name)."""
        value = text.strip()
        iri = expand(value) if ":" in value and not value.startswith("http") else value
        return self.keys.get(iri or value) or self.keys.get(normalize(value)) or set()

    def resolve(self, text: str) -> Resolved:
        value = text.strip()
        hits = self.lookup(value)
        if len(hits) == 1:
            return Resolved(next(iter(hits)))
        if hits:
            cands = tuple(sorted(hits, key=lambda i: (self.ags.get(i, ""), i)))
            listed = ", ".join(self.describe(i) for i in cands)
            return Resolved(
                None,
                f"ambiguous {self.noun} {value!r}: {len(cands)} candidates: {listed}",
                "give the AGS or the full name instead",
                cands,
            )
        if value.isdigit():
            return Resolved(None, f"unknown {self.noun} AGS {value!r}", "check the AGS")
        near = near_matches(value, self.shown)
        suggestion = " or ".join(self._offer(n) for n in near)
        return Resolved(
            None,
            f"unknown {self.noun} {value!r}",
            f"did you mean {suggestion}?" if suggestion else "",
        )

    def _offer(self, name: str) -> str:
        """A suggested name; one that several regions share comes with their levels and AGS:
        '"Kassel" (Regierungsbezirk 066, kreisfreie Stadt 06611, ...)'."""
        hits = sorted(self.lookup(name), key=lambda i: (self.ags.get(i, ""), i))
        if len(hits) < 2 or not all(i in self.levels for i in hits):
            return f'"{name}"'
        which = ", ".join(f"{self.levels[i]} {self.ags.get(i, i)}" for i in hits)
        return f'"{name}" ({which})'

    def describe(self, iri: str) -> str:
        """ "Kassel (Landkreis, AGS 06633)": the level tells regions of one name apart."""
        label = self.labels.get(iri, iri)
        kind = f"AGS {self.ags[iri]}" if iri in self.ags else iri
        level = f"{self.levels[iri]}, " if iri in self.levels else ""
        return f"{label} ({level}{kind})"


#: category -> classes whose instances (including subclasses) it holds
CATEGORIES = {
    "region": ("Region", "region"),
    "district": ("District DistrictFreeCity", "Landkreis or kreisfreie Stadt"),
    "metro": ("MetropolitanRegion", "Metropolregion"),
    "topic": ("TopicArea", "topic area"),
    "theme": ("Theme", "theme"),
    "goal": ("Goal", "goal"),
    "benefit": ("Benefit", "benefit"),
    "organisation": ("Organisation", "organisation"),
    "source": ("Source", "source"),
    "programme": ("Programme", "funding programme"),
    "initiative": ("Initiative", "initiative"),
    "figure": ("StatedFigure", "figure"),
}


class LabelIndex:
    """Every category of :data:`CATEGORIES`, built from one dataset (a pyoxigraph store)."""

    def __init__(self, store) -> None:
        self.categories: dict[str, Category] = {}
        for name, (classes, noun) in CATEGORIES.items():
            self.categories[name] = _category(store, classes.split(), noun)
        self.anything = _anything(store)
        self._seen: dict[tuple[str, str], Resolved] = {}

    def resolve(self, category: str, text: str) -> Resolved:
        """Resolve ``text`` in ``category`` ("any" for any labelled resource); memoised, as
        an import repeats the same regions and topics on many rows."""
        key = (category, text)
        found = self._seen.get(key)
        if found is None:
            cat = self.anything if category == "any" else self.categories[category]
            found = self._seen[key] = cat.resolve(text)
        return found


_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sc: <%s>
SELECT ?s ?label ?ags ?level WHERE {
  %s
  OPTIONAL { ?s rdfs:label|skos:prefLabel|skos:altLabel ?label }
  OPTIONAL { ?s sc:ags ?ags }
  OPTIONAL {
    ?s rdf:type ?k2 . ?k2 rdfs:subClassOf sc:Region ; rdfs:label ?level
    FILTER(LANG(?level) = "de")
  }
}
"""


def _category(store, classes: list[str], noun: str) -> Category:
    values = " ".join(f"<{SC}{c}>" for c in classes)
    where = f"VALUES ?c {{ {values} }} ?k rdfs:subClassOf* ?c . ?s rdf:type ?k ."
    return _fill(Category(noun), store.query(_QUERY % (SC, where), use_default_graph_as_union=True))


def _anything(store) -> Category:
    where = f'?s rdfs:label ?any . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}"))'
    return _fill(
        Category("thing"), store.query(_QUERY % (SC, where), use_default_graph_as_union=True)
    )


def _fill(category: Category, rows) -> Category:
    labels: dict[str, list] = defaultdict(list)
    for row in rows:
        iri = row["s"].value
        label, ags, level = row["label"], row["ags"], row["level"]
        labels[iri].append(label)
        if level is not None:
            category.levels[iri] = level.value
        category.add(iri, None, ags.value if ags is not None else None)
    for iri, found in labels.items():
        german = [x for x in found if x is not None and getattr(x, "language", None) == "de"]
        for lab in sorted(found, key=lambda x: x is not None and x not in german):
            if lab is not None:
                category.add(iri, lab.value)
        if german:
            category.labels[iri] = german[0].value
    return category
