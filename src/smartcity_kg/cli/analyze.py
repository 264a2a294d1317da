"""``smartcity-kg analyze``: centrality, explain, matrix, gaps."""

from __future__ import annotations

from pathlib import Path

import click

from .options import TABLE_FORMATS, emit, format_option, load_kb, local_kb_options


def common(f):
    """``--lang``, ``--stated-only``, ``--data`` and ``--format`` for every analysis."""
    f = click.option(
        "--lang",
        type=click.Choice(("de", "en")),
        default="en",
        show_default=True,
        help="Language of labels.",
    )(f)
    f = click.option("--stated-only", is_flag=True, help="Leave out curated links.")(f)
    return format_option(TABLE_FORMATS)(local_kb_options(f))


def _graph(data, lang, stated_only, view="topics"):
    from ..graph import build

    return build(load_kb(data), view, lang=lang, stated_only=stated_only)


def _emit(table, fmt, output=None):
    from ..spreadsheet import render_sheet

    emit(render_sheet(table.headers, table.rows, fmt), output)


@click.group()
def analyze() -> None:
    """Graph analyses of the knowledge graph (networkx), as tables in any --format.

    \b
    Examples:
      smartcity-kg analyze centrality
      smartcity-kg analyze explain Mobility 'Conserve and protect nature'
      smartcity-kg analyze matrix --columns sdgs -o matrix.svg
      smartcity-kg analyze gaps --level Landkreis
    """


@analyze.command()
@common
def centrality(lang, stated_only, data, fmt):
    """Degree, betweenness and PageRank of topic areas, goals and benefits (topics view).

    Degree counts links in and out; betweenness is computed on the undirected simple graph
    (normalised); PageRank on the directed simple graph (alpha 0.85). Sorted by PageRank.
    """
    from ..analyze import centrality as run

    _emit(run(_graph(data, lang, stated_only)), fmt)


@analyze.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--max-length", type=click.IntRange(min=1), default=3, show_default=True, help="Most links."
)
@common
def explain(source, target, max_length, lang, stated_only, data, fmt):
    """The paths from SOURCE (e.g. a topic area) to TARGET (a goal or benefit).

    SOURCE and TARGET are IRIs, prefix:names or labels. One row per link: its label, whether it
    is stated (with its source) or curated (with its rationale). Links are followed in the
    direction of influence (see the README).
    """
    from ..analyze import explain as run

    table = run(_graph(data, lang, stated_only), source, target, max_length)
    if not table.rows:
        click.echo(f"No path of at most {max_length} links.", err=True)
    _emit(table, fmt)


@analyze.command()
@click.option(
    "--columns",
    type=click.Choice(("goals", "sdgs")),
    default="goals",
    show_default=True,
    help="Topic area x goal, or topic area x SDG.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file; .svg and .png give a heatmap picture (Graphviz dot), "
    ".csv a CSV table, anything else the --format.",
)
@common
def matrix(columns, output, lang, stated_only, data, fmt):
    """The topic area x goal (or SDG) matrix: 1 where a link joins them, else 0."""
    from ..analyze import heatmap_dot, matrix_words
    from ..analyze import matrix as run
    from ..export import picture

    table = run(_graph(data, lang, stated_only, view="full"), columns)
    suffix = output.suffix.lower() if output is not None else ""
    if suffix in (".svg", ".png"):
        w = matrix_words(columns, lang)
        dot = heatmap_dot(table, w["title"], w["corner"], w["legend"])
        emit(picture(dot, suffix[1:]), output)
        return
    _emit(table, "csv" if suffix == ".csv" else fmt, output)


@analyze.command()
@click.option(
    "--level",
    default="District",
    show_default=True,
    help="Region level for 'regions without initiative': FederalState (Land), "
    "GovernmentDistrict (Regierungsbezirk), District (Landkreis), DistrictFreeCity "
    "(kreisfreie-Stadt), Municipality (Gemeinde).",
)
@common
def gaps(level, lang, stated_only, data, fmt):
    """Goals and benefits no topic area reaches, topic areas without an initiative, and
    regions of a level without any initiative."""
    from ..analyze import gaps as run

    _emit(run(_graph(data, lang, stated_only, view="full"), level), fmt)
