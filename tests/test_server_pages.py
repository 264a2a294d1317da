"""What the server's pages say, read from a real ``smartcity-kg serve`` (tests/serving.py):
the query page's messages, the named-query forms, entity pages, the home page, and the chrome's
language. What a user clicks through is in tests/test_server_pages_browser.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from smartcity_kg.server.page_text import GERMAN

ID = "https://w3id.org/smartcity-kg/id/"
SC = "https://w3id.org/smartcity-kg/ontology#"


class Elements(HTMLParser):
    """The text and attributes of the elements a test asks for: ``find("th")``."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self.open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": list(self.open)}
        self.found.append(element)
        if tag not in ("input", "br", "link", "meta", "img"):
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data

    def find(self, tag: str, within: str | None = None) -> list[dict]:
        """Elements ``tag``, optionally only those inside the element with id ``within``."""
        return [
            e
            for e in self.found
            if e["tag"] == tag
            and (within is None or any(p["attrs"].get("id") == within for p in e["parents"]))
        ]

    def by_id(self, ident: str) -> dict:
        return next(e for e in self.found if e["attrs"].get("id") == ident)


def page(server, path: str, status: int = 200, **params) -> Elements:
    r = httpx.get(server.url + path, params=params, timeout=60)
    assert r.status_code == status, r.text[:500]
    return Elements(r.text)


def texts(elements: list[dict]) -> list[str]:
    return [" ".join(e["text"].split()) for e in elements]


# --- /query ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SELEC",
        "ASK { ?s ?p ?o . ?s",  # the engine lists Unicode ranges over several lines
        "SELECT * WHERE { ?s nope:p ?o }",
        "SELECT * { ?s ?p ?o } GROUP BY",
    ],
)
def test_query_page_shows_the_clis_one_line_syntax_message(server, cli_run, text):
    cli = cli_run("query", "-e", text)
    assert cli.exit_code == 2
    expected = cli.output.strip().removeprefix("Error: -e:")
    assert "\n" not in expected and "..=" not in expected
    shown = page(server, "/query", 400, query=text).by_id("message")["text"]
    assert shown == "query:" + expected


def test_an_undeclared_prefix_is_named(server):
    shown = page(server, "/query", 400, query="SELECT * WHERE { ?s nope:p ?o }")
    assert shown.by_id("message")["text"] == (
        "query:1:27: SPARQL syntax error: Prefix not found: nope: is not declared; add PREFIX "
        "nope: <...> or use one of the project's prefixes. Fix the query and run again."
    )


@pytest.mark.parametrize("text", ["", "  \n\t "])
def test_an_empty_query_says_so(server, text):
    shown = page(server, "/query", 400, query=text).by_id("message")["text"]
    assert shown == "The query is empty: write a SPARQL query or pick an example, then run it."


def test_the_query_page_without_a_query_has_no_message(server):
    html = page(server, "/query")
    assert not [e for e in html.found if e["attrs"].get("id") == "message"]


def test_the_chosen_example_stays_selected(server):
    html = page(server, "/query", _example="topic-goals", query="ASK {}")
    selected = [o for o in html.find("option") if "selected" in o["attrs"]]
    assert [o["attrs"]["value"] for o in selected] == ["topic-goals"]
    assert html.by_id("answer")["text"] == "true"


# --- named-query forms -------------------------------------------------------------------------


def options(html: Elements, name: str) -> list[tuple[str, str, bool]]:
    select = next(e for e in html.find("select") if e["attrs"].get("name") == name)
    return [
        (o["attrs"]["value"], " ".join(o["text"].split()), "selected" in o["attrs"])
        for o in html.find("option")
        if select in o["parents"]
    ]


def test_languages_are_a_select_following_the_page(server):
    for lang in ("de", "en"):
        html = page(server, "/queries/topic-areas", _lang=lang)
        assert options(html, "lang") == [
            ("de", "Deutsch", lang == "de"),
            ("en", "English", lang == "en"),
        ]
        assert not [i for i in html.find("input") if i["attrs"].get("name") == "lang"]


