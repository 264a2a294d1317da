"""``smartcity-kg template`` and ``smartcity-kg import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import CheckFailed, InputError
from ..files import Stdin
from ..import_templates import TEMPLATES, describe
from .options import data_option, emit, format_option, output_option, terminal_width


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
    "KIND is initiatives, figures or memberships. Columns:\n\n" + _columns_help(),
    epilog="\b\nExamples:\n  smartcity-kg template initiatives -o initiatives.csv\n"
    "  smartcity-kg import initiatives.csv -o mine.ttl",
)
@click.argument("kind", type=click.Choice(sorted(TEMPLATES)))
@output_option()
def template(kind, output):
    from .. import formats
    from ..import_templates import template_csv
    from .options import resolve_output

    _, output = resolve_output(output, "csv", formats.TABLE, "csv")
    emit(template_csv(kind), output)


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@output_option(
    "The Turtle (.ttl) or N-Triples (.nt) file to write; the provenance goes beside it as "
    "NAME.prov.ttl. Replaced only when the import succeeds."
)
@click.option("--out", "out_deprecated", hidden=True, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(sorted(TEMPLATES)), help="The template the file follows "
              "(guessed from the columns when not given).")  # fmt: skip
@click.option(
    "--partial", is_flag=True, help="Write the valid rows and report the others (exit 1)."
)
@format_option()
@data_option(pass_stdin_format=True)
def import_(file, output, out_deprecated, kind, partial, fmt, data, stdin_format):
    """Import FILE (.csv, .yaml or .json rows following a template) as RDF.

    Labels (German or English, any case, with or without umlauts) and AGS codes resolve to the
    knowledge base's IRIs; several values in a cell are separated by ';'. The result is checked
    with the SHACL shapes together with the knowledge base before anything is written. FILE -
    reads standard input, with --stdin-format csv, yaml or json.

    Problems are reported as rows (row, column, value, reason, suggestion); the row is the line
    in a CSV file (the header is line 1) or the item number in YAML/JSON.

    Exit codes: 0 imported, 1 rows with problems (nothing written; with --partial the valid
    rows are written), 2 the file cannot be read (empty, wrong encoding, unknown column ...).

    \b
    Examples:
      smartcity-kg import initiatives.csv -o mine.ttl
      cat members.csv | smartcity-kg import - --stdin-format csv -o members.ttl
    """
    out = _output(output, out_deprecated)
    if str(file) == "-":
        if any(str(d) == "<stdin>" for d in data):
            raise InputError("standard input can be read once: FILE - or --data -.")
        if stdin_format not in ("csv", "yaml", "json"):
            raise InputError(
                "standard input (-) has no file extension to tell its format; name it with "
                "--stdin-format csv, yaml or json."
            )
        file = Stdin(stdin_format)
    elif stdin_format and not any(str(d) == "<stdin>" for d in data):
        raise InputError("--stdin-format names the format of '-' (standard input); give FILE -.")
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
        cells = [p.cells() for p in result.problems]
        emit(render_sheet(Problem.HEADERS, cells, fmt, terminal_width(fmt)))
    written = write(result, out, partial=partial)
    click.echo(
        f"Imported {len(result.rows_ok)} of {len(table.rows)} row(s) as "
        f"{len(result.statements)} triples: wrote {written[0]} and {written[1]}.",
        err=True,
    )
    if result.problems:
        click.echo(f"Left out {len(result.rejected_rows)} row(s) with problems.", err=True)
        raise CheckFailed("")


def _output(output: Path | None, deprecated: Path | None) -> Path:
    """The file to write: ``-o``, or the old spelling ``--out`` (with a warning)."""
    if deprecated is not None:
        if output is not None:
            raise InputError("give -o/--output once (--out is its old name).")
        click.echo("Warning: --out is deprecated; use -o/--output.", err=True)
        output = deprecated
    if output is None:
        raise InputError("import writes RDF files; name the data file with -o FILE.ttl.")
    if str(output) == "-":
        raise InputError(
            "import writes two files (the data and NAME.prov.ttl beside it); give -o FILE.ttl."
        )
    return output
