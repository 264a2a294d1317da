"""Putting data into HTML safely: which IRIs may become links, and JSON inside ``<script>``.

IRIs and labels come from ``--data`` files, from updates and from query results, so anyone who
can write a triple or send a query chooses them. A ``javascript:`` IRI that became an ``href``
would run script on our origin when clicked; a label holding ``</script>`` or ``<!--`` would end
or derail a JSON block embedded in a page. Every page (server templates, the graph view, the
HTML export) goes through these two functions, so there is one place that decides.
"""

from __future__ import annotations

import json
import re
from typing import Any

# An http(s) URL, or a path on this site: "/" not followed by a second "/" or a "\", which
# browsers would read as "//host" (another host). ASCII-only matching: with re.IGNORECASE
# alone, "ſ" (U+017F) would match "s".
_LINKABLE = re.compile(r"(?:https?://|/(?![/\\]))", re.ASCII | re.IGNORECASE)
# Browsers drop leading C0 controls and spaces and remove tabs and newlines anywhere before
# they parse a URL, so "/\t/evil.example" would become "//evil.example". An IRI never holds
# these characters; a string that does is not linked at all.
_UNLINKABLE = re.compile(r"[\x00-\x20\x7f-\x9f]")

_JSON_IN_HTML = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def safe_href(iri: object) -> str | None:
    """``iri`` itself when it may become a link (an http or https URL, or a path on this
    site), else None: ``javascript:``, ``data:``, ``vbscript:``, ``file:``, ``urn:``, a
    protocol-relative ``//host`` and anything with control characters or spaces stay text."""
    if not isinstance(iri, str) or _UNLINKABLE.search(iri) or not _LINKABLE.match(iri):
        return None
    return iri


def safe_relative(path: object) -> str | None:
    """``path`` itself when it is a relative reference to a file beside the page (as the
    static site's pages link), else None: nothing with a scheme (a ``:`` before the first
    ``/``), no leading ``/`` or ``\\``, no backslash, control character or space."""
    if not isinstance(path, str) or not path or _UNLINKABLE.search(path) or "\\" in path:
        return None
    if path.startswith("/") or ":" in path.split("/", 1)[0].split("#", 1)[0]:
        return None
    return path


def json_for_html(value: Any, *, sort_keys: bool = False) -> str:
    """``value`` as JSON that can stand inside ``<script type="application/json">`` whatever
    its strings hold: ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so no ``</script>``
    or ``<!--`` can appear, and U+2028/U+2029 are escaped for older JavaScript parsers.
    ``json.loads`` / ``JSON.parse`` of the block's text gives ``value`` back unchanged."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)
    return text.translate(_JSON_IN_HTML)
