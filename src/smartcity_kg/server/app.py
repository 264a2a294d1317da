"""The Starlette application: middleware (CORS, body limit, request log), error pages, routes.

:func:`create_app` takes the settings and a started :class:`~.pool.WorkerPool`; the routes
live in :mod:`.sparql_routes` (the SPARQL protocol, updates, graph store) and
:mod:`.page_routes` (HTML pages, linked data, the named-query API).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from .config import ServerConfig
from .negotiate import prefers_html
from .pool import WorkerPool

log = logging.getLogger("smartcity_kg.server")
CACHE_SIZE = 512
HERE = Path(__file__).parent


class Site:
    """What the routes share: settings, worker pool, templates and cached page data."""

    def __init__(self, config: ServerConfig, pool: WorkerPool) -> None:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        self.config = config
        self.pool = pool
        self.graphs: set[str] = set()
        self.cache: OrderedDict = OrderedDict()  # page data, least recently used first
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )

    def lang(self, request: Request) -> str:
        lang = request.query_params.get("lang", self.config.lang)
        return lang if lang in ("de", "en") else self.config.lang

    def page(self, request: Request, template: str, status: int = 200, **context) -> Response:
        html = self.templates.get_template(template).render(
            lang=self.lang(request),
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


def problem(request: Request, status: int, message: str) -> Response:
    """An error response: a page for browsers, one line of text for everything else."""
    site: Site | None = getattr(request.app.state, "site", None)
    if site is not None and prefers_html(request.headers.get("accept")):
        return site.page(request, "error.html", status=status, status_code=status, message=message)
    return PlainTextResponse(message + "\n", status_code=status)


async def http_error(request: Request, exc: HTTPException) -> Response:
    message = str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"No page at {request.url.path}. The home page / links to everything."
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}."
    response = problem(request, exc.status_code, message)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path)
    return problem(request, 500, "Internal server error; the server log has the details.")


class LimitsAndLog:
    """Pure ASGI middleware: refuse bodies over the size limit, log every request."""

    def __init__(self, app, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = {"code": 0}

        async def send_logged(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"0")
        try:
            too_big = int(length) > self.max_body
        except ValueError:
            too_big = False
        try:
            if too_big:
                response = PlainTextResponse(
                    f"Request body of {int(length)} bytes is over the limit of {self.max_body} "
                    "bytes (--max-body). Send a shorter request.\n",
                    status_code=413,
                    headers={"Connection": "close"},
                )
                await response(scope, receive, send_logged)
            else:
                await self.app(scope, receive, send_logged)
        finally:
            path = scope.get("path", "")
            if scope.get("query_string"):
                path += "?" + scope["query_string"].decode("latin-1")[:200]
            log.info(
                "%s %s %d %.1fms",
                scope.get("method"),
                path,
                status["code"],
                (time.perf_counter() - started) * 1000,
            )


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


def create_app(config: ServerConfig, pool: WorkerPool) -> Starlette:
    """The ASGI application for ``config``, answering with the workers of ``pool``."""
    from contextlib import asynccontextmanager

    from . import page_routes, sparql_routes

    site = Site(config, pool)

    @asynccontextmanager
    async def lifespan(app):
        await pool.open()
        await site.refresh()
        try:
            yield
        finally:
            pool.close()

    routes = [
        *sparql_routes.routes(site),
        *page_routes.routes(site),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(LimitsAndLog, max_body=config.max_body),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                allow_headers=["Accept", "Authorization", "Content-Type"],
                expose_headers=["X-Rows-Truncated"],
                max_age=600,
            ),
        ],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.site = site
    return app
