"""``smartcity-kg publish``: upload the knowledge base to a SPARQL server."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import CheckFailed
from .options import data_option, progress, terminal_width


@click.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The server's SPARQL query URL (used to verify the upload), "
    "e.g. http://127.0.0.1:7878/query.",
)
@click.option(
    "--graph-store",
    metavar="URL",
    help="Its Graph Store Protocol URL; guessed from --endpoint for Oxigraph (/query -> /store) "
    "and Virtuoso (/sparql -> /sparql-graph-crud[-auth]).",
)
@click.option(
    "--graph",
    metavar="IRI",
    help="Put all triples into this one named graph instead of keeping the named graphs.",
)
@click.option(
    "--replace/--merge",
    default=True,
    show_default=True,
    help="Replace each target graph, or add to what it holds.",
)
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="Triples per HTTP request.",
)
@click.option("--auth-env", metavar="NAME", help="Credentials variable (see query --help).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True)
@click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    help="Publish this persistent store instead of the shipped knowledge base.",
)
@data_option
def publish(endpoint, graph_store, graph, replace, chunk, auth_env, timeout, store, data):
    """Upload the knowledge base to a SPARQL server (SPARQL 1.1 Graph Store HTTP Protocol).

    Named graphs are kept (or all go into --graph IRI), sent in chunks, and the triple count of
    each graph is checked on the server afterwards; a mismatch exits 1. Oxigraph server must
    run with --union-default-graph for the named queries to see the union of the graphs.

    \b
    Example:
      smartcity-kg publish --endpoint http://127.0.0.1:7878/query
    """
    from ..datasource import DataSource
    from ..remote import Endpoint, credentials
    from ..remote import publish as upload
    from ..render import render_table

    kb = DataSource(data, store).kb
    target = Endpoint(endpoint, credentials(auth_env), timeout=timeout, store_url=graph_store)
    graphs: dict[str | None, list] = {}
    for quad in kb.quads():
        name = graph or getattr(quad.graph_name, "value", None)
        graphs.setdefault(name, []).append(quad.triple)
    total = sum(len(t) for t in graphs.values())
    with progress(total, "Uploading") as bar:
        counts = upload(target, graphs, replace=replace, chunk=chunk, progress=bar.update)
    target.close()
    bad = [g for g, (sent, there) in counts.items() if there < sent or (replace and there != sent)]
    rows = [[g or "(default graph)", sent, there] for g, (sent, there) in counts.items()]
    width = terminal_width("table")
    click.echo(render_table(["graph", "sent", "on server"], rows, "table", width), nl=False)
    click.echo(f"Published {total} triples in {len(counts)} graph(s) to {endpoint}.", err=True)
    if bad:
        click.echo(f"{len(bad)} graph(s) differ in size on the server.", err=True)
        raise CheckFailed("")
