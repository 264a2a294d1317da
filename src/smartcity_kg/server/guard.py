"""Parse a SPARQL request before it runs, and say what it would touch.

The server never fetches remote data because a query asked. rdflib's SPARQL grammar gives a
parse tree without evaluating anything; walking it finds ``SERVICE`` patterns, ``LOAD``
operations and the IRIs of ``FROM``/``FROM NAMED``/``USING`` clauses, wherever they are nested.
The caller decides what to refuse (:func:`refusal`).

The guard must read the text exactly as the engine will. rdflib replaces every ``\\uXXXX`` /
``\\UXXXXXXXX`` escape in the whole text before it lexes, while Oxigraph expands them only
inside strings and IRIs: to rdflib the string ``"\\u0022"`` becomes three quotes, the start of
a long string that can hide a ``SERVICE`` behind it, while Oxigraph reads a string holding one
quote. Text that rdflib would rewrite is therefore refused (found with rdflib's own pattern),
and what is parsed is the very text the engine gets. This runs in a query worker, never in the
server's main process: parsing can be slow, and the worker can be killed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import InputError
from ..limits import check_nesting

QUERY_FORMS = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}


@dataclass(frozen=True)
class Analysis:
    """What a parsed request is and what it reaches for."""

    kind: str  # "query" or "update"
    form: str  # select, ask, construct, describe, or "update"
    services: tuple[str, ...] = field(default=())
    loads: tuple[str, ...] = field(default=())
    dataset: tuple[str, ...] = field(default=())  # FROM, FROM NAMED, USING, USING NAMED IRIs


def _walk(node, found: dict[str, list[str]]) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            found["services"].append(str(node.get("term")))
        elif node.name == "Load":
            found["loads"].append(str(node.get("iri")))
        elif node.name in ("DatasetClause", "UsingClause"):
            for key in ("default", "named"):  # CompValue.get has no default argument
                if key in node:
                    found["dataset"].append(str(node[key]))
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for item in node:
            _walk(item, found)


def engine_message(text: str, what: str, update: bool) -> str | None:
    """The query engine's own syntax message (it names the line, column and what it expected),
    checked on an empty store so nothing runs; None if the engine accepts the text."""
    import pyoxigraph as ox

    from ..prefixes import PREFIXES
    from ..sparql import syntax_message

    try:
        if update:
            ox.Store().update(text, prefixes=PREFIXES)
        else:
            ox.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as err:
        message = syntax_message(what, err, text, text)
        return (
            message
            if len(message) < 400
            else message[:300] + " ... Fix the query and send it again."
        )
    except Exception:
        return None
    return None


def _position_message(err: Exception, what: str) -> str:
    line = getattr(err, "lineno", None)
    col = getattr(err, "col", None)
    msg = getattr(err, "msg", None) or str(err)
    where = f"{what}:{line}:{col}" if line and col else what
    return f"{where}: SPARQL syntax error: {msg}. Fix the query and send it again."


@lru_cache(maxsize=512)
def analyse(text: str, *, update: bool = False) -> Analysis:
    """Parse ``text`` as a query (or, with ``update=True``, as an update) and describe it.

    Raises :class:`InputError` with the parser's message, line and column when it does not
    parse.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    found: dict[str, list[str]] = {"services": [], "loads": [], "dataset": []}
    what = "update" if update else "query"
    check_nesting(text, what)
    refuse_rewritten(text, what)
    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except ParseException as err:
        raise InputError(
            engine_message(text, what, update) or _position_message(err, what)
        ) from None
    except Exception as err:  # the grammar raises a few other types on odd input
        raise InputError(
            engine_message(text, what, update)
            or f"{what}: SPARQL syntax error: {err}. Fix the query and send it again."
        ) from None
    _walk(tree, found)
    form = "update" if update else QUERY_FORMS.get(getattr(tree[1], "name", ""), "select")
    return Analysis(
        "update" if update else "query",
        form,
        tuple(found["services"]),
        tuple(found["loads"]),
        tuple(found["dataset"]),
    )


def refuse_rewritten(text: str, what: str) -> None:
    """Refuse text that rdflib's parser would change before reading it (see the module doc)."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes_re

    m = expandUnicodeEscapes_re.search(text)
    if m is None:
        return
    line = text.count("\n", 0, m.start()) + 1
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    raise InputError(
        f"{what}:{line}:{column}: the escape {m.group()} is refused by this server, which "
        "cannot check such text safely. Write the character itself (the request is UTF-8) "
        "and send it again."
    )


def looks_like_update(text: str) -> bool:
    """True when the first keyword (after the prologue) is an update operation."""
    from ..binding import scan

    for kind, word, _ in scan(text):
        if kind != "word":
            continue
        upper = word.upper()
        if upper in ("PREFIX", "BASE") or ":" in word:
            continue
        return upper in {
            "INSERT",
            "DELETE",
            "LOAD",
            "CLEAR",
            "DROP",
            "CREATE",
            "ADD",
            "MOVE",
            "COPY",
            "WITH",
        }
    return False


def refusal(analysis: Analysis, graphs: set[str]) -> str | None:
    """Why the server refuses to run ``analysis``, or None when it may run."""
    if analysis.services:
        return (
            f"SERVICE <{analysis.services[0]}> is refused: this server never sends queries to "
            "other endpoints. Run the federated part against that endpoint yourself."
        )
    if analysis.loads:
        return (
            f"LOAD <{analysis.loads[0]}> is refused: this server never fetches remote data. "
            "Add the file with 'smartcity-kg serve --data FILE' instead."
        )
    for iri in analysis.dataset:
        if iri not in graphs:
            return (
                f"FROM/USING <{iri}> is refused: it is not a graph of this dataset and the "
                "server never fetches remote data. Use a graph listed in the service "
                "description (GET /sparql), or leave FROM out to query all graphs."
            )
    return None
