"""The label languages, defined once: the CLI's ``--lang``, the server's page language, the
named queries' ``lang`` parameter and the library's defaults all read them from here.

German is the default because it is the language of the sources: German labels keep the
sources' wording, English labels are translations of them.
"""

from __future__ import annotations

from .errors import InputError

#: The languages every label is given in.
LANGS = ("de", "en")
#: The language used when none is asked for, everywhere.
DEFAULT = "de"


def check(value: str) -> str:
    """``value`` when it is one of :data:`LANGS`, else an error naming them (an unknown
    language would match no label and give an empty table)."""
    if value not in LANGS:
        raise InputError(f"unknown language {value!r}; use {' or '.join(LANGS)}.")
    return value