def test_regions_are_a_select_naming_their_level(server, kg):
    html = page(server, "/queries/initiatives-within", region="id:region/06633")
    regions = options(html, "region")
    every = kg.run("SELECT (COUNT(DISTINCT ?r) AS ?n) { ?t rdfs:subClassOf sc:Region . ?r a ?t }")
    assert len(regions) == int(every.values()[0][0]) == 460
    kassel = [(v, t, s) for v, t, s in regions if t.startswith("Kassel (")]
    assert kassel == [
        ("id:region/06611000", "Kassel (Gemeinde, 06611000)", False),
        ("id:region/06611", "Kassel (kreisfreie Stadt, 06611)", False),
        ("id:region/06633", "Kassel (Landkreis, 06633)", True),
        ("id:region/066", "Kassel (Regierungsbezirk, 066)", False),
    ]
    # a full IRI selects the same choice
    html = page(server, "/queries/initiatives-within", region=ID + "region/06633")
    assert [v for v, _, s in options(html, "region") if s] == ["id:region/06633"]


def test_ags_topic_and_source_parameters_are_selects(server):
    ags = options(page(server, "/queries/region-by-ags"), "ags")
    assert ("06411000", "Darmstadt (Gemeinde, 06411000)", True) in ags
    assert len(ags) == 455  # every region with an AGS
    topics = options(page(server, "/queries/initiatives-by-topic-area", _lang="en"), "topic")
    assert [t for _, t, _ in topics] == [
        "Administration",
        "Data platform",
        "Education",
        "Energy & environment",
        "Health",
        "IT infrastructure",
        "Mobility",
        "Security",
        "Society",
        "Trade and commerce",
    ]
    assert [v for v, _, s in topics if s] == ["id:topic/mobilitaet"]
    sources = options(page(server, "/queries/facts-of-source"), "source")
    assert ("id:source/digitale-staedte", "Digitale Städte, Digitale Regionen", True) in sources


def test_an_unknown_value_stays_in_its_select(server):
    html = page(server, "/queries/initiatives-within", region="id:test/sensor-net")
    assert options(html, "region")[-1] == ("id:test/sensor-net", "id:test/sensor-net", True)


def test_result_columns_are_named_and_iris_are_links_on_their_labels(server):
    html = page(server, "/queries/topic-goals", _lang="en")
    heads = html.find("th", within="results")
    assert texts(heads) == ["topic", "goal", "kind", "rationale"]
    assert [h["attrs"]["title"] for h in heads] == ["?topic", "?goal", "?kind", "?rationale"]
    first = [c for c in html.find("td", within="results")][:2]
    links = [a for a in html.find("a", within="results") if a["parents"][-1] in first]
    assert [(a["attrs"]["href"], a["text"]) for a in links] == [
        ("/id/topic/verwaltung?_lang=en", "Administration"),
        ("/id/goal/einsparungen?_lang=en", "Realise savings"),
    ]
    html = page(server, "/queries/funding-per-district")
    assert texts(html.find("th", within="results")) == [
        "AGS",
        "kreis",
        "level",
        "initiatives",
        "with amount",
        "funding (EUR)",
    ]


# --- entity pages ------------------------------------------------------------------------------


def test_each_label_once_with_its_language(server):
    html = page(server, "/id/topic/mobilitaet")
    names = list(zip(texts(html.find("dt", "names")), texts(html.find("dd", "names")), strict=True))
    assert names == [("de", "Mobilität"), ("en", "Mobility")]
    properties = texts(html.find("td", "outgoing"))[::3]
    assert "rdfs:label" not in properties and "label" not in properties


def test_provenance_is_the_sources_name_linked_to_its_page_and_address(server):
    html = page(server, "/id/topic/mobilitaet", _lang="en")
    row = next(
        tr for tr in html.find("tr", "outgoing") if "Quote" in tr["text"] or "quote" in tr["text"]
    )
    links = [(a["attrs"]["href"], a["text"]) for a in html.find("a") if row in a["parents"]]
    assert links[-2:] == [
        ("/id/source/digitale-staedte?_lang=en", "Digital Cities, Digital Regions"),
        ("https://www.digitalstrategie-hessen.de", "↗"),
    ]
    assert "stated" in row["text"]


