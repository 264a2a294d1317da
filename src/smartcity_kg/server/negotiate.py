"""HTTP content negotiation: pick the best of the formats we offer for an Accept header."""

from __future__ import annotations

from .. import formats

#: SELECT/ASK result formats: media type -> render format name
RESULT_TYPES = formats.by_media(formats.SELECT)
#: CONSTRUCT/DESCRIBE and entity formats
GRAPH_TYPES = formats.by_media(formats.GRAPH)
#: format name -> the Content-Type it is sent with
MEDIA = {f.name: f.content_type for f in formats.REGISTRY if f.media}


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
