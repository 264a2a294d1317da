"""rdflib Namespace objects for code that builds graphs.

The prefix table itself lives in :mod:`smartcity_kg.prefixes` as plain strings, so the query
path never imports rdflib; this module only wraps it, so there is one table to keep current.
"""

from __future__ import annotations

from rdflib import Namespace

from .prefixes import PREFIXES

SC = Namespace(PREFIXES["sc"])
ID = Namespace(PREFIXES["id"])
SCHEMA = Namespace(PREFIXES["schema"])
GEO = Namespace(PREFIXES["geo"])
UNIT = Namespace(PREFIXES["unit"])
SDG = Namespace(PREFIXES["sdg"])
WD = Namespace(PREFIXES["wd"])

__all__ = ["GEO", "ID", "PREFIXES", "SC", "SCHEMA", "SDG", "UNIT", "WD"]
