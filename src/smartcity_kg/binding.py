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
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from .errors import InputError
from .prefixes import expand
from .vocab import XSD

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
            end = _name_end(query, i)
            yield "word", query[i:end], i
            i = end
        else:
            i += 1


def _name_end(query: str, i: int) -> int:
    """Where the keyword or prefixed name starting at ``i`` ends.

    A prefixed name (``sc:Region``, ``id:region\\/066``, ``my-ns.v2:p``) holds letters, digits,
    ``_ - . : %`` and backslash escapes, as SPARQL's PN_PREFIX and PN_LOCAL do. It ends before
    a property-path operator (``/ | ^ * + ?``), a bracket or a final ``.`` (the end of a
    triple), so ``a/rdfs:subClassOf*`` is the keyword ``a`` and the name ``rdfs:subClassOf``.
    """
    m = _WORD.match(query, i)
    end = m.end() if m else i + 1
    n = len(query)
    while end < n:
        c = query[end]
        if c == "\\" and end + 1 < n:
            end += 2
        elif c.isalnum() or c in ":_-.%\u00b7":
            end += 1
        else:
            break
    while end > i + 1 and query[end - 1] == "." and query[end - 2] != "\\":
        end -= 1
    return end


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


_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "WITH", "ADD", "MOVE", "COPY"}
_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


@dataclass(frozen=True)
class Shape:
    """Where a query's top-level WHERE group is, and where each variable stands in it."""

    #: offset just after the ``{`` that opens the top-level WHERE group
    body: int
    #: for ``CONSTRUCT WHERE { T }``: the offsets after ``CONSTRUCT`` and of the group's ``}``
    short_construct: tuple[int, int] | None
    #: for ``WHERE { SELECT ... }`` (a group that is only a subquery): the group's ``}``
    only_subquery: int | None
    #: variable -> why a VALUES block at the top does not bind it as substitution would
    unsafe: dict[str, str] = field(default_factory=dict)


_WHY = {
    "as": "the query computes it itself (an AS target of a SELECT expression, BIND or "
    "GROUP BY), so a bound value would be ignored or clash",
    "values": "the query gives it values itself in a VALUES block",
    "minus": "it is used inside MINUS, which never sees values from outside",
    "subquery": "it is used inside a subquery, which is evaluated before the value is joined",
    "nested": "it is used in a FILTER, BIND or EXISTS of a nested group (UNION branch, "
    "OPTIONAL, GRAPH or { }), which is evaluated before the value is joined",
    "optional": "it is used in an OPTIONAL inside a nested group, which is evaluated before "
    "the value is joined",
}


