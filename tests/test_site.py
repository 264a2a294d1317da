"""``smartcity-kg site``: the static linked-data site, built by the installed script, checked
file by file, in headless Chromium offline, and behind a real Apache reading its .htaccess."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from smartcity_kg import InputError, SmartCityKG, open_kg
from smartcity_kg import site as static_site  # the site's pieces (Links), tested here
from smartcity_kg.dataset import KnowledgeBase
from smartcity_kg.htaccess import htaccess
from smartcity_kg.htmlsafe import safe_relative
from smartcity_kg.prefixes import ID, SC

pytestmark = pytest.mark.slow

EXE = Path(sys.executable).parent / "smartcity-kg"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_ACCEPT = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
}
RDFLIB_FORMAT = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


@pytest.fixture(scope="module")
def builds():
    """The shipped knowledge base's site, built twice by the installed script in fresh
    processes with different hash seeds, in a folder everyone may read (Apache serves it)."""
    root = Path(tempfile.mkdtemp(prefix="sckg-site-"))
    root.chmod(0o755)
    runs = []
    for seed in ("1", "2"):
        out = root / f"site{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [str(EXE), "site", "-o", str(out)], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        runs.append((out, done))
    yield root, runs
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def site(builds) -> Path:
    return builds[1][0][0]


def id_iris(kb: KnowledgeBase) -> set[str]:
    return {
        t.value
        for q in kb.quads()
        for t in (q.subject, q.object)
        if isinstance(t, ox.NamedNode) and t.value.startswith(ID)
    }


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_input_gives_the_same_bytes(builds):
    _, [(first, done), (second, _)] = builds
    a, b = files_of(first), files_of(second)
    assert len(a) > 4000
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    pages = sum(1 for name in a if name.startswith("id/") and name.endswith(".html"))
    assert done.stdout == ""
    assert done.stderr == (
        f"Wrote {first}/: {pages} IRIs with a page each in 2 languages, {len(a)} files, "
        f"{sum(map(len, a.values())) / 1e6:.1f} MB\n"
    )


def test_every_id_iri_has_a_page_in_each_language_and_its_rdf(site, kb):
    iris = id_iris(kb)
    assert len(iris) > 800
    for iri in iris:
        name = iri[len(ID) :]
        for file in (
            f"id/{name}.html",
            f"en/id/{name}.html",
            *(f"id/{name}{x}" for x in RDF_ACCEPT),
        ):
            assert (site / file).is_file(), file
    page = (site / "id/topic/mobilitaet.html").read_text(encoding="utf-8")
    assert "<h1>Mobilität</h1>" in page
    assert "<h1>Mobility</h1>" in (site / "en/id/topic/mobilitaet.html").read_text("utf-8")
    assert f"<code>{ID}topic/mobilitaet</code>" in page


def test_rdf_views_hold_exactly_the_triples_about_the_iri(site, kb):
    iris = sorted(
        i for i in id_iris(kb) if any(kb.store.quads_for_pattern(ox.NamedNode(i), None, None, None))
    )
    for n, iri in enumerate(iris):
        expected = rdflib.Graph().parse(
            data=ox.serialize(
                {q.triple for q in kb.store.quads_for_pattern(ox.NamedNode(iri), None, None, None)},
                format=ox.RdfFormat.N_TRIPLES,
            ).decode(),
            format="nt",
        )
        for ext in (".nt", ".ttl", ".jsonld") if n % 40 == 0 else (".nt",):
            got = rdflib.Graph().parse(
                site / f"id/{iri[len(ID) :]}{ext}", format=RDFLIB_FORMAT[ext]
            )
            assert isomorphic(got, expected), (iri, ext)
    onto = rdflib.Graph().parse(site / "ontology.ttl")
    assert (
        rdflib.URIRef(SC + "TopicArea"),
        rdflib.RDFS.label,
        rdflib.Literal("Themenbereich", lang="de"),
    ) in onto


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def test_every_link_of_every_page_resolves_inside_the_site(site):
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    checked = external = 0
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                external += 1
                continue
            assert not parts.scheme and not link.startswith("/"), (page, link)
            if not parts.path:
                assert parts.fragment in parsed.ids, (page, link)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file() and target.is_relative_to(site.resolve()), (page, link)
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in pages[target].ids, (page, link)
            checked += 1
    assert checked > 50_000 and external > 100  # the whole site was walked
    # the graph views' nodes link to their pages, in the graph's language
    for graph in ("graph.html", "en/graph.html"):
        text = (site / graph).read_text("utf-8")
        data = json.loads(re.search(r'id="graph-data">(.*?)</script>', text, re.S).group(1))
        hrefs = [n["href"] for n in data["nodes"] if n.get("href", "").endswith(".html")]
        assert len(hrefs) > 50
        for href in hrefs:
            assert (site / graph).parent.joinpath(unquote(href)).is_file(), href


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_ontology_documents_every_class_and_property_in_both_languages(site, kb):
    page = _parse(site / "ontology.html")
    terms = {
        q.subject.value[len(SC) :]
        for q in kb.store.quads_for_pattern(None, ox.NamedNode(str(rdflib.RDF.type)), None, None)
        if q.subject.value.startswith(SC)
        and q.object.value.rsplit("#", 1)[-1] in ("Class", "ObjectProperty", "DatatypeProperty")
    }
    assert len(terms) > 60
    assert terms <= page.ids
    text = (site / "ontology.html").read_text("utf-8")
    rows = dict(re.findall(r'<tr id="([^"]+)">(.*?)</tr>', text, re.S))
    label = ox.NamedNode(str(rdflib.RDFS.label))
    definition = ox.NamedNode(str(rdflib.SKOS.definition))
    for term in terms:
        cells = re.findall(r"<td>(.*?)</td>", rows[term], re.S)
        node = ox.NamedNode(SC + term)
        for lang, cell in zip(("de", "en"), cells[1:], strict=True):
            for predicate in (label, definition):
                texts = {
                    q.object.value
                    for q in kb.store.quads_for_pattern(node, predicate, None, None)
                    if q.object.language == lang
                }
                assert len(texts) == 1, (term, lang, predicate)
                assert texts.pop() in html.unescape(cell), (term, lang)


def test_named_queries_with_their_results_and_data(site):
    catalog = open_kg().queries()
    names = set(catalog)
    assert {p.stem for p in (site / "queries").glob("*.html")} == names | {"index"}
    page = (site / "en/queries/topic-areas.html").read_text("utf-8")
    assert '<p class="count">10 rows</p>' in page
    assert "Mobility" in page and "<form" not in page
    data = json.loads((site / "en/queries/topic-areas.json").read_bytes())
    labels = sorted(b["label"]["value"] for b in data["results"]["bindings"])
    assert len(labels) == 10 and "Mobility" in labels
    de = json.loads((site / "queries/topic-areas.json").read_bytes())
    assert "Mobilität" in {b["label"]["value"] for b in de["results"]["bindings"]}
    for lang in ("de", "en"):  # the same bytes as the CLI writes
        for fmt in ("csv", "json"):
            args = ["query", "topic-areas", "--param", f"lang={lang}", "--format", fmt]
            cli = subprocess.run([str(EXE), *args], capture_output=True, check=True).stdout
            tree = "" if lang == "de" else "en/"
            assert (site / f"{tree}queries/topic-areas.{fmt}").read_bytes() == cli
    listing = json.loads((site / "queries.json").read_bytes())
    assert sorted(q["name"] for q in listing) == sorted(names)
    needing = [q.name for q in catalog.values() if any(not p.default for p in q.params)]
    for name in needing:  # no defaults: the page says what is missing, no data files
        assert 'class="error" id="message"' in (site / f"queries/{name}.html").read_text("utf-8")
        assert not (site / f"queries/{name}.json").exists()


def test_catalogue_and_static_files(site):
    from smartcity_kg.dcat import dcat_turtle

    assert (site / "catalog/dcat.ttl").read_text("utf-8") == dcat_turtle()
    assert (site / ".nojekyll").is_file() and (site / static_site.MARKER).is_file()
    assert (site / "static/style.css").is_file()


def test_pages_work_offline_in_chromium(site, browser, tmp_path):
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    requests, failed, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append((r.url, r.failure)))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "index.html").as_uri())
    assert page.title() == "Smart City knowledge graph · smartcity-kg"
    assert page.locator("#topics .card h3").count() == 10
    page.locator("#topics").get_by_role("link", name="Mobilität", exact=True).click()
    page.wait_for_url("**/id/topic/mobilitaet.html")
    assert page.locator("h1").inner_text() == "Mobilität"
    page.get_by_role("link", name="en", exact=True).click()
    page.wait_for_url("**/en/id/topic/mobilitaet.html")
    assert page.locator("h1").inner_text() == "Mobility"
    turtle = page.get_by_role("link", name="Turtle", exact=True).get_attribute("href")
    assert turtle == "../../../id/topic/mobilitaet.ttl"  # a file Chromium would download
    page.get_by_role("link", name="Ontology", exact=True).click()
    row = page.locator("#classes tr#TopicArea")
    assert row.locator("td").nth(2).inner_text().startswith("topic area\nA topic area ")
    page.get_by_role("link", name="Named queries", exact=True).click()
    page.get_by_role("link", name="topic-areas", exact=True).click()
    page.wait_for_url("**/en/queries/topic-areas.html")
    assert page.locator("#results tbody tr").count() == 10
    page.get_by_role("link", name="Graph", exact=True).click()
    page.wait_for_url("**/en/graph.html")
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    page.fill("#search", "Mobility")
    page.locator("#results").get_by_text("Mobility", exact=True).click()
    assert page.locator("#details a").first.inner_text() == ID + "topic/mobilitaet"
    page.locator("#details a").first.click()
    page.wait_for_url("**/en/id/topic/mobilitaet.html")
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    names = sorted(p.relative_to(site).as_posix() for p in (site / "id").rglob("*.html"))
    for name in names[:: len(names) // 20]:  # a sample of IRI pages, in both languages
        for tree in ("", "en/"):
            page.goto((site / tree / name).as_uri())
            assert page.locator("h1").inner_text().strip() != ""
            style = "getComputedStyle(document.querySelector('header')).display"
            assert page.evaluate(style) == "flex"  # the stylesheet was loaded
    context.close()
    assert errors == []
    assert failed == []
    assert len(requests) > 15
    for url in requests:  # no network: every request is a file of the site
        assert url.startswith(site.as_uri() + "/"), url
        assert (site / unquote(url[len(site.as_uri()) + 1 :])).is_file(), url


# --- .htaccess --------------------------------------------------------------------------


def simulate(rules: str, path: str, headers: dict[str, str]) -> tuple[int, str] | None:
    """Apply the RewriteCond/RewriteRule lines of ``rules`` to a request for ``path`` (relative
    to the folder) as mod_rewrite does in a folder where no file exists (w3id.org): the first
    rule whose pattern and conditions match wins; (status, location), or None (no redirect)."""
    conds: list[tuple[str, str, int]] = []
    for line in rules.splitlines():
        words = line.split()
        if not words or words[0] not in ("RewriteCond", "RewriteRule"):
            continue
        flags = words[3] if len(words) > 3 else ""
        if words[0] == "RewriteCond":
            conds.append((words[1], words[2], re.I if "NC" in flags else 0))
            continue
        match = re.search(words[1], path)
        ok = match is not None
        for var, pattern, flag in conds:
            if pattern == "-f":
                ok = False  # nothing exists on w3id.org
                continue
            name = re.fullmatch(r"%\{(?:HTTP:)?(.+)\}", var).group(1).replace("HTTP_", "")
            value = headers.get(name.replace("_", "-").lower(), "")
            ok = ok and re.search(pattern, value, flag) is not None
        conds = []
        if not ok or words[2] == "-":
            continue
        groups = ("", *match.groups())
        target = re.sub(r"\$(\d)", lambda m, g=groups: g[int(m.group(1))] or "", words[2])
        status = int(re.search(r"R=(\d+)", flags).group(1))
        return status, target
    return None


def test_htaccess_for_w3id_maps_each_type_to_a_file_of_the_site(site):
    base = "https://example.org/smartcity-kg/"
    rules = htaccess(base, static_site.LANGUAGES)
    names = sorted(
        p.relative_to(site / "id").as_posix()[: -len(".nt")] for p in (site / "id").rglob("*.nt")
    )
    sample = [*names[:: max(1, len(names) // 40)], "topic/mobilitaet"]

    def file_for(path, **headers):
        status, location = simulate(
            rules, path, {k.replace("_", "-"): v for k, v in headers.items()}
        )
        assert status in (302, 303) and location.startswith(base)
        return site / unquote(location[len(base) :])

    for name in sample:
        for ext, media in RDF_ACCEPT.items():
            assert file_for(f"id/{name}", accept=media) == site / f"id/{name}{ext}"
            assert file_for(f"id/{name}", accept=f"{media};q=0.9, */*;q=0.1").is_file()
            assert file_for(f"id/{name}{ext}", accept=BROWSER_ACCEPT) == site / f"id/{name}{ext}"
        assert file_for(f"id/{name}", accept=BROWSER_ACCEPT) == site / f"id/{name}.html"
        assert file_for(f"id/{name}", accept="*/*") == site / f"id/{name}.html"
        english = file_for(f"id/{name}", accept=BROWSER_ACCEPT, accept_language="en-GB,en;q=0.9")
        assert english == site / f"en/id/{name}.html"
        assert file_for(f"id/{name}", accept_language="de-DE,en;q=0.5") == site / f"id/{name}.html"
    for ext, media in RDF_ACCEPT.items():
        assert file_for("ontology", accept=media) == site / f"ontology{ext}"
    assert file_for("ontology", accept=BROWSER_ACCEPT) == site / "ontology.html"
    assert file_for("catalog/", accept="text/turtle") == site / "catalog/dcat.ttl"
    assert file_for("", accept=BROWSER_ACCEPT) == site
    for path in ("id/topic/mobilitaet", "ontology", "catalog/", ""):
        for ext in ("", *RDF_ACCEPT):
            assert file_for(path + ext if path.startswith("id/") else path, accept="*/*").exists()
    assert simulate(rules, "no/such/thing", {"accept": "*/*"}) is None


def test_real_apache_negotiates_with_the_site_htaccess_and_the_w3id_copy(site):
    """The site served by Apache with its own .htaccess, and a folder "w3id" holding only the
    .htaccess for w3id.org (built with --base-url pointing at the site): both answer an IRI
    with a 303 to the file for the Accept header, and that file comes with its media type."""
    from apache import start_apache

    docs = site.parent / "docs"
    docs.mkdir(mode=0o755)
    (docs / "site").symlink_to(site)
    (docs / "w3id").mkdir(mode=0o755)
    with start_apache(site.parent, docs) as url:
        w3id = htaccess(url + "site/", static_site.LANGUAGES)
        (docs / "w3id" / ".htaccess").write_text(w3id, encoding="utf-8")
        (docs / "w3id" / ".htaccess").chmod(0o644)
        with httpx.Client(timeout=10) as client:
            for prefix in ("site/", "w3id/"):
                for name in ("topic/mobilitaet", "region/06411000", "source/digitale-staedte"):
                    iri = f"{url}{prefix}id/{name}"
                    for ext, media in [*RDF_ACCEPT.items(), (".html", BROWSER_ACCEPT)]:
                        r = client.get(iri, headers={"Accept": media})
                        assert r.status_code == 303, (iri, media, r.text)
                        assert r.headers["location"] == f"{url}site/id/{name}{ext}"
                        file = client.get(r.headers["location"])
                        assert file.status_code == 200
                        assert file.content == (site / f"id/{name}{ext}").read_bytes()
                        expected = media.split(",")[0]
                        assert file.headers["content-type"].split(";")[0] == expected
                    r = client.get(iri, headers={"Accept-Language": "en"})
                    assert r.headers["location"] == f"{url}site/en/id/{name}.html"
                r = client.get(f"{url}{prefix}ontology", headers={"Accept": "text/turtle"})
                assert r.headers["location"] == f"{url}site/ontology.ttl"
                r = client.get(f"{url}{prefix}catalog/", headers={"Accept": "text/turtle"})
                assert r.headers["location"] == f"{url}site/catalog/dcat.ttl"
            missing = client.get(f"{url}site/id/topic/no-such-thing.ttl")
            assert missing.status_code == 404  # no redirect loop for a missing file
            via = client.get(f"{url}w3id/id/topic/mobilitaet.jsonld")
            assert via.headers["location"] == f"{url}site/id/topic/mobilitaet.jsonld"
            home = client.get(f"{url}site/", follow_redirects=True)
            assert home.status_code == 200 and "<h1>Smart City knowledge graph</h1>" in home.text


# --- writing the folder -------------------------------------------------------------------


def test_a_folder_that_is_not_a_site_is_refused_and_kept(cli_run, tmp_path):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    result = cli_run("site", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {out}: the folder is not empty and holds no site written by 'smartcity-kg "
        "site'; give a new or empty folder.\n"
    )
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    (tmp_path / "file").write_text("x")
    assert cli_run("site", "-o", str(tmp_path / "file")).exit_code == 2
    result = cli_run("site", "-o", str(tmp_path / "a" / "b"))
    assert result.exit_code == 2
    assert "does not exist; create it first" in result.stderr
    result = cli_run("site", "-o", str(tmp_path / "s"), "--base-url", "ftp://example.org/")
    assert result.exit_code == 2 and "--base-url 'ftp://example.org/'" in result.stderr


def small_kg(tmp_path: Path) -> SmartCityKG:
    data = tmp_path / "small.ttl"
    data.write_text(
        f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}topic/a> rdfs:label "A"@de , "A en"@en ; rdfs:seeAlso <{ID}b%20c/d%C3%BC> , <{ID}x?y=1> ,
    <{ID}p#frag> , <{ID}a/../etc> , <{ID}q.ttl> , <{ID}javascript:alert(1)> .
<{ID}b%20c/d%C3%BC> rdfs:label "Bee"@de .
""",
        encoding="utf-8",
    )
    return open_kg(data=[data], shipped=False)