def test_statement_nodes_are_not_references(server, kg):
    pointing = kg.run(
        f"SELECT DISTINCT ?link WHERE {{ ?link rdf:subject|rdf:object <{ID}topic/mobilitaet> }}",
    ).column("link")
    assert len(pointing) > 5  # curated links and statements do point at the topic area
    html = page(server, "/id/topic/mobilitaet")
    hrefs = [a["attrs"]["href"].split("?")[0] for a in html.find("a", "incoming")]
    assert "/id/test/bus-app" in hrefs
    assert not [h for h in hrefs if h.startswith("/id/curated/")]
    assert not {link.removeprefix(ID) for link in pointing} & {h[4:] for h in hrefs}


@pytest.mark.parametrize("path", ["/", "/id/topic/mobilitaet", "/queries", "/queries/goals"])
def test_the_chrome_speaks_the_page_language(server, path):
    german = page(server, path, _lang="de")
    english = page(server, path, _lang="en")
    for tag in ("h2", "th", "button", "nav"):
        de, en = texts(german.find(tag)), texts(english.find(tag))
        words = [w for w in de if w in GERMAN and GERMAN[w] != w]
        assert not words, f"English chrome on the German page {path}: {words}"
        assert len(de) == len(en)
    nav = texts(german.find("a", within=None))
    assert "Start" in nav and "Home" not in nav
    assert "Home" in texts(english.find("a"))


