"""What the HTML pages show, gathered from the dataset as plain data (dicts and lists).

These functions run inside a query worker (they take the worker's
:class:`~smartcity_kg.dataset.KnowledgeBase`); the app only renders their results with templates.
Links to things of this knowledge base become local paths (``/id/...``) so the site can be
browsed offline.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from .. import vocab
from ..dataset import KnowledgeBase
from ..prefixes import ID, PREFIXES, SC, compact, expand
from ..sparql import Ask, Graph, Result, Select

RDFS_LABEL = ox.NamedNode(vocab.RDFS_LABEL)
SKOS_PREF = ox.NamedNode(vocab.SKOS_PREFLABEL)
SKOS_DEF = ox.NamedNode(PREFIXES["skos"] + "definition")
RDFS_COMMENT = ox.NamedNode(vocab.RDFS + "comment")
RDF_TYPE = ox.NamedNode(vocab.RDF_TYPE)
SC_URL = ox.NamedNode(SC + "url")


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
    # an address (a source's sc:url) is a link; the templates link only http(s) and site paths
    href = term.value if note == "xsd:anyURI" else None
    return {"text": term.value, "href": href, "title": note}


def display(
    kb: KnowledgeBase,
    result: Result,
    lang: str,
    max_rows: int,
    headers: dict[str, str] | None = None,
) -> dict:
    """A query result as a table for the HTML pages (at most ``max_rows`` rows).

    An IRI column with its label beside it (``?x`` and ``?xLabel``, or one IRI column and a
    ``?label`` or ``?name``) becomes one column of links on the labels. ``headers`` (a named
    query's) gives the columns readable names: its own for some, :func:`readable` ones for the
    rest; without it (an ad-hoc query) the columns keep their variable names.
    """
    labels: dict = {}
    rows: list[tuple]
    if isinstance(result, Ask):
        return {"kind": "ask", "answer": result.answer}
    if isinstance(result, Graph):
        names = ["subject", "predicate", "object"]
        rows = [(t.subject, t.predicate, t.object) for t in result.triples]
    else:
        assert isinstance(result, Select)
        names, rows = result.variables, result.rows
    pairs = label_pairs(names, rows)
    kept = [i for i, name in enumerate(names) if i not in pairs.values()]
    columns = []
    for i in kept:
        # ?xLabel is headed as ?x; ?label and ?name keep their own names
        name = names[pairs[i]] if i in pairs and names[i].endswith("Label") else names[i]
        text = name if headers is None else headers.get(name) or readable(name)
        columns.append({"name": name, "label": text})
    shown = []
    for row in rows[:max_rows]:
        cells = []
        for i in kept:
            own = cell(kb, row[i], lang, labels)
            if i in pairs and own is not None:
                target = row[pairs[i]]
                if isinstance(target, ox.NamedNode):
                    own = {**own, "href": local_href(target.value), "title": target.value}
            elif i in pairs:
                own = cell(kb, row[pairs[i]], lang, labels)
            cells.append(own)
        shown.append(cells)
    return {"kind": "table", "columns": columns, "rows": shown, "total": len(rows)}


def label_pairs(names: list[str], rows: list) -> dict[int, int]:
    """Which column labels which IRI column: {label column: IRI column}."""
    iri_columns = [
        i
        for i, _ in enumerate(names)
        if any(r[i] is not None for r in rows)
        and all(r[i] is None or isinstance(r[i], ox.NamedNode) for r in rows)
    ]
    pairs = {}
    for i in iri_columns:
        if names[i] + "Label" in names:
            pairs[names.index(names[i] + "Label")] = i
    unpaired = [i for i in iri_columns if i not in pairs.values()]
    if len(unpaired) == 1 and not pairs:
        for name in ("label", "name"):
            if name in names and names.index(name) not in iri_columns:
                pairs[names.index(name)] = unpaired[0]
                break
    return pairs


_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_ACRONYMS = {"ags": "AGS", "nuts": "NUTS", "url": "URL", "sdg": "SDG", "iri": "IRI", "eur": "(EUR)"}


def readable(name: str) -> str:
    """A column's variable name as words: ``fundingEur`` is "funding (EUR)"."""
    words = [w.lower() for w in _WORDS.findall(name)] or [name]
    return " ".join(_ACRONYMS.get(w, w) for w in words)


#: the choices of a parameter that names a language, each in its own words
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
LANGUAGE_CHOICES = [{"value": c, "text": LANGUAGE_NAMES.get(c, c)} for c in vocab.LANGS]
#: more values than this are no list to choose from: the form keeps a text field
MAX_CHOICES = 2000


def form_choices(kb: KnowledgeBase, params: list[dict], lang: str) -> dict[str, list[dict]]:
    """The values a named query's parameters can take, for the form's selects: languages,
    booleans, the regions of an AGS, and for an IRI parameter the things of its default's kind
    (the regions, topic areas, sources...). Parameters with open values get none, and so do
    those with more than :data:`MAX_CHOICES` values.

    ``params`` are ``{"name", "kind", "default"}``; each choice is ``{"value", "text"}``,
    sorted by text, a region's text naming its level (several regions share a name).
    """
    out = {}
    for p in params:
        name, kind, default = p["name"], p["kind"], p.get("default")
        if kind == "lang" or (name == "lang" and kind == "string"):
            out[name] = LANGUAGE_CHOICES
        elif kind == "boolean":
            out[name] = [{"value": "true", "text": "true"}, {"value": "false", "text": "false"}]
        elif kind == "ags":
            out[name] = _region_choices(kb, lang, by_ags=True)
        elif kind == "iri" and default and (iri := expand(default) or default.strip("<>")):
            kind_of = _broadest_class(kb, ox.NamedNode(iri))
            if kind_of == SC + "Region":
                out[name] = _region_choices(kb, lang, by_ags=False)
            elif kind_of:
                nodes = _instances_below(kb, kind_of)
                out[name] = sorted(
                    (
                        {"value": compact(n.value), "text": _link(kb, n, lang)["text"]}
                        for n in nodes
                    ),
                    key=lambda c: (c["text"].casefold(), c["value"]),
                )
    return {name: choices for name, choices in out.items() if len(choices) <= MAX_CHOICES}


def _instances_below(kb: KnowledgeBase, cls: str) -> list[ox.NamedNode]:
    """The instances of ``cls`` and of its subclasses."""
    cls_term = ox.NamedNode(cls)  # a term from the store: its IRI has no ">"
    result = kb.store.query(
        f"SELECT DISTINCT ?x WHERE {{ ?c rdfs:subClassOf* {cls_term} . ?x a ?c "
        "FILTER(isIRI(?x)) }",
        use_default_graph_as_union=True,
        prefixes=PREFIXES,
    )
    assert isinstance(result, ox.QuerySolutions)
    return [row["x"] for row in result]


def _broadest_class(kb: KnowledgeBase, node: ox.NamedNode) -> str | None:
    """Of the ontology's classes ``node`` is an instance of, the one with most instances."""
    types = {
        q.object.value
        for q in kb.store.quads_for_pattern(node, RDF_TYPE, None, None)
        if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(SC)
    }
    sized = sorted(((len(_instances_below(kb, t)), t) for t in types), reverse=True)
    return sized[0][1] if sized else None


def _region_choices(kb: KnowledgeBase, lang: str, *, by_ags: bool) -> list[dict]:
    """Every region as a choice, its text naming its level; by AGS (those that have one), or
    by IRI."""
    query = """
    SELECT ?r ?ags (SAMPLE(?t) AS ?type) WHERE {
      ?t rdfs:subClassOf sc:Region . ?r a ?t OPTIONAL { ?r sc:ags ?ags }
    } GROUP BY ?r ?ags"""
    result = kb.store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    choices = []
    for row in result:
        region, ags = row["r"], row["ags"]
        if by_ags and ags is None:
            continue
        level = label(kb, row["type"], lang) or compact(row["type"].value)
        name = label(kb, region, lang) or compact(region.value)
        text = f"{name} ({level}, {ags.value})" if ags is not None else f"{name} ({level})"
        value = ags.value if by_ags else compact(region.value)
        choices.append({"value": value, "text": text})
    return sorted(choices, key=lambda c: (c["text"].casefold(), c["value"]))


def graph_info(kb: KnowledgeBase, lang: str) -> dict[str, dict]:
    """Each named graph: its label, whether it is curated, and the source it comes from."""
    out = {}
    curated = ox.NamedNode(SC + "curated")
    derived = ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
    for g in kb.graphs():
        node = ox.NamedNode(g)
        flags = [
            str(q.object.value)
            for q in kb.store.quads_for_pattern(node, curated, None, None)
            if isinstance(q.object, ox.Literal)
        ]
        sources = [q.object for q in kb.store.quads_for_pattern(node, derived, None, None)]
        out[g] = {
            "iri": g,
            "href": local_href(g),
            "label": label(kb, node, lang) or compact(g),
            "curated": "true" in flags,
            "sources": [_source(kb, s, lang) for s in sources if isinstance(s, ox.NamedNode)],
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
            if isinstance(q.object, ox.Literal)
        }
        return texts.get(lang) or next(iter(texts.values()), None)
    return None


def _source(kb: KnowledgeBase, node: ox.NamedNode, lang: str) -> dict:
    """A source as its name linked to its page, with the address it was read at (sc:url)."""
    urls = [
        q.object.value
        for q in kb.store.quads_for_pattern(node, SC_URL, None, None)
        if isinstance(q.object, ox.Literal | ox.NamedNode)
    ]
    return {**_link(kb, node, lang), "url": min(urls) if urls else None}


#: the reification properties: a statement node points at the entity, it does not refer to it
REIFICATION = {ox.NamedNode(PREFIXES["rdf"] + n) for n in ("subject", "predicate", "object")}


def entity(kb: KnowledgeBase, iri: str, lang: str) -> dict | None:
    """Everything the entity page shows, or None when the dataset does not mention ``iri``.

    Its labels are listed once each with their language (not again among the statements); a
    statement made in several graphs is one row naming each graph's source; the rdf:Statement
    and sc:CuratedLink nodes that describe a statement about it are not "references".
    """
    node = ox.NamedNode(iri)
    out_quads = list(kb.store.quads_for_pattern(node, None, None, None))
    in_quads = list(kb.store.quads_for_pattern(None, None, node, None))
    if not out_quads and not in_quads:
        return None
    labels: dict = {}
    graphs = graph_info(kb, lang)

    def facts(quads, direction) -> list[dict]:
        rows: dict[tuple, dict] = {}
        for q in quads:
            other = q.object if direction == "out" else q.subject
            row = rows.setdefault(
                (q.predicate, other),
                {
                    "predicate": cell(kb, q.predicate, lang, labels),
                    "value": cell(kb, other, lang, labels),
                    "provenance": [],
                    "direction": direction,
                },
            )
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            if g is None or g not in graphs:
                continue
            info = graphs[g]
            why = None
            if info["curated"]:
                why = rationale(kb, q.subject, q.predicate, q.object, lang)
            row["provenance"].append({"graph": info, "rationale": why})
        key = lambda f: (f["predicate"]["text"], (f["value"] or {}).get("text", ""))  # noqa: E731
        return sorted(rows.values(), key=key)

    names = sorted(
        {
            (q.object.language or "", q.object.value)
            for q in out_quads
            if q.predicate in (RDFS_LABEL, SKOS_PREF) and isinstance(q.object, ox.Literal)
        }
    )
    types = {q.object: None for q in out_quads if q.predicate == RDF_TYPE}
    shown = [q for q in out_quads if q.predicate not in (RDF_TYPE, RDFS_LABEL, SKOS_PREF)]
    referring = [q for q in in_quads if q.predicate not in REIFICATION]
    # the graph view leaves out the named graphs and the statement nodes (graph.build_full)
    unseen = {SC + "KnowledgeGraph", vocab.RDF_STATEMENT}
    return {
        "iri": iri,
        "in_graph_view": not any(getattr(t, "value", None) in unseen for t in types),
        "title": label(kb, node, lang) or compact(iri),
        "names": [{"lang": language, "text": text} for language, text in names],
        "types": sorted((cell(kb, t, lang, labels) for t in types), key=lambda c: c["text"]),
        "outgoing": facts(shown, "out"),
        "incoming": facts(referring, "in"),
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


def _marked(kb: KnowledgeBase, s, p: str, o, lang: str, graphs: dict) -> dict:
    """A link to ``o`` (from ``s`` by ``p``), marked curated when no source states the triple
    and only a curated graph holds it, with the curator's rationale."""
    predicate = ox.NamedNode(p)
    held = {
        q.graph_name.value
        for q in kb.store.quads_for_pattern(s, predicate, o, None)
        if isinstance(q.graph_name, ox.NamedNode)
    }
    curated = bool(held) and all(graphs.get(g, {}).get("curated") for g in held)
    why = rationale(kb, s, predicate, o, lang) if curated else None
    return {**_link(kb, o, lang), "curated": curated, "rationale": why}


def home(kb: KnowledgeBase, lang: str) -> dict:
    """The topic areas with the goals they serve and the benefits of the approaches that focus
    on them, the goals, and counts of what the knowledge base holds (the counts ``stats``
    prints). Each link says whether a source states it or the project curated it."""
    from ..stats import class_counts

    graphs = graph_info(kb, lang)
    focus = defaultdict(list)
    for approach in _instances(kb, "Approach"):
        for topic in _objects(kb, approach, SC + "focusesOn"):
            focus[topic.value].append(approach)
    topics = []
    for topic in _instances(kb, "TopicArea"):
        benefits = {
            b.value: _marked(kb, a, SC + "providesBenefit", b, lang, graphs)
            for a in focus.get(topic.value, [])
            for b in _objects(kb, a, SC + "providesBenefit")
        }
        goals = [
            _marked(kb, topic, SC + "servesGoal", g, lang, graphs)
            for g in _objects(kb, topic, SC + "servesGoal")
        ]
        approaches = [
            {**_marked(kb, a, SC + "focusesOn", topic, lang, graphs), **_link(kb, a, lang)}
            for a in focus.get(topic.value, [])
        ]
        topics.append(
            {
                **_link(kb, topic, lang),
                "goals": goals,
                "benefits": sorted(benefits.values(), key=lambda b: b["text"]),
                "approaches": approaches,
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
    instances = class_counts(kb)
    counts = [
        {**_link(kb, ox.NamedNode(SC + cls), lang), "count": instances.get(SC + cls, 0)}
        for cls in counted
    ]
    providers = defaultdict(list)
    for q in kb.store.quads_for_pattern(None, ox.NamedNode(SC + "providesBenefit"), None, None):
        if isinstance(q.subject, ox.NamedNode):
            link = _marked(kb, q.subject, SC + "providesBenefit", q.object, lang, graphs)
            providers[str(q.object)].append({**link, **_link(kb, q.subject, lang)})
    benefit_rows = [
        {
            **_link(kb, b, lang),
            "providers": sorted(providers.get(str(b), []), key=lambda x: x["text"]),
            "for": [
                _marked(kb, b, SC + "benefitFor", r, lang, graphs)
                for r in _objects(kb, b, SC + "benefitFor")
            ],
        }
        for b in _instances(kb, "Benefit")
    ]
    return {
        "topics": topics,
        "benefits": sorted(benefit_rows, key=lambda b: b["text"]),
        "goals": sorted(
            (_link(kb, g, lang) for g in _instances(kb, "Goal")), key=lambda g: g["text"]
        ),
        "counts": counts,
        "triples": len(kb),
        "graphs": list(graphs.values()),
    }


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
                    if lang in texts and isinstance(q.object, ox.Literal):
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
