"""What the HTML pages show, gathered from the dataset as plain data (dicts and lists).

These functions run inside a query worker (they take the worker's
:class:`~smartcity_kg.dataset.KnowledgeBase`); the app only renders their results with templates.
Links to things of this knowledge base become local paths (``/id/...``) so the site can be
browsed offline.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from .. import vocab
from ..dataset import KnowledgeBase
from ..prefixes import ID, PREFIXES, SC, compact
from ..sparql import Ask, Graph, Result, Select

RDFS_LABEL = ox.NamedNode(vocab.RDFS_LABEL)
SKOS_PREF = ox.NamedNode(vocab.SKOS_PREFLABEL)
SKOS_DEF = ox.NamedNode(PREFIXES["skos"] + "definition")
RDFS_COMMENT = ox.NamedNode(vocab.RDFS + "comment")
RDF_TYPE = ox.NamedNode(vocab.RDF_TYPE)


def local_href(iri: str) -> str:
    """``/id/topic/x`` for an IRI of this knowledge base, ``/ontology#Term`` for a term of
    the ontology, the IRI itself otherwise."""
    if iri.startswith(ID):
        return "/id/" + iri[len(ID) :]
    if iri.startswith(SC):
        return "/ontology#" + iri[len(SC) :]
    return iri


def label(kb: KnowledgeBase, node: ox.NamedNode | ox.BlankNode, lang: str) -> str | None:
    """The node's rdfs:label (else skos:prefLabel) chosen by :func:`vocab.pick_label`, or None."""
    for predicate in (RDFS_LABEL, SKOS_PREF):
        labels: dict[str, str] = {}
        for quad in kb.store.quads_for_pattern(node, predicate, None, None):
            obj = quad.object
            if isinstance(obj, ox.Literal):
                labels.setdefault(obj.language or "", obj.value)
        if labels:
            return vocab.pick_label(labels, lang)
    return None


def cell(kb: KnowledgeBase, term, lang: str, labels: dict) -> dict | None:
    """One term as display data: text, optional link, optional language or datatype note."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        if term.value not in labels:
            labels[term.value] = label(kb, term, lang)
        return {
            "text": labels[term.value] or compact(term.value),
            "href": local_href(term.value),
            "title": term.value,
        }
    if isinstance(term, ox.BlankNode):
        return {"text": f"_:{term.value}", "href": None, "title": "blank node"}
    note = f"@{term.language}" if term.language else compact(term.datatype.value)
    if note == "xsd:string":
        note = ""
    return {"text": term.value, "href": None, "title": note}


def display(kb: KnowledgeBase, result: Result, lang: str, max_rows: int) -> dict:
    """A query result as a table for the HTML pages (at most ``max_rows`` rows)."""
    labels: dict = {}
    if isinstance(result, Ask):
        return {"kind": "ask", "answer": result.answer}
    if isinstance(result, Graph):
        columns = ["subject", "predicate", "object"]
        rows = [(t.subject, t.predicate, t.object) for t in result.triples]
    else:
        assert isinstance(result, Select)
        columns, rows = result.variables, result.rows
    shown = [[cell(kb, t, lang, labels) for t in row] for row in rows[:max_rows]]
    return {"kind": "table", "columns": columns, "rows": shown, "total": len(rows)}


def graph_info(kb: KnowledgeBase, lang: str) -> dict[str, dict]:
    """Each named graph: its label, whether it is curated, and the source it comes from."""
    out = {}
    curated = ox.NamedNode(SC + "curated")
    derived = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
    for g in kb.graphs():
        node = ox.NamedNode(g)
        flags = [q.object.value for q in kb.store.quads_for_pattern(node, curated, None, None)]
        sources = [q.object for q in kb.store.quads_for_pattern(node, derived, None, None)]
        out[g] = {
            "iri": g,
            "href": local_href(g),
            "label": label(kb, node, lang) or compact(g),
            "curated": "true" in flags,
            "sources": [
                {"text": label(kb, s, lang) or compact(s.value), "href": local_href(s.value)}
                for s in sources
                if isinstance(s, ox.NamedNode)
            ],
        }
    return out


def rationale(kb: KnowledgeBase, s, p, o, lang: str) -> str | None:
    """The curator's rationale for the triple ``s p o``, when a sc:CuratedLink explains it."""
    subject = ox.NamedNode(PREFIXES["rdf"] + "subject")
    predicate = ox.NamedNode(PREFIXES["rdf"] + "predicate")
    obj = ox.NamedNode(PREFIXES["rdf"] + "object")
    why = ox.NamedNode(SC + "rationale")
    for quad in kb.store.quads_for_pattern(None, subject, s, None):
        link = quad.subject
        if not any(True for _ in kb.store.quads_for_pattern(link, predicate, p, None)):
            continue
        if not any(True for _ in kb.store.quads_for_pattern(link, obj, o, None)):
            continue
        texts = {
            q.object.language: q.object.value
            for q in kb.store.quads_for_pattern(link, why, None, None)
        }
        return texts.get(lang) or next(iter(texts.values()), None)
    return None