def test_every_chrome_word_the_templates_use_has_german():
    from pathlib import Path

    import smartcity_kg.server as server_package

    folder = Path(server_package.__file__).parent / "templates"
    used = set()
    for template in folder.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([^"']+)["']""", text))
        used |= set(re.findall(r"""\[\("\w+", "([^"]+)"\)""", text))  # headings in a list
    missing = sorted(used - set(GERMAN))
    assert not missing
    assert {"Statements", "Referenced by", "Home", "curated"} <= used


# --- home page ---------------------------------------------------------------------------------


def test_home_marks_curated_links(server, kg):
    curated = kg.run(
        "SELECT (COUNT(*) AS ?n) WHERE { ?t a sc:TopicArea . "
        "GRAPH ?g { ?t sc:servesGoal ?goal } ?g sc:curated true }",
    ).values()[0][0]
    html = page(server, "/", _lang="en")
    goal_lines = [p for p in html.find("p", "topics") if "goals" in p["attrs"].get("class", "")]
    badges = [s for s in html.find("span", "topics") if s["parents"][-1] in goal_lines]
    assert len(badges) == int(curated) == 16
    assert {b["text"] for b in badges} == {"curated"}
    assert all(b["attrs"]["title"] for b in badges)  # the rationale
    assert "a source states all others" in html.by_id("legend")["text"]


def test_home_region_count_is_what_stats_reports(server, cli_run):
    stats = cli_run("stats", "--format", "csv")
    assert stats.exit_code == 0
    rows = [line.split(",") for line in stats.output.splitlines()]
    in_stats = next(int(r[1]) for r in rows if r[0] == SC + "Region")
    cells = texts(page(server, "/", _lang="en").find("td", "counts"))
    on_home = dict(zip(cells[::2], cells[1::2], strict=True))
    assert int(on_home["region"]) == in_stats == 455
    for cls, label in (("Initiative", "initiative"), ("Source", "source")):
        assert int(on_home[label]) == next(int(r[1]) for r in rows if r[0] == SC + cls)


def test_the_graph_link_only_where_the_graph_view_has_the_node(server):
    def graph_links(path):
        return [a for a in page(server, path).find("a") if a["attrs"].get("id") == "graph-link"]

    assert len(graph_links("/id/topic/mobilitaet")) == 1
    assert graph_links("/id/graph/curated-links") == []  # a named graph: not a node of the view
    link = "/id/curated/verwaltung--servesGoal--einsparungen"  # a statement node
    assert graph_links(link) == []


def test_a_query_header_names_its_columns(server, tmp_path):
    from smartcity_kg.errors import InputError
    from smartcity_kg.named_queries import parse_header

    html = page(server, "/queries/gemeinden-per-kreis")
    assert texts(html.find("th", within="results")) == [
        "AGS",
        "Kreis",
        "kind",
        "Regierungsbezirk",
        "Gemeinden",
        "gemeindefreie Gebiete",
    ]
    rq = tmp_path / "q.rq"
    rq.write_text("# title: T\n# column: n  the count \nSELECT ?n {}\n", encoding="utf-8")
    assert parse_header(rq).columns == (("n", "the count"),)
    rq.write_text("# title: T\n# column: n\nSELECT ?n {}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"q.rq:2: a column line reads 'NAME heading'"):
        parse_header(rq)


# --- the page data behind the forms and tables, in-process -------------------------------------


def test_choices_by_parameter_kind(kb, monkeypatch):
    from smartcity_kg.server import page_data

    params = [
        {"name": "lang", "kind": "string", "default": "de"},
        {"name": "flag", "kind": "boolean", "default": "true"},
        {"name": "topic", "kind": "iri", "default": "id:topic/mobilitaet"},
        {"name": "text", "kind": "string", "default": "Hessen"},
        {"name": "year", "kind": "year", "default": "2024"},
    ]
    choices = page_data.form_choices(kb, params, "de")
    assert sorted(choices) == ["flag", "lang", "topic"]
    assert [c["value"] for c in choices["flag"]] == ["true", "false"]
    assert len(choices["topic"]) == 10
    assert {"value": "id:topic/mobilitaet", "text": "Mobilität"} in choices["topic"]
    monkeypatch.setattr(page_data, "MAX_CHOICES", 9)  # too many to choose from: a text field
    assert sorted(page_data.form_choices(kb, params, "de")) == ["flag", "lang"]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("fundingEur", "funding (EUR)"),
        ("regionAgs", "region AGS"),
        ("topicAreas", "topic areas"),
        ("sourceUrl", "source URL"),
        ("kind", "kind"),
        ("sdg2", "SDG 2"),
    ],
)
def test_readable_column_names(name, words):
    from smartcity_kg.server.page_data import readable

    assert readable(name) == words


def test_an_iri_column_and_its_label_become_one_column(kb):
    import pyoxigraph as ox

    from smartcity_kg import Select
    from smartcity_kg.server.page_data import display

    topic, lit = ox.NamedNode(ID + "topic/mobilitaet"), ox.Literal
    rows = [(lit("Mobility"), topic, lit("3")), (None, topic, lit("1"))]
    table = display(kb, Select(["topicLabel", "topic", "n"], rows), "en", 10, {})
    assert [c["name"] for c in table["columns"]] == ["topic", "n"]
    assert table["rows"][0][0] == {
        "text": "Mobility",
        "href": "/id/topic/mobilitaet",
        "title": ID + "topic/mobilitaet",
    }
    assert table["rows"][1][0]["text"] == "Mobility"  # no label bound: the IRI's own, in en
    # a literal column beside a label is no IRI column: both stay
    rows = [(lit("x"), lit("y"))]
    table = display(kb, Select(["thingLabel", "thing"], rows), "en", 10, None)
    assert [c["label"] for c in table["columns"]] == ["thingLabel", "thing"]


def test_an_error_page_has_a_title_in_the_page_language(server):
    for lang, title in (("de", "Nicht gefunden"), ("en", "Not found")):
        r = httpx.get(
            server.url + "/id/topic/nirgendwo",
            params={"_lang": lang},
            headers={"Accept": "text/html"},
        )
        assert r.status_code == 404
        html = Elements(r.text)
        assert html.find("h1")[0]["text"] == title
        assert html.find("title")[0]["text"] == f"{title} · smartcity-kg"
    html = page(server, "/queries/region-by-ags", 400, ags="123456", _lang="de")
    assert html.by_id("message")["text"].startswith("value '123456' is not a valid ags")


def test_an_address_is_a_link(server):
    html = page(server, "/id/source/digitale-staedte", _lang="en")
    hrefs = [a["attrs"]["href"] for a in html.find("a", "outgoing")]
    assert "https://www.digitalstrategie-hessen.de" in hrefs  # sc:url, an xsd:anyURI
