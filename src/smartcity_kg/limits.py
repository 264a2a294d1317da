"""Limits on query text, checked before any parser sees it.

The parsers recurse once per bracket level: a few thousand nested brackets overflow the native
parser's stack and kill the process (a segmentation fault, not an exception), and rdflib's
parser hits Python's recursion limit much earlier. So nesting is counted here, by a plain
loop, and refused above :data:`MAX_NESTING` levels, the same for the CLI and the server.

Counting is deliberately generous: a bracket counts unless it is inside a comment, a string or
an IRI as SPARQL reads them, and the depth is also counted over the raw text with every
bracket included, the larger of the two deciding. A text crafted so that the scan misreads a
string can therefore only be refused, never slip a deep nesting through.
"""

from __future__ import annotations

import re

from .errors import InputError

#: Deepest nesting of ( [ { accepted. Real queries stay far below (the named queries need 6).
MAX_NESTING = 64

_SKIP = re.compile(
    r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|[(\[{]|[)\]}]",
)
_OPEN = "([{"


def _deepest(tokens) -> tuple[int, int]:
    """The deepest level reached, and the offset of the bracket that first went past the limit
    (0 when none did)."""
    depth = deepest = where = 0
    for offset, token in tokens:
        if token in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth == MAX_NESTING + 1:
                    where = offset
        elif token in ")]}":
            depth = max(depth - 1, 0)
    return deepest, where


def nesting(text: str) -> tuple[int, int]:
    """The deepest bracket nesting of ``text`` (the larger of the two counts) and where it first
    went past the limit."""
    scanned = _deepest((m.start(), m.group()) for m in _SKIP.finditer(text) if len(m.group()) == 1)
    raw = _deepest((m.start(), m.group()) for m in re.finditer(r"[(\[{)\]}]", text))
    return max(scanned, raw)


def check_nesting(text: str, what: str) -> None:
    """Raise :class:`InputError` naming the position when ``text`` nests too deeply."""
    if text.count("(") + text.count("[") + text.count("{") <= MAX_NESTING:
        return
    deepest, offset = nesting(text)
    if deepest <= MAX_NESTING:
        return
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    raise InputError(
        f"{what}:{line}:{column}: brackets are nested {deepest} levels deep; the limit is "
        f"{MAX_NESTING}. Split the query into simpler parts and run it again."
    )