@lru_cache(maxsize=256)
def shape(query: str) -> Shape:
    """Analyse ``query`` once: its top-level group and the scope of every variable.

    A parameter is bound by a VALUES block at the start of the top-level group. That equals
    substituting the value for the variable wherever the variable is joined with that group:
    triple patterns and paths at any depth of plain groups, OPTIONAL, GRAPH and UNION, and
    expressions of the top-level group itself (FILTER, BIND, EXISTS, and the SELECT, GROUP BY,
    HAVING and ORDER BY expressions). Everything else is recorded in ``unsafe`` with why.
    """
    form = None
    body = None
    short: int | tuple[int, int] | None = None
    template_pending = False
    frames: list[str] = []  # kinds of the open groups
    parens: list[int] = [0]  # parenthesis depth per open group (index 0: outside groups)
    expression: list[str] = ["filter"]  # per open group: the expression the parentheses open
    pending: str | None = None  # the kind of the next group, from the keyword before it
    after_as = values_header = False
    unsafe: dict[str, str] = {}
    last_word = ""
    fresh = False  # the token before was a "{"
    form_end = 0
    only_subquery = None
    ids: list[int] = []  # per open group: where it opened, to name it
    aggregate: list[bool] = [False]  # per open group: an aggregate in the open parentheses
    limited: set[int] = set()  # subqueries with LIMIT or OFFSET
    heads: dict[int, list[str]] = {}  # subquery -> variables of its SELECT and GROUP BY
    projected: dict[int, set[str]] = {}  # subquery -> the variables its SELECT clause names
    in_body: set[int] = set()  # subqueries whose WHERE group has begun
    for kind, text, pos in tokens(query):
        if kind == "word":
            upper = text.upper()
            if form is None and not frames and upper in _UPDATES:
                raise InputError("parameters can only be bound in queries, not in updates.")
            if form is None and not frames and upper in _FORMS:
                form = upper
                template_pending = upper == "CONSTRUCT"
                form_end = pos + len(text)
            elif template_pending and upper == "WHERE" and not frames:
                template_pending, short = False, form_end  # CONSTRUCT [FROM ...] WHERE { T }
            elif upper in ("OPTIONAL", "MINUS", "GRAPH", "SERVICE", "EXISTS"):
                pending = upper.lower()
            elif upper == "VALUES":
                values_header = True
            elif upper == "SELECT" and fresh and frames[-1] == "where":
                frames[-1] = "where-select"
            elif upper == "SELECT" and fresh and frames[-1] not in ("template", "values"):
                frames[-1] += "/subquery"  # a group that is a subquery (after OPTIONAL, ...)
            elif upper in ("LIMIT", "OFFSET") and frames and frames[-1].endswith("/subquery"):
                limited.add(ids[-1])
            elif upper in _AGGREGATES and parens[-1] > 0:
                aggregate[-1] = True
            after_as = upper == "AS"
            last_word = upper
            fresh = False
            continue
        fresh = kind == "{"
        if kind == "var":
            if values_header:
                reason = "values"
            elif after_as and (not frames or frames == ["where"]):
                reason = "as"  # computed for the whole answer: a bound value is ignored
            elif body is None:
                reason = None
            else:
                # a nested BIND's output is joined with the value like a pattern's
                reason = _scope(frames, parens, "target" if after_as else expression[-1])
            if reason == "head":  # in a subquery's SELECT or GROUP BY: decided at its end
                sub = ids[-1] if frames[-1].endswith("/subquery") else ids[-2]
                heads.setdefault(sub, []).append(text)
                if sub not in in_body:
                    projected.setdefault(sub, set()).add(text)
                reason = "subquery" if after_as and aggregate[-1] else None
            if reason:
                unsafe.setdefault(text, reason)
            after_as = False
            continue
        after_as = False
        if kind == "(":
            if parens[-1] == 0:
                expression[-1] = "bind" if last_word == "BIND" else "filter"
                aggregate[-1] = False
            parens[-1] += 1
        elif kind == ")":
            parens[-1] -= 1
        elif kind == "{":
            if values_header:
                group, values_header = "values", False
            elif template_pending and not frames:
                group, template_pending = "template", False
            elif body is None and form is not None and not frames and parens[0] == 0:
                group, body = "where", pos + 1
            elif body is None:
                group = "outside"  # e.g. EXISTS in a SELECT expression: sees each solution
            else:
                group = pending or "group"
            if frames and frames[-1].endswith("/subquery"):
                in_body.add(ids[-1])  # the subquery's WHERE group: its SELECT clause is over
            frames.append(group)
            parens.append(0)
            expression.append("filter")
            aggregate.append(False)
            ids.append(pos)
            pending = None
        elif kind == "}" and frames:
            closed = frames.pop()
            parens.pop()
            expression.pop()
            aggregate.pop()
            opened = ids.pop()
            for name in heads.get(opened, ()):
                if opened in limited or name not in projected.get(opened, ()):
                    unsafe.setdefault(name, "subquery")  # not joined as it is outside
            if closed == "where" and isinstance(short, int):
                short = (short, pos)
            if closed == "where-select":
                only_subquery = pos
    if body is None:
        raise InputError("cannot bind parameters: the query has no WHERE group.")
    return Shape(body, short if isinstance(short, tuple) else None, only_subquery, unsafe)


def _scope(frames: list[str], parens: list[int], expression: str) -> str | None:
    """Why a variable at this place is not bound as by substitution, or None.

    ``expression`` is "filter" or "bind" inside parentheses (what opened them), or "target"
    for the variable after AS.
    """
    if not frames or not frames[0].startswith("where"):
        return None  # before or after the WHERE group: SELECT, GROUP BY, ORDER BY, ...
    if frames[0] == "where-select":
        return "subquery"
    inner = frames[1:]
    for i, kind in enumerate(inner):
        kind, _, subquery = kind.partition("/")
        if kind in ("minus", "values") or (kind == "optional" and i > 0):
            return kind
        if subquery:
            # its SELECT and GROUP BY: joined with the value as a pattern's variables are
            # (unless the subquery has LIMIT or OFFSET, or computes the variable by an
            # aggregate); anything inside it is evaluated before the value is joined
            last = len(inner) - 1
            if kind != "exists" and (
                i == last  # its SELECT or GROUP BY
                or (i == last - 1 and inner[last] == "group" and expression == "target")
            ):  # or a BIND target in its WHERE group: a key it may group by
                return "head"
            return "subquery"
        if kind == "exists":
            # an EXISTS of the top-level group substitutes each solution into its pattern
            return "nested" if i > 0 else None
    # an expression of a nested group sees only that group; an OPTIONAL's own FILTER (an
    # OPTIONAL of the top-level group) sees the joined solution
    own_filter = inner == ["optional"] and expression == "filter"
    if inner and parens[-1] > 0 and expression != "target" and not own_filter:
        return "nested"
    return None


