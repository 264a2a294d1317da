"""The project's prefixes, as plain strings so the query path never has to import rdflib."""

from __future__ import annotations

from collections.abc import Iterable

SC = "https://w3id.org/smartcity-kg/ontology#"
ID = "https://w3id.org/smartcity-kg/id/"
ONTOLOGY_IRI = "https://w3id.org/smartcity-kg/ontology"

PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "id": ID,
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sc": SC,
    "schema": "https://schema.org/",
    "sdg": "http://metadata.un.org/sdg/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "unit": "http://qudt.org/vocab/unit/",
    "wd": "http://www.wikidata.org/entity/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: Short prefixes for the kinds of things under ``id:``, usable in queries and parameter values
#: (``region:06411000``, ``topic:mobilitaet``), since SPARQL and Turtle prefixed names may not
#: contain a bare ``/`` (``id:region/06`` must be written ``id:region\\/06`` there).
THING_KINDS = (
    "actionfield",
    "approach",
    "benefit",
    "challenge",
    "competition",
    "figure",
    "goal",
    "graph",
    "initiative",
    "opportunity",
    "principle",
    "programme",
    "proposition",
    "region",
    "role",
    "source",
    "theme",
    "topic",
)
QUERY_PREFIXES: dict[str, str] = {**PREFIXES, **{k: f"{ID}{k}/" for k in THING_KINDS}}


def compact(iri: str) -> str:
    """``id:topic/mobilitaet`` for a known namespace, else the IRI unchanged."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def expand(name: str) -> str | None:
    """The IRI for ``prefix:local`` with a known prefix, else None."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in QUERY_PREFIXES and not local.startswith("//"):
        return QUERY_PREFIXES[prefix] + local
    return None


def prologue(names: Iterable[str] | None = None) -> str:
    """PREFIX lines for a query sent to an engine that does not know our prefixes (all of
    them, or those of ``names`` that we know)."""
    chosen = QUERY_PREFIXES if names is None else lend(names)
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in chosen.items())


def lend(names: Iterable[str]) -> dict[str, str]:
    """Our namespaces for the prefix ``names`` we know, in a fixed order."""
    return {p: QUERY_PREFIXES[p] for p in sorted(names) if p in QUERY_PREFIXES}
