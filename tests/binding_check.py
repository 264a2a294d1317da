"""Binding a parameter against substituting its value, over the W3C evaluation queries.

For a query, a variable and a value, *binding* is what ``smartcity-kg query --param`` does (a
VALUES block at the top of the WHERE group, see smartcity_kg.binding); *substitution* writes the
value in place of every occurrence of the variable (and ``(value AS ?v)`` where the SELECT clause
projects it). Both run on the test's dataset; binding must give the same answer or refuse with
a message naming the parameter. Where substitution is no valid query (the variable is an AS
target, a GROUP BY key, ...) there is nothing to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

import w3c_suite as suite
from smartcity_kg import InputError
from smartcity_kg.binding import tokens, variables
from smartcity_kg.dataset import KnowledgeBase
from smartcity_kg.sparql import Ask, Graph, Select, run


@dataclass(frozen=True)
class Pair:
    case: suite.Case
    var: str

    @property
    def key(self) -> str:
        return f"{self.case.id} ?{self.var}"

    @property
    def text(self) -> str:
        return self.case.query.read_text(encoding="utf-8")


@cache
def pairs() -> tuple[Pair, ...]:
    """Every variable of every evaluation query with a SPARQL answer (not the CSV/TSV tests)."""
    out = []
    for case in suite.cases():
        if case.kind != "evaluation" or suite.output_format(case) in ("csv", "tsv"):
            continue
        out.extend(Pair(case, v) for v in sorted(variables(case.query.read_text("utf-8"))))
    return tuple(out)


@cache
def dataset(case: suite.Case) -> KnowledgeBase:
    kb = KnowledgeBase.load(case.named, shipped=False, default_data=case.data)
    kb.default_graph = "default"
    return kb


def answer(case: suite.Case, text: str, params=None):
    return run(dataset(case), text, params, base_iri=case.query.resolve().as_uri())


@cache
def candidates(pair: Pair) -> tuple:
    """Values worth binding: those the variable takes in the unbound answer, then the IRIs and
    literals of the data (sorted, so a run is repeatable)."""
    seen: dict[str, object] = {}
    try:
        result = answer(pair.case, pair.text)
    except InputError:
        result = None
    if isinstance(result, Select) and pair.var in result.variables:
        at = result.variables.index(pair.var)
        for value in (row[at] for row in result.rows):
            if isinstance(value, ox.NamedNode | ox.Literal):
                seen.setdefault(str(value), value)
    for quad in dataset(pair.case).quads():
        for value in (quad.subject, quad.object):
            if isinstance(value, ox.NamedNode | ox.Literal):
                seen.setdefault(str(value), value)
    first = list(seen.values())[:1]
    return tuple(first + sorted(list(seen.values())[1:], key=str)[:20])


def substitute(text: str, var: str, value) -> str | None:
    """``text`` with ``value`` written for ``?var``, or None when that is no valid query."""
    term = str(value)
    out, last = [], 0
    depth = parens = 0
    in_projection = False
    previous = ""
    for kind, token, pos in tokens(text):
        if kind == "word":
            upper = token.upper()
            if depth == 0 and upper == "SELECT":
                in_projection = True
            elif depth == 0 and upper == "WHERE":
                in_projection = False
            previous = upper
            continue
        if kind == "{":
            depth += 1
            in_projection = False
        elif kind == "}":
            depth -= 1
        elif kind == "(":
            parens += 1
        elif kind == ")":
            parens -= 1
        elif kind == "var" and token == var:
            if previous == "AS":
                return None
            end = pos + 1 + len(token)
            projected = in_projection and depth == 0 and parens == 0
            out.append(text[last:pos] + (f"({term} AS ?{var})" if projected else term))
            last = end
        previous = kind
    return "".join(out) + text[last:]


#: Where binding and substitution still differ, and why (the test fails on any other).
KNOWN_DIFFERENCES: dict[str, str] = {
    f"sparql11/subquery/{name} ?g": "engine: with ?g bound from outside (VALUES), pyoxigraph "
    "does not restrict GRAPH ?g { subquery } to that graph (GRAPH <g> { subquery } is right)"
    for name in ("subquery01", "subquery04", "subquery05")
}


@dataclass
class Outcome:
    kind: str  # "equal", "refused", "inexpressible", "differs"
    detail: str = ""


def compare(pair: Pair, value) -> Outcome:
    """Bind ``value`` to the variable of ``pair`` and compare with substituting it."""
    try:
        answer(pair.case, pair.text)
    except InputError:
        return Outcome("inexpressible", "the engine cannot run the query itself")
    substituted = substitute(pair.text, pair.var, value)
    try:
        bound = answer(pair.case, pair.text, {pair.var: value})
    except InputError as err:
        if f"?{pair.var}" not in err.message:
            return Outcome("differs", f"refused without naming the parameter: {err.message}")
        return Outcome("refused", err.message)
    if substituted is None:
        return Outcome("inexpressible")
    try:
        reference = answer(pair.case, substituted)
    except InputError:
        return Outcome("inexpressible")
    problem = _differ(bound, reference, pair.var)
    return Outcome("equal") if problem is None else Outcome("differs", problem)


def _differ(bound, reference, var: str) -> str | None:
    if isinstance(bound, Ask) or isinstance(reference, Ask):
        same = isinstance(bound, Ask) and isinstance(reference, Ask)
        return None if same and bound.answer == reference.answer else "another boolean"
    if isinstance(bound, Graph) or isinstance(reference, Graph):
        a = suite.Answer("graph", triples=getattr(bound, "triples", []))
        b = suite.Answer("graph", triples=getattr(reference, "triples", []))
        return suite.differs(_ANY, a, b)
    shared = [v for v in bound.variables if v in reference.variables]
    a = suite.Answer("select", tuple(shared), _rows(bound, shared))
    b = suite.Answer("select", tuple(shared), _rows(reference, shared))
    return suite.differs(_ANY, a, b)


def _rows(result: Select, names: list[str]) -> list[dict]:
    at = [result.variables.index(n) for n in names]
    return [
        {n: row[i] for n, i in zip(names, at, strict=True) if row[i] is not None}
        for row in result.rows
    ]


#: an unordered, exact case for the comparison of two answers
_ANY = suite.Case("binding", "evaluation", suite._UNORDERED)


def survey() -> dict[str, Outcome]:
    """Every pair with its first candidate value: how binding compares with substitution."""
    out = {}
    for pair in pairs():
        values = candidates(pair)
        out[pair.key] = compare(pair, values[0]) if values else Outcome("inexpressible")
    return out


def section(found: dict[str, Outcome]) -> str:
    """The part of RESULTS.md about binding, from :func:`survey`."""
    from collections import Counter

    counts = Counter(o.kind for o in found.values())
    lines = [
        "## Parameter binding against substitution",
        "",
        "Every variable of every evaluation query (not the CSV/TSV tests), bound with",
        "`--param` to the first value it takes in the unbound answer (tests/binding_check.py;",
        "tests/test_binding_w3c.py also tries other values at random): the answer equals the",
        "query with the value written in place of the variable, or binding is refused with a",
        "message naming the parameter. Where writing the value in is no valid query (an AS",
        "target, a GROUP BY key) or the engine cannot run the query, nothing is compared.",
        "",
        "| variables | equal | refused | nothing to compare | differ |",
        "|---:|---:|---:|---:|---:|",
        f"| {len(found)} | {counts['equal']} | {counts['refused']} | "
        f"{counts['inexpressible']} | {counts['differs']} |",
        "",
        "| query variable | why binding differs |",
        "|---|---|",
    ]
    for key, outcome in found.items():
        if outcome.kind == "differs":
            lines.append(f"| {key} | {KNOWN_DIFFERENCES.get(key, outcome.detail)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from collections import Counter

    found = survey()
    print(Counter(o.kind for o in found.values()))
    for key, outcome in found.items():
        if outcome.kind == "differs":
            print(key, "|", outcome.detail[:200])
