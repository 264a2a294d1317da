"""``smartcity-kg site``."""

from __future__ import annotations

from pathlib import Path

import click

from .options import load_kb, local_kb_options


@click.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Write the site to this folder (new, empty, or a site written before, which is "
    "replaced atomically).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the site will be hosted (e.g. https://example.org/smartcity-kg/): the "
    ".htaccess then redirects the w3id.org IRIs there. Without it, it redirects within the "
    "folder it lies in.",
)
@local_kb_options
def site(output, base_url, data):
    """Write the knowledge graph as a static linked-data site.

    One page per id: IRI (in German at the root, in English under en/) with its Turtle,
    JSON-LD and N-Triples, the ontology's terms, the named queries with their results for
    the default parameters, the catalogue metadata, the interactive graph view, and an
    .htaccess that makes https://w3id.org/smartcity-kg/ IRIs resolve by content negotiation.
    Every link is a relative file path: the site works offline and from any folder. The same
    input gives the same bytes.

    \b
    Examples:
      smartcity-kg site -o site
      smartcity-kg site -o site --base-url https://example.org/smartcity-kg/
    """
    from .. import site as static_site

    if base_url is not None:
        static_site.check_base_url(base_url)
    static_site.check_output(output)
    built = static_site.build(load_kb(data), base_url=base_url)
    static_site.write(built, output)
    for iri, why in built.skipped:
        click.echo(f"Warning: no page for <{iri}>: {why}.", err=True)
    click.echo(
        f"Wrote {output}/: {len(built.pages)} IRIs with a page each in "
        f"{len(static_site.LANGUAGES)} languages, {len(built.files)} files, "
        f"{built.size / 1e6:.1f} MB",
        err=True,
    )
