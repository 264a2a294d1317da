"""smartcity-kg: a Smart City topic knowledge graph with named SPARQL queries.

>>> import smartcity_kg
>>> kg = smartcity_kg.open_kg()
>>> [row["label"] for row in kg.query("topic-areas")][:2]
['Bildung', 'Datenplattform']

The names below are imported on first use, so ``import smartcity_kg`` (and the CLI) stays fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "Ask",
    "CheckFailed",
    "Graph",
    "InputError",
    "Refused",
    "Rows",
    "Select",
    "SmartCityError",
    "SmartCityKG",
    "open_kg",
]

_HOMES = {
    "SmartCityKG": "api",
    "Rows": "api",
    "open_kg": "api",
    "SmartCityError": "errors",
    "InputError": "errors",
    "CheckFailed": "errors",
    "Refused": "errors",
    "Select": "sparql",
    "Ask": "sparql",
    "Graph": "sparql",
}


def __getattr__(name: str):
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module 'smartcity_kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
