"""``smartcity-kg export``."""

from __future__ import annotations

import click

from .. import formats
from .options import emit, lang_option, load_kb, local_kb_options, output_option, resolve_output

FORMAT_NAMES = (
    "turtle ntriples nquads trig jsonld rdfxml graphml gexf gml cytoscape dot mermaid csv html svg "
    "png"
)


def view_options(f):
    """``--view``, ``--lang``, ``--focus``, ``--depth`` and ``--stated-only``."""
    for decorate in reversed(
        (
            click.option(
                "--view",
                type=click.Choice(("topics", "regions", "full")),
                default="full",
                show_default=True,
                help="topics: topic areas, opportunities, goals, benefits, approaches, "
                "initiatives, themes and their links; regions: the administrative tree; "
                "full: everything.",
            ),
            lang_option(help_text="Language of node and link labels."),
            click.option(
                "--focus",
                metavar="IRI-OR-LABEL",
                help="Only the neighbourhood of this node (IRI, prefix:name or label).",
            ),
            click.option(
                "--depth",
                type=click.IntRange(min=0),
                default=1,
                show_default=True,
                help="How many links from --focus to include.",
            ),
            click.option(
                "--stated-only",
                is_flag=True,
                help="Leave out curated links (those of graphs marked sc:curated true).",
            ),
        )
    ):
        f = decorate(f)
    return f


@click.command()
@click.option(
    "--format",
    "-f",
    "fmt",
    metavar="FORMAT",
    help=f"One of: {FORMAT_NAMES}. Default: from the -o extension, else turtle.",
)
@output_option(
    "Write to this file (atomically); csv writes FILE.nodes.csv and FILE.edges.csv; - is stdout."
)
@view_options
@local_kb_options
def export(fmt, output, view, lang, focus, depth, stated_only, data):
    """Export the knowledge graph in RDF, graph-tool, page or picture formats.

    RDF formats (turtle, ntriples, nquads, trig, jsonld, rdfxml) keep named graphs where the
    format has them. Graph formats (graphml, gexf, gml, cytoscape, dot, mermaid, csv) carry each
    node's IRI, label, class and data properties, and each link's predicate, label, status
    (stated or curated), source and rationale. html is one self-contained interactive page;
    svg and png are pictures laid out by Graphviz dot.

    \b
    Examples:
      smartcity-kg export -o kb.trig
      smartcity-kg export --view topics --lang de -o topics.graphml
      smartcity-kg export --view topics -o topics.svg
      smartcity-kg export --focus Mobility --depth 2 --format mermaid
      smartcity-kg export --view topics -f png -o - > topics.png
    """
    from ..errors import InputError
    from ..export import Selection, check_format, export, format_of

    to_stdout = output is not None and str(output) == "-"
    if fmt is not None:
        check_format(fmt)
    fmt, output = resolve_output(output, fmt, formats.EXPORT, None)
    if fmt is None:
        fmt = format_of(output) if output is not None else "turtle"
    if fmt == "csv" and output is None:
        raise InputError("csv writes two files (nodes and edges); give -o FILE.csv.")
    kb = load_kb(data)
    files = export(kb, fmt, Selection(view, lang, focus, depth, stated_only))
    if fmt == "csv":
        stem = output.name[: -len(".csv")] if output.name.lower().endswith(".csv") else output.name
        for part in ("nodes", "edges"):
            emit(files[part], output.with_name(f"{stem}.{part}.csv"))
        return
    if output is None and fmt == "png" and not to_stdout:
        raise InputError("png is binary; give -o FILE.png (or -o - to send it to stdout).")
    emit(files[""], output)
