"""``smartcity-kg analyze``: centrality, explain, matrix, gaps."""

from __future__ import annotations

import click

from .. import formats
from ..errors import InputError
from .options import (
    emit,
    format_option,
    lang_option,
    load_kb,
    local_kb_options,
    output_option,
    resolve_output,
    terminal_width,
)


def common(f):
    """``--lang``, ``--stated-only``, ``-o``, ``--data`` and ``--format`` for every analysis."""
    f = lang_option()(f)
    f = click.option("--stated-only", is_flag=True, help="Leave out curated links.")(f)
    f = output_option()(f)
    return format_option(formats.names(formats.TABLE), default=None)(local_kb_options(f))


def _graph(data, lang, stated_only, view="topics"):
    from ..graph import build

    return build(load_kb(data), view, lang=lang, stated_only=stated_only)


def _emit(table, fmt, output=None):
    from ..spreadsheet import render_sheet

    fmt, output = resolve_output(output, fmt, formats.TABLE, "table")
    emit(render_sheet(table.headers, table.rows, fmt, terminal_width(fmt, output)), output)


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
def centrality(lang, stated_only, output, data, fmt):
    """Degree, betweenness and PageRank of topic areas, goals and benefits (topics view).

    Degree counts links in and out; betweenness is computed on the undirected simple graph
    (normalised); PageRank on the directed simple graph (alpha 0.85). Sorted by PageRank.

    \b
    Examples:
      smartcity-kg analyze centrality
      smartcity-kg analyze centrality --lang en -o centrality.csv
    """
    from ..analyze import centrality as run

    _emit(run(_graph(data, lang, stated_only)), fmt, output)


@analyze.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--max-length", type=click.IntRange(min=1), default=3, show_default=True, help="Most links."
)
@common
def explain(source, target, max_length, lang, stated_only, output, data, fmt):
    """The paths from SOURCE (e.g. a topic area) to TARGET (a goal or benefit).

    SOURCE and TARGET are IRIs, prefix:names or labels. One row per link: its label, whether it
    is stated (with its source) or curated (with its rationale). Links are followed in the
    direction of influence (see the README).

    \b
    Example:
      smartcity-kg analyze explain Mobilität id:goal/natur
    """
    from ..analyze import explain as run

    table = run(_graph(data, lang, stated_only), source, target, max_length)
    if not table.rows:
        click.echo(f"No path of at most {max_length} links.", err=True)
    _emit(table, fmt, output)


@analyze.command()
@click.option(
    "--columns",
    type=click.Choice(("goals", "sdgs")),
    default="goals",
    show_default=True,
    help="Topic area x goal, or topic area x SDG.",
)
@common
def matrix(columns, lang, stated_only, output, data, fmt):
    """The topic area x goal (or SDG) matrix: 1 where a link joins them, else 0.

    With -o FILE.svg or FILE.png it is drawn as a heatmap
    (Graphviz dot); any other -o is a table in the format of its extension or --format.

    \b
    Examples:
      smartcity-kg analyze matrix --format csv
      smartcity-kg analyze matrix --columns sdgs -o matrix.svg
    """
    from ..analyze import heatmap_dot, matrix_words
    from ..analyze import matrix as run
    from ..export import picture

    picture_format = formats.by_extension(output.name, formats.EXPORT) if output else None
    if picture_format is not None and picture_format.name in ("svg", "png"):
        if fmt is not None and fmt != picture_format.name:
            raise InputError(
                f"format {fmt} does not match the extension {output.suffix} of {output} "
                f"({picture_format.name}); leave out --format for a picture, or name the "
                "file for the table's format."
            )
        table = run(_graph(data, lang, stated_only, view="full"), columns)
        w = matrix_words(columns, lang)
        dot = heatmap_dot(table, w["title"], w["corner"], w["legend"])
        emit(picture(dot, picture_format.name), output)
        return
    fmt, output = resolve_output(output, fmt, formats.TABLE, "table")
    _emit(run(_graph(data, lang, stated_only, view="full"), columns), fmt, output)


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
def gaps(level, lang, stated_only, output, data, fmt):
    """Goals and benefits no topic area reaches, topic areas without an initiative, and
    regions of a level without any initiative.

    \b
    Examples:
      smartcity-kg analyze gaps
      smartcity-kg analyze gaps --level Municipality -o gaps.csv
    """
    from ..analyze import gaps as run

    _emit(run(_graph(data, lang, stated_only, view="full"), level), fmt, output)
