"""The static linked-data site: every page the server shows for this knowledge base, as files.

``smartcity-kg site -o DIR`` writes a folder that any static host (GitHub Pages, an Apache
folder, a USB stick) can serve: one page per ``id:`` IRI plus its Turtle, JSON-LD and
N-Triples, the ontology's documentation, the named queries with their results, the catalogue
metadata, the offline graph view and the ``.htaccess`` that lets ``https://w3id.org/smartcity-kg/``
IRIs resolve by content negotiation.

The pages are the server's own (:mod:`.server.page_data` gathers the data, the server's
templates render it, with ``static`` set so that controls needing a server are left out), so a
page looks the same served and as a file. The templates link with the server's paths
(``/id/topic/x?_lang=en``); :class:`Links` turns each into a relative file path from the page
it stands on, so the site works from any folder and offline. One tree per language: the first
language at the root, the others under ``en/`` and so on.

Everything is built in memory and sorted, so the same input gives the same bytes; :func:`write`
puts it into place atomically.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import pyoxigraph as ox

from . import formats
from .dataset import KnowledgeBase
from .errors import InputError
from .prefixes import ID, ONTOLOGY_IRI

#: The site's languages: the first at the root, each other one in a folder of its name.
LANGUAGES = ("de", "en")
#: RDF views of each page: format name -> file extension, in the order .htaccess tries them.
RDF_VIEWS = {name: formats.get(name).extensions[0] for name in ("turtle", "jsonld", "ntriples")}
#: A file in every site, so :func:`write` replaces only folders it wrote before.
MARKER = ".smartcity-kg-site"
#: Rows a named query's page shows (its JSON and CSV files have all rows).
PAGE_ROWS = 1000
#: An IRI path segment that maps to the same file name on every system.
_SEGMENT = re.compile(r"[^\x00-\x1f/\\?#%\x7f]+")
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_LINK_ATTR = re.compile(r'\b(href|src|action)="([^"]*)"')


@dataclass
class Site:
    """The files of a site (path relative to its root -> bytes), and the IRIs that got no page
    with the reason."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # IRI -> its page (first language)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.files.values())


def page_path(iri: str) -> tuple[str | None, str]:
    """``topic/x`` (the file name stem under ``id/``) for an ``id:`` IRI, or None and why not.

    The file name is the IRI's path, percent-decoded per segment, so that a static host serving
    ``id/topic/x.html`` answers the IRI's own path. IRIs that cannot be files are left out: a
    query or fragment, an empty, ``.`` or ``..`` segment, a control character, or a name ending
    in one of the site's own extensions (the server too reads ``/id/x.ttl`` as x's Turtle).
    """
    rest = iri[len(ID) :]
    if "?" in rest or "#" in rest:
        return None, "it has a query or a fragment"
    segments = [unquote(s) for s in rest.split("/")]
    if any(s in ("", ".", "..") or not _SEGMENT.fullmatch(s) for s in segments):
        return None, "a path segment is empty, '.', '..' or has characters no file name can hold"
    name = "/".join(segments)
    if name.lower().endswith((".html", *RDF_VIEWS.values())):
        return None, "it ends in a file extension of the site (.html, .ttl, .jsonld, .nt)"
    return name, ""


def tree(lang: str, languages: tuple[str, ...]) -> str:
    """The folder of a language's pages: the root for the first language."""
    return "" if lang == languages[0] else f"{lang}/"


