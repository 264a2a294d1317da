"""``smartcity-kg load``: bulk-load files into a persistent store."""

from __future__ import annotations

from pathlib import Path

import click

from .options import progress


@click.command()
@click.option(
    "--store",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="The store folder (created if missing).",
)
@click.option(
    "--shipped/--no-shipped",
    default=True,
    show_default=True,
    help="Load the shipped knowledge base too.",
)
@click.option(
    "--default-data",
    "default_data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="An RDF file added to the default graph instead of a named graph of its own "
    "(repeatable; for 'query --default-graph default').",
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def load(store, shipped, default_data, files):
    """Bulk-load the knowledge base and FILES into a persistent on-disk store.

    Each file becomes its own named graph (loading it again replaces that graph); N-Quads and
    TriG keep the graphs they name. Afterwards '--store DIR' on query reads the store instead
    of parsing files. While the load runs, other processes opening the store get a clear error;
    a load that is killed leaves a store that still opens.

    \b
    Examples:
      smartcity-kg load --store kb.store
      smartcity-kg load --store kb.store germany.nt initiatives.ttl
    """
    from ..resources import kb_files
    from ..store import load_files

    names = [*(kb_files() if shipped else []), *files, *default_data]
    total = sum(p.stat().st_size for p in names if Path(p).is_file())
    with progress(total, "Loading", item_show_func=lambda p: p and Path(p).name) as bar:
        report = load_files(
            store,
            files,
            shipped=shipped,
            progress=lambda path, size: bar.update(size, path),
            default_files=default_data,
        )
    click.echo(
        f"Loaded {len(report.loaded)} file(s) into {store}: {report.quads} quads in the store.",
        err=True,
    )
