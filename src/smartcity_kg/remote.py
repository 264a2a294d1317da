"""A SPARQL 1.1 Protocol client for remote engines (Oxigraph server, Virtuoso, Fuseki, ...).

Queries are bound exactly as on the embedded engine (:mod:`smartcity_kg.binding`), sent with the
project's PREFIX prologue (remote engines do not know our prefixes), and their results are
parsed into the same neutral model (:mod:`smartcity_kg.sparql`) with pyoxigraph terms. Uploads
use the SPARQL 1.1 Graph Store HTTP Protocol. Connection errors and 5xx answers are retried with
exponential backoff; what still fails becomes one clear error naming the URL.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from . import formats
from .binding import Term, bind, prefixes_used, top_level_words
from .errors import InputError
from .prefixes import prologue
from .sparql import Ask, Graph, Result, Select
from .vocab import XSD_BOOLEAN, XSD_STRING

_SELECT_TYPES = "application/sparql-results+json"
_GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
#: media type -> pyoxigraph format, for the RDF an endpoint answers with
_RDF_FORMATS = {
    media: f.ox()
    for f in formats.REGISTRY
    if f.rdf and formats.INPUT in f.kinds
    for media in f.media
    if media != "application/xml"  # that is a SPARQL results document as often as RDF/XML
}


def credentials(env_name: str | None) -> httpx.Auth | None:
    """Auth from the environment variable ``env_name``.

    ``user:password`` means HTTP basic (with a switch to digest when the server asks for it, as
    Virtuoso does); ``Bearer TOKEN`` or a bare token without a colon means a bearer token.
    """
    if not env_name:
        return None
    value = os.environ.get(env_name)
    if not value:
        raise InputError(
            f"--auth-env {env_name}: the environment variable is not set; export "
            f"{env_name}='user:password' or {env_name}='Bearer TOKEN'."
        )
    if value.lower().startswith("bearer ") or ":" not in value:
        return _Bearer(value.split(" ", 1)[-1].strip())
    user, _, password = value.partition(":")
    return _UserPassword(user, password)


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


class _UserPassword(httpx.Auth):
    """User and password, in whichever scheme the server asks for (Basic or Digest).

    The first request goes without credentials; a 401 challenge decides the scheme, which is
    then kept for the following requests.
    """

    def __init__(self, user: str, password: str) -> None:
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.basic = f"Basic {token}"
        self.digest = httpx.DigestAuth(user, password)
        self.scheme: str | None = None

    def auth_flow(self, request):
        if self.scheme == "digest":
            yield from self.digest.auth_flow(request)
            return
        if self.scheme == "basic":
            request.headers["Authorization"] = self.basic
            yield request
            return
        response = yield request
        if response.status_code != 401:
            return
        if response.headers.get("www-authenticate", "").lower().startswith("digest"):
            self.scheme = "digest"
            yield from self.digest.auth_flow(request)
        else:
            self.scheme = "basic"
            request.headers["Authorization"] = self.basic
            yield request


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside braces."""
    for word in top_level_words(query):
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word
    raise InputError("the query has no SELECT, ASK, CONSTRUCT or DESCRIBE form.")


def _derive(url: str, suffixes: dict[str, str]) -> str | None:
    parts = urlsplit(url)
    for old, new in suffixes.items():
        if parts.path.rstrip("/").endswith(old):
            path = parts.path.rstrip("/")[: -len(old)] + new
            return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return None