class Links:
    """Turns the server's paths in a rendered page into file paths relative to that page.

    ``routes`` maps a server path (no query) to its file, with ``{tree}`` where the language's
    folder goes. A path the site has no file for (``/sparql``, a query's form) loses its
    ``href``: it stays as text, never as a link that leads nowhere. ``/id/...`` without a page
    links to the IRI itself.
    """

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = languages
        self.routes: dict[str, str] = {}

    def target(self, href: str, lang: str) -> str | None:
        """The site file (with ``#fragment``) for a server path, None when there is none;
        ``href`` itself when it is not a path on this site."""
        if not href.startswith("/") or href.startswith("//"):
            return href
        rest, _, fragment = href.partition("#")
        path, _, query = rest.partition("?")
        kept = [p for p in query.split("&") if p and not p.startswith("_lang=")]
        lang = dict(parse_qsl(query)).get("_lang", lang)
        file = None if kept or lang not in self.languages else self.routes.get(path)
        if file is None:
            if path.startswith("/id/"):  # an IRI without a page links to itself
                query = "&".join(kept)
                return (
                    ID
                    + path[4:]
                    + (f"?{query}" if query else "")
                    + (f"#{fragment}" if fragment else "")
                )
            return None
        file = file.replace("{tree}", tree(lang, self.languages))
        return file + (f"#{fragment}" if fragment else "")

    def relative(self, file: str, here: str) -> str:
        """``file`` (a site path, maybe with ``#fragment``) as a link from the page ``here``."""
        path, hash_, fragment = file.partition("#")
        folder = here.split("/")[:-1]
        parts = path.split("/")
        common = 0
        while common < min(len(folder), len(parts) - 1) and folder[common] == parts[common]:
            common += 1
        rel = "../" * (len(folder) - common) + "/".join(parts[common:])
        if ":" in rel.split("/", 1)[0]:
            rel = "./" + rel  # not to be read as a scheme
        return quote(rel, safe="/-._~!$&'()*+,;=:@") + hash_ + fragment

    def rewrite(self, page: str, here: str, lang: str) -> str:
        """Every ``href``, ``src`` and ``action`` of the page's tags made relative to ``here``.

        Only tags are touched: text and ``<script>`` data cannot hold a ``<`` followed by a
        letter, as labels are escaped and JSON in a page is written by ``json_for_html``.
        """
        done: dict[str, str] = {}

        def attribute(m: re.Match) -> str:
            key = m.group(0)
            if key not in done:
                name, value = m.group(1), html.unescape(m.group(2))
                target = self.target(value, lang)
                if target is None:
                    done[key] = ""
                elif target is value or target.startswith(ID):
                    done[key] = f'{name}="{html.escape(target)}"'
                else:
                    done[key] = f'{name}="{html.escape(self.relative(target, here))}"'
            return done[key]

        def tag(m: re.Match) -> str:
            text = m.group(0)
            return _LINK_ATTR.sub(attribute, text) if "=" in text else text

        return _TAG.sub(tag, page)


