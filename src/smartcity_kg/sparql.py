"""Run SPARQL on the embedded Oxigraph engine and return results as one neutral model.

The model (:class:`Select`, :class:`Ask`, :class:`Graph`) holds pyoxigraph terms, so the renderer,
the server and remote endpoints share it; nothing here formats output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from .binding import Term, bind, names_dataset, prefixes_used
from .errors import InputError
from .limits import check_nesting
from .prefixes import PREFIXES, expand, lend
from .store import KnowledgeBase

_ERROR_AT = re.compile(r"error at (\d+):(\d+):\s*")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")
XSD = PREFIXES["xsd"]


@dataclass
class Select:
    variables: list[str]
    rows: list[tuple[Term | None, ...]]

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (IRI or lexical form), for tests and simple callers."""
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        i = self.variables.index(name)
        return [None if row[i] is None else row[i].value for row in self.rows]


@dataclass
class Ask:
    answer: bool


@dataclass
class Graph:
    triples: list[ox.Triple] = field(default_factory=list)


Result = Select | Ask | Graph


def run(
    kb: KnowledgeBase,
    query: str,
    params: Mapping[str, Term] | None = None,
    *,
    source: str = "query",
) -> Result:
    """Run ``query`` (with ``params`` bound as RDF terms) over the union of all graphs.

    A query with its own FROM / FROM NAMED clauses gets exactly the dataset it names.
    """
    check_nesting(query, source)  # before any parser: deep nesting crashes the native one
    text = bind(query, params or {})
    union = not names_dataset(query)
    try:
        lent = _lent(query)  # passed only when there is something to lend: it costs a conversion
        extra = {"prefixes": lent} if lent else {}
        result = kb.store.query(text, use_default_graph_as_union=union, **extra)
    except SyntaxError as err:
        raise InputError(syntax_message(source, err, query, text)) from None
    except (OSError, RuntimeError) as err:
        raise InputError(f"{source}: the query failed: {err}") from None
    return to_result(result)


@lru_cache(maxsize=256)
def _lent(query: str) -> dict[str, str]:
    """Our namespaces for the prefixes ``query`` uses without declaring them (pyoxigraph only
    reads the mapping)."""
    return lend(prefixes_used(query))


def to_result(result: object) -> Result:
    """The neutral model for a pyoxigraph result."""
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [tuple(solution) for solution in result]  # by position: lookup by name is slow
        return Select(names, rows)
    if isinstance(result, ox.QueryBoolean):
        return Ask(bool(result))
    return Graph([t if isinstance(t, ox.Triple) else t.triple for t in result])  # QueryTriples


def syntax_message(source: str, err: SyntaxError, original: str, sent: str) -> str:
    """``source:line:column: message`` with the position mapped back to the user's text."""
    text = str(err)
    m = _ERROR_AT.search(text)
    if not m:
        return f"{source}: SPARQL syntax error: {text}. Fix the query and run again."
    line, column = int(m.group(1)), int(m.group(2))
    if sent != original:
        line, column = _map_back(original, sent, line, column)
    detail = text[m.end() :]
    return f"{source}:{line}:{column}: SPARQL syntax error: {detail}. Fix the query and run again."


def _map_back(original: str, sent: str, line: int, column: int) -> tuple[int, int]:
    """Undo the VALUES block insertion for error positions (it adds no newline)."""
    offset = sum(len(x) + 1 for x in sent.split("\n")[: line - 1]) + column - 1
    added = len(sent) - len(original)
    at = next(i for i, (a, b) in enumerate(zip(original, sent, strict=False)) if a != b)
    if offset >= at + added:
        offset -= added
    elif offset > at:
        offset = at
    before = original[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def term(value: str, kind: str = "auto") -> Term:
    """An RDF term from a command-line or URL value, checked for its declared kind.

    Kinds: ``iri`` (absolute IRI or ``prefix:local``), ``string``, ``integer``, ``decimal``,
    ``boolean``, ``year`` (xsd:gYear), ``auto`` (IRI if it looks like one, number if it is one,
    else a string), or a language tag like ``@de``.
    """
    try:
        if kind == "auto":
            if value.startswith("<") and value.endswith(">"):
                return ox.NamedNode(value[1:-1])
            if re.match(r"^[a-z][a-z0-9+.-]*://", value) or expand(value):
                return term(value, "iri")
            if _INTEGER.fullmatch(value):
                return term(value, "integer")
            return ox.Literal(value)
        if kind == "iri":
            iri = expand(value) or value.strip("<>")
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(iri)
        if kind == "string":
            return ox.Literal(value)
        if kind.startswith("@"):
            return ox.Literal(value, language=kind[1:])
        checks = {
            "integer": (_INTEGER, "integer"),
            "decimal": (re.compile(rf"{_DECIMAL.pattern}|{_INTEGER.pattern}"), "decimal"),
            "boolean": (re.compile("true|false"), "boolean"),
            "year": (re.compile(r"-?\d{4}"), "gYear"),
        }
        if kind not in checks:
            raise InputError(
                f"unknown parameter type {kind!r}; use iri, string, integer, "
                "decimal, boolean, year or @lang."
            )
        pattern, datatype = checks[kind]
        if not pattern.fullmatch(value):
            raise ValueError(f"not a valid {kind}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
    except ValueError as err:
        raise InputError(f"value {value!r} is not a valid {kind}: {err}.") from None
