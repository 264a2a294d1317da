"""``smartcity-kg validate``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import formats
from ..errors import CheckFailed
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
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Validate against these SHACL shapes instead of the shipped ones.",
)
@format_option(default=None)
@output_option(
    "Write the violations to this file (atomically; written also when there are none, so it "
    "is never stale); - is stdout."
)
@local_kb_options
def validate(shapes, fmt, output, data):
    """Check the knowledge base (and --data files) against the SHACL shapes.

    Exits 0 when everything conforms and 1 when there are violations.

    \b
    Examples:
      smartcity-kg validate
      smartcity-kg validate --data mine.ttl -o violations.csv
    """
    from ..prefixes import compact
    from ..spreadsheet import render_sheet
    from ..validate import validate as run_validation

    fmt, output = resolve_output(output, fmt, formats.TABLE, "table")
    report = run_validation(load_kb(data), shapes)
    headers = ["focus", "path", "value", "message"]
    rows = [
        [compact(v.focus), v.path and compact(v.path), v.value, v.message]
        for v in report.violations
    ]
    if fmt == "json":
        from ..render import render_document

        violations = [dict(zip(headers, r, strict=True)) for r in rows]
        doc = {"conforms": report.conforms, "violations": violations}
        emit(render_document(doc, fmt), output)
    elif report.conforms and output is None:
        pass  # nothing to print: the line below says it
    else:
        emit(render_sheet(headers, rows, fmt, terminal_width(fmt, output)), output)
    if report.conforms:
        click.echo("Conforms: no SHACL violations.", err=True)
    else:
        click.echo(f"{len(report.violations)} SHACL violation(s).", err=True)
        raise CheckFailed("")
