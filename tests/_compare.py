"""Compare query results across engines the way SPARQL defines them.

Rows are always compared as a multiset; with ORDER BY the sequence of sort keys is compared too,
for the keys whose order SPARQL defines. GROUP_CONCAT joins its values in no defined order, so
those columns are compared as sorted lists of their parts.
"""

from __future__ import annotations

import re
from collections import Counter

from smartcity_kg import Select

_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?SEPARATOR\s*=\s*\"([^\"]*)\"\s*\)\s*AS\s*\?(\w+)",
    re.IGNORECASE | re.DOTALL,
)


def concat_columns(query: str) -> dict[str, str]:
    """Variable name -> separator for each GROUP_CONCAT ... AS ?var in the query."""
    return {var: sep for sep, var in _CONCAT.findall(query)}


def canonical(result, query: str):
    """A value equal across engines exactly when the results are equal under SPARQL semantics."""
    if not isinstance(result, Select):
        return result
    seps = concat_columns(query)
    rows = []
    for row in result.rows:
        cells = []
        for name, value in zip(result.variables, row, strict=True):
            text = None if value is None else str(value)
            if name in seps:
                # an empty group concatenates to "" (some engines leave it unbound)
                parts = sorted(value.value.split(seps[name])) if value and value.value else []
                text = f"concat{parts}"
            cells.append(text)
        rows.append(tuple(cells))
    keys = order_keys(query)
    bag = Counter(rows)
    if not keys:
        return (tuple(result.variables), bag)
    # ORDER BY fixes the sequence of sort keys; rows that tie on them may come in any order
    at = [
        result.variables.index(k)
        for k in keys
        if k in result.variables and _comparable(result.rows, result.variables.index(k))
    ]
    return (tuple(result.variables), bag, [tuple(row[i] for i in at) for row in rows])


def order_keys(query: str) -> list[str]:
    """The variables of the query's last ORDER BY clause (plain, ASC() or DESC())."""
    found = list(
        re.finditer(
            r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|\}|$)", query, re.IGNORECASE | re.DOTALL
        )
    )
    if not found:
        return []
    return re.findall(r"[?$](\w+)", found[-1].group(1))


def _comparable(rows, column: int) -> bool:
    """SPARQL defines the relative order of IRIs, numbers and plain strings, but leaves that of
    language-tagged strings and of mixed kinds of literal to the engine."""
    kinds = set()
    for row in rows:
        term = row[column]
        if term is None:
            kinds.add("unbound")
        elif getattr(term, "language", None):
            return False
        else:
            kinds.add(getattr(getattr(term, "datatype", None), "value", type(term).__name__))
    return len(kinds - {"unbound"}) <= 1
