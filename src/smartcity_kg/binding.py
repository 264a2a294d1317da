"""Bind query parameters as RDF terms, never by pasting user text into SPARQL.

pyoxigraph's ``substitutions`` only accepts variables of the SELECT projection, so a parameter
used only in the WHERE clause (the usual case) cannot use it. Instead the bound values become a
``VALUES`` block opened at the very start of the query's top-level group pattern: the values are
joined with everything in the group, exactly as if the variable had been bound beforehand.
Each value is serialised by the RDF library as an N-Triples term, so quotes, braces and
comment characters in a value stay inside one literal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import pyoxigraph as ox

from .errors import InputError

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VAR = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")

Term = ox.NamedNode | ox.Literal | ox.BlankNode


def scan(query: str):
    """Yield ``(kind, text, start)`` tokens that matter for binding: words, variables, IRIs,
    braces and parentheses (kind ``{``, ``}``, ``(``, ``)``).

    Strings and comments are skipped whole, IRIs are one token, so a ``{`` or ``?x`` inside
    them never counts.
    """
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            triple = query[i : i + 3]
            if triple in ('"""', "'''"):
                end = query.find(triple, i + 3)
                i = n if end < 0 else end + 3
            else:
                j = i + 1
                while j < n and query[j] != c and query[j] != "\n":
                    j += 2 if query[j] == "\\" else 1
                i = j + 1
        elif c == "<":
            m = _IRI.match(query, i)
            if m:
                yield "iri", m.group(), i
            i = m.end() if m else i + 1
        elif c in "{}()":
            yield c, c, i
            i += 1
        elif c in "?$":
            m = _VAR.match(query, i)
            if m:
                yield "var", m.group(1), i
                i = m.end()
            else:
                i += 1
        elif c.isalpha() or c == "_":
            m = _WORD.match(query, i)
            end = m.end() if m else i + 1
            # prefixed names (id:topic/x) are not keywords
            while end < n and (query[end].isalnum() or query[end] in ":_-./%"):
                end += 1
            yield "word", query[i:end], i
            i = end
        else:
            i += 1


@lru_cache(maxsize=256)
def tokens(query: str) -> tuple[tuple[str, str, int], ...]:
    """The scan of a query, kept: the same named queries run again and again (the server, a
    script), and on a small graph scanning would cost as much as answering."""
    return tuple(scan(query))


@lru_cache(maxsize=256)
def prefixes_used(query: str) -> frozenset[str]:
    """The prefixes a query's prefixed names use without declaring them: the ones to lend it."""
    used, declared, after_prefix = set(), set(), False
    for kind, text, _ in tokens(query):
        if kind != "word":
            after_prefix = False
            continue
        if after_prefix:
            declared.add(text.split(":", 1)[0])
        elif ":" in text:
            used.add(text.split(":", 1)[0])
        after_prefix = text.upper() == "PREFIX"
    return frozenset(used - declared)


@lru_cache(maxsize=256)
def variables(query: str) -> frozenset[str]:
    """The variable names a query mentions (outside strings, IRIs and comments)."""
    return frozenset(text for kind, text, _ in tokens(query) if kind == "var")


@lru_cache(maxsize=256)
def body_start(query: str) -> int:
    """The offset just after the ``{`` that opens the query's top-level WHERE group."""
    depth = 0
    form = None
    skip_template = False
    for kind, text, pos in tokens(query):
        if kind == "word" and depth == 0 and form is None:
            upper = text.upper()
            if upper in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}:
                form = upper
                skip_template = upper == "CONSTRUCT"
            elif upper in {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "WITH"}:
                raise InputError("parameters can only be bound in queries, not in updates.")
        elif kind == "word" and depth == 0 and skip_template and text.upper() == "WHERE":
            skip_template = False
        elif kind == "{":
            if depth == 0 and form is not None:
                if skip_template:
                    skip_template = False  # this is the CONSTRUCT template; the next is WHERE
                    depth += 1
                    continue
                return pos + 1
            depth += 1
        elif kind == "}":
            depth -= 1
    raise InputError("cannot bind parameters: the query has no WHERE group.")


def top_level_words(query: str):
    """The keywords and names outside any group, upper-cased, in order."""
    depth = 0
    for kind, text, _ in tokens(query):
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
        elif kind == "word" and depth == 0:
            yield text.upper()


@lru_cache(maxsize=256)
def names_dataset(query: str) -> bool:
    """True when the query has its own FROM / FROM NAMED clause (before its WHERE group).

    Such a query defines its dataset itself, so the union default graph must not override it.
    """
    return "FROM" in top_level_words(query)


def bind(query: str, values: Mapping[str, Term]) -> str:
    """``query`` with each variable in ``values`` bound to its RDF term."""
    if not values:
        return query
    present = variables(query)
    missing = sorted(name for name in values if name not in present)
    if missing:
        raise InputError(
            "parameter " + ", ".join(f"?{m}" for m in missing) + " does not occur in the query; "
            "name a variable the query uses."
        )
    names = sorted(values)
    block = (
        " VALUES ("
        + " ".join(f"?{name}" for name in names)
        + ") { ("
        + " ".join(str(values[name]) for name in names)
        + ") } "
    )
    at = body_start(query)
    return query[:at] + block + query[at:]
