"""``smartcity-kg diff``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import CheckFailed
from .options import emit


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "json", "turtle"]),
    default="table",
    show_default=True,
    help="table: one line per changed triple, grouped by subject, with its label; json: "
    "counts and changes per subject; turtle: TriG with two graphs, id:diff/added and "
    "id:diff/removed.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
def diff(old, new, fmt, output):
    """Show the triples added and removed between OLD and NEW (RDF files, any format).

    Blank nodes are matched by structure, so files that differ only in blank-node names or
    layout are equal. Exit codes: 0 equal, 1 different, 2 a file cannot be read.
    """
    from .. import diff as differ
    from ..render import render_table

    result = differ.diff(old, new)
    if fmt == "json":
        import json

        emit(json.dumps(differ.as_json(result), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "turtle":
        emit(differ.as_trig(result), output)
    elif not result.equal:
        headers = ["subject", "label", "change", "predicate", "object"]
        emit(render_table(headers, differ.rows(result), "table"), output)
    click.echo(
        "Equal."
        if result.equal
        else f"{len(result.added)} added, {len(result.removed)} removed triple(s) "
        f"on {len(result.subjects)} subject(s).",
        err=True,
    )
    if not result.equal:
        raise CheckFailed("")
