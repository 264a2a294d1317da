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

from .binding import ABSOLUTE_IRI, Term, bind, names_dataset, prefixes_used, tokens
from .dataset import KnowledgeBase
from .errors import InputError
from .limits import check_nesting
from .prefixes import lend

_ERROR_AT = re.compile(r"error at (\d+):(\d+):\s*")


@dataclass
class Select:
    """A SELECT result: the variable names, and one tuple of pyoxigraph terms (None where
    unbound) per solution, in the engine's order."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (IRI or lexical form), for tests and simple callers."""
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        """One variable's values as plain strings, in row order."""
        i = self.variables.index(name)
        return [None if (t := row[i]) is None else t.value for row in self.rows]


@dataclass
class Ask:
    """An ASK result."""

    answer: bool


@dataclass
class Graph:
    """A CONSTRUCT or DESCRIBE result: its pyoxigraph triples."""

    triples: list[ox.Triple] = field(default_factory=list)


Result = Select | Ask | Graph


def run(
    kb: KnowledgeBase,
    query: str,
    params: Mapping[str, Term] | None = None,
    *,
    source: str = "query",
    base_iri: str | None = None,
) -> Result:
    """Run ``query`` (with ``params`` bound as RDF terms) over the dataset of ``kb``.

    The default graph is the set union of all graphs, or with ``kb.default_graph ==
    "default"`` the dataset's own default graph; a query with its own FROM / FROM NAMED clauses
    gets exactly the dataset it names. Relative IRIs in the query resolve against ``base_iri``.
    """
    check_nesting(query, source)  # before any parser: deep nesting crashes the native one
    text = bind(query, params or {})
    store, union = kb.store, False
    if not names_dataset(query) and kb.default_graph == "union":
        copy = kb.union_store()
        union = copy is None  # no copy needed: Oxigraph's union is already a set here
        store = copy or kb.store
    try:
        lent = _lent(query)  # passed only when there is something to lend: it costs a conversion
        # the answer is computed while it is read, so errors can come from to_result too
        return to_result(
            store.query(
                text, use_default_graph_as_union=union, prefixes=lent or None, base_iri=base_iri
            )
        )
    except SyntaxError as err:
        if not base_iri and (relative := relative_iri(query)):
            raise InputError(
                f"{source}: the IRI <{relative}> is relative and the query has no base IRI; "
                "write an absolute IRI or add a BASE <...> line."
            ) from None
        own = _own_error(query, lent, base_iri) if text != query else None
        if own is not None:  # the position in the user's own text, before binding
            raise InputError(syntax_message(source, own, query, query)) from None
        raise InputError(syntax_message(source, err, query, text)) from None
    except (OSError, RuntimeError) as err:
        raise InputError(f"{source}: the query failed: {err}") from None


def _own_error(query: str, lent: dict[str, str], base_iri: str | None) -> SyntaxError | None:
    """The syntax error of the query as the user wrote it (before binding), if it has one."""
    try:
        ox.Store().query(query, prefixes=lent or None, base_iri=base_iri)
    except SyntaxError as err:
        return err
    return None


@lru_cache(maxsize=256)
def _lent(query: str) -> dict[str, str]:
    """Our namespaces for the prefixes ``query`` uses without declaring them (pyoxigraph only
    reads the mapping)."""
    return lend(prefixes_used(query))


def relative_iri(query: str) -> str | None:
    """The first relative IRI reference written in ``query`` when it declares no BASE."""
    found = None
    for kind, text, _ in tokens(query):
        if kind == "word" and text.upper() == "BASE":
            return None
        if kind == "iri" and found is None and not ABSOLUTE_IRI.match(text[1:-1]):
            found = text[1:-1]
    return found


def to_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
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
    detail = readable_expectation(text[m.end() :], original, line, column)
    return f"{source}:{line}:{column}: SPARQL syntax error: {detail}. Fix the query and run again."


#: a character class in the engine's list of what it expected: ['A' ..= 'Z' | ...] or [_]
_CHAR_CLASS = re.compile(r"\[(?:'(?:\\.|[^'\\])*'|[^\]'])*\]")
_SINGLE = re.compile(r"\['((?:\\.|[^'\\])+)'\]")
_PREFIXED_BEFORE = re.compile(r"([A-Za-z][\w.-]*)?:[\w.:%-]*$")


def readable_expectation(detail: str, original: str, line: int, column: int) -> str:
    """The engine's "expected ..." on one line: its character classes (lists of Unicode
    ranges over several lines) said in words, and an undeclared prefix named."""
    if "Prefix not found" in detail:
        lines = original.split("\n")
        before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
        m = _PREFIXED_BEFORE.search(before)
        if m:
            prefix = m.group(1) or ""
            return (
                f"Prefix not found: {prefix}: is not declared; add PREFIX {prefix}: <...> "
                "or use one of the project's prefixes"
            )
    words: list[str] = []
    for piece in re.split(r"(" + _CHAR_CLASS.pattern + r")", detail):
        if _CHAR_CLASS.fullmatch(piece):
            single = _SINGLE.fullmatch(piece)
            if piece == "[_]":
                word = piece
            elif single:
                word = f'"{single.group(1)}"'
            elif "'A'" in piece:
                word = "a letter"
            elif "'0'" in piece:
                word = "a digit"
            else:
                chars = re.findall(r"'((?:\\.|[^'\\])+)'", piece)
                word = "a character of " + " ".join(c.replace("\\", "") or c for c in chars)
            words.append(word)
        else:
            words.extend(w for w in re.split(r",\s*", piece.replace("\n", " ")) if w.strip())
    head = ""
    if words and words[0].startswith("expected one of "):
        head, words[0] = "expected one of ", words[0][len("expected one of ") :]
    elif words and words[0].startswith("expected "):
        head, words[0] = "expected ", words[0][len("expected ") :]
    unique = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    said = [w for w in unique if " " in w and w[0].isupper()]  # "IRI parsing failed"
    if said:
        return "; ".join(said)
    if head == "expected one of " and len(unique) == 1:
        head = "expected "
    return head + ", ".join(unique) if unique else detail.replace("\n", " ")


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
