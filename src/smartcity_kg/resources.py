"""Where the shipped ontology/ and queries/ folders are.

A built wheel carries them inside the package (``smartcity_kg/_shipped``, see pyproject's
force-include); an editable install or a checkout finds them at the repository root. Both are
located here so no other module guesses paths.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def shipped_root() -> Path:
    """The folder holding ``ontology/`` and ``queries/``."""
    packaged = Path(str(resources.files("smartcity_kg"))) / "_shipped"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology").is_dir():
        return checkout
    raise RuntimeError("smartcity-kg is installed without its ontology/ folder")


def ontology_dir() -> Path:
    return shipped_root() / "ontology"


def queries_dir() -> Path:
    return shipped_root() / "queries"


def kb_files() -> list[Path]:
    """The knowledge-base Turtle files, ontology first, then ``kb/`` sorted by name."""
    onto = ontology_dir()
    return [onto / "smartcity.ttl", *sorted((onto / "kb").glob("*.ttl"))]


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"
