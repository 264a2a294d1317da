"""HTML pages, linked-data views of /id/... and the named-query API (/queries...)."""

from __future__ import annotations

from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import formats
from ..errors import InputError
from ..htmlsafe import json_for_html
from ..prefixes import ID
from .negotiate import GRAPH_TYPES, MEDIA, choose, parse_accept
from .page_text import text as words
from .security import checked_iri
from .site import LANG_KEY, result_response, site_of

#: /id/NAME.ttl and the like: each graph format's first extension
SUFFIXES = {formats.get(n).extensions[0]: n for n in formats.names(formats.GRAPH)}
#: the page's own controls, never query parameters (_example: the query page's chosen example)
RESERVED = {"_download", "_example", LANG_KEY}


class AnyPath(Convertor):
    """Starlette's ``path`` convertor, but matching newlines too: ``/id/a%0Ab`` reaches the
    entity route and gets its 400 (an invalid IRI) instead of a 404."""

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("anypath", AnyPath())


def query_list(request: Request) -> list[dict]:
    """The named queries with their parameters and URLs (paths on this site: never built from
    the Host header a client sends)."""
    from ..named_queries import catalog

    out = []
    for q in catalog().values():
        out.append(
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "check": q.is_check,
                "params": [
                    {
                        "name": p.name,
                        "type": p.kind,
                        "default": p.default,
                        "description": p.description,
                    }
                    for p in q.params
                ],
                "url": f"/queries/{q.name}",
                "json": f"/queries/{q.name}.json",
                "csv": f"/queries/{q.name}.csv",
            }
        )
    return out


def with_value(choices: list[dict], value: str) -> tuple[list[dict], str]:
    """The choices with ``value`` among them, and the choice to select, so the select shows
    what the form was sent (a full IRI selects its prefixed form; another value is added)."""
    from ..prefixes import compact

    known = {c["value"] for c in choices}
    if value in known:
        return choices, value
    if compact(value.strip("<>")) in known:
        return choices, compact(value.strip("<>"))
    return [*choices, {"value": value, "text": value}], value


def example_text(named) -> str:
    """The named query's text with its default parameters bound, to show on the query page."""
    from ..binding import bind

    return bind(named.text, named.bindings({}))


async def home(request: Request) -> Response:
    site = site_of(request)
    lang = site.lang(request)
    data = await site.cached(("home", lang), "home", {"lang": lang})
    title = words("Smart City knowledge graph", lang)
    return site.page(request, "home.html", data=data, title=title)


async def entity(request: Request) -> Response:
    site = site_of(request)
    path = request.path_params["path"]
    fmt = None
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix):
            path, fmt = path[: -len(suffix)], name
    if fmt is None:
        offers = {"text/html": "html", "application/xhtml+xml": "html", **GRAPH_TYPES}
        fmt = choose(request.headers.get("accept"), offers, "html")
        if fmt is None:
            raise HTTPException(406, "Ask for text/html, text/turtle or application/ld+json.")
    iri = checked_iri(ID + path, "The page's IRI")
    if fmt != "html":
        body = await site.run("entity_rdf", {"iri": iri, "fmt": fmt})
        if body is None:
            raise HTTPException(404, f"<{iri}> is not described in this knowledge base.")
        return Response(body, media_type=MEDIA[fmt], headers={"Vary": "Accept"})
    lang = site.lang(request)
    data = await site.cached(("entity", iri, lang), "entity", {"iri": iri, "lang": lang})
    if data is None:
        raise HTTPException(404, f"<{iri}> is not mentioned in this knowledge base.")
    response = site.page(request, "entity.html", e=data, title=data["title"])
    response.headers["Vary"] = "Accept"
    return response


async def queries(request: Request) -> Response:
    site = site_of(request)
    items = query_list(request)
    wants_json = any(
        m == "application/json" for m, _ in parse_accept(request.headers.get("accept"))[:1]
    )
    if request.url.path.endswith(".json") or wants_json:
        return JSONResponse(items)
    title = words("Named queries", site.lang(request))
    return site.page(request, "queries.html", queries=items, title=title)


