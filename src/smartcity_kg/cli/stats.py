"""``smartcity-kg stats``."""

from __future__ import annotations

import click

from .. import formats
from .options import (
    emit,
    format_option,
    load_kb,
    local_kb_options,
    output_option,
    resolve_output,
    terminal_width,
)


@click.command()
@format_option(default=None)
@output_option()
@local_kb_options
def stats(fmt, output, data):
    """Triples, classes with instance counts, named graphs, sources and the landscape counts.

    \b
    Examples:
      smartcity-kg stats
      smartcity-kg stats --data mine.ttl -o stats.json
    """
    from ..render import render_document, render_select, render_table, rows_of
    from ..stats import stats as compute

    fmt, output = resolve_output(output, fmt, formats.TABLE, "table")
    width = terminal_width(fmt, output)
    s = compute(load_kb(data))
    if fmt in ("json", "jsonl"):
        doc = {
            "triples": s.triples,
            "classes": rows_of(s.classes),
            "graphs": rows_of(s.graphs),
            "sources": rows_of(s.sources),
            "landscape": rows_of(s.landscape),
        }
        emit(render_document(doc, fmt), output)
        return
    parts = [render_table(["statements"], [[s.triples]], fmt, width)]
    for title, table in (
        ("Classes", s.classes),
        ("Named graphs", s.graphs),
        ("Sources", s.sources),
        ("Smart City landscape", s.landscape),
    ):
        parts.append(
            f"\n{title}\n" if fmt == "table" else f"\n## {title}\n\n" if fmt == "markdown" else "\n"
        )
        parts.append(render_select(table, fmt, width))
    emit("".join(parts), output)
