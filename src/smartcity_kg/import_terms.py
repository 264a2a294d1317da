"""The importer's statements as plain Python values, and their N-Triples and Turtle text.

An import of 50,000 rows makes about 850,000 statements. As pyoxigraph objects each costs several
microseconds (a ``Triple`` with a literal object alone about 4: pyoxigraph tries the other kinds
of term first), more than all the rest of the import. So the importer keeps a statement as a tuple
``(subject IRI, predicate IRI, object)``, the object an IRI (``str``) or a :class:`Lit`; the gate
reads them as they are, and the text of a file is written from them directly. pyoxigraph objects
are made once, on demand (:func:`triples`), by parsing the N-Triples text in one call.

The text is what pyoxigraph's own serialiser writes for the same triples, byte for byte
(tests/test_import_output.py checks it against files written that way): N-Triples line by line,
Turtle with pyoxigraph's prefix header, grouping and abbreviations. Turtle is only written here
when every term has a form whose rules are pinned by those tests (prefixed names of the usual
shape, the literal kinds the importer makes); otherwise :func:`turtle` returns None and the
caller lets pyoxigraph write it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

import pyoxigraph as ox

from .vocab import RDF_TYPE, XSD, XSD_STRING


class Lit(NamedTuple):
    """A literal: a language-tagged string, a plain string (no language, no datatype) or a
    value of the datatype IRI ``datatype``."""

    value: str
    language: str | None = None
    datatype: str | None = None


#: (subject IRI, predicate IRI, object: an IRI or a literal)
Statement = tuple[str, str, "str | Lit"]

_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"'}
_ESCAPES["\\"] = "\\\\"
_TO_ESCAPE = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff]')


def _escape_one(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def quoted(value: str) -> str:
    """``value`` as a quoted string, escaped as pyoxigraph escapes it (N-Triples and Turtle)."""
    if _TO_ESCAPE.search(value) is None:
        return f'"{value}"'
    return f'"{_TO_ESCAPE.sub(_escape_one, value)}"'


def ntriples(statements: Iterable[Statement]) -> str:
    """The N-Triples text of ``statements``, in their order."""
    lines: list[str] = []
    append = lines.append
    for s, p, o in statements:
        if isinstance(o, str):
            append(f"<{s}> <{p}> <{o}> .\n")
            continue
        value, language, datatype = o
        text = quoted(value)
        if language:
            append(f"<{s}> <{p}> {text}@{language} .\n")
        elif datatype and datatype != XSD_STRING:
            append(f"<{s}> <{p}> {text}^^<{datatype}> .\n")
        else:
            append(f"<{s}> <{p}> {text} .\n")
    return "".join(lines)


def triples(statements: Iterable[Statement]) -> list[ox.Triple]:
    """``statements`` as pyoxigraph triples, all made in one parse."""
    text = ntriples(statements).encode()
    return [quad.triple for quad in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]


#: a local name pyoxigraph writes unescaped except for '/' (as '\/'); anything else is left to it
_LOCAL = r"[A-Za-z0-9_](?:[A-Za-z0-9_-]|/(?=[A-Za-z0-9_]))*"
#: an IRI pyoxigraph writes as <IRI> when no prefix applies: no character it could escape
_PLAIN_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\\x7f-\U0010ffff]*")
#: the last segment of a local name (after its last '/'), as _LOCAL allows it there
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_BOOLEAN = re.compile("true|false")
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "boolean": _BOOLEAN,
}
_LANGUAGE = re.compile(r"[a-z]+(?:-[a-z0-9]+)*")


class _Unusual(Exception):
    """A term outside the forms this module writes as Turtle."""


class _TurtleTerms:
    """The Turtle form of IRIs and literals under ``prefixes``, remembered for repeated IRIs."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.starts = tuple(prefixes.values())
        if any(a != b and a.startswith(b) for a in self.starts for b in self.starts):
            raise _Unusual("nested namespaces")  # which one pyoxigraph picks is its own
        self.names = {iri: name for name, iri in prefixes.items()}
        spaces = "|".join(re.escape(iri) for iri in self.starts)
        self.prefixed = re.compile(f"({spaces})({_LOCAL})").fullmatch
        self.iris: dict[str, str] = {}  # IRIs that repeat: predicates, objects, datatypes
        self.heads: dict[str, str] = {}  # an IRI up to its last '/' -> its prefixed form
        self.predicates: dict[str, str] = {RDF_TYPE: "a"}  # objects never get "a"

    def iri(self, iri: str) -> str:
        cut = iri.rfind("/") + 1
        if cut:  # IRIs of one folder share the prefixed form of all but their last segment
            head = self.heads.get(iri[:cut])
            if head is not None and _SEGMENT.fullmatch(iri, cut) is not None:
                return head + iri[cut:]
        found = self.prefixed(iri)
        if found is not None:
            namespace, local = found.groups()
            name = self.names[namespace]
            escaped = local.replace("/", "\\/")
            if cut > len(namespace) + 1 and len(self.heads) < 10_000:
                self.heads[iri[:cut]] = f"{name}:{escaped[: escaped.rfind('/') + 1]}"
            return f"{name}:{escaped}"
        if iri.startswith(self.starts) or _PLAIN_IRI.fullmatch(iri) is None:
            raise _Unusual(iri)
        return f"<{iri}>"

    def known(self, iri: str) -> str:
        found = self.iris.get(iri)
        if found is None:
            found = self.iri(iri)
            if len(self.iris) < 100_000:
                self.iris[iri] = found
        return found

    def predicate(self, iri: str) -> str:
        found = self.predicates.get(iri)
        if found is None:
            found = self.predicates[iri] = self.iri(iri)
        return found

    def literal(self, value: str, language: str | None, datatype: str | None) -> str:
        text = quoted(value)
        if language:
            if _LANGUAGE.fullmatch(language) is None:
                raise _Unusual(language)
            return f"{text}@{language}"
        if not datatype or datatype == XSD_STRING:
            return text
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(value):
            return value
        if datatype == XSD + "double" or datatype == XSD + "float":
            raise _Unusual(datatype)  # short forms of their own, never made by the importer
        return f"{text}^^{self.known(datatype)}"