def entity(kb: KnowledgeBase, iri: str, lang: str) -> dict | None:
    """Everything the entity page shows, or None when the dataset does not mention ``iri``."""
    node = ox.NamedNode(iri)
    out_quads = list(kb.store.quads_for_pattern(node, None, None, None))
    in_quads = list(kb.store.quads_for_pattern(None, None, node, None))
    if not out_quads and not in_quads:
        return None
    labels: dict = {}
    graphs = graph_info(kb, lang)

    def fact(q, other, direction):
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        s, p, o = q.subject, q.predicate, q.object
        return {
            "predicate": cell(kb, p, lang, labels),
            "value": cell(kb, other, lang, labels),
            "graph": graphs.get(g) if g else None,
            "rationale": rationale(kb, s, p, o, lang) if g and graphs[g]["curated"] else None,
            "direction": direction,
        }

    names = {}
    for q in out_quads:
        if q.predicate in (RDFS_LABEL, SKOS_PREF) and isinstance(q.object, ox.Literal):
            names.setdefault(q.object.language or "", q.object.value)
    types = [cell(kb, q.object, lang, labels) for q in out_quads if q.predicate == RDF_TYPE]
    outgoing = [fact(q, q.object, "out") for q in out_quads if q.predicate != RDF_TYPE]
    incoming = [fact(q, q.subject, "in") for q in in_quads]
    key = lambda f: (f["predicate"]["text"], (f["value"] or {}).get("text", ""))  # noqa: E731
    return {
        "iri": iri,
        "title": names.get(lang) or label(kb, node, lang) or compact(iri),
        "names": dict(sorted(names.items())),
        "types": sorted(types, key=lambda c: c["text"]),
        "outgoing": sorted(outgoing, key=key),
        "incoming": sorted(incoming, key=key),
    }


def entity_rdf(kb: KnowledgeBase, iri: str) -> list[ox.Triple]:
    """The triples about ``iri`` (it as subject), for its Turtle and JSON-LD views."""
    node = ox.NamedNode(iri)
    seen = set()
    triples = []
    for q in kb.store.quads_for_pattern(node, None, None, None):
        if q.triple not in seen:
            seen.add(q.triple)
            triples.append(q.triple)
    return triples


def _instances(kb: KnowledgeBase, cls: str) -> list[ox.NamedNode]:
    nodes = {
        q.subject
        for q in kb.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(SC + cls), None)
        if isinstance(q.subject, ox.NamedNode)
    }
    return sorted(nodes, key=lambda n: n.value)


def _objects(kb: KnowledgeBase, node, predicate: str) -> list:
    found = {
        q.object for q in kb.store.quads_for_pattern(node, ox.NamedNode(predicate), None, None)
    }
    return sorted(found, key=lambda n: n.value)


def _link(kb: KnowledgeBase, node, lang: str) -> dict:
    return {"text": label(kb, node, lang) or compact(node.value), "href": local_href(node.value)}


def home(kb: KnowledgeBase, lang: str) -> dict:
    """The topic areas with the goals they serve and the benefits of the approaches that focus
    on them, the goals, and counts of what the knowledge base holds."""
    focus = defaultdict(list)
    for approach in _instances(kb, "Approach"):
        for topic in _objects(kb, approach, SC + "focusesOn"):
            focus[topic.value].append(approach)
    topics = []
    for topic in _instances(kb, "TopicArea"):
        benefits = {
            b.value: _link(kb, b, lang)
            for a in focus.get(topic.value, [])
            for b in _objects(kb, a, SC + "providesBenefit")
        }
        topics.append(
            {
                **_link(kb, topic, lang),
                "goals": [_link(kb, g, lang) for g in _objects(kb, topic, SC + "servesGoal")],
                "benefits": sorted(benefits.values(), key=lambda b: b["text"]),
                "approaches": [_link(kb, a, lang) for a in focus.get(topic.value, [])],
            }
        )
    topics.sort(key=lambda t: t["text"])
    counted = (
        "TopicArea",
        "Goal",
        "Opportunity",
        "Benefit",
        "Challenge",
        "Initiative",
        "Region",
        "Proposition",
        "StatedFigure",
        "Source",
        "CuratedLink",
    )
    counts = []
    for cls in counted:
        n = len(_instances(kb, cls))
        if cls == "Region":
            n = _count_regions(kb)
        counts.append({**_link(kb, ox.NamedNode(SC + cls), lang), "count": n})
    providers = defaultdict(list)
    for q in kb.store.quads_for_pattern(None, ox.NamedNode(SC + "providesBenefit"), None, None):
        if isinstance(q.subject, ox.NamedNode):
            providers[q.object.value].append(_link(kb, q.subject, lang))
    benefits = [
        {
            **_link(kb, b, lang),
            "providers": sorted(providers.get(b.value, []), key=lambda x: x["text"]),
            "for": [_link(kb, r, lang) for r in _objects(kb, b, SC + "benefitFor")],
        }
        for b in _instances(kb, "Benefit")
    ]
    return {
        "topics": topics,
        "benefits": sorted(benefits, key=lambda b: b["text"]),
        "goals": sorted(
            (_link(kb, g, lang) for g in _instances(kb, "Goal")), key=lambda g: g["text"]
        ),
        "counts": counts,
        "triples": len(kb),
        "graphs": list(graph_info(kb, lang).values()),
    }


