"""The query worker: a process that holds the loaded knowledge base and answers requests.

The parent (:mod:`.pool`) sends ``(operation, arguments)`` over a pipe and reads back
``("ok", payload)``, ``("error", message)`` for a problem the user caused, or
``("crash", message)``. A worker that runs past the time limit is killed by the parent, which
is the only way to stop a pyoxigraph query; the worker never needs to cooperate.

Everything that reads user text with a parser runs here, not in the server's main process: the
guard, the engine, the serialisers. A worker has no network access (:mod:`.sandbox`), so even
a query the guard misread could not fetch anything.
"""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..dataset import KnowledgeBase
from ..errors import InputError, Refused, SmartCityError
from ..languages import DEFAULT as DEFAULT_LANG

GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def op_query(kb, text, source, formats, max_rows, lang=DEFAULT_LANG, params=None, headers=None):
    """Run a query with ``params`` (RDF terms) bound; render it as ``formats["select"]`` or
    ``formats["graph"]`` (or "html", its columns named by ``headers`` for a named query)."""
    from ..render import render_result
    from ..sparql import Graph, Select, run

    result = run(kb, text, params, source=source)
    fmt = formats["graph"] if isinstance(result, Graph) else formats["select"]
    total = len(result.rows) if isinstance(result, Select) else None
    if isinstance(result, Graph):
        total = len(result.triples)
    if fmt == "html":
        from .page_data import display

        table = display(kb, result, lang, max_rows or 10**9, headers)
        return {"format": "html", "table": table}
    truncated = None
    if max_rows and total is not None and total > max_rows:  # rows, or triples of a graph
        if isinstance(result, Select):
            result = Select(result.variables, result.rows[:max_rows])
        else:
            result = Graph(result.triples[:max_rows])
        truncated = total
    body = render_result(result, fmt)
    if isinstance(body, str):
        body = body.encode("utf-8")
    return {"format": fmt, "body": body, "truncated": truncated}


def op_sparql(kb, text, formats, max_rows, lang=DEFAULT_LANG):
    """A request from the SPARQL protocol or the query page: checked by the guard, then run.

    An update is only recognised here, not applied: the server applies it to every worker
    (``op_update``) once it has checked the token.
    """
    from . import guard

    if guard.looks_like_update(text):
        return {"update": True}  # checked by op_update, after the token
    refuse(kb, text, update=False)
    return op_query(kb, text, "query", formats, max_rows, lang)


def refuse(kb, text: str, update: bool) -> None:
    """Raise :class:`Refused` when the guard says the text reaches outside this dataset."""
    from . import guard

    why = guard.refusal(guard.analyse(text, update=update), set(kb.graphs()))
    if why:
        raise Refused(why)


def op_entity(kb, iri, lang):
    from .page_data import entity

    return entity(kb, iri, lang)


def op_entity_rdf(kb, iri, fmt):
    from ..render import render_graph
    from .page_data import entity_rdf

    triples = entity_rdf(kb, iri)
    return render_graph(triples, fmt) if triples else None


def op_form_choices(kb, params, lang):
    from .page_data import form_choices

    return form_choices(kb, params, lang)


def op_home(kb, lang):
    from .page_data import home

    return home(kb, lang)


def op_ontology(kb):
    from .page_data import ontology

    return ontology(kb)


def op_graph_view(kb, view, lang, focus, depth):
    """The interactive graph page of the export module (format ``html``)."""
    from .page_data import graph_page

    return graph_page(kb, view, lang, focus, depth)


def op_void(kb, base, fmt):
    """The VoID description of the dataset as it is now (``base``: the server's root URL)."""
    from ..void import render_void, void_figures, void_triples

    return render_void(void_triples(void_figures(kb), base), fmt)


def op_info(kb):
    return {"graphs": kb.graphs(), "triples": len(kb)}