@cache
def _header(prefixes: tuple[tuple[str, str], ...]) -> str:
    """pyoxigraph's @prefix lines for ``prefixes`` (in its order)."""
    node = ox.NamedNode("urn:x")
    text = ox.serialize(
        [ox.Triple(node, node, node)], format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes)
    )
    lines = (text or b"").decode().splitlines(True)
    return "".join(line for line in lines if line.startswith("@prefix "))


def turtle(statements: Iterable[Statement], prefixes: dict[str, str]) -> str | None:
    """The Turtle text of ``statements`` as pyoxigraph writes it (consecutive statements of a
    subject joined with ';', of a subject and predicate with ','), or None when a term is
    outside the forms written here."""
    try:
        terms = _TurtleTerms(prefixes)
        parts = [_header(tuple(prefixes.items()))]
        append, iri, known = parts.append, terms.iri, terms.known
        iris, literal, predicates, predicate = (
            terms.iris,
            terms.literal,
            terms.predicates,
            terms.predicate,
        )
        languages = {"de", "en"}  # checked by terms.literal; the importer's two
        last_s = last_p = None
        for s, p, o in statements:
            if isinstance(o, str):
                obj = iris.get(o) or known(o)
            else:
                value, language, datatype = o
                if '"' in value or "\\" in value or not value.isprintable():
                    obj = literal(value, language, datatype)  # escapes, or no escape needed
                elif language:
                    obj = f'"{value}"@{language}' if language in languages else literal(*o)
                elif datatype:
                    obj = literal(value, language, datatype)
                else:
                    obj = f'"{value}"'
            if s == last_s:
                if p == last_p:
                    append(f" , {obj}")
                else:
                    append(f" ;\n\t{predicates.get(p) or predicate(p)} {obj}")
            else:
                append(f" .\n{iri(s)} {predicates.get(p) or predicate(p)} {obj}")
            last_s, last_p = s, p
    except _Unusual:
        return None
    if last_s is None:
        return ""
    append(" .\n")
    parts[1] = parts[1][3:]  # the first subject: no statement before it to end
    return "".join(parts)
