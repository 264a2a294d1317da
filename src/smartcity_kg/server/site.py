"""What every route shares: the site (settings, worker pool, templates, page cache), and the
small helpers that read a request body and turn a worker's payload into a response.

Routes are module-level functions that find the site in the application's state
(:func:`site_of`), so each can be imported and tested on its own.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..htmlsafe import safe_href
from ..languages import LANGS
from .config import ServerConfig
from .negotiate import MEDIA
from .pool import WorkerPool

log = logging.getLogger("smartcity_kg.server")
CACHE_SIZE = 512
#: the query-string key of the page language; keys starting with "_" steer the page
LANG_KEY = "_lang"
HERE = Path(__file__).parent


def site_of(request: Request) -> Site:
    return request.app.state.site


class Site:
    """What the routes share: settings, worker pool, templates and cached page data."""

    def __init__(self, config: ServerConfig, pool: WorkerPool) -> None:
        self.config = config
        self.pool = pool
        self.graphs: set[str] = set()
        self.cache: OrderedDict = OrderedDict()  # page data, least recently used first
        self.templates = template_environment()

    def lang(self, request: Request) -> str:
        """The page language: ``?_lang=`` (a reserved key, so it never reaches a named query's
        own ``lang`` parameter), else the server's default."""
        lang = request.query_params.get(LANG_KEY, self.config.lang)
        return lang if lang in LANGS else self.config.lang

    def page(self, request: Request, template: str, status: int = 200, **context) -> Response:
        html = self.templates.get_template(template).render(
            lang=self.lang(request),
            lang_links=lang_links(request),
            path=request.url.path,
            allow_update=self.config.allow_update,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    async def run(self, op: str, args: dict, *, adhoc: bool = False):
        """A worker's answer, or the HTTP error that tells the client what happened."""
        try:
            return await self.pool.call(op, args, adhoc=adhoc)
        except Exception as err:
            raise self.http_error(op, err) from None

    async def pool_write(self, op: str, args: dict):
        """Apply a change on every worker, then refresh the graph list and page caches."""
        try:
            result = await self.pool.write(op, args)
        except Exception as err:
            raise self.http_error(op, err) from None
        await self.refresh()
        return result

    def http_error(self, op: str, err: Exception) -> Exception:
        """The one place that maps what went wrong in the pool to an HTTP status."""
        from ..errors import InputError, Refused
        from .pool import Busy, QueryTimeout, WorkerDied, WorkerFailed

        limit = self.config.timeout
        if isinstance(err, Refused):
            return HTTPException(403, err.message)
        if isinstance(err, InputError):
            return HTTPException(400, err.message)
        if isinstance(err, QueryTimeout):
            return HTTPException(
                503,
                f"The query was stopped after {limit:g} s, the server's time limit "
                "(--timeout). Make it more selective or add a LIMIT, then send it again.",
                headers={"Retry-After": "1"},
            )
        if isinstance(err, Busy):
            return HTTPException(
                503,
                f"All query workers stayed busy for {limit:g} s (--workers). Try again shortly.",
                headers={"Retry-After": "2"},
            )
        if isinstance(err, WorkerDied):
            log.error("worker died on %s: %s", op, err)
            return HTTPException(
                503,
                "The query worker stopped and is being replaced. Try again shortly.",
                headers={"Retry-After": "2"},
            )
        if isinstance(err, WorkerFailed):
            log.error("worker failed on %s: %s", op, err)
            return HTTPException(500, "The query worker failed; the server log has the details.")
        return err

    async def cached(self, key: tuple, op: str, args: dict):
        """Page data from the cache (at most CACHE_SIZE entries), else from a worker."""
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        value = await self.run(op, args)
        self.cache[key] = value
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
        return value

    async def refresh(self) -> None:
        """Re-read the graph list and drop cached pages (after a change)."""
        info = await self.pool.call("info", {})
        self.graphs = set(info["graphs"])
        self.cache.clear()


def template_environment():
    """The pages' Jinja environment: autoescaping, the link filters, and ``t()`` for the
    chrome's words in the page language (whoever renders these templates needs all three)."""
    from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
    from markupsafe import Markup, escape

    from .page_text import text

    @pass_context
    def translate(context, key: str, **values) -> Markup:
        # the words are escaped, the values only when they are not markup already
        words = escape(text(key, context.get("lang", "en")))
        return Markup(words).format(**values) if values else Markup(words)

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["safe_href"] = safe_href
    env.filters["with_lang"] = with_lang
    env.globals["t"] = translate
    return env


def lang_links(request: Request) -> dict[str, str]:
    """This page in each language: its query with ``_lang`` set, as a query-only reference
    (the browser keeps the path; the client-sent path is never echoed into a link)."""
    from urllib.parse import urlencode

    kept = [(k, v) for k, v in request.query_params.multi_items() if k != LANG_KEY]
    return {lang: "?" + urlencode([*kept, (LANG_KEY, lang)]) for lang in LANGS}


def with_lang(href: str, lang: str) -> str:
    """A link on this site with ``?_lang=`` added (before any ``#fragment``); others as
    given."""
    if not href.startswith("/"):
        return href
    path, hash_, fragment = href.partition("#")
    return f"{path}{'&' if '?' in path else '?'}{LANG_KEY}={lang}{hash_}{fragment}"


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes even without a Content-Length."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(
                413, f"Request body is over the limit of {limit} bytes (--max-body)."
            )
        chunks.append(chunk)
    return b"".join(chunks)


def result_response(payload: dict) -> Response:
    headers = {}
    if payload.get("truncated"):
        headers["X-Rows-Truncated"] = str(payload["truncated"])
    return Response(payload["body"], media_type=MEDIA[payload["format"]], headers=headers)
