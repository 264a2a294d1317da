"""``smartcity-kg template`` and ``smartcity-kg import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import CheckFailed
from ..import_templates import TEMPLATES, describe
from .options import data_option, emit, format_option


def _columns_help() -> str:
    lines = []
    for kind in TEMPLATES:
        lines.append(f"\b\n{kind}:")
        for name, required, multi, doc, _ in describe(kind):
            flags = ", ".join(
                x for x in ("required" if required else "", "';'-list" if multi else "") if x
            )
            lines.append(f"  {name}{f' ({flags})' if flags else ''}: {doc}")
    return "\n".join(lines)


@click.command(
    help="Write a CSV template for KIND: the header and one example row.\n\n"
    "KIND is initiatives, figures or memberships. Columns:\n\n" + _columns_help()
)
@click.argument("kind", type=click.Choice(sorted(TEMPLATES)))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout."
)
def template(kind, output):
    from ..import_templates import template_csv

    emit(template_csv(kind), output)


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The Turtle (.ttl) or N-Triples (.nt) file to write; the provenance goes beside it "
    "as NAME.prov.ttl. Replaced only when the import succeeds.",
)
@click.option("--kind", type=click.Choice(sorted(TEMPLATES)), help="The template the file follows "
              "(guessed from the columns when not given).")  # fmt: skip
@click.option(
    "--partial", is_flag=True, help="Write the valid rows and report the others (exit 1)."
)
@format_option()
@data_option
def import_(file, out, kind, partial, fmt, data):
    """Import FILE (.csv, .yaml or .json rows following a template) as RDF.

    Labels (German or English, any case, with or without umlauts) and AGS codes resolve to the
    knowledge base's IRIs; several values in a cell are separated by ';'. The result is checked
    with the SHACL shapes together with the knowledge base before anything is written.

    Problems are reported as rows (row, column, value, reason, suggestion); the row is the line
    in a CSV file (the header is line 1) or the item number in YAML/JSON.

    Exit codes: 0 imported, 1 rows with problems (nothing written; with --partial the valid
    rows are written), 2 the file cannot be read (empty, wrong encoding, unknown column ...).
    """
    from ..import_reader import read_table
    from ..importer import Problem, build, write
    from ..spreadsheet import render_sheet

    table = read_table(file, kind)
    if sys.stderr.isatty():
        with click.progressbar(length=len(table.rows), label="Importing", file=sys.stderr) as bar:
            result = build(table, data, partial=partial, progress=bar.update)
    else:
        result = build(table, data, partial=partial)
    if result.problems:
        emit(render_sheet(Problem.HEADERS, [p.cells() for p in result.problems], fmt))
    written = write(result, out, partial=partial)
    click.echo(
        f"Imported {len(result.rows_ok)} of {len(table.rows)} row(s) as "
        f"{len(result.triples)} triples: wrote {written[0]} and {written[1]}.",
        err=True,
    )
    if result.problems:
        click.echo(f"Left out {len(result.rejected_rows)} row(s) with problems.", err=True)
        raise CheckFailed("")
