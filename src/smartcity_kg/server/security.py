"""The web side of the server's defences: response headers, one-line log records, IRI checks.

Pages show labels and IRIs that anyone who writes data or sends a query chooses; the headers
make a browser refuse inline script, framing by other sites and content sniffing even if
something slipped through the templates. Request paths are chosen by clients, so what the log
writes of them is escaped: one request, one line.
"""

from __future__ import annotations

import logging
import re

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import Response

#: The policy of every response. Scripts and styles only from this site's own files (no
#: inline script, no eval), nothing from other hosts, forms only to this site, never framed.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def add_headers(headers: MutableHeaders) -> None:
    """Set the security headers on a response's headers (keeping any already set)."""
    for name, value in HEADERS.items():
        if name not in headers:
            headers[name] = value


def secured(response: Response) -> Response:
    add_headers(response.headers)
    return response


class SecurityHeaders:
    """Pure ASGI middleware: :data:`HEADERS` on every HTTP response, whatever its type."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_secured(message):
            if message["type"] == "http.response.start":
                add_headers(MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_secured)


# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the backslash
# itself (so that an escape in the log always means an escaped character).
_UNSAFE_IN_LOG = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\\\\]")


def _escape(match: re.Match) -> str:
    char = match.group()
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def log_safe(text: str) -> str:
    """``text`` with control characters as ``\\xNN``: it cannot end a log line or start one,
    nor move the terminal's cursor or colour (ESC)."""
    return _UNSAFE_IN_LOG.sub(_escape, text)


class OneLinePerRecord(logging.Filter):
    """Escape what a record's message says, and indent its traceback's lines, so a client
    cannot forge a log record: every record starts a line, every other line is indented."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = log_safe(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = "\n".join("    " + log_safe(line) for line in text.split("\n"))
        return True


def checked_iri(iri: str, what: str) -> str:
    """``iri`` if it is an IRI the query engine accepts, else a 400 naming it.

    The check is the engine's own (pyoxigraph's IRI parser, iterative and bounded), so what
    passes here is exactly what a worker will take."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as err:
        shown = log_safe(iri if len(iri) <= 200 else iri[:200] + "…")
        reason = log_safe(str(err))
        raise HTTPException(
            400, f"{what} <{shown}> is not a valid IRI ({reason}); give an absolute IRI."
        ) from None
    return iri