@lru_cache(maxsize=256)
def body_start(query: str) -> int:
    """The offset just after the ``{`` that opens the query's top-level WHERE group."""
    return shape(query).body


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
    """``query`` with each variable in ``values`` bound to its RDF term.

    Refuses, naming the parameter, every binding that would not give the same answer as
    substituting the value for the variable (see :func:`shape`).
    """
    if not values:
        return query
    present = variables(query)
    missing = sorted(name for name in values if name not in present)
    if missing:
        raise InputError(
            "parameter " + ", ".join(f"?{m}" for m in missing) + " does not occur in the query; "
            "name a variable the query uses."
        )
    found = shape(query)
    for name in sorted(values):
        if name in found.unsafe:
            raise InputError(
                f"parameter ?{name} cannot be bound: {_WHY[found.unsafe[name]]}. "
                "Bind a variable of the query's top-level group instead."
            )
    names = sorted(values)
    block = (
        " VALUES ("
        + " ".join(f"?{name}" for name in names)
        + ") { ("
        + " ".join(str(values[name]) for name in names)
        + ") } "
    )
    at = found.body
    if found.only_subquery is not None:
        # WHERE { SELECT ... }: a subquery must stand alone in its group, so it gets its own
        close = found.only_subquery
        return query[:at] + block + "{ " + query[at:close] + " }" + query[close:]
    if found.short_construct is not None:
        # CONSTRUCT WHERE { T }: T is the template too, and a template cannot hold VALUES
        after, close = found.short_construct
        template = " {" + query[at:close] + "}"
        return query[:after] + template + query[after:at] + block + query[at:]
    return query[:at] + block + query[at:]


_INTEGER = re.compile(r"[+-]?\d+")
_AGS = re.compile(r"\d{2}|\d{3}|\d{5}|\d{8}")
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def turtle_term(value: str) -> Term | None:
    """``value`` read as one RDF term in Turtle syntax (with the project's prefixes), or None
    when it is not one. Blank nodes are refused: a query cannot be bound to one."""
    from .prefixes import QUERY_PREFIXES

    text = value.strip()
    if not text or text.startswith(("_:", "[", "(")):
        return None
    if text.startswith("<") and text.endswith(">") and not ABSOLUTE_IRI.match(text[1:-1]):
        raise ValueError("a parameter IRI must be absolute (<https://...>)")
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in QUERY_PREFIXES.items())
    try:
        triples = list(
            ox.parse(
                head + f"<urn:x-param:s> <urn:x-param:p> {text} .",
                format=ox.RdfFormat.TURTLE,
            )
        )
    except (SyntaxError, ValueError):
        return None
    if len(triples) != 1 or isinstance(triples[0].object, ox.BlankNode | ox.Triple):
        return None
    obj = triples[0].object
    if isinstance(obj, ox.NamedNode) and not ABSOLUTE_IRI.match(obj.value):
        return None
    return obj


def term(value: str, kind: str = "auto") -> Term:
    """An RDF term from a command-line or URL value, checked for its declared kind.

    Kinds: ``iri`` (absolute IRI or ``prefix:local``), ``string``, ``ags`` (a string of 2, 3,
    5 or 8 digits), ``lang`` (a label language: de or en), ``integer``, ``decimal``,
    ``boolean``, ``year`` (xsd:gYear), ``auto`` (an RDF term in Turtle syntax: ``<iri>``,
    ``prefix:local``, ``1.5``, ``true``, ``"Hessen"@de``, ``"2024"^^xsd:gYear``; else a plain
    string), or a language tag like ``@de``.
    """
    try:
        if kind == "auto":
            if re.match(r"^[a-z][a-z0-9+.-]*://", value) or expand(value):
                return term(value, "iri")
            parsed = turtle_term(value)
            return parsed if parsed is not None else ox.Literal(value)
        if kind == "iri":
            iri = expand(value) or value.strip("<>")
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
                raise ValueError("not an absolute IRI")
            return ox.NamedNode(iri)
        if kind == "string":
            return ox.Literal(value)
        if kind == "lang":  # a label language: say so rather than match no label
            from .languages import check

            return ox.Literal(check(value))
        if kind == "ags":  # a string that can name a region: say so rather than match nothing
            if not _AGS.fullmatch(value):
                raise ValueError(
                    "an Amtlicher Gemeindeschlüssel has 2 (Land), 3 (Regierungsbezirk), "
                    "5 (Kreis) or 8 (Gemeinde) digits, e.g. 06411000"
                )
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
                f"unknown parameter type {kind!r}; use iri, string, ags, lang, integer, "
                "decimal, boolean, year or @lang."
            )
        pattern, datatype = checks[kind]
        if not pattern.fullmatch(value):
            raise ValueError(f"not a valid {kind}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
    except ValueError as err:
        what = "RDF term" if kind == "auto" else kind
        raise InputError(f"value {value!r} is not a valid {what}: {err}.") from None
