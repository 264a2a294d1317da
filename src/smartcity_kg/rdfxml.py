"""What RDF/XML may ask of the parser: entity declarations that cannot blow up.

Oxigraph's RDF/XML parser expands the ``<!ENTITY>`` declarations of a DOCTYPE eagerly, entity
references inside entity values included. Ten nested declarations in under a kilobyte ("billion
laughs") then ask for gigabytes, and the process aborts. So every RDF/XML input passes
:func:`check_rdfxml` before any parser sees it. The check reads the raw bytes, as the parser
does (it decodes UTF-8 only), and is strict where the parser is lenient:

* every ``<!ENTITY`` (in any letter case, anywhere in the input) must be a plain internal
  declaration ``<!ENTITY name "text">`` whose text holds no ``&``, ``%`` or ``<``; so no entity
  refers to another, and no external entity (``SYSTEM``/``PUBLIC``) is declared;
* the references to declared entities may add at most ten times the input's size (or 1 MB for
  small inputs) when expanded.

Ontology editors such as Protégé write entities for namespaces (``<!ENTITY owl
"http://www.w3.org/2002/07/owl#">``); those pass. The server calls the same function on request
bodies.
"""

from __future__ import annotations

import mmap
import re
from pathlib import Path

from .errors import InputError

#: Expanded references may add this many times the input's size (at least MIN_ALLOWANCE bytes).
GROWTH = 10
MIN_ALLOWANCE = 1 << 20

_ANY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_WS = rb"[ \t\r\n]"
_PLAIN = re.compile(
    rb"<!ENTITY" + _WS + rb"+(?:%" + _WS + rb"+)?([A-Za-z_][A-Za-z0-9._-]*)" + _WS
    + rb'+"([^"&%<]*)"' + _WS + rb"*>"
)  # fmt: skip


def check_rdfxml(data: bytes | mmap.mmap, where: str) -> None:
    """Raise :class:`InputError` unless ``data`` (RDF/XML bytes) is safe to hand to a parser.

    ``where`` names the input in the message (a file name, "the request body").
    """
    first = _ANY_DECLARATION.search(data)
    if first is None:
        return
    values: dict[bytes, int] = {}
    for found in _ANY_DECLARATION.finditer(data, first.start()):
        m = _PLAIN.match(data, found.start())
        if m is None:
            line = bytes(data[: found.start()]).count(b"\n") + 1
            raise InputError(f"{where}:{line}: {_why(data, found.start())}")
        values[m.group(1)] = max(values.get(m.group(1), 0), len(m.group(2)))
    allowance = max(GROWTH * len(data), MIN_ALLOWANCE)
    added = 0
    for name, size in values.items():
        if size:
            added += size * sum(1 for _ in re.finditer(re.escape(b"&" + name + b";"), data))
        if added > allowance:
            raise InputError(
                f"{where}: the entity references of this RDF/XML file would expand it to more "
                f"than {GROWTH} times its size (entity {name.decode('ascii')!r}); such files are "
                "refused. Write the text out in place of the references (or save the data as "
                "Turtle) and run again."
            )


def _why(data: bytes | mmap.mmap, start: int) -> str:
    end = data.find(b">", start)
    declaration = bytes(data[start : end + 1 if end >= 0 else start + 200])
    if re.search(rb"\b(SYSTEM|PUBLIC)\b", declaration, re.IGNORECASE):
        what = "declares an external entity (SYSTEM or PUBLIC), which is never read"
    elif b"&" in declaration or declaration.count(b"%") > _parameter_marks(declaration):
        what = (
            "declares an entity that refers to other entities; nested entities can expand "
            'to gigabytes ("billion laughs") and are refused'
        )
    else:
        what = 'has an entity declaration other than <!ENTITY name "text">, which is refused'
    return (
        f"this RDF/XML file {what}. Write the entity's text out in place of its references "
        "(or save the data as Turtle) and run again."
    )


def _parameter_marks(declaration: bytes) -> int:
    """1 for ``<!ENTITY % name ...>`` (a parameter entity's own mark), else 0."""
    return 1 if re.match(rb"<!ENTITY\s+%", declaration, re.IGNORECASE) else 0


def check_rdfxml_file(path: Path) -> None:
    """:func:`check_rdfxml` on a file, read through a memory map (stores load big files)."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            if not handle.seek(0, 2):
                return
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                check_rdfxml(data, str(path))
    except OSError as err:
        raise InputError(f"{path}: cannot read it ({err.strerror or err}).") from None
