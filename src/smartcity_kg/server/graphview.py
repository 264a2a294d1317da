"""The interactive graph view, when the export module (``smartcity_kg.export``) provides it."""

from __future__ import annotations

from functools import cache


@cache
def available() -> bool:
    """True when ``smartcity_kg.export`` is installed (it renders the ``html`` graph view)."""
    from importlib.util import find_spec

    return find_spec("smartcity_kg.export") is not None