def op_update(kb, text):
    from ..prefixes import PREFIXES

    refuse(kb, text, update=True)
    try:
        kb.store.update(text, prefixes=PREFIXES)
    except SyntaxError as err:
        raise InputError(f"update: SPARQL syntax error: {err}. Fix it and send it again.") from None
    except (OSError, RuntimeError, ValueError) as err:
        raise InputError(f"update: it failed: {err}") from None
    return {"triples": len(kb)}


def op_graph_get(kb, graph, fmt):
    import pyoxigraph as ox

    from ..render import render_graph

    if graph is None:
        quads = kb.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    else:
        node = ox.NamedNode(graph)
        if not kb.store.contains_named_graph(node):
            return None
        quads = kb.store.quads_for_pattern(None, None, None, node)
    return render_graph([q.triple for q in quads], fmt)


def op_graph_write(kb, graph, method, body, media):
    """Graph Store Protocol PUT (replace), POST (add) and DELETE on one graph."""
    import pyoxigraph as ox

    node = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    existed = graph is None or kb.store.contains_named_graph(node)
    if method == "DELETE":
        if not existed:
            return {"existed": False}
        if graph is None:
            kb.store.clear_graph(node)
        else:
            kb.store.remove_graph(node)
        return {"existed": True}
    fmt = ox.RdfFormat.from_media_type(media or "")
    if fmt is None or fmt.supports_datasets:
        raise InputError(
            f"Content-Type {media!r} is not an RDF triple format; send text/turtle, "
            "application/n-triples, application/ld+json or application/rdf+xml."
        )
    if fmt == ox.RdfFormat.RDF_XML:
        from ..rdfxml import check_rdfxml

        check_rdfxml(body, "request body")  # entity expansion, before the parser sees it
    scratch = ox.Store()
    try:
        scratch.load(body, format=fmt, to_graph=ox.DefaultGraph())
    except SyntaxError as err:
        raise InputError(f"request body: {err}. Fix the RDF and send it again.") from None
    if method == "PUT" and existed:
        kb.store.clear_graph(node)
    kb.store.extend(ox.Quad(q.subject, q.predicate, q.object, node) for q in scratch)
    return {"existed": existed}


OPS: dict[str, Callable[..., Any]] = {
    "sparql": op_sparql,
    "query": op_query,
    "entity": op_entity,
    "entity_rdf": op_entity_rdf,
    "home": op_home,
    "form_choices": op_form_choices,
    "ontology": op_ontology,
    "graph_view": op_graph_view,
    "void": op_void,
    "info": op_info,
    "update": op_update,
    "graph_get": op_graph_get,
    "graph_write": op_graph_write,
}


def answer(kb, op: str, args: dict) -> tuple[str, object]:
    """Run one request: ``("ok", payload)``, ``("error", err)`` for a problem the user caused
    (the error itself: its class travels, the server maps it to a status), or
    ``("crash", message)`` with the traceback logged. Tests answer through this same function
    in-process (tests/inprocess.py), so what crosses the pipe is the same."""
    try:
        return ("ok", OPS[op](kb, **args))
    except SmartCityError as err:
        return ("error", err)
    except Exception as err:
        from .security import log_safe

        lines = traceback.format_exc().rstrip("\n").split("\n")  # user text may be in it
        print("\n".join("    " + log_safe(line) for line in lines), file=sys.stderr)
        return ("crash", f"{type(err).__name__}: {err}")


def main(conn, data: list[str], shipped: bool, store: str | None = None) -> None:
    """Load the knowledge base (or open the persistent store read-only), say "ready", then
    answer requests until the pipe closes."""
    from .sandbox import deny_network

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    isolated = deny_network()
    sys.setrecursionlimit(20_000)  # the guard's parser recurses per bracket (nesting is capped)
    try:
        if store:
            kb = KnowledgeBase.open(store, read_only=True)
        else:
            kb = KnowledgeBase.load([Path(d) for d in data], shipped=shipped)
    except SmartCityError as err:
        conn.send(("error", err.message))
        return
    conn.send(("ready", {"triples": len(kb), "isolated": isolated}))
    while True:
        try:
            op, args = conn.recv()
        except (EOFError, OSError):
            return
        reply = answer(kb, op, args)
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
