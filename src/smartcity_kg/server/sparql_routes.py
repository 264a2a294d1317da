"""The SPARQL 1.1 Protocol at /sparql, and (only with --allow-update) /update and the Graph
Store Protocol at /rdf-graphs."""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import vocab
from .negotiate import GRAPH_TYPES, MEDIA, RESULT_TYPES, choose, prefers_html
from .site import Site, read_body, result_response, site_of

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
RDFS_SEE_ALSO = vocab.RDFS + "seeAlso"  # to the VoID description
SD_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def request_fields(site: Site, request: Request) -> dict[str, list[str]]:
    """The protocol's fields from the URL and, for POST, from the body."""
    fields = {k: request.query_params.getlist(k) for k in request.query_params}
    if request.method != "POST":
        return fields
    body = await read_body(request, site.config.max_body)
    kind = media_type(request)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "The request body is not UTF-8 text.") from None
    if kind == "application/x-www-form-urlencoded":
        for key, values in parse_qs(text, keep_blank_values=True).items():
            fields.setdefault(key, []).extend(values)
    elif kind == "application/sparql-query":
        fields["query"] = [text]
    elif kind == "application/sparql-update":
        fields["update"] = [text]
    else:
        raise HTTPException(
            415,
            f"Content-Type {kind or '(none)'!r} is not a SPARQL request; POST "
            "application/sparql-query, application/sparql-update or a form "
            "(application/x-www-form-urlencoded).",
        )
    return fields


def one(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name) or []
    if len(values) > 1:
        raise HTTPException(400, f"Give the {name!r} parameter once, not {len(values)} times.")
    return values[0] if values else None


def check_token(site: Site, request: Request) -> None:
    """401 unless the request carries the configured bearer token (compared in constant time)."""
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    expected = (site.config.token or "").encode()
    ok = scheme.lower() == "bearer" and bool(expected)
    if not hmac.compare_digest(given.strip().encode(), expected) or not ok:
        raise HTTPException(
            401,
            "This operation needs the server's token: send 'Authorization: Bearer TOKEN'.",
            headers={"WWW-Authenticate": 'Bearer realm="smartcity-kg"'},
        )


def query_formats(request: Request, fields: dict[str, list[str]]) -> dict[str, str]:
    """The result formats for SELECT/ASK and for CONSTRUCT/DESCRIBE: from ?format= (a short
    name or a media type; clients such as SPARQLWrapper send both), else from Accept."""
    from .. import formats

    select = graph = None
    values = [v.strip().lower() for v in fields.get("format", []) if v.strip()]
    for value in values:
        select = select or formats.by_value(value, formats.SELECT)
        graph = graph or formats.by_value(value, formats.GRAPH)
    if values and select is None and graph is None:
        offered = ", ".join(formats.values(formats.SELECT, formats.GRAPH))
        raise HTTPException(400, f"Unknown format {values[0]!r}; use one of {offered}.")
    accept = request.headers.get("accept")
    select = select or choose(accept, RESULT_TYPES, "json")
    graph = graph or choose(accept, GRAPH_TYPES, "turtle")
    if select is None and graph is None:
        offered = ", ".join(sorted(set(RESULT_TYPES) | set(GRAPH_TYPES)))
        raise HTTPException(406, f"No acceptable result format in Accept; offered: {offered}.")
    return {"select": select or "json", "graph": graph or "turtle"}


async def run_query(site: Site, request: Request, fields, text: str) -> Response:
    """Check and run ``text`` in a worker; an update is handed on to :func:`run_update`."""
    download = (one(fields, "download") or "").lower() in ("1", "true", "yes")
    payload = await site.run(
        "sparql",
        {
            "text": text,
            "formats": query_formats(request, fields),
            "max_rows": None if download else site.config.max_rows,
        },
        adhoc=True,
    )
    if payload.get("update"):
        return await run_update(site, request, text)
    return result_response(payload)


async def run_update(site: Site, request: Request, text: str) -> Response:
    """Apply an update on every worker; each checks it with the guard before applying it."""
    if not site.config.allow_update:
        raise HTTPException(
            403,
            "This server is read-only: SPARQL Update is refused. Start it with "
            "'smartcity-kg serve --allow-update --token-env NAME' to accept updates.",
        )
    check_token(site, request)
    await site.pool_write("update", {"text": text})
    return Response(status_code=204)


