"""``smartcity-kg query`` and ``smartcity-kg queries``."""

from __future__ import annotations

from pathlib import Path

import click

from .. import formats, languages
from ..errors import CheckFailed, InputError
from ..files import Stdin, read_stdin
from .options import (
    backend_options,
    emit,
    format_option,
    lang_option,
    output_option,
    resolve_output,
    terminal_width,
)

GRAPH_FORMATS = formats.names(formats.GRAPH)
RESULT_FORMATS = (*formats.names(formats.SELECT), *GRAPH_FORMATS)


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise InputError(f"--param {pair!r}: write it as NAME=VALUE.")
        out[name.strip().lstrip("?$")] = value
    return out


@click.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", help="A SPARQL query given inline instead of NAME.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query variable to a value, as an RDF term (repeatable). Named queries and "
    "'# param:' headers type their parameters; otherwise write the value in Turtle syntax "
    '(<iri>, prefix:name, 1.5, true, "Hessen"@de, "2024"^^xsd:gYear); anything else is a '
    "plain string.",
)
@format_option(RESULT_FORMATS, default=None)
@output_option()
@lang_option(
    default=None,
    help_text="Language of labels: the value of the named query's 'lang' parameter "
    f"(default {languages.DEFAULT}).",
)
@click.option(
    "--inferred",
    is_flag=True,
    help="Also see what the ontology implies (subclass, inverse, transitive; see "
    "'smartcity-kg reason'), in the graph id:graph/inferred.",
)
@backend_options
def query(name, expression, params, fmt, output, lang, inferred, backend):
    """Run a named query (see 'smartcity-kg queries'), a .rq file, -e 'SPARQL', or - (the
    query text from standard input).

    SELECT results print as a table or in W3C formats (json = SPARQL 1.1 Query Results JSON,
    csv, tsv, xml) or as jsonl/markdown; CONSTRUCT and DESCRIBE print Turtle (or ntriples,
    jsonld, rdfxml); ASK prints true or false and exits 1 when false. Without --format, the
    extension of -o chooses the format.

    A .rq file is parsed with its own file URI as base IRI (<a> is a file beside it), -e and -
    with the current directory. --no-shipped --default-graph default gives W3C dataset
    semantics: --default-data files form the default graph, --data files are named graphs.

    \b
    Examples:
      smartcity-kg query topic-areas
      smartcity-kg query topic-areas --lang en -o topics.csv
      smartcity-kg query regions-within --param region=id:region/066 --format csv
      smartcity-kg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s a sc:Municipality }'
      echo 'ASK { ?s a sc:Region }' | smartcity-kg query -
      smartcity-kg query topic-areas --store kb.store
      smartcity-kg query topic-areas --endpoint http://127.0.0.1:7878/query
      smartcity-kg query q.rq --no-shipped --default-graph default --default-data d.ttl
    """
    from ..prepare import prepare
    from ..render import render_result
    from ..sparql import Ask, Graph, Select

    given = parse_params(params)
    if expression and name:
        raise InputError("give a query NAME or FILE, or -e 'SPARQL', not both.")
    if lang is not None:
        if given.get("lang", lang) != lang:
            raise InputError(f"--lang {lang} and --param lang={given['lang']} disagree; give one.")
        given["lang"] = lang
    kind = formats.GRAPH if fmt in GRAPH_FORMATS else formats.SELECT
    fmt, output = resolve_output(output, fmt, kind, None)
    if name == "-":
        if any(isinstance(d, Stdin) for d in getattr(backend, "data", ())):
            raise InputError("standard input can be read once: the query (-) or --data -.")
        from ..files import decode_utf8

        expression = decode_utf8(Path("<stdin>"), read_stdin(), then="run again")
        prepared = prepare(expression, given, inline=True, source="<stdin>")
    elif expression:
        prepared = prepare(expression, given, inline=True, source="-e")
    elif name is None:
        raise InputError("name a query (see 'smartcity-kg queries'), a .rq file, or use -e.")
    else:
        prepared = prepare(name, given)
    text, bindings, source, check = (
        prepared.text,
        prepared.bindings,
        prepared.source,
        prepared.check,
    )

    if inferred:
        from ..reason import add_inferred

        if backend.is_remote:
            raise InputError("--inferred needs the triples; it cannot run on --endpoint.")
        add_inferred(backend.kb)
    from .interrupt import interruptible

    limit = None if backend.is_remote else backend.limit  # an endpoint has its own timeout
    if limit is not None:
        interruptible(lambda: backend.engine)  # --timeout bounds the query, not the loading
    result = interruptible(
        backend.run, text, bindings, source=source, base_iri=prepared.base, limit=limit
    )
    if fmt is None and output is not None:
        kind = formats.GRAPH if isinstance(result, Graph) else formats.SELECT
        fmt, _ = resolve_output(output, None, kind, None)
    if fmt is None:
        fmt = "turtle" if isinstance(result, Graph) else "table"
    if isinstance(result, Graph) and fmt not in GRAPH_FORMATS:
        raise InputError(
            f"--format {fmt} is for SELECT results; a CONSTRUCT or DESCRIBE "
            f"query prints {', '.join(GRAPH_FORMATS[:-1])} or {GRAPH_FORMATS[-1]}."
        )
    if isinstance(result, Select) and fmt in GRAPH_FORMATS:
        raise InputError(
            f"--format {fmt} is for CONSTRUCT/DESCRIBE; a SELECT query prints "
            f"{', '.join(formats.names(formats.SELECT))}."
        )
    emit(render_result(result, fmt, terminal_width(fmt, output)), output)
    if isinstance(result, Ask) and not result.answer:
        raise CheckFailed("")  # "false" on stdout says it
    if check and isinstance(result, Select) and result.rows:
        click.echo(f"{len(result.rows)} violation(s) found by {name}.", err=True)
        raise CheckFailed("")


@click.command()
@format_option(default=None)
@output_option()
def queries(fmt, output):
    """List the named queries with their titles and parameters.

    \b
    Examples:
      smartcity-kg queries
      smartcity-kg queries --format csv -o queries.csv
    """
    from ..named_queries import catalog
    from ..render import render_table

    fmt, output = resolve_output(output, fmt, formats.TABLE, "table")
    rows = []
    for q in catalog().values():
        params = "; ".join(
            f"{p.name} ({p.kind}" + (f", default {p.default}" if p.default else ", required") + ")"
            for p in q.params
        )
        rows.append([q.name, q.title, params])
    headers = ["name", "title", "parameters"]
    emit(render_table(headers, rows, fmt, terminal_width(fmt, output)), output)