def _count_regions(kb: KnowledgeBase) -> int:
    result = kb.store.query(
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?c rdfs:subClassOf* sc:Region . ?r a ?c }",
        use_default_graph_as_union=True,
        prefixes=PREFIXES,
    )
    return int(next(iter(result))["n"].value)


def ontology(kb: KnowledgeBase) -> dict:
    """Classes and properties of the ontology with their labels and definitions in de and en."""
    kinds = {
        "classes": [PREFIXES["owl"] + "Class", PREFIXES["rdfs"] + "Class"],
        "properties": [
            PREFIXES["owl"] + "ObjectProperty",
            PREFIXES["owl"] + "DatatypeProperty",
            PREFIXES["rdf"] + "Property",
        ],
    }
    out: dict[str, list] = {}
    for kind, types in kinds.items():
        terms = {
            q.subject.value
            for t in types
            for q in kb.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(t), None)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(SC)
        }
        rows = []
        for iri in sorted(terms):
            node = ox.NamedNode(iri)
            texts: dict[str, dict[str, str]] = {"de": {}, "en": {}}
            for predicate, slot in (
                (RDFS_LABEL, "label"),
                (SKOS_DEF, "definition"),
                (RDFS_COMMENT, "definition"),
            ):
                for q in kb.store.quads_for_pattern(node, predicate, None, None):
                    lang = getattr(q.object, "language", None)
                    if lang in texts:
                        texts[lang].setdefault(slot, q.object.value)
            rows.append({"iri": iri, "name": compact(iri), "id": iri[len(SC) :], **texts})
        out[kind] = rows
    return out


#: the site's pages, as the navigation of the graph view names them
GRAPH_NAV = {
    "en": (
        ("Home", "/"),
        ("Query", "/query"),
        ("Named queries", "/queries"),
        ("Ontology", "/ontology"),
        ("Graph", "/graph"),
        ("SPARQL endpoint", "/sparql"),
    ),
    "de": (
        ("Start", "/"),
        ("Abfrage", "/query"),
        ("Benannte Abfragen", "/queries"),
        ("Ontologie", "/ontology"),
        ("Graph", "/graph"),
        ("SPARQL-Endpunkt", "/sparql"),
    ),
}


def graph_links(view: str, lang: str, focus: str | None, depth: int):
    """The graph view's navigation, view switcher and language switch: paths on this site
    with ``_lang`` kept (the view switcher shows a whole view, without the focus)."""
    from urllib.parse import urlencode

    from ..graph import VIEWS
    from ..htmlview import UI, SiteLinks

    nav = [(text, f"{path}?_lang={lang}") for text, path in GRAPH_NAV[lang]]
    views = [(v, UI[lang][v], "/graph?" + urlencode({"view": v, "_lang": lang})) for v in VIEWS]
    here = {"view": view, **({"focus": focus, "depth": depth} if focus else {})}
    langs = [(x, "/graph?" + urlencode({**here, "_lang": x})) for x in ("de", "en")]
    return SiteLinks(nav=nav, views=views, langs=langs, view="" if focus else view)


def graph_page(kb: KnowledgeBase, view: str, lang: str, focus: str | None, depth: int) -> str:
    """The interactive graph view: the ``html`` export's page for a view (optionally around a
    node), its script and style loaded as files so that the server's Content-Security-Policy
    can forbid inline script, its nodes and sources linking to their pages here, with the
    site's navigation and a view switcher."""
    from ..graph import build
    from ..htmlview import SERVED_ASSETS, page

    g = build(kb, view, lang=lang, focus=focus, depth=depth)
    site = graph_links(view, lang, focus, depth)
    return page(g, assets=SERVED_ASSETS, href=local_href, site=site)
