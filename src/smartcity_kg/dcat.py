"""The DCAT-AP.de 3.0 description of the knowledge base and the ontology.

A catalogue (GovData, data.europa.eu, a city's own portal) can list the dataset only from
such a description. It is built here, from the format registry and the package version, so a
new export format or a new version cannot leave it behind; ``smartcity-kg generate`` writes it
to ``ontology/catalog/dcat.ttl``. It stays beside the knowledge base, not in it: it describes
the dataset, it is not one of its facts.
``smartcity-kg release`` (release.py) writes the same description into each release folder,
for that version and date, with the size and SHA-256 of every file it names.

The controlled vocabularies that DCAT-AP.de requires (EU data themes, languages, file types,
frequencies, access rights; the DCAT-AP.de licences and geocoding levels) are checked by the
shapes through ``skos:inScheme`` of each code, so every code used is stated here with its
scheme, as the published vocabularies state it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from . import __version__, formats

CAT = Namespace("https://w3id.org/smartcity-kg/catalog/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT is DCAT 2: no dcat:version
HOME = URIRef("https://w3id.org/smartcity-kg/")
ONTOLOGY = URIRef("https://w3id.org/smartcity-kg/ontology")
RELEASES = "https://w3id.org/smartcity-kg/release/"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
LICENCES = URIRef("http://dcat-ap.de/def/licenses")
CC_BY_4 = URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
LEVELS = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level")
STATE_LEVEL = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/state")
#: Hessen: the DCAT-AP.de state key (Amtlicher Gemeindeschlüssel 06) and NUTS 1 code DE7
HESSEN = (
    URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/06"),
    URIRef("http://data.europa.eu/nuts/code/DE7"),
)
#: The day the knowledge base entered the project (see id:source/digitale-staedte) and the
#: day this description was last changed; a release sets its own modified date.
ISSUED = "2026-11-25"
MODIFIED = "2026-12-01"
#: The reference year of the administrative units (Eurostat LAU / NUTS 2024).
COVERAGE = ("2024-01-01", "2024-12-31")

#: EU file-type codes of the RDF formats the project writes (names from formats.REGISTRY)
FILE_TYPES = {
    "turtle": "TURTLE",
    "ntriples": "RDF_N_TRIPLES",
    "nquads": "RDF_N_QUADS",
    "trig": "RDF_TRIG",
    "jsonld": "JSON_LD",
    "rdfxml": "RDF_XML",
}
#: code IRI -> (scheme, English label as the vocabulary gives it)
_CODES: dict[str, tuple[str, str | None]] = {
    f"{EU}data-theme/GOVE": ("data-theme", "Government and public sector"),
    f"{EU}data-theme/REGI": ("data-theme", "Regions and cities"),
    f"{EU}data-theme/TECH": ("data-theme", "Science and technology"),
    f"{EU}language/DEU": ("language", "German"),
    f"{EU}language/ENG": ("language", "English"),
    f"{EU}frequency/IRREG": ("frequency", "irregular"),
    f"{EU}access-right/PUBLIC": ("access-right", "public"),
}


def release_formats() -> tuple[formats.Format, ...]:
    """The RDF formats a release is written in: every export format with an RDF syntax."""
    return tuple(formats.get(n) for n in formats.names(formats.EXPORT) if formats.get(n).rdf)


def file_name(dataset: str, fmt: formats.Format) -> str:
    """The name of the release file of ``dataset`` (``kb`` or ``ontology``) in ``fmt``: the
    release writes it, the download URL ends with it."""
    return f"{dataset}{fmt.extensions[0]}"


def download_url(dataset: str, fmt: formats.Format, version: str) -> URIRef:
    """Where a release puts ``dataset`` (``kb`` or ``ontology``) in ``fmt``."""
    return URIRef(f"{RELEASES}{version}/{file_name(dataset, fmt)}")


def _both(de: str, en: str) -> list[Literal]:
    return [Literal(de, lang="de"), Literal(en, lang="en")]


def _add(g: Graph, node: URIRef, pairs) -> None:
    for p, o in pairs:
        for one in o if isinstance(o, list) else [o]:
            g.add((node, p, one))


_DATASETS = {
    "kb": (
        _both(
            "Smart-City-Wissensgraph Hessen: Wissensbasis",
            "Smart City knowledge graph Hessen: knowledge base",
        ),
        _both(
            "Themenfelder, Initiativen, Förderprogramme und Gebietseinheiten der Smart-City-"
            "Landschaft Hessens als RDF, jede Aussage mit ihrer Quelle; benannte Graphen je "
            "Anliegen.",
            "Topic areas, initiatives, funding programmes and administrative units of Hessen's "
            "Smart City landscape as RDF, every statement with its source; one named graph per "
            "concern.",
        ),
    ),
    "ontology": (
        _both("Smart-City-Wissensgraph: Ontologie", "Smart City knowledge graph: ontology"),
        _both(
            "Klassen und Eigenschaften (OWL) des Smart-City-Wissensgraphen, mit Bezeichnungen "
            "und Definitionen auf Deutsch und Englisch.",
            "The classes and properties (OWL) of the Smart City knowledge graph, with labels "
            "and definitions in German and English.",
        ),
    ),
}
_KEYWORDS = [
    *_both("Smart City", "smart city"),
    *_both("Wissensgraph", "knowledge graph"),
    *_both("Digitalisierung", "digitalisation"),
    *_both("Hessen", "Hesse"),
    *_both("Kommunen", "municipalities"),
    Literal("RDF"),
    Literal("SPARQL"),
]


def dcat_graph(
    version: str = __version__,
    modified: str = MODIFIED,
    files: Mapping[str, bytes] | None = None,
) -> Graph:
    """The catalogue, its two datasets and one distribution per release format.

    ``files`` (release file name -> bytes) are the files a release writes: each distribution
    whose file is among them gets its size and SHA-256 checksum, so a catalogue can check a
    download."""
    g = Graph(bind_namespaces="none")
    date = lambda text: Literal(text, datatype=XSD.date)  # noqa: E731
    publisher, contact, period = CAT["publisher"], CAT["contact"], CAT["coverage-2024"]
    _add(
        g,
        publisher,
        [
            (RDF.type, [FOAF.Agent, FOAF.Organization]),
            (FOAF.name, Literal("smartcity-kg contributors")),
            (FOAF.homepage, HOME),
        ],
    )
    _add(
        g,
        contact,
        [
            (RDF.type, [VCARD.Kind, VCARD.Organization]),
            (VCARD.fn, Literal("smartcity-kg contributors")),
            (VCARD.hasURL, HOME),
        ],
    )
    _add(
        g,
        period,
        [
            (RDF.type, DCTERMS.PeriodOfTime),
            (DCAT.startDate, date(COVERAGE[0])),
            (DCAT.endDate, date(COVERAGE[1])),
        ],
    )
    rights = _both(
        "Code (Python-Paket smartcity-kg): Apache-2.0. Ontologie und Wissensbasis: CC BY 4.0.",
        "Code (the Python package smartcity-kg): Apache-2.0. Ontology and knowledge base: "
        "CC BY 4.0.",
    )
    _add(g, CAT["rights"], [(RDF.type, DCTERMS.RightsStatement), (RDFS.label, rights)])
    for place in HESSEN:
        g.add((place, RDF.type, DCTERMS.Location))
    languages = [URIRef(f"{EU}language/DEU"), URIRef(f"{EU}language/ENG")]
    shared = [
        (DCTERMS.publisher, publisher),
        (DCAT.contactPoint, contact),
        (DCTERMS.language, languages),
        (DCTERMS.issued, date(ISSUED)),
        (DCTERMS.modified, date(modified)),
        (DCTERMS.license, CC_BY_4),
    ]
    catalog = CAT["catalog"]
    _add(
        g,
        catalog,
        [
            (RDF.type, DCAT.Catalog),
            (DCTERMS.title, _both("Smart-City-Wissensgraph", "Smart City knowledge graph")),
            (
                DCTERMS.description,
                _both(
                    "Katalog des Projekts smartcity-kg: Wissensbasis und Ontologie.",
                    "Catalogue of the smartcity-kg project: knowledge base and ontology.",
                ),
            ),
            (FOAF.homepage, HOME),
            (DCTERMS.rights, CAT["rights"]),
            (DCAT.themeTaxonomy, URIRef(f"{EU}data-theme")),
            *[x for x in shared if x[0] != DCAT.contactPoint],
        ],
    )
    themes = [URIRef(f"{EU}data-theme/{c}") for c in ("GOVE", "REGI", "TECH")]
    for name, (titles, descriptions) in _DATASETS.items():
        dataset = CAT[f"dataset/{name}"]
        g.add((catalog, DCAT.dataset, dataset))
        _add(
            g,
            dataset,
            [
                (RDF.type, DCAT.Dataset),
                (DCTERMS.title, titles),
                (DCTERMS.description, descriptions),
                (DCTERMS.identifier, Literal(f"smartcity-kg-{name}")),
                (DCAT.version, Literal(version)),
                (DCAT.theme, themes),
                (DCAT.keyword, _KEYWORDS),
                (DCTERMS.spatial, list(HESSEN)),
                (DCATDE.politicalGeocodingLevelURI, STATE_LEVEL),
                (DCTERMS.accrualPeriodicity, URIRef(f"{EU}frequency/IRREG")),
                (DCTERMS.accessRights, URIRef(f"{EU}access-right/PUBLIC")),
                (DCAT.landingPage, HOME),
                *shared,
            ],
        )
        if name == "kb":
            g.add((dataset, DCTERMS.temporal, period))
            g.add((dataset, DCTERMS.conformsTo, ONTOLOGY))
        else:
            g.add((dataset, FOAF.primaryTopic, ONTOLOGY))
        for fmt in release_formats():
            dist = CAT[f"distribution/{name}-{fmt.name}"]
            g.add((dataset, DCAT.distribution, dist))
            url = download_url(name, fmt, version)
            _add(
                g,
                dist,
                [
                    (RDF.type, DCAT.Distribution),
                    (DCTERMS.title, Literal(f"{titles[1]} ({fmt.name})", lang="en")),
                    (DCAT.accessURL, url),
                    (DCAT.downloadURL, url),
                    (DCTERMS.format, URIRef(f"{EU}file-type/{FILE_TYPES[fmt.name]}")),
                    (DCAT.mediaType, URIRef(IANA + fmt.media[0])),
                    (DCTERMS.license, CC_BY_4),
                ],
            )
            if files is not None and file_name(name, fmt) in files:
                _checksum(g, dist, f"{name}-{fmt.name}", files[file_name(name, fmt)])
    _vocabularies(g)
    return g


def _checksum(g: Graph, dist: URIRef, slug: str, data: bytes) -> None:
    """Size and SHA-256 of a distribution's file (the checksum an IRI: the Turtle writer
    writes no blank nodes)."""
    node = CAT[f"checksum/{slug}"]
    g.add((dist, DCAT.byteSize, Literal(str(len(data)), datatype=XSD.nonNegativeInteger)))
    g.add((dist, SPDX.checksum, node))
    _add(
        g,
        node,
        [
            (RDF.type, SPDX.Checksum),
            (SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
            (SPDX.checksumValue, Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)),
        ],
    )
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))


def _vocabularies(g: Graph) -> None:
    """Every code used, in its scheme (what the DCAT-AP.de vocabulary shapes check)."""
    codes = dict(_CODES)
    for code in FILE_TYPES.values():
        codes[f"{EU}file-type/{code}"] = ("file-type", None)  # the code is its name
    for iri, (scheme, label) in codes.items():
        g.add((URIRef(iri), RDF.type, SKOS.Concept))
        g.add((URIRef(iri), SKOS.inScheme, URIRef(EU + scheme)))
        if label:
            g.add((URIRef(iri), SKOS.prefLabel, Literal(label, lang="en")))
    licence = [
        (RDF.type, SKOS.Concept),
        (SKOS.inScheme, LICENCES),
        (
            SKOS.prefLabel,
            Literal("Creative Commons Namensnennung – 4.0 International (CC BY 4.0)", lang="de"),
        ),
    ]
    _add(g, CC_BY_4, licence)
    level = [
        (RDF.type, SKOS.Concept),
        (SKOS.inScheme, LEVELS),
        (SKOS.prefLabel, Literal("Bundesland", lang="de")),
    ]
    _add(g, STATE_LEVEL, level)


HEADER = (
    "GENERATED by `smartcity-kg generate` from src/smartcity_kg/dcat.py — do not edit by hand.",
    "DCAT-AP.de 3.0 description of the knowledge base and the ontology; kept beside the",
    'knowledge base, not loaded into it. Validate it: see README, "Catalogue metadata".',
)
PREFIXES = {
    "cat": str(CAT),
    "dcat": str(DCAT),
    "dcatde": str(DCATDE),
    "foaf": str(FOAF),
    "spdx": str(SPDX),
    "vcard": str(VCARD),
}


def dcat_turtle(
    version: str = __version__,
    modified: str = MODIFIED,
    files: Mapping[str, bytes] | None = None,
    header: tuple[str, ...] = HEADER,
) -> str:
    """The description as sorted Turtle (the project's own writer: stable bytes)."""
    from .generate import to_turtle

    return to_turtle(dcat_graph(version, modified, files), header, PREFIXES)
