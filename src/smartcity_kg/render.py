"""Turn results and tables into text: the only place output formats live.

Tabular output (``table``, ``csv``, ``tsv``, ``json``, ``jsonl``, ``markdown``) goes through
:func:`render_table`; SELECT results use the W3C formats where W3C defines them (SPARQL 1.1
Query Results JSON, CSV, TSV and XML); RDF goes through pyoxigraph's serialisers.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from html import escape

import pyoxigraph as ox

from . import formats
from .errors import InputError
from .prefixes import PREFIXES, compact
from .sparql import Ask, Graph, Result, Select
from .vocab import XSD_STRING


def quoteattr(value: str) -> str:
    """An XML attribute value in double quotes (html.escape avoids xml.sax's heavy imports)."""
    return f'"{escape(value, quote=True)}"'


TABLE_FORMATS = formats.names(formats.TABLE)
SELECT_FORMATS = formats.names(formats.SELECT)
#: the RDF formats we write: name -> pyoxigraph format
RDF_FORMATS = {
    f.name: f.ox()
    for f in formats.REGISTRY
    if f.rdf and (formats.GRAPH in f.kinds or formats.EXPORT in f.kinds)
}
Cell = str | int | float | bool | None


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    fmt: str,
    width: int | None = None,
) -> str:
    """Plain rows in one of :data:`TABLE_FORMATS`.

    ``width`` (the terminal's columns) applies to ``table`` only: long cells are shortened with
    "…" so that no line is wider, because a wrapped table cannot be read. ``None`` keeps every
    cell whole, as wanted when the output goes to a file or another program.
    """
    if fmt == "json":
        return (
            json.dumps(
                [dict(zip(headers, r, strict=True)) for r in rows], ensure_ascii=False, indent=2
            )
            + "\n"
        )
    if fmt == "jsonl":
        return "".join(
            json.dumps(dict(zip(headers, r, strict=True)), ensure_ascii=False) + "\n" for r in rows
        )
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(
            buf,
            delimiter="," if fmt == "csv" else "\t",
            lineterminator="\r\n" if fmt == "csv" else "\n",
        )
        writer.writerow(headers)
        writer.writerows([["" if c is None else c for c in r] for r in rows])
        return buf.getvalue()
    cells = [[_text(c) for c in r] for r in rows]
    if fmt == "markdown":
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in cells]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        return _plain_table(list(headers), cells, width)
    formats.check(fmt, formats.TABLE)  # raises: it names the choices
    raise AssertionError(fmt)  # pragma: no cover - every table format is handled above


_GAP = "  "  # between the columns of a plain table
_NARROWEST = 5  # columns are not cut below this (one character and "…" would say nothing)


