"""A seeded, Germany-scale synthetic knowledge graph in the project's vocabulary, as N-Triples.

python benchmarks/generate.py --triples 1M --seed 7 -o germany-1M.nt

Regions at every level with real-looking keys (16 Länder ``01``..``16``, Regierungsbezirke of
3 digits, Kreise of 5, Gemeinden of 8, about 10,800 Gemeinden at full size), Metropolregionen,
the topic areas and goals with the class labels the named queries read, and as many initiatives
(linked to topic areas, themes, goals and regions) and stated figures as the size asks for.
The same seed and size give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from smartcity_kg.prefixes import ID, PREFIXES, SC

RDF_TYPE = f"<{PREFIXES['rdf']}type>"
LABEL = f"<{PREFIXES['rdfs']}label>"
SUBCLASS = f"<{PREFIXES['rdfs']}subClassOf>"
XSD = PREFIXES["xsd"]

REGION_CLASSES = {
    "FederalState": ("Land", "federal state"),
    "GovernmentDistrict": ("Regierungsbezirk", "government district"),
    "District": ("Landkreis", "district"),
    "DistrictFreeCity": ("kreisfreie Stadt", "district-free city"),
    "Municipality": ("Gemeinde", "municipality"),
    "MetropolitanRegion": ("Metropolregion", "metropolitan region"),
}
TOPICS = [
    "bildung",
    "datenplattform",
    "energie-umwelt",
    "gesellschaft",
    "gesundheit",
    "handel",
    "it-infrastruktur",
    "mobilitaet",
    "sicherheit",
    "verwaltung",
]
GOALS = ["lebensqualitaet", "einsparungen", "wirtschaft", "standort", "natur"]
SYLLABLES = [
    "berg",
    "burg",
    "dorf",
    "feld",
    "hausen",
    "heim",
    "kirch",
    "lingen",
    "stadt",
    "tal",
    "wald",
    "wies",
    "au",
    "bach",
    "brück",
]
STARTS = [
    "Alt",
    "Neu",
    "Ober",
    "Unter",
    "Groß",
    "Klein",
    "Bad",
    "Sankt",
    "Nieder",
    "Hohen",
    "Ost",
    "West",
    "Süd",
    "Nord",
]
# Länder with their number of Regierungsbezirke (0: the Land is not divided) and share of Kreise
LAENDER = [
    (1, 0, 15), (2, 0, 1), (3, 0, 45), (4, 0, 2), (5, 5, 53), (6, 3, 26), (7, 0, 36),
    (8, 4, 44), (9, 7, 96), (10, 0, 6), (11, 0, 1), (12, 0, 18), (13, 0, 8), (14, 0, 13),
    (15, 0, 14), (16, 0, 22),
]  # fmt: skip
GEMEINDEN_FULL = 10_800


def iri(local: str) -> str:
    return f"<{ID}{local}>"


def sc(local: str) -> str:
    return f"<{SC}{local}>"


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{XSD}{datatype}>'
    return f'"{escaped}"'


class Writer:
    def __init__(self, out) -> None:
        self.out, self.count = out, 0

    def add(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")
        self.count += 1


def place_name(rng: random.Random) -> str:
    stem = rng.choice(SYLLABLES).capitalize() + rng.choice(SYLLABLES)
    return f"{rng.choice(STARTS)} {stem}" if rng.random() < 0.3 else stem


def schema(w: Writer) -> None:
    for cls, (de, en) in REGION_CLASSES.items():
        w.add(sc(cls), SUBCLASS, sc("Region"))
        w.add(sc(cls), LABEL, lit(de, "de"))
        w.add(sc(cls), LABEL, lit(en, "en"))
    for i, topic in enumerate(TOPICS):
        node = iri(f"topic/{topic}")
        w.add(node, RDF_TYPE, sc("TopicArea"))
        w.add(node, LABEL, lit(topic.replace("-", " ").title(), "de"))
        w.add(node, LABEL, lit(topic.replace("-", " ").title() + " (en)", "en"))
        w.add(node, sc("servesGoal"), iri(f"goal/{GOALS[i % len(GOALS)]}"))
    for goal in GOALS:
        w.add(iri(f"goal/{goal}"), RDF_TYPE, sc("Goal"))
        w.add(iri(f"goal/{goal}"), LABEL, lit(goal.title(), "de"))
        w.add(iri(f"goal/{goal}"), LABEL, lit(goal.title() + " (en)", "en"))


def region(w: Writer, rng: random.Random, ags: str, cls: str, parent: str | None) -> str:
    node = iri(f"region/{ags}")
    name = place_name(rng)
    w.add(node, RDF_TYPE, sc(cls))
    w.add(node, LABEL, lit(name, "de"))
    w.add(node, LABEL, lit(name, "en"))
    w.add(node, sc("ags"), lit(ags))
    if parent:
        w.add(node, sc("within"), iri(f"region/{parent}"))
    if cls == "Municipality":
        w.add(node, sc("designation"), lit(rng.choice(["Gemeinde", "Stadt", "Markt"]), "de"))
    return node


def regions(w: Writer, rng: random.Random, gemeinden: int) -> list[str]:
    """All levels; returns the AGS of the Gemeinden."""
    per_kreis = max(1, round(gemeinden / sum(k for *_, k in LAENDER)))
    out = []
    for land, bezirke, kreise in LAENDER:
        la = f"{land:02d}"
        region(w, rng, la, "FederalState", None)
        parents = [f"{la}{b}" for b in range(1, bezirke + 1)] or [f"{la}0"]
        for rb in parents:
            region(w, rng, rb, "GovernmentDistrict", la)
        for k in range(1, kreise + 1):
            rb = parents[k % len(parents)]
            kreis = f"{rb}{k:02d}"
            free_city = k % 5 == 0
            region(w, rng, kreis, "DistrictFreeCity" if free_city else "District", rb)
            for g in range(1, (1 if free_city else per_kreis) + 1):
                ags = f"{kreis}{g:03d}"
                region(w, rng, ags, "Municipality", kreis)
                out.append(ags)
    for m in range(1, 12):
        node = iri(f"region/metropolregion-{m}")
        w.add(node, RDF_TYPE, sc("MetropolitanRegion"))
        w.add(node, LABEL, lit(f"Metropolregion {place_name(rng)}", "de"))
        w.add(node, sc("within"), iri(f"region/{rng.randint(1, 16):02d}"))
    return out


def initiative(w: Writer, rng: random.Random, n: int, gemeinden: list[str]) -> None:
    node = iri(f"initiative/i{n}")
    name = f"Smarte {rng.choice(['Parkplätze', 'Straßenlaternen', 'Verwaltung', 'Schulen'])} {n}"
    w.add(node, RDF_TYPE, sc("Initiative"))
    w.add(node, LABEL, lit(name, "de"))
    w.add(node, LABEL, lit(f"Smart initiative {n}", "en"))
    w.add(node, f"<{PREFIXES['dcterms']}spatial>", iri(f"region/{rng.choice(gemeinden)}"))
    for topic in rng.sample(TOPICS, rng.randint(1, 3)):
        w.add(node, sc("hasTopicArea"), iri(f"topic/{topic}"))
    w.add(node, sc("servesGoal"), iri(f"goal/{rng.choice(GOALS)}"))
    w.add(node, sc("startYear"), lit(str(rng.randint(2010, 2025)), datatype="gYear"))


def figure(w: Writer, rng: random.Random, n: int, gemeinden: list[str]) -> None:
    node = iri(f"figure/f{n}")
    w.add(node, RDF_TYPE, sc("StatedFigure"))
    w.add(node, LABEL, lit(f"Kennzahl {n}", "de"))
    w.add(node, sc("about"), iri(f"region/{rng.choice(gemeinden)}"))
    w.add(node, sc("value"), lit(f"{rng.uniform(0, 1000):.1f}", datatype="decimal"))
    w.add(node, sc("referenceYear"), lit(str(rng.randint(2015, 2025)), datatype="gYear"))
    w.add(node, sc("measure"), lit(rng.choice(["Ladepunkte", "Einwohner", "Breitband"]), "de"))


def generate(path: Path, triples: int, seed: int = 7) -> int:
    """Write about ``triples`` triples to ``path``; returns the exact number written."""
    rng = random.Random(seed)
    gemeinden_n = min(GEMEINDEN_FULL, max(200, triples // 20))
    with path.open("w", encoding="utf-8") as out:
        w = Writer(out)
        schema(w)
        gemeinden = regions(w, rng, gemeinden_n)
        n = 0
        while w.count < triples:
            n += 1
            if n % 3:
                initiative(w, rng, n, gemeinden)
            else:
                figure(w, rng, n, gemeinden)
    return w.count


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="100k", help="size, e.g. 100k, 1M, 5M")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    count = generate(args.output, parse_size(args.triples), args.seed)
    print(f"wrote {count} triples to {args.output}")


if __name__ == "__main__":
    main()
