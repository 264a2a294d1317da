"""The Musterdatenkatalog V4 taxonomy as a generated graph, built from the published RDF/XML.

The source writes every match target (``skos:exactMatch`` ... ``skos:relatedMatch``) as a
language-tagged string holding an IRI. SKOS mapping properties link concepts, so a string there
joins nothing: we turn each such string into the IRI it spells, and refuse a target that is no
single IRI rather than guess. Everything else is carried over as published.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax import SAXException, SAXParseException

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from .errors import InputError
from .namespaces import ID

MDK_RDF = "musterdatenkatalog-v4.rdf"
MDK_SOURCE = ID["source/musterdatenkatalog-v4"]
MDK_SCHEME = URIRef("https://musterdatenkatalog.de/def/musterdatensatz/Musterdatenkatalog")
MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`,]+")


def musterdatenkatalog_graph(rdf_path: Path) -> Graph:
    """The taxonomy with IRI match targets and ``prov:wasDerivedFrom`` on scheme and concepts."""
    path, source = Path(rdf_path), Graph()
    try:
        source.parse(path, format="xml")
    except SAXParseException as exc:
        where = f"{path}:{exc.getLineNumber()}:{exc.getColumnNumber()}"
        raise InputError(
            f"{where}: cannot read it as RDF/XML ({exc.getMessage()}); fix it."
        ) from exc
    except (OSError, ValueError, SyntaxError, SAXException) as exc:
        raise InputError(f"{path}: cannot read it as RDF/XML ({exc}); check the file.") from exc
    g = Graph(bind_namespaces="none")
    for s, p, o in source:
        if p in MATCHES and isinstance(o, Literal):
            if not _IRI.fullmatch(str(o)):
                msg = f"match target {str(o)!r} of {s} is no single IRI"
                raise InputError(f"{path}: {msg}; fix it in the file.")
            o = URIRef(str(o))
        g.add((s, p, o))
    if (MDK_SCHEME, RDF.type, SKOS.ConceptScheme) not in g:
        raise InputError(f"{path}: no skos:ConceptScheme {MDK_SCHEME}; is it the V4 file?")
    for node in [MDK_SCHEME, *g.subjects(RDF.type, SKOS.Concept)]:
        g.add((node, PROV.wasDerivedFrom, MDK_SOURCE))
    return g
