"""Turn what a user names (a named query, a ``.rq`` file, or SPARQL text) and the parameters
they give (strings) into what runs: the text, its bindings as RDF terms, the base IRI, the name
used in messages, and whether it is a check. The CLI and the Python API share this one step.

Base IRIs: a query file resolves relative IRIs against its own file URI, as a document does;
inline text against the current folder (so ``FROM <mine.ttl>`` names the graph of
``--data mine.ttl``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .binding import Term
from .errors import InputError


@dataclass(frozen=True)
class Prepared:
    text: str
    bindings: dict[str, Term]
    source: str  # the name in messages: the query file, "-e", ...
    check: bool = False  # a *-violation query: rows mean problems
    name: str | None = None  # the named query's name
    base: str | None = None  # the base IRI relative IRIs resolve against


def read_query_file(path: Path) -> str:
    from .files import read_text

    if not path.is_file():
        raise InputError(f"{path}: no such query file.")
    return read_text(path)  # bad bytes are reported with their line and column


def prepare(
    query: str, params: Mapping[str, str], *, inline: bool = False, source: str = "query"
) -> Prepared:
    """``query`` is SPARQL text when ``inline`` (or when it is not a file and holds whitespace
    or a brace, which no query name does), a ``.rq`` path, or the name of a named query."""
    from . import named_queries
    from .binding import term

    if inline or (
        not query.endswith(".rq")
        and not _is_file(query)
        and any(c.isspace() or c in "{}" for c in query)
    ):
        base = Path.cwd().as_uri() + "/"
        return Prepared(query, {k: term(v) for k, v in params.items()}, source, base=base)
    if query.endswith(".rq") or _is_file(query):
        path = Path(query)
        read_query_file(path)  # a missing file or bad bytes, said clearly
        adhoc = named_queries.parse_header(path, require_title=False)  # its "# param:" lines
        bindings = adhoc.bindings(params, open_ended=True)
        return Prepared(adhoc.text, bindings, str(path), base=path.resolve().as_uri())
    named = named_queries.get(query)
    return Prepared(
        named.text,
        named.bindings(params),
        str(named.path),
        named.is_check,
        query,
        base=named.path.resolve().as_uri(),
    )


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # a name too long, a NUL byte: SPARQL text, not a path
        return False
