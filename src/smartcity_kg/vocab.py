"""The RDF, RDFS, SKOS and XSD terms the code compares against, and the two rules for reading them.

The IRIs are plain strings (the query path must not import rdflib); wrap one in
``pyoxigraph.NamedNode`` where a store pattern needs it. The rules, which label to show and
which classes a class falls under, were once written out in three and two places with small
differences, so a label or a class could read differently in a page, an export and a diff.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .prefixes import PREFIXES

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]

RDF_TYPE = RDF + "type"
RDF_STATEMENT = RDF + "Statement"
RDF_LANGSTRING = RDF + "langString"
RDFS_LABEL = RDFS + "label"
RDFS_SUBCLASS = RDFS + "subClassOf"
SKOS_PREFLABEL = PREFIXES["skos"] + "prefLabel"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
PROV_DERIVED = PREFIXES["prov"] + "wasDerivedFrom"

#: The label languages of the knowledge base, in the order a missing one is replaced.
LANGS = ("de", "en")


def pick_label(labels: Mapping[str, str], lang: str, fallback: str | None = None) -> str | None:
    """The label in ``lang``; else German, English, an untagged one, else the first by text.

    ``labels`` maps a language tag ("" for none) to the label in that language.
    """
    for choice in (lang, *LANGS, ""):
        if choice in labels:
            return labels[choice]
    return min(labels.values(), default=fallback)


def superclass_closure(direct: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Each class with all its superclasses, itself included (cycles in the data are fine)."""
    closed: dict[str, set[str]] = {}
    for cls in direct:
        seen, todo = {cls}, [cls]
        while todo:
            for sup in direct.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        closed[cls] = seen
    return closed
