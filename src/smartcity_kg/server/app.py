"""The Starlette application: middleware (CORS, body limit, request log), error pages, routes.

:func:`create_app` takes the settings and a started :class:`~.pool.WorkerPool`; the routes
live in :mod:`.sparql_routes` (the SPARQL protocol, updates, graph store) and
:mod:`.page_routes` (HTML pages, linked data, the named-query API), and find the
:class:`~.site.Site` they share in the application's state.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..htmlsafe import safe_href
from ..htmlview import SERVED_ASSETS
from .config import ServerConfig
from .negotiate import prefers_html
from .pool import WorkerPool
from .security import OneLinePerRecord, SecurityHeaders, log_safe, secured
from .site import Site

log = logging.getLogger("smartcity_kg.server")
log.addFilter(OneLinePerRecord())
HERE = Path(__file__).parent


def problem(request: Request, status: int, message: str) -> Response:
    """An error response: a page for browsers, one line of text for everything else."""
    site: Site | None = getattr(request.app.state, "site", None)
    if site is not None and prefers_html(request.headers.get("accept")):
        from .page_text import text

        title = text("Not found" if status == 404 else "Error", site.lang(request))
        return site.page(
            request, "error.html", status=status, status_code=status, message=message, title=title
        )
    return PlainTextResponse(message + "\n", status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)  # registered for HTTPException only
    message = str(exc.detail)
    if exc.status_code == 404 and message == "Not Found" and (moved := without_slash(request)):
        return RedirectResponse(moved, status_code=307)
    path = log_safe(request.scope["path"])  # as sent, controls escaped: one line
    if exc.status_code == 404 and message == "Not Found":
        message = f"No page at {path}. The home page / links to everything."
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {path}."
    response = problem(request, exc.status_code, message)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def without_slash(request: Request) -> str | None:
    """For ``/queries/``: the path without its trailing slash, when a route takes that path.

    Starlette's own redirect for this builds an absolute URL from the Host header, which
    would let a client make the server send browsers to another host; this one is a path."""
    from starlette.routing import Match

    path = request.scope["path"]
    target = path.rstrip("/")
    if path == target or not safe_href(target):
        return None
    scope = {**request.scope, "path": target}
    if not any(route.matches(scope)[0] == Match.FULL for route in request.app.routes):
        return None
    query = request.url.query
    return target + (f"?{query}" if query else "")


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path)
    # This handler answers outside the middleware stack, so it adds the headers itself.
    return secured(problem(request, 500, "Internal server error; the server log has the details."))


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
        *sparql_routes.routes(config.allow_update),
        *page_routes.ROUTES,
        Mount(SERVED_ASSETS.rstrip("/"), StaticFiles(directory=HERE.parent / "htmlview_assets")),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
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
    app.router.redirect_slashes = False  # see without_slash
    app.state.site = site
    return app
