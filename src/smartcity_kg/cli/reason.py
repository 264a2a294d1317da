"""``smartcity-kg reason``."""

from __future__ import annotations

import click

from .. import formats
from ..errors import CheckFailed, InputError
from .options import data_option, emit, output_option, resolve_output


@click.command()
@output_option("Write the inferred triples to this file (atomically) instead of stdout.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["turtle", "ntriples"]),
    help="Output format. Default: from the -o extension, else turtle.",
)
@click.option(
    "--check-owlrl",
    is_flag=True,
    help="Also compute the full OWL 2 RL closure with owlrl (slow) and exit 1 if it finds "
    "an inconsistency.",
)
@data_option
def reason(output, fmt, check_owlrl, data):
    """Materialise the ontology's subclass, sub-property, inverse and transitive inferences.

    Only the inferred triples are written (never mixed into the stated facts): load them with
    --data next to the knowledge base, or let a query compute them with 'query --inferred'.

    \b
    Examples:
      smartcity-kg reason -o inferred.ttl
      smartcity-kg query -e 'SELECT ...' --data inferred.ttl
    """
    import pyoxigraph as ox

    from ..prefixes import PREFIXES
    from ..reason import infer, owlrl_check
    from .options import load_kb

    fmt, output = resolve_output(output, fmt, formats.GRAPH, "turtle")
    if fmt not in ("turtle", "ntriples"):
        raise InputError(f"reason writes turtle (.ttl) or ntriples (.nt), not {fmt}.")
    kb = load_kb(data)
    result = infer(kb)
    fmt_ox = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    prefixes = PREFIXES if fmt == "turtle" else None
    emit(ox.serialize(result.triples, format=fmt_ox, prefixes=prefixes), output)
    click.echo(f"{len(result.triples)} inferred triple(s) in {result.rounds} round(s).", err=True)
    if check_owlrl:
        report = owlrl_check(kb)
        if not report.consistent:
            for problem in report.problems:
                click.echo(f"Inconsistent: {problem}", err=True)
            raise CheckFailed("")
        click.echo("Consistent under OWL 2 RL (owlrl).", err=True)
