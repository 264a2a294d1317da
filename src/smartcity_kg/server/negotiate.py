"""HTTP content negotiation: pick the best of the formats we offer for an Accept header."""

from __future__ import annotations

#: SELECT/ASK result formats: media type -> render format name
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: CONSTRUCT/DESCRIBE and entity formats
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
}
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "html": "text/html; charset=utf-8",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``[(media type, q), ...]`` best first; an absent header means ``*/*``."""
    items = []
    for position, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        items.append((media, q, position))
    items.sort(key=lambda x: (-x[1], x[2]))
    return [(m, q) for m, q, _ in items if q > 0]


def choose(header: str | None, offers: dict[str, str], default: str) -> str | None:
    """The format name for the best acceptable media type in ``offers``; ``default`` for
    wildcards; None when nothing offered is acceptable."""
    for media, _ in parse_accept(header):
        if media in offers:
            return offers[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def prefers_html(header: str | None) -> bool:
    """True when text/html is acceptable and ranked before any other offered type."""
    for media, _ in parse_accept(header):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media != "*/*":
            return False
    return False
