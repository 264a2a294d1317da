"""The named-query catalogue: ``queries/*.rq`` files with a header that documents them.

Header lines at the top of each file::

    # title: Regions within a region
    # description: Every region inside the given one, at any depth.
    # param: region iri id:region/066 -- the region to look inside
    # column: ags AGS

A parameter without a default is required. A ``column`` line names a result column for the
server's pages (others get a readable form of their variable name). ``*-violation.rq`` queries
are data checks: they must return no rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from . import resources
from .errors import InputError, did_you_mean

_HEADER = re.compile(r"^#\s*(title|description|param|column):\s*(.*)$")
_COLUMN = re.compile(r"^(\w+)\s+(\S.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s+(\S+)(?:\s+(.*?))?\s*(?:--\s*(.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...] = field(default=())
    #: (variable, heading) for the result columns the header names
    columns: tuple[tuple[str, str], ...] = field(default=())

    @cached_property
    def text(self) -> str:
        """Read once: a server answers the same named queries again and again."""
        return self.path.read_text(encoding="utf-8")

    @property
    def is_check(self) -> bool:
        return self.name.endswith("-violation")

    def bindings(self, given: Mapping[str, str], *, open_ended: bool = False):
        """The parameter values as RDF terms: given ones, else defaults; errors for the rest.

        ``open_ended`` (an ad-hoc .rq file) also binds values for undeclared variables, read
        as Turtle terms.
        """
        from .binding import term

        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown and open_ended:
            extra = {name: term(given[name]) for name in unknown}
            return {**extra, **self.bindings({k: v for k, v in given.items() if k in known})}
        if unknown:
            names = ", ".join(known) or "none"
            raise InputError(
                f"query {self.name!r} has no parameter {unknown[0]!r} "
                f"(its parameters: {names}).{did_you_mean(unknown[0], set(known))}"
            )
        values = {}
        for p in self.params:
            raw = given.get(p.name, p.default)
            if raw is None:
                raise InputError(
                    f"query {self.name!r} needs --param {p.name}=VALUE ({p.kind}: {p.description})."
                )
            values[p.name] = term(raw, p.kind)
        return values


def parse_header(path: Path, *, require_title: bool = True) -> NamedQuery:
    """A :class:`NamedQuery` from the comment header of ``path`` (an ad-hoc file, with
    ``require_title=False``, may have a header of only ``# param:`` lines, or none)."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    columns: list[tuple[str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            p = _PARAM.match(value)
            if not p:
                raise InputError(
                    f"{path}:{number}: a param line reads 'NAME TYPE [DEFAULT] -- description'."
                )
            name, kind, default, description = p.groups()
            params.append(Param(name, kind, default or None, description or ""))
        elif key == "column":
            c = _COLUMN.match(value)
            if not c:
                raise InputError(f"{path}:{number}: a column line reads 'NAME heading'.")
            columns.append((c.group(1), c.group(2)))
        else:
            fields[key] = value.strip()
    if "title" not in fields and not require_title:
        fields["title"] = path.stem
    if "title" not in fields:
        raise InputError(f"{path}:1: a named query starts with a '# title: ...' line.")
    return NamedQuery(
        path.stem,
        path,
        fields["title"],
        fields.get("description", ""),
        tuple(params),
        tuple(columns),
    )


@cache
def _shipped() -> dict[str, NamedQuery]:
    return {p.stem: parse_header(p) for p in sorted(resources.queries_dir().glob("*.rq"))}


def catalog() -> dict[str, NamedQuery]:
    """All shipped named queries by name."""
    return dict(_shipped())


def get(name: str) -> NamedQuery:
    """The named query ``name``, or an error listing near names."""
    queries = _shipped()
    if name in queries:
        return queries[name]
    raise InputError(
        f"no named query {name!r}.{did_you_mean(name, set(queries))} "
        "Run 'smartcity-kg queries' for the list."
    )
