"""Every format the project reads or writes, defined once.

A format has a name (what ``--format`` and ``?format=`` take), the kinds of output it serves,
its media types (the first is the one sent), its file extensions (the first is the one
suggested) and, for RDF, pyoxigraph's format. Everything that lists or checks formats is built
from :data:`REGISTRY`: the CLI's choices, the server's content negotiation and ``?format=``,
export and input file extensions, and the messages that name the choices.

This module imports nothing heavy: the CLI reads it before any command runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

#: The kinds of output (and input) a format can serve.
TABLE = "table"  # plain rows: stats, validate, analyze, queries
SELECT = "select"  # SELECT and ASK results
GRAPH = "graph"  # CONSTRUCT and DESCRIBE results, entity descriptions (triples)
EXPORT = "export"  # smartcity-kg export (RDF, graph files, pictures)
INPUT = "input"  # RDF files read with --data, load, diff, import
PAGE = "page"  # the server's HTML pages


@dataclass(frozen=True)
class Format:
    name: str
    kinds: frozenset[str]
    media: tuple[str, ...] = ()  # media types, without parameters; the first is sent
    extensions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # further names ?format= accepts
    rdf: str | None = None  # the pyoxigraph RdfFormat member
    prefixes: bool = False  # written with the project's prefixes

    @property
    def content_type(self) -> str:
        """The Content-Type this format is sent with."""
        first = self.media[0]
        return first + "; charset=utf-8" if first.startswith("text/") else first

    def ox(self):
        """pyoxigraph's RdfFormat for this format."""
        import pyoxigraph as ox

        return getattr(ox.RdfFormat, self.rdf) if self.rdf else None


def _f(name: str, kinds: tuple[str, ...], **rest) -> Format:
    return Format(name, frozenset(kinds), **rest)


REGISTRY: tuple[Format, ...] = (
    _f("table", (TABLE, SELECT)),
    _f("csv", (TABLE, SELECT, EXPORT), media=("text/csv",), extensions=(".csv",)),
    _f("tsv", (TABLE, SELECT), media=("text/tab-separated-values",), extensions=(".tsv",)),
    _f(
        "json",
        (TABLE, SELECT),
        media=("application/sparql-results+json", "application/json"),
        extensions=(".json", ".srj"),
    ),
    _f("jsonl", (TABLE, SELECT), extensions=(".jsonl",)),
    _f("markdown", (TABLE, SELECT), extensions=(".md",)),
    _f(
        "xml",
        (SELECT,),
        media=("application/sparql-results+xml", "application/xml", "text/xml"),
        extensions=(".srx", ".xml"),
    ),
    _f(
        "turtle",
        (GRAPH, EXPORT, INPUT),
        media=("text/turtle", "application/x-turtle", "application/turtle"),
        extensions=(".ttl", ".turtle"),
        aliases=("ttl", "n3"),
        rdf="TURTLE",
        prefixes=True,
    ),
    _f(
        "ntriples",
        (GRAPH, EXPORT, INPUT),
        media=("application/n-triples", "text/plain"),
        extensions=(".nt",),
        aliases=("nt",),
        rdf="N_TRIPLES",
    ),
    _f(
        "nquads",
        (EXPORT, INPUT),
        media=("application/n-quads",),
        extensions=(".nq",),
        rdf="N_QUADS",
    ),
    _f(
        "trig",
        (EXPORT, INPUT),
        media=("application/trig",),
        extensions=(".trig",),
        rdf="TRIG",
        prefixes=True,
    ),
    _f(
        "jsonld",
        (GRAPH, EXPORT, INPUT),
        media=("application/ld+json", "application/json"),
        extensions=(".jsonld", ".json"),
        aliases=("json-ld", "json"),
        rdf="JSON_LD",
        prefixes=True,
    ),
    _f(
        "rdfxml",
        (GRAPH, EXPORT, INPUT),
        media=("application/rdf+xml", "application/xml"),
        extensions=(".rdf", ".owl", ".xml"),
        aliases=("rdf+xml", "xml"),
        rdf="RDF_XML",
        prefixes=True,
    ),
    _f("n3", (INPUT,), media=("text/n3",), extensions=(".n3",), rdf="N3"),
    _f("graphml", (EXPORT,), extensions=(".graphml",)),
    _f("gexf", (EXPORT,), extensions=(".gexf",)),
    _f("gml", (EXPORT,), extensions=(".gml",)),
    _f("cytoscape", (EXPORT,), extensions=(".cyjs", ".cytoscape.json")),
    _f("dot", (EXPORT,), extensions=(".dot", ".gv")),
    _f("mermaid", (EXPORT,), extensions=(".mmd", ".mermaid")),
    _f(
        "html",
        (EXPORT, PAGE),
        media=("text/html", "application/xhtml+xml"),
        extensions=(".html", ".htm"),
    ),
    _f("svg", (EXPORT,), media=("image/svg+xml",), extensions=(".svg",)),
    _f("png", (EXPORT,), media=("image/png",), extensions=(".png",)),
)

_BY_NAME = {f.name: f for f in REGISTRY}


def get(name: str) -> Format:
    return _BY_NAME[name]


def names(kind: str) -> tuple[str, ...]:
    """The names of the formats of ``kind``, in the registry's order."""
    return tuple(f.name for f in REGISTRY if kind in f.kinds)


def check(name: str, kind: str, what: str = "format") -> Format:
    """The format ``name`` of ``kind``, or an error that lists the choices."""
    found = _BY_NAME.get(name)
    if found is None or kind not in found.kinds:
        raise InputError(f"unknown {what} {name!r}; use one of {', '.join(names(kind))}.")
    return found


def by_media(kind: str) -> dict[str, str]:
    """Media type -> format name, for content negotiation of ``kind`` (first come wins)."""
    out: dict[str, str] = {}
    for f in REGISTRY:
        if kind in f.kinds:
            for media in f.media:
                out.setdefault(media, f.name)
    return out


def by_value(value: str, kind: str) -> str | None:
    """The format of ``kind`` that a ``?format=`` value names (a name, an alias or a media
    type of a format HTTP can send), or None."""
    value = value.strip().lower()
    for f in REGISTRY:
        if kind in f.kinds and f.media and (value in (f.name, *f.aliases, *f.media)):
            return f.name
    return None


def values(*kinds: str) -> list[str]:
    """Every name and alias ``?format=`` accepts for ``kinds``, sorted."""
    return sorted(
        {v for f in REGISTRY if f.media and f.kinds & set(kinds) for v in (f.name, *f.aliases)}
    )


def by_extension(path: Path | str, kind: str) -> Format | None:
    """The format of ``kind`` whose extension ``path`` ends with (the longest match wins)."""
    name = str(path).lower()
    best: tuple[int, Format] | None = None
    for f in REGISTRY:
        if kind not in f.kinds:
            continue
        for ext in f.extensions:
            if name.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), f)
    return None if best is None else best[1]


def extensions(kind: str) -> tuple[str, ...]:
    """Every extension of ``kind``, in the registry's order, each once."""
    out: list[str] = []
    for f in REGISTRY:
        if kind in f.kinds:
            out += [e for e in f.extensions if e not in out]
    return tuple(out)