async def named_query(request: Request) -> Response:
    site = site_of(request)
    from .. import named_queries

    name = request.path_params["name"]
    fmt = "html"
    for suffix in (".json", ".csv"):
        if name.endswith(suffix):
            name, fmt = name[: -len(suffix)], suffix[1:]
    try:
        named = named_queries.get(name)
    except InputError as err:
        raise HTTPException(404, err.message) from None
    given = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    page_lang = fmt == "html" or LANG_KEY in request.query_params
    if page_lang and "lang" not in given and any(p.name == "lang" for p in named.params):
        given["lang"] = site.lang(request)  # the query's labels in the page's language
    download = request.query_params.get("_download", "") in ("1", "true", "yes")
    max_rows = None if download else site.config.max_rows
    if fmt != "html":
        try:
            params = named.bindings(given)  # RDF terms; the worker binds them
        except InputError as err:
            raise HTTPException(400, err.message) from None
        formats = {"select": fmt, "graph": "turtle" if fmt == "csv" else "jsonld"}
        payload = await site.run(
            "query",
            {
                "text": named.text,
                "params": params,
                "source": name,
                "formats": formats,
                "max_rows": max_rows,
            },
        )
        return result_response(payload)
    lang = site.lang(request)
    fields = [{"name": p.name, "kind": p.kind, "default": p.default} for p in named.params]
    choices = await site.cached(
        ("choices", name, lang), "form_choices", {"params": fields, "lang": lang}
    )
    values = {p.name: given.get(p.name, p.default or "") for p in named.params}
    selects = {}
    for key, options in choices.items():
        selects[key], values[key] = with_value(options, values[key])
    context: dict[str, Any] = {
        "q": named,
        "values": values,
        "choices": selects,
        "table": None,
        "message": None,
    }
    status = 200
    try:
        params = named.bindings(given)
    except InputError as err:
        context["message"], status = err.message, 400
    else:
        payload = await site.run(
            "query",
            {
                "text": named.text,
                "params": params,
                "source": name,
                "formats": {"select": "html", "graph": "html"},
                "max_rows": max_rows,
                "lang": lang,
                "headers": dict(named.columns),
            },
        )
        context["table"] = payload["table"]
    query_string = request.url.query
    context["json_url"] = f"/queries/{name}.json" + (f"?{query_string}" if query_string else "")
    context["csv_url"] = f"/queries/{name}.csv" + (f"?{query_string}" if query_string else "")
    response = site.page(request, "named_query.html", title=named.title, **context)
    response.status_code = status
    return response


async def query_page(request: Request) -> Response:
    site = site_of(request)
    from ..named_queries import catalog

    text = request.query_params.get("query")
    examples = []
    for q in catalog().values():
        if q.is_check:
            continue
        try:
            example = example_text(q)
        except InputError:
            example = q.text
        examples.append({"name": q.name, "title": q.title, "text": example})
    chosen = request.query_params.get("_example", "")
    context: dict[str, Any] = {"query": text or "", "table": None, "message": None}
    context["chosen"] = chosen
    status = 200
    if text is not None and not text.strip():
        context["message"], status = (
            "The query is empty: write a SPARQL query or pick an example, then run it.",
            400,
        )
    elif text:
        try:
            payload = await site.run(
                "sparql",
                {
                    "text": text,
                    "max_rows": site.config.max_rows,
                    "formats": {"select": "html", "graph": "html"},
                    "lang": site.lang(request),
                },
                adhoc=True,
            )
        except HTTPException as err:
            context["message"], status = str(err.detail), err.status_code
        else:
            if payload.get("update"):
                context["message"], status = (
                    "This page runs queries only; send updates to /update with the server's token.",
                    400,
                )
            else:
                context["table"] = payload["table"]
    response = site.page(
        request,
        "query.html",
        title=words("SPARQL query", site.lang(request)),
        examples_json=json_for_html(examples),
        examples=examples,
        **context,
    )
    response.status_code = status
    return response


async def ontology(request: Request) -> Response:
    site = site_of(request)
    data = await site.cached(("ontology",), "ontology", {})
    return site.page(
        request, "ontology.html", data=data, title=words("Ontology", site.lang(request))
    )


async def graph_view(request: Request) -> Response:
    """The export module's interactive graph page for a view, optionally around a node."""
    site = site_of(request)
    from starlette.responses import HTMLResponse

    params = request.query_params
    view = params.get("view", "topics")
    focus = params.get("focus") or None
    try:
        depth = int(params.get("depth", "1"))
    except ValueError:
        raise HTTPException(400, "depth is a whole number (0 or more).") from None
    lang = site.lang(request)
    key = ("graph", view, lang, focus, depth)
    args = {"view": view, "lang": lang, "focus": focus, "depth": depth}
    return HTMLResponse(await site.cached(key, "graph_view", args))


async def void(request: Request) -> Response:
    """The VoID description of the live dataset, in the RDF format the client accepts."""
    site = site_of(request)
    fmt = choose(request.headers.get("accept"), GRAPH_TYPES, "turtle")
    if fmt is None:
        raise HTTPException(406, "Ask for text/turtle, application/ld+json or another RDF type.")
    base = site.config.base_url  # the address served on, never the client's Host header
    body = await site.cached(("void", fmt), "void", {"base": base, "fmt": fmt})
    return Response(body, media_type=MEDIA[fmt], headers={"Vary": "Accept"})


async def favicon(request: Request) -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)


ROUTES = [
    Route("/", home),
    Route("/id/{path:anypath}", entity),
    Route("/queries", queries),
    Route("/queries.json", queries),
    Route("/queries/{name}", named_query),
    Route("/query", query_page),
    Route("/ontology", ontology),
    Route("/graph", graph_view),
    Route("/.well-known/void", void),
    Route("/favicon.ico", favicon),
]