@dataclass
class Endpoint:
    """A remote SPARQL service: its query URL and, for uploads, its Graph Store URL."""

    url: str
    auth: httpx.Auth | None = None
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5
    store_url: str | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"--endpoint {self.url!r}: give the full http(s) URL of the SPARQL query "
                "service, e.g. http://127.0.0.1:7878/query."
            )
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(auth=self.auth, timeout=self.timeout)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def graph_store(self) -> str:
        """The Graph Store Protocol URL: given, or the usual one beside the query URL."""
        if self.store_url:
            return self.store_url
        crud = "/sparql-graph-crud-auth" if self.auth else "/sparql-graph-crud"
        found = _derive(self.url, {"/query": "/store", "/sparql": crud})
        if found is None:
            raise InputError(
                f"{self.url}: cannot guess the Graph Store URL of this endpoint; "
                "give it with --graph-store URL."
            )
        return found

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        """One HTTP exchange, retried on connection errors and 5xx answers."""
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TimeoutException:
                raise InputError(
                    f"{url}: no answer within {self.timeout:g} s; raise --timeout or "
                    "ask the server's operator about the query."
                ) from None
            except httpx.TransportError as err:
                last = f"cannot connect ({err or type(err).__name__})"
                continue
            if response.status_code < 500:
                return response
            last = f"HTTP {response.status_code}: {_excerpt(response.text)}"
        raise InputError(
            f"{url}: {last} (after {self.retries + 1} attempts). Check the URL and that the "
            "server is running, or raise --timeout."
        )

    def run(
        self,
        query: str,
        params: Mapping[str, Term] | None = None,
        *,
        source: str = "query",
        base_iri: str | None = None,
    ) -> Result:
        """Run ``query`` with ``params`` bound as RDF terms; the answer in the neutral model.

        ``base_iri`` goes first in the prologue, so the query's own BASE still wins."""
        base = f"BASE <{base_iri}>\n" if base_iri else ""
        text = base + prologue(prefixes_used(query)) + bind(query, params or {})
        form = query_form(query)
        accept = _SELECT_TYPES if form in ("SELECT", "ASK") else _GRAPH_TYPES
        response = self.request(
            "POST",
            self.url,
            data={"query": text},
            headers={"Accept": accept},
        )
        if response.status_code == 401 or response.status_code == 403:
            raise InputError(
                f"{self.url}: access denied (HTTP {response.status_code}); "
                "give credentials with --auth-env NAME."
            )
        if response.status_code >= 400:
            raise InputError(
                f"{source}: the endpoint {self.url} rejected the query "
                f"(HTTP {response.status_code}): {_excerpt(response.text)}"
            )
        if form in ("SELECT", "ASK"):
            return parse_results_json(response, self.url)
        return Graph(list(parse_rdf(response, self.url)))

    # --- Graph Store HTTP Protocol -------------------------------------------------------

    def send_graph(self, graph: str | None, ntriples: bytes, *, replace: bool) -> None:
        """PUT (replace) or POST (merge) N-Triples into ``graph`` (None: the default graph)."""
        url = self.graph_store()
        params = {"default": ""} if graph is None else {"graph": graph}
        if "sparql-graph-crud" in url and graph is not None:
            params = {"graph-uri": graph}
        response = self.request(
            "PUT" if replace else "POST",
            url,
            params=params,
            content=ntriples,
            headers={"Content-Type": "application/n-triples"},
        )
        if response.status_code >= 400:
            hint = (
                " Give credentials with --auth-env NAME."
                if response.status_code in (401, 403)
                else ""
            )
            raise InputError(
                f"{url}: the upload to graph {graph or '(default)'} failed "
                f"(HTTP {response.status_code}): {_excerpt(response.text)}.{hint}"
            )

    def count(self, graph: str | None = None) -> int:
        """The number of triples in ``graph`` (None: in all graphs)."""
        if graph is None:
            result = self.run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:
            query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
            result = self.run(query, {"g": ox.NamedNode(graph)})
        assert isinstance(result, Select)
        return int(result.values()[0][0] or 0)


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


def parse_results_json(response: httpx.Response, url: str) -> Select | Ask:
    """SPARQL 1.1 Query Results JSON to :class:`Select` or :class:`Ask`."""
    try:
        doc = response.json()
    except ValueError:
        raise InputError(
            f"{url}: the answer is not SPARQL results JSON "
            f"({response.headers.get('content-type', 'no content type')}): "
            f"{_excerpt(response.text)}"
        ) from None
    if "boolean" in doc:
        return Ask(bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    rows = [
        tuple(_term(b[name]) if name in b else None for name in names)
        for b in doc.get("results", {}).get("bindings", [])
    ]
    return Select(names, rows)


def _term(binding: dict) -> Term:
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    language = binding.get("xml:lang")
    if language:
        return ox.Literal(value, language=language)
    datatype = binding.get("datatype")
    if datatype == XSD_BOOLEAN and value in ("0", "1"):
        value = "true" if value == "1" else "false"  # Virtuoso stores booleans as 0/1
    if datatype and datatype != XSD_STRING:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


def parse_rdf(response: httpx.Response, url: str) -> Iterable[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE answer, in whichever RDF format it came."""
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = _RDF_FORMATS.get(media)
    if fmt is None:
        raise InputError(f"{url}: unexpected answer type {media or '(none)'} for a graph query.")
    if fmt == ox.RdfFormat.RDF_XML:
        from .rdfxml import check_rdfxml

        check_rdfxml(response.content, f"{url} (answer)")
    try:
        return [q.triple for q in ox.parse(response.content, format=fmt)]
    except SyntaxError as err:
        raise InputError(f"{url}: the graph in the answer does not parse: {err}") from None


def publish(
    endpoint: Endpoint,
    graphs: Mapping[str | None, list[ox.Triple]],
    *,
    replace: bool = True,
    chunk: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> dict[str | None, tuple[int, int]]:
    """Upload ``graphs`` (graph IRI -> triples) in chunks; return graph -> (sent, on server).

    With ``replace`` the first chunk of each graph PUTs (replacing the graph) and the rest POST;
    otherwise every chunk POSTs (merging). Triples with blank nodes all travel in the first
    chunk, since a server reads each request's blank node labels as new nodes.
    ``progress(n)`` is called with the number of triples after each chunk.
    """
    out: dict[str | None, tuple[int, int]] = {}
    for graph, triples in graphs.items():
        with_bnodes = [t for t in triples if _has_bnode(t)]
        rest = [t for t in triples if not _has_bnode(t)]
        first = max(chunk - len(with_bnodes), 0)
        batches = [with_bnodes + rest[:first]]
        batches += [rest[i : i + chunk] for i in range(first, len(rest), chunk)]
        for number, batch in enumerate(batches):
            data = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
            endpoint.send_graph(graph, data, replace=replace and number == 0)
            if progress is not None:
                progress(len(batch))
        sent = len(set(triples))
        on_server = endpoint.count(graph) if graph is not None else sent
        out[graph] = (sent, on_server)
    return out


def _has_bnode(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
