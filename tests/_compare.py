"""Compare query results across engines the way SPARQL defines them.

Rows are a multiset unless the query has ORDER BY; GROUP_CONCAT joins its values in no defined
order, so those columns are compared as sorted lists of their parts.
"""

from __future__ import annotations

import re
from collections import Counter

from smartcity_kg.sparql import Select

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
            if value is not None and name in seps:
                parts = sorted(value.value.split(seps[name]))
                text = f"concat{parts}"
            cells.append(text)
        rows.append(tuple(cells))
    ordered = re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) is not None
    if ordered:
        return (tuple(result.variables), "ordered", _ordered_key(rows))
    return (tuple(result.variables), "bag", Counter(rows))


def _ordered_key(rows):
    # Rows that tie on the sort key may come in any order; grouping equal neighbours would need
    # the key, so rows are compared in order, which the named queries make unique.
    return rows