async def sparql(request: Request) -> Response:
    site = site_of(request)
    fields = await request_fields(site, request)
    update = one(fields, "update")
    query = one(fields, "query")
    if update is not None:
        if request.method != "POST":
            raise HTTPException(400, "Send updates with POST, not GET.")
        return await run_update(site, request, update)
    if query is None:
        if prefers_html(request.headers.get("accept")):
            return RedirectResponse("/query", status_code=303)
        return await service_description(site, request)
    if fields.get("default-graph-uri") or fields.get("named-graph-uri"):
        raise HTTPException(
            400,
            "default-graph-uri and named-graph-uri are not supported; the default graph "
            "is the union of all graphs, use GRAPH <iri> { ... } in the query instead.",
        )
    return await run_query(site, request, fields, query)


async def update(request: Request) -> Response:
    site = site_of(request)
    fields = await request_fields(site, request)
    text = one(fields, "update")
    if text is None:
        raise HTTPException(400, "POST an update as application/sparql-update or update=.")
    return await run_update(site, request, text)


async def graph_store(request: Request) -> Response:
    site = site_of(request)
    check_token(site, request)
    params = request.query_params
    if ("graph" in params) == ("default" in params):
        raise HTTPException(400, "Name one graph: ?graph=IRI or ?default.")
    graph = params.get("graph")
    if graph is not None:
        from .security import checked_iri

        checked_iri(graph, "?graph=")
    if request.method == "GET":
        fmt = choose(request.headers.get("accept"), GRAPH_TYPES, "turtle")
        if fmt is None:
            raise HTTPException(
                406,
                "Ask for text/turtle, application/n-triples, "
                "application/ld+json or application/rdf+xml.",
            )
        body = await site.run("graph_get", {"graph": graph, "fmt": fmt})
        if body is None:
            raise HTTPException(404, f"No graph <{graph}> in this dataset.")
        return Response(body, media_type=MEDIA[fmt])
    body = b""
    if request.method in ("PUT", "POST"):
        body = await read_body(request, site.config.max_body)
    args = {
        "graph": graph,
        "method": request.method,
        "body": body,
        "media": media_type(request),
    }
    result = await site.pool_write("graph_write", args)
    if request.method == "DELETE" and not result["existed"]:
        raise HTTPException(404, f"No graph <{graph}> in this dataset.")
    return Response(status_code=204 if result["existed"] else 201)


def routes(allow_update: bool) -> list[Route]:
    """The protocol's routes; updates and the Graph Store exist only with --allow-update."""
    found = [Route("/sparql", sparql, methods=["GET", "POST"])]
    if allow_update:
        found += [
            Route("/update", update, methods=["POST"]),
            Route("/rdf-graphs", graph_store, methods=["GET", "PUT", "POST", "DELETE"]),
        ]
    return found


async def service_description(site: Site, request: Request) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in an RDF format."""
    import pyoxigraph as ox

    from ..render import render_graph

    fmt = choose(request.headers.get("accept"), GRAPH_TYPES, "turtle") or "turtle"
    sd = lambda name: ox.NamedNode(SD + name)  # noqa: E731
    a = ox.NamedNode(vocab.RDF_TYPE)
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode()
    base = str(request.base_url).rstrip("/")
    endpoint = ox.NamedNode(base + "/sparql")
    triples = [
        ox.Triple(service, a, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, a, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, a, sd("Graph")),
        ox.Triple(dataset, ox.NamedNode(RDFS_SEE_ALSO), ox.NamedNode(f"{base}/.well-known/void")),
    ]
    if site.config.allow_update:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    for name in SD_FORMATS:
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS_NS + name)))
    for g in sorted(site.graphs):
        node = ox.BlankNode()
        triples += [
            ox.Triple(dataset, sd("namedGraph"), node),
            ox.Triple(node, a, sd("NamedGraph")),
            ox.Triple(node, sd("name"), ox.NamedNode(g)),
        ]
    return Response(render_graph(triples, fmt), media_type=MEDIA[fmt])
