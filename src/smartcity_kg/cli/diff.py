"""``smartcity-kg diff``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import formats
from ..errors import CheckFailed, InputError
from .options import emit, lang_option, output_option, resolve_output, terminal_width


@click.command()
@click.argument("old", type=click.Path(path_type=Path, allow_dash=True))
@click.argument("new", type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "json", "turtle"]),
    help="table: one line per changed triple, grouped by subject, with its label; json: "
    "counts and changes per subject; turtle: TriG with two graphs, id:diff/added and "
    "id:diff/removed. Default: from the -o extension (.json, .trig, .ttl), else table.",
)
@output_option()
@lang_option(help_text="Language of the subjects' labels.")
@click.option(
    "--stdin-format",
    metavar="FORMAT",
    help="The RDF format of - (standard input, which has no extension): "
    f"{', '.join(formats.names(formats.INPUT))}.",
)
def diff(old, new, fmt, output, lang, stdin_format):
    """Show the triples added and removed between OLD and NEW (RDF files, any format; one of
    them may be -, standard input, with --stdin-format).

    Blank nodes are matched by structure, so files that differ only in blank-node names or
    layout are equal. Exit codes: 0 equal, 1 different, 2 a file cannot be read.

    \b
    Examples:
      smartcity-kg diff mine.ttl mine-v2.ttl
      smartcity-kg export -f nquads | smartcity-kg diff kb.nq - --stdin-format nquads
    """
    from .. import diff as differ
    from ..files import Stdin
    from ..render import render_table
    from .options import stdin_format_or_fail

    if str(old) == "-" and str(new) == "-":
        raise InputError("standard input can be read once; give - for OLD or NEW, not both.")
    if "-" in (str(old), str(new)):
        name = formats.check(stdin_format_or_fail(stdin_format), formats.INPUT, "--stdin-format")
        old, new = (Stdin(name.name) if str(p) == "-" else p for p in (old, new))
    elif stdin_format:
        raise InputError(
            "--stdin-format names the format of '-' (standard input); give - as OLD or NEW."
        )
    fmt, output = _diff_output(fmt, output)
    result = differ.diff(old, new, lang)
    if fmt == "json":
        import json

        emit(json.dumps(differ.as_json(result), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == "turtle":
        emit(differ.as_trig(result), output)
    elif not result.equal:
        headers = ["subject", "label", "change", "predicate", "object"]
        width = terminal_width("table", output)
        emit(render_table(headers, differ.rows(result), "table", width), output)
    click.echo(
        "Equal."
        if result.equal
        else f"{len(result.added)} added, {len(result.removed)} removed triple(s) "
        f"on {len(result.subjects)} subject(s).",
        err=True,
    )
    if not result.equal:
        raise CheckFailed("")


def _diff_output(fmt: str | None, output: Path | None) -> tuple[str, Path | None]:
    """diff's formats are a table, json, or TriG (named turtle): checked against -o's extension
    through the registry as everywhere, with .trig and .ttl both meaning the TriG output."""
    if output is not None and str(output) != "-":
        found = formats.by_extension(output.name, formats.EXPORT)
        if found is not None and found.name in ("trig", "turtle"):
            if fmt not in (None, "turtle"):
                raise InputError(
                    f"format {fmt} does not match the extension {output.suffix} of {output} "
                    f"({found.name}); use --format turtle, or another file name."
                )
            return "turtle", output
        if fmt == "turtle":
            own = resolve_output(output, "trig", formats.EXPORT, None)
            return "turtle", own[1]
    chosen, output = resolve_output(output, fmt, formats.TABLE, "table")
    if chosen not in ("table", "json"):
        raise InputError(f"diff writes a table, json or turtle (TriG), not {chosen}.")
    return chosen, output
