"""The words of the pages' own chrome (navigation, headings, table heads, buttons) in German
and English.

Labels and definitions come from the data in the page language; these are the rest, so that a
page reads in one language. The English text is the key: a template writes ``{{ t("Statements")
}}`` and gets the German words on a German page. A test checks that every key the templates use
has its German text.
"""

from __future__ import annotations

GERMAN = {
    # navigation and footer (base.html)
    "Home": "Start",
    "Query": "Abfrage",
    "Named queries": "Benannte Abfragen",
    "Ontology": "Ontologie",
    "Graph": "Graph",
    "SPARQL endpoint": "SPARQL-Endpunkt",
    "SPARQL 1.1 endpoint and service description": "SPARQL-1.1-Endpunkt und Dienstbeschreibung",
    "SPARQL endpoint at": "SPARQL-Endpunkt unter",
    "updates enabled (token required)": "Änderungen erlaubt (mit Token)",
    "read-only": "nur lesend",
    "static site": "statische Website",
    "catalogue (DCAT-AP.de)": "Katalog (DCAT-AP.de)",
    "run smartcity-kg serve for SPARQL": "für SPARQL {command} starten",
    "Results for": "Ergebnisse für",
    "(required)": "(erforderlich)",
    "other values:": "andere Werte:",
    "home.lead.static": (
        "Ein Wissensgraph zu Smart City: die Themenbereiche von Smart-City- und "
        "Smart-Region-Ansätzen in Hessen, die Ziele und Nutzen, denen sie dienen, und die Quelle "
        "jeder Aussage. Stöbern Sie unten, lesen Sie die Ergebnisse der {queries} oder starten "
        "Sie {command}, um eigenes SPARQL zu schreiben."
    ),
    "Back to the home page": "Zurück zur Startseite",
    "Not found": "Nicht gefunden",
    "Error": "Fehler",
    # page titles
    "Smart City knowledge graph": "Smart-City-Wissensgraph",
    "SPARQL query": "SPARQL-Abfrage",
    # home page
    "home.lead": (
        "Ein Wissensgraph zu Smart City: die Themenbereiche von Smart-City- und "
        "Smart-Region-Ansätzen in Hessen, die Ziele und Nutzen, denen sie dienen, und die Quelle "
        "jeder Aussage. Stöbern Sie unten, führen Sie die {queries} aus, schreiben Sie eigenes "
        "{sparql} oder richten Sie einen SPARQL-Client auf {endpoint}."
    ),
    "named queries": "benannten Abfragen",
    "Topic areas": "Themenbereiche",
    "Goals": "Ziele",
    "Benefits": "Nutzen",
    "of": "von",
    "from": "von",
    "for": "für",
    "What the knowledge base holds": "Was der Wissensgraph enthält",
    "class": "Klasse",
    "count": "Anzahl",
    "triples (all graphs)": "Tripel (alle Graphen)",
    "Graphs and their sources": "Graphen und ihre Quellen",
    "curated": "kuratiert",
    "stated": "belegt",
    "curated.title": "vom Projekt kuratiert, keine Aussage einer Quelle",
    "stated.title": "von einer Quelle ausgesagt",
    "curated.legend": (
        "Verknüpfungen mit {badge} hat das Projekt nach eigenem Urteil gesetzt, keine Quelle "
        "sagt sie aus (der Mauszeiger auf der Marke zeigt die Begründung); alle anderen sagt "
        "eine Quelle aus."
    ),
    # entity pages
    "Names": "Namen",
    "Statements": "Aussagen",
    "Referenced by": "Verwiesen von",
    "property": "Eigenschaft",
    "value": "Wert",
    "source": "Quelle",
    "graph around it": "Graph der Umgebung",
    "no language": "ohne Sprache",
    # results tables
    "{n} row": "{n} Zeile",
    "{n} rows": "{n} Zeilen",
    ", the first {n} shown": ", die ersten {n} angezeigt",
    # named queries
    "required": "Pflicht",
    "Run": "Ausführen",
    "As data:": "Als Daten:",
    "queries.lead": (
        "Jede Abfrage ist eine Seite mit einem Formular und eine Schnittstelle: {json} "
        "(SPARQL-Ergebnisse als JSON) und {csv}, die Parameter im Query-String. Die Liste "
        "selbst steht unter {list}."
    ),
    "name": "Name",
    "title": "Titel",
    "parameters": "Parameter",
    "default": "Vorgabe",
    "check": "Prüfung",
    # query page
    "Example": "Beispiel",
    "– a named query –": "– eine benannte Abfrage –",
    "Run query": "Abfrage ausführen",
    "query.hint": (
        "Die Präfixe sc:, id:, rdfs:, skos:, prov:, schema:, dcterms: … sind vordeklariert. "
        "Das Zeit- und das Zeilenlimit des Servers gelten."
    ),
    # ontology page
    "ontology.lead": (
        "Die Begriffe von {namespace} (Präfix {prefix}) mit ihren Bezeichnungen und "
        "Definitionen auf Deutsch und Englisch."
    ),
    "Classes": "Klassen",
    "Properties": "Eigenschaften",
    "term": "Begriff",
    "de": "de",
    "en": "en",
}

#: English text of the keys that are not themselves the English words
ENGLISH = {
    "run smartcity-kg serve for SPARQL": "run {command} for SPARQL",
    "home.lead.static": (
        "A Smart City topic knowledge graph: the topic areas of Smart City and Smart Region "
        "approaches in Hessen, the goals and benefits they serve, with the source of every fact. "
        "Browse it below, read the results of the {queries}, or run {command} to write your own "
        "SPARQL."
    ),
    "home.lead": (
        "A Smart City topic knowledge graph: the topic areas of Smart City and Smart Region "
        "approaches in Hessen, the goals and benefits they serve, with the source of every fact. "
        "Browse it below, run the {queries}, write your own {sparql}, or point any SPARQL client "
        "at {endpoint}."
    ),
    "curated.title": "judged by the project, not stated by a source",
    "stated.title": "stated by a source",
    "curated.legend": (
        "Links marked {badge} are the project's own judgement, not a source's statement (point "
        "at the mark for the rationale); a source states all others."
    ),
    "queries.lead": (
        "Each query is a page with a form, and an API: {json} (SPARQL results JSON) and {csv}, "
        "parameters in the query string. The list itself is at {list}."
    ),
    "query.hint": (
        "The prefixes sc:, id:, rdfs:, skos:, prov:, schema:, dcterms: … are predeclared. The "
        "time limit and the row limit of the server apply."
    ),
    "ontology.lead": (
        "The terms of {namespace} (prefix {prefix}), with their labels and definitions in German "
        "and English."
    ),
}


def text(key: str, lang: str, **values) -> str:
    """``key`` in ``lang`` (English for any language but German), ``{name}`` filled from
    ``values``."""
    words = GERMAN.get(key, key) if lang == "de" else ENGLISH.get(key, key)
    return words.format(**values) if values else words
