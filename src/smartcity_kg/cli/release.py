"""``smartcity-kg release``."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("version")
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="The release folder to write (made atomically; e.g. releases/VERSION).",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="The release to compare with in CHANGELOG.md. Default: the folder beside -o named "
    "for the highest lower version, if there is one.",
)
@click.option(
    "--date",
    metavar="YYYY-MM-DD",
    help="The release date (dcterms:modified). Default: SOURCE_DATE_EPOCH if set, else the "
    "date (UTC) of the checkout's last commit; never the clock.",
)
@click.option("--force", is_flag=True, help="Replace the -o folder if it is not empty.")
@click.option(
    "--ontology-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Release the ontology/ folder given (default: the shipped one).",
)
def release(version, folder, previous, date, force, ontology_dir):
    """Write release VERSION (e.g. 0.2.0): the ontology and the knowledge base in every RDF
    format, the DCAT-AP.de description of exactly these files, SHA256SUMS and CHANGELOG.md.

    The same commit gives the same bytes. Turtle, N-Triples and RDF/XML hold the graphs merged;
    TriG, N-Quads and JSON-LD keep the named graphs.

    \b
    Examples:
      smartcity-kg release 0.2.0 -o releases/0.2.0
      smartcity-kg release 0.2.0 -o out --previous releases/0.1.0 --date 2026-12-01
    """
    from ..release import release as build

    done = build(
        version, folder, date=date, previous=previous, ontology_dir=ontology_dir, force=force
    )
    click.echo(
        f"Wrote release {done.version} of {done.date} (date from {done.date_from}) to "
        f"{folder}: {len(done.files)} files.",
        err=True,
    )
    if done.previous is None:
        click.echo("No previous release to compare with; CHANGELOG.md lists the graphs.", err=True)
        return
    changed = [c for c in done.changes if c.added or c.removed]
    click.echo(
        f"Changes since {done.previous}: {sum(c.added for c in changed)} added, "
        f"{sum(c.removed for c in changed)} removed triple(s) in {len(changed)} graph(s) "
        "(CHANGELOG.md).",
        err=True,
    )
