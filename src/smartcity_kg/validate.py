"""SHACL validation with pySHACL, returned as data (the CLI decides how it looks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import resources
from .dataset import KnowledgeBase
from .errors import InputError


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str


@dataclass
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)


def to_rdflib(kb: KnowledgeBase):
    """All triples of the dataset as one rdflib Graph: shapes see the union of the graphs."""
    import pyoxigraph as ox

    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in kb.quads())
    graph = _data_graph()
    graph.parse(data=ox.serialize(triples, format=_ntriples_format()), format="nt")
    return graph


def _data_graph():
    """An rdflib Graph that parses each SPARQL text once.

    pySHACL runs a SPARQL constraint once per focus node, always the same text with ``$this``
    given as an initial binding; rdflib would parse and translate the text on every call
    (most of the time of a SPARQL constraint). The prepared query is the same one rdflib
    builds from the text, so the answers are the same.
    """
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    @lru_cache(maxsize=64)
    def prepared(text: str, namespaces: tuple):
        return prepareQuery(text, initNs=dict(namespaces))

    class DataGraph(rdflib.Graph):
        def query(  # the signature of rdflib.Graph.query, which pySHACL calls positionally
            self,
            query_object,
            processor="sparql",
            result="sparql",
            initNs=None,
            initBindings=None,
            use_store_provided=True,
            **kwargs,
        ):
            if isinstance(query_object, str) and processor == "sparql" and not kwargs:
                # what rdflib would translate the text with: the given or the graph's prefixes
                namespaces = tuple(sorted((initNs or dict(self.namespaces())).items()))
                query_object = prepared(query_object, namespaces)
            return super().query(
                query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
            )

    return DataGraph()


def _ntriples_format():
    import pyoxigraph as ox

    return ox.RdfFormat.N_TRIPLES


def validate(kb: KnowledgeBase, shapes: Path | None = None) -> Report:
    """Validate the whole dataset against the shipped shapes (or ``shapes``)."""
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError

    shapes_graph = load_shapes(Path(shapes) if shapes else resources.shapes_file())
    _quiet_pyshacl()
    try:
        conforms, results, _ = pyshacl.validate(
            to_rdflib(kb),
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,  # the graph is our own copy, made for this check alone
        )
    except ReportableRuntimeError as err:
        message = " ".join(str(err.message if hasattr(err, "message") else err).split())
        raise InputError(
            f"{shapes}: not usable as SHACL shapes: {message} Fix the shapes and run again."
        ) from None
    return Report(bool(conforms), sorted(_violations(results), key=_order))


def _quiet_pyshacl() -> None:
    """pySHACL logs the errors it raises to stderr (its own handler, set on every call); the
    CLI prints them once, as one line."""
    import logging

    logging.getLogger("pyshacl-validate").disabled = True


def load_shapes(path: Path):
    """A shapes file (any RDF format, by extension) as an rdflib Graph.

    Parsed by the same code as ``--data`` files, so a broken file gets a ``file:line:column``
    message and RDF/XML passes the entity check first.
    """
    kb = KnowledgeBase(store=_empty_store())
    kb.add_file(path)
    return to_rdflib(kb)


def _empty_store():
    import pyoxigraph as ox

    return ox.Store()


def _order(v: Violation) -> tuple[str, str, str]:
    return (v.focus, v.path or "", v.message)


def _violations(results) -> list[Violation]:
    rows = results.query(
        """
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?path ?value ?message ?severity ?shape WHERE {
          ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity ?severity ;
             sh:sourceShape ?shape .
          OPTIONAL { ?r sh:resultPath ?path }
          OPTIONAL { ?r sh:value ?value }
          OPTIONAL { ?r sh:resultMessage ?message }
        }
        """
    )
    out = []
    for focus, path, value, message, severity, shape in rows:
        out.append(
            Violation(
                focus=str(focus),
                path=None if path is None else str(path),
                value=None if value is None else str(value),
                message=str(message or "constraint violated"),
                severity=str(severity).rsplit("#", 1)[-1],
                shape=str(shape),
            )
        )
    return out