def _plain_table(headers: list[str], cells: list[list[str]], width: int | None) -> str:
    natural = [
        max([text_width(h), *(text_width(r[i]) for r in cells)]) for i, h in enumerate(headers)
    ]
    widths = natural if width is None else _fit(natural, width)

    def line(values: Sequence[str]) -> str:
        return _GAP.join(
            pad(shorten(v, w), w) for v, w in zip(values, widths, strict=True)
        ).rstrip()

    out = [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    return "\n".join(out) + "\n"


def _fit(natural: list[int], width: int) -> list[int]:
    """Column widths that fit ``width``: the widest columns give way first, all down to one
    common limit, so short columns (labels, kinds, counts) stay whole."""
    room = width - len(_GAP) * (len(natural) - 1)
    if sum(natural) <= room:
        return natural
    limit = max(natural)
    while limit > _NARROWEST and sum(min(w, limit) for w in natural) > room:
        limit -= 1
    spare = room - sum(min(w, limit) for w in natural)
    widths = []
    for w in natural:  # hand what the common limit leaves over to the cut columns, left first
        extra = min(max(spare, 0), w - limit) if w > limit else 0
        spare -= extra
        widths.append(min(w, limit) + extra)
    return widths


def char_width(ch: str) -> int:
    """Terminal cells taken by one character: 2 for wide East Asian characters and emoji,
    0 for combining marks, else 1."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Terminal cells taken by ``text`` (``len`` counts a CJK character or emoji as one)."""
    return sum(char_width(ch) for ch in text)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, ending in "…" when something was cut."""
    if text_width(text) <= width:
        return text
    kept, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        kept.append(ch)
        used += w
    return "".join(kept).rstrip() + "…"


def pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell).replace("\n", " ")


def render_result(result: Result, fmt: str, width: int | None = None) -> str | bytes:
    """A query result in ``fmt``: a table format for SELECT, an RDF format for graphs
    (``width`` as for :func:`render_table`)."""
    if isinstance(result, Ask):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.answer}) + "\n"
        if fmt == "xml":
            return _xml_head([]) + f"<boolean>{str(result.answer).lower()}</boolean>\n</sparql>\n"
        return ("true" if result.answer else "false") + "\n"
    if isinstance(result, Graph):
        return render_graph(result.triples, fmt)
    return render_select(result, fmt, width)


def render_select(result: Select, fmt: str, width: int | None = None) -> str:
    """SELECT rows: W3C JSON/CSV/TSV/XML, or a readable table with compact IRIs (``width``
    as for :func:`render_table`)."""
    if fmt == "json":
        doc = {
            "head": {"vars": result.variables},
            "results": {
                "bindings": [
                    {
                        v: w3c_json_term(t)
                        for v, t in zip(result.variables, row, strict=True)
                        if t is not None
                    }
                    for row in result.rows
                ]
            },
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "xml":
        return w3c_xml(result)
    if fmt == "tsv":
        head = "\t".join(f"?{v}" for v in result.variables)
        body = ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
        return "\n".join([head, *body]) + "\n"
    if fmt == "csv":
        # W3C SPARQL 1.1 CSV: IRIs and literals as their plain values, blank nodes as _:label
        rows = [[None if t is None else csv_value(t) for t in row] for row in result.rows]
        return render_table(result.variables, rows, "csv")
    if fmt == "jsonl":
        rows = [[None if t is None else t.value for t in row] for row in result.rows]
        return render_table(result.variables, rows, "jsonl")
    if fmt in ("table", "markdown"):
        rows = [[None if t is None else display(t) for t in row] for row in result.rows]
        return render_table(result.variables, rows, fmt, width)
    raise InputError(
        f"unknown format {fmt!r} for a SELECT query; use one of {', '.join(SELECT_FORMATS)}."
    )


def render_document(doc: dict, fmt: str) -> str:
    """A report that is one document rather than rows (stats, a validation report) as ``json``
    (indented) or ``jsonl`` (one line)."""
    if fmt not in ("json", "jsonl"):
        raise InputError(f"a report is written as json or jsonl, not {fmt!r}.")
    return json.dumps(doc, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"


def rows_of(result: Select) -> list[dict[str, str | None]]:
    """A SELECT result as plain dicts (values as strings), for documents."""
    return [dict(zip(result.variables, r, strict=True)) for r in result.values()]


def render_graph(triples: Sequence[ox.Triple] | Sequence[ox.Quad], fmt: str) -> bytes:
    """Triples or quads in an RDF format, with the project's prefixes where the format has them."""
    rdf = RDF_FORMATS.get(fmt)
    if rdf is None:
        raise InputError(f"unknown RDF format {fmt!r}; use one of {', '.join(RDF_FORMATS)}.")
    prefixes = PREFIXES if formats.get(fmt).prefixes else None
    if not rdf.supports_datasets:
        triples = [t.triple if isinstance(t, ox.Quad) else t for t in triples]
    return ox.serialize(triples, format=rdf, prefixes=prefixes) or b""


def csv_value(t: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    """A term in a SPARQL CSV cell: a blank node keeps its ``_:`` so it is not read as text."""
    return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value


def display(t: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    """A term as a person reads it: compact IRI, literal value, ``_:id`` for blank nodes."""
    if isinstance(t, ox.NamedNode):
        return compact(t.value)
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return t.value


def w3c_json_term(t: ox.NamedNode | ox.Literal | ox.BlankNode) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        out["datatype"] = t.datatype.value
    return out


def _xml_head(variables: Sequence[str]) -> str:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        f"<head>{head}</head>\n"
    )


def w3c_xml(result: Select) -> str:
    """SPARQL Query Results XML Format."""
    parts = [_xml_head(result.variables), "<results>\n"]
    for row in result.rows:
        parts.append("<result>")
        for v, t in zip(result.variables, row, strict=True):
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                inner = f"<uri>{escape(t.value, quote=False)}</uri>"
            elif isinstance(t, ox.BlankNode):
                inner = f"<bnode>{escape(t.value, quote=False)}</bnode>"
            else:
                attrs = (
                    f" xml:lang={quoteattr(t.language)}"
                    if t.language
                    else ""
                    if t.datatype.value == XSD_STRING
                    else f" datatype={quoteattr(t.datatype.value)}"
                )
                inner = f"<literal{attrs}>{escape(t.value, quote=False)}</literal>"
            parts.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        parts.append("</result>\n")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts)
