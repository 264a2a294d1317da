"""``smartcity-kg stats``."""

from __future__ import annotations

import click

from .options import emit, format_option, load_kb, local_kb_options


@click.command()
@format_option()
@local_kb_options
def stats(fmt, data):
    """Triples, classes with instance counts, named graphs, sources and the landscape counts."""
    from ..render import render_select, render_table
    from ..stats import stats as compute

    s = compute(load_kb(data))
    if fmt in ("json", "jsonl"):
        import json

        doc = {
            "triples": s.triples,
            "classes": [dict(zip(s.classes.variables, r, strict=True)) for r in s.classes.values()],
            "graphs": [dict(zip(s.graphs.variables, r, strict=True)) for r in s.graphs.values()],
            "sources": [dict(zip(s.sources.variables, r, strict=True)) for r in s.sources.values()],
            "landscape": [
                dict(zip(s.landscape.variables, r, strict=True)) for r in s.landscape.values()
            ],
        }
        emit(json.dumps(doc, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n")
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
