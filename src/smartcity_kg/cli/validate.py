"""``smartcity-kg validate``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import CheckFailed
from .options import emit, format_option, load_kb, local_kb_options


@click.command()
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Validate against these SHACL shapes instead of the shipped ones.",
)
@format_option()
@local_kb_options
def validate(shapes, fmt, data):
    """Check the knowledge base (and --data files) against the SHACL shapes.

    Exits 0 when everything conforms and 1 when there are violations.
    """
    from ..prefixes import compact
    from ..spreadsheet import render_sheet
    from ..validate import validate as run_validation

    report = run_validation(load_kb(data), shapes)
    headers = ["focus", "path", "value", "message"]
    rows = [
        [compact(v.focus), v.path and compact(v.path), v.value, v.message]
        for v in report.violations
    ]
    if fmt == "json":
        from ..render import render_document

        violations = [dict(zip(headers, r, strict=True)) for r in rows]
        emit(render_document({"conforms": report.conforms, "violations": violations}, fmt))
    elif report.conforms:
        click.echo("Conforms: no SHACL violations.", err=True)
    else:
        emit(render_sheet(headers, rows, fmt))
    if not report.conforms:
        click.echo(f"{len(report.violations)} SHACL violation(s).", err=True)
        raise CheckFailed("")
