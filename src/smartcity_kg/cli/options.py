"""Option sets shared by several commands, as decorators."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

TABLE_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")


def data_option(f: Callable) -> Callable:
    return click.option(
        "--data",
        "data",
        multiple=True,
        type=click.Path(path_type=Path),
        help="An RDF file to add to the shipped knowledge base (repeatable; format by extension: "
        ".ttl .nt .nq .trig .jsonld .rdf). Each file becomes its own named graph.",
    )(f)


def format_option(choices: tuple[str, ...] = TABLE_FORMATS, default: str = "table"):
    def decorate(f: Callable) -> Callable:
        return click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format.",
        )(f)

    return decorate


def load_kb(data: tuple[Path, ...]):
    """The knowledge base for a command: shipped files plus ``--data``."""
    from ..store import KnowledgeBase

    return KnowledgeBase.load(data)


def emit(text: str | bytes, output: Path | None = None) -> None:
    """Data to stdout, or atomically to ``output``."""
    if output is not None:
        from ..files import write_atomic

        write_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)
    elif isinstance(text, bytes):
        click.get_binary_stream("stdout").write(text)
    else:
        click.echo(text, nl=False)