class _Builder:
    def __init__(self, kb: KnowledgeBase, languages: tuple[str, ...], base_url: str | None):
        from .server.site import template_environment

        self.kb = kb
        self.languages = languages
        self.base_url = base_url
        self.env = template_environment()
        self.links = Links(languages)
        self.site = Site()

    def add(self, path: str, data: str | bytes) -> None:
        self.site.files[path] = data.encode("utf-8") if isinstance(data, str) else data

    def route(self, server_path: str, file: str) -> None:
        self.links.routes[server_path] = file

    def render(self, template: str, here: str, server_path: str, lang: str, **context) -> None:
        """One page of a language's tree, rendered by the server's template, links made
        relative."""
        page = self.env.get_template(template).render(
            lang=lang,
            lang_links={x: f"{server_path}?_lang={x}" for x in self.languages},
            path=server_path,
            allow_update=False,
            static=True,
            **context,
        )
        file = tree(lang, self.languages) + here
        self.add(file, self.links.rewrite(page, file, lang))

    def build(self) -> Site:
        from .server import page_data

        entities = self.entity_iris()
        self.plan(entities)
        for lang in self.languages:
            home = page_data.home(self.kb, lang)
            self.render("home.html", "index.html", "/", lang, data=home, title=HOME_TITLE)
            data = page_data.ontology(self.kb)
            self.render(
                "ontology.html", "ontology.html", "/ontology", lang, data=data, title="Ontology"
            )
            self.queries(lang)
            self.graph_view(lang)
            for iri, name in entities.items():
                e = page_data.entity(self.kb, iri, lang)
                assert e is not None  # a triple names it
                served = local_path(iri)  # the path as the pages link it
                self.render("entity.html", f"id/{name}.html", served, lang, e=e, title=e["title"])
        for iri, name in entities.items():
            triples = page_data.entity_rdf(self.kb, iri)
            for fmt, ext in RDF_VIEWS.items():
                self.add(f"id/{name}{ext}", rdf(triples, fmt))
        ontology = [
            q.triple
            for q in self.kb.store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_IRI))
        ]
        for fmt, ext in RDF_VIEWS.items():
            self.add(f"ontology{ext}", rdf(ontology, fmt))
        self.static_files()
        self.site.files = dict(sorted(self.site.files.items()))
        return self.site

    def entity_iris(self) -> dict[str, str]:
        """Every ``id:`` IRI the pages can show (subject or object of a triple) -> its file
        name; the others go to ``skipped``."""
        seen: set[str] = set()
        for q in self.kb.quads():
            for term in (q.subject, q.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(ID):
                    seen.add(term.value)
        out = {}
        for iri in sorted(seen):
            name, why = page_path(iri)
            if name is None:
                self.site.skipped.append((iri, why))
            else:
                out[iri] = name
        self.site.pages = {iri: f"id/{name}.html" for iri, name in out.items()}
        return out

    def plan(self, entities: dict[str, str]) -> None:
        """Every server path the site has a file for (see :class:`Links`)."""
        from .named_queries import catalog

        self.route("/", "{tree}index.html")
        self.route("/ontology", "{tree}ontology.html")
        self.route("/graph", "{tree}graph.html")
        self.route("/queries", "{tree}queries/index.html")
        self.route("/queries.json", "{tree}queries.json")
        self.route("/catalog/dcat.ttl", "catalog/dcat.ttl")
        for name in catalog():
            self.route(f"/queries/{name}", f"{{tree}}queries/{name}.html")
        for iri, name in entities.items():
            served = local_path(iri)
            self.route(served, f"{{tree}}id/{name}.html")
            for ext in RDF_VIEWS.values():
                self.route(f"{served}{ext}", f"id/{name}{ext}")
        for name in STATIC_FILES:
            self.route(f"/static/{name}", f"static/{name}")

    def queries(self, lang: str) -> None:
        """The list of named queries, and each query's page and data for its default
        parameters (the page language as ``lang`` where the query has one, as served)."""
        import json

        from .named_queries import catalog
        from .server.page_routes import query_list

        items = query_list(None)  # type: ignore[arg-type]  # it reads no request
        self.render(
            "queries.html",
            "queries/index.html",
            "/queries",
            lang,
            queries=items,
            title="Named queries",
        )
        self.add(tree(lang, self.languages) + "queries.json", json.dumps(items) + "\n")
        for name, named in catalog().items():
            context: dict[str, Any] = {"q": named, "table": None, "message": None}
            given = {"lang": lang} if any(p.name == "lang" for p in named.params) else {}
            context["values"] = {p.name: given.get(p.name, p.default or "") for p in named.params}
            try:
                data = query_files(self.kb, named, given, lang)
            except InputError as err:
                context["message"] = err.message
            else:
                context["table"] = data.pop("table")
                for suffix, body in data.items():
                    file = f"{tree(lang, self.languages)}queries/{name}{suffix}"
                    self.add(file, body)
                    self.route(f"/queries/{name}{suffix}", f"{{tree}}queries/{name}{suffix}")
            context["json_url"] = f"/queries/{name}.json"
            context["csv_url"] = f"/queries/{name}.csv"
            self.render(
                "named_query.html",
                f"queries/{name}.html",
                f"/queries/{name}",
                lang,
                title=named.title,
                **context,
            )

    def graph_view(self, lang: str) -> None:
        """The ``html`` export's topics view (the server's /graph), standalone, its nodes
        linking to their pages in this language."""
        from .graph import build
        from .htmlview import page

        file = tree(lang, self.languages) + "graph.html"

        def href(iri: str) -> str:
            target = self.links.target(local_path(iri), lang)
            if target is None or target.startswith(("http:", "https:")):
                return iri
            return self.links.relative(target, file)

        g = build(self.kb, "topics", lang=lang)
        self.add(file, page(g, "smartcity-kg graph", href=href))

    def static_files(self) -> None:
        from importlib import resources

        from .dcat import dcat_turtle
        from .htaccess import htaccess

        here = resources.files("smartcity_kg") / "server" / "static"
        for name in STATIC_FILES:
            self.add(f"static/{name}", (here / name).read_bytes())
        self.add("catalog/dcat.ttl", dcat_turtle())
        self.add(".htaccess", htaccess(self.base_url, self.languages))
        self.add(".nojekyll", b"")  # GitHub Pages: serve every file as it is
        self.add(MARKER, "A site written by 'smartcity-kg site'; it may replace this folder.\n")


HOME_TITLE = "Smart City knowledge graph"
STATIC_FILES = ("favicon.svg", "style.css")


def local_path(iri: str) -> str:
    from .server.page_data import local_href

    return local_href(iri)


def rdf(triples: list[ox.Triple], fmt: str) -> bytes:
    """Triples in ``fmt``, sorted (N-Triples line by line) so the same graph gives the same
    bytes whatever order the store returns."""
    from .render import render_graph

    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return render_graph(ordered, fmt)


def query_files(kb: KnowledgeBase, named, given: dict, lang: str) -> dict:
    """A named query's answer for ``given`` parameters: its page table, and its data files as
    the server's API sends them (``.json`` and ``.csv``; a graph: JSON-LD and Turtle)."""
    from .render import render_result
    from .server.page_data import display
    from .sparql import Graph, run

    result = run(kb, named.text, named.bindings(given), source=named.name)
    table = display(kb, result, lang, PAGE_ROWS)
    graph = isinstance(result, Graph)
    if isinstance(result, Graph):
        result = Graph(sorted(set(result.triples), key=str))
    out: dict = {"table": table}
    for suffix, fmt in (
        (".json", "jsonld" if graph else "json"),
        (".csv", "turtle" if graph else "csv"),
    ):
        body = render_result(result, fmt)
        out[suffix] = body.encode("utf-8") if isinstance(body, str) else body
    return out


def build(
    kb: KnowledgeBase, *, base_url: str | None = None, languages: tuple[str, ...] = LANGUAGES
) -> Site:
    """The site's files for ``kb``. ``base_url`` is where the site will be hosted: the
    ``.htaccess`` then redirects there (the copy for w3id.org); without it, it redirects within
    the folder it lies in (an Apache serving the site itself)."""
    if base_url is not None:
        check_base_url(base_url)
    return _Builder(kb, tuple(languages), base_url).build()


def check_base_url(url: str) -> None:
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?/", url):
        raise InputError(
            f"--base-url {url!r}: give the http(s) URL the site is hosted at, ending in '/' "
            "(e.g. https://example.org/smartcity-kg/)."
        )


def check_output(out: Path) -> None:
    """An error unless :func:`write` may write to ``out`` (checked before a long build)."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{out}: the folder {parent} does not exist; create it first.")
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise InputError(f"{out}: is not a folder; give a folder for the site.")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise InputError(
                f"{out}: the folder is not empty and holds no site written by "
                "'smartcity-kg site'; give a new or empty folder."
            )


def write(site: Site, out: Path) -> None:
    """Write the site to ``out`` atomically: into a new folder beside it, which then takes
    its place. ``out`` may be missing, an empty folder or a site written before; anything else
    is refused, and on any failure ``out`` is left as it was."""
    out = Path(out)
    check_output(out)
    parent = out.parent if str(out.parent) else Path(".")
    token = f"{os.getpid()}.{secrets.token_hex(4)}"
    tmp = parent / f".{out.name}.{token}.sckg-tmp"
    old = parent / f".{out.name}.{token}.sckg-old"
    try:
        tmp.mkdir(mode=0o755)
        for name, data in site.files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if out.exists():
            os.rename(out, old)
        os.rename(tmp, out)
    except OSError as err:
        from .files import write_error

        if old.exists() and not out.exists():
            os.rename(old, out)
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(write_error(out, err)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
