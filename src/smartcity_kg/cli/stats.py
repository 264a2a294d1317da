"""``smartcity-kg stats``."""

from __future__ import annotations

import click

from .options import emit, format_option, load_kb, local_kb_options


@click.command()
@format_option()
@local_kb_options
def stats(fmt, data):
    """Triples, classes with instance counts, named graphs, sources and the landscape counts."""
    from ..render import render_document, render_select, render_table, rows_of
    from ..stats import stats as compute

    s = compute(load_kb(data))
    if fmt in ("json", "jsonl"):
        doc = {
            "triples": s.triples,
            "classes": rows_of(s.classes),
            "graphs": rows_of(s.graphs),
            "sources": rows_of(s.sources),
            "landscape": rows_of(s.landscape),
        }
        emit(render_document(doc, fmt))
        return
    parts = [render_table(["statements"], [[s.triples]], fmt)]
    for title, table in (
        ("Classes", s.classes),
        ("Named graphs", s.graphs),
        ("Sources", s.sources),
        ("Smart City landscape", s.landscape),
    ):
        parts.append(
            f"\n{title}\n" if fmt == "table" else f"\n## {title}\n\n" if fmt == "markdown" else "\n"
        )
        parts.append(render_select(table, fmt))
    emit("".join(parts))