def test_iris_that_cannot_be_files_are_reported_and_linked_as_iris(tmp_path):
    out = tmp_path / "out"
    site = small_kg(tmp_path).site(out)
    assert sorted(site.pages) == [
        f"{ID}b%20c/d%C3%BC",
        f"{ID}javascript:alert(1)",
        f"{ID}topic/a",
    ]
    assert site.pages[f"{ID}b%20c/d%C3%BC"] == "id/b c/dü.html"
    assert {iri: why.split(" ")[0] for iri, why in site.skipped} == {
        f"{ID}x?y=1": "it",
        f"{ID}p#frag": "it",
        f"{ID}a/../etc": "a",
        f"{ID}q.ttl": "it",
    }
    page = site.files["id/topic/a.html"].decode()
    assert 'href="../b%20c/d%C3%BC.html"' in page
    assert 'href="../javascript:alert(1).html"' in page
    assert f'href="{ID}x?y=1"' in page  # no page: the IRI itself
    assert (out / "id/b c/dü.ttl").read_text("utf-8").count("Bee") == 1


def test_rewriting_the_folder_replaces_it_and_a_failed_write_keeps_it(tmp_path, monkeypatch):
    kg = small_kg(tmp_path)
    out = tmp_path / "site"
    kg.site(out)
    (out / "stale.html").write_text("old")
    before = files_of(out)
    calls = {"n": 0}
    real = Path.write_bytes

    def failing(self, data):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(InputError, match="the disk is full"):
        kg.site(out)
    monkeypatch.undo()
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "small.ttl"]  # no temp left
    kg.site(out)
    assert not (out / "stale.html").exists() and (out / "id/topic/a.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "small.ttl"]


def test_bad_data_leaves_an_existing_site_untouched(cli_run, tmp_path):
    out = tmp_path / "site"
    small_kg(tmp_path).site(out)
    before = files_of(out)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    result = cli_run("site", "-o", str(out), "--data", str(bad))
    assert result.exit_code == 2 and "bad.ttl" in result.stderr
    assert files_of(out) == before


@pytest.mark.parametrize(
    "path, ok",
    [
        ("../id/topic/a.html", True),
        ("a.html#x", True),
        ("./javascript:alert(1).html", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("/etc/passwd", False),
        ("//evil.example/x", False),
        ("\\\\evil.example", False),
        ("a\tb", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_relative(path, ok):
    assert (safe_relative(path) is not None) is ok


def test_relative_links():
    links = static_site.Links(("de", "en"))
    assert links.relative("id/topic/a.html", "id/topic/b.html") == "a.html"
    assert links.relative("static/style.css", "en/id/topic/b.html") == "../../../static/style.css"
    assert links.relative("ontology.html#T", "index.html") == "ontology.html#T"
    assert links.relative("en/id/x.html", "id/x.html") == "../en/id/x.html"
    assert links.relative("id/a b/ü.html", "index.html") == "id/a%20b/%C3%BC.html"


def test_the_api_writes_a_site(tmp_path):
    out = tmp_path / "api-site"
    built = SmartCityKG().site(out, base_url="https://example.org/kg/")
    assert (out / "index.html").is_file() and len(built.pages) > 800
    assert (out / ".htaccess").read_text() == htaccess("https://example.org/kg/", ("de", "en"))
    assert "RewriteRule ^$ https://example.org/kg/ [R=302,L]" in (out / ".htaccess").read_text()
