"""``smartcity-kg generate``: rebuild the generated Turtle files from the reference CSVs."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import CheckFailed


@click.command()
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if a committed file differs from what would be written.",
)
@click.option(
    "--ontology-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The ontology/ folder to work on (default: the one of this checkout).",
)
def generate(check, ontology_dir):
    """Generate the kb/ files regions, sdg, iso37120, musterdatenkatalog, landscape*.ttl,
    smart-data-models and alignments-fiware.ttl from ontology/data/, and the DCAT-AP.de
    description catalog/dcat.ttl.

    \b
    Examples:
      smartcity-kg generate --check
      smartcity-kg generate --ontology-dir ontology
    """
    from .. import resources
    from ..dcat import dcat_turtle
    from ..files import write_atomic
    from ..generate import generate_all

    onto = ontology_dir or resources.ontology_dir()
    outputs = {f"kb/{n}": t for n, t in generate_all(onto / "data", onto / "kb").items()}
    outputs["catalog/dcat.ttl"] = dcat_turtle()
    stale = []
    for name, text in sorted(outputs.items()):
        target = onto / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            click.echo(f"{_shown(target)}: up to date", err=True)
        elif check:
            stale.append(target)
            click.echo(f"{_shown(target)}: out of date; run 'smartcity-kg generate'", err=True)
        else:
            target.parent.mkdir(exist_ok=True)  # catalog/ in an older ontology folder
            write_atomic(target, text)
            click.echo(f"{_shown(target)}: written", err=True)
    if stale:
        raise CheckFailed("")  # each stale file is named above


def _shown(path: Path) -> Path:
    """``path`` relative to the working folder when it lies inside it (run from a checkout:
    ``ontology/kb/regions.ttl``), so messages and the README carry no machine's own folders."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
