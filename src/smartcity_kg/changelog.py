"""The changelog of a release: what changed in each named graph since the previous release.

The counts come from :func:`smartcity_kg.diff.diff`, run on each graph on its own (a graph
with the very same triples in both releases is equal without it), so a triple moved from one
graph to another counts as removed there and added here, as a reader of the graphs sees it.
The previous release is read from its ``kb.nq``, the file that keeps every graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .prefixes import ONTOLOGY_IRI, PREFIXES

#: The release file the next release compares with (a quad format: it keeps the graphs).
QUADS_FILE = "kb.nq"
#: At most this many changed triples are listed per graph (all are counted).
SHOWN = 40
_VERSION_INFO = PREFIXES["owl"] + "versionInfo"


@dataclass(frozen=True)
class GraphChange:
    graph: str  # the graph's IRI
    triples: int  # in this release
    added: int
    removed: int
    new: bool = False  # the graph is not in the previous release
    gone: bool = False  # the graph is only in the previous release
    lines: tuple[str, ...] = ()  # the first SHOWN changes as "- subject predicate object"


@dataclass(frozen=True)
class Previous:
    """A release to compare with: its version and its quads."""

    version: str
    quads: list[ox.Quad]


def read_previous(folder: Path) -> Previous:
    """The previous release in ``folder`` (written by ``smartcity-kg release``)."""
    path = Path(folder) / QUADS_FILE
    if not path.is_file():
        raise InputError(
            f"{folder}: holds no {QUADS_FILE}; give --previous a folder written by "
            "'smartcity-kg release'."
        )
    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    except (SyntaxError, ValueError, OSError) as err:
        raise InputError(f"{path}: cannot read it as N-Quads ({err}); is it a release?") from None
    versions = {
        q.object.value
        for q in quads
        if q.subject == ox.NamedNode(ONTOLOGY_IRI) and q.predicate.value == _VERSION_INFO
    }
    version = min(versions) if len(versions) == 1 else Path(folder).resolve().name
    return Previous(version, quads)


def _by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Triple]]:
    out: dict[str, list[ox.Triple]] = {}
    for q in quads:
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        out.setdefault(name, []).append(q.triple)
    return out


def _rdflib(triples: list[ox.Triple]):
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def changes(old: Iterable[ox.Quad] | None, new: Iterable[ox.Quad]) -> list[GraphChange]:
    """One entry per graph of either release, in the order of the graph IRIs; with no
    previous release (``old`` None), the graphs of ``new`` with nothing counted as changed."""
    from .diff import diff

    after = _by_graph(new)
    if old is None:
        return [GraphChange(name, len(set(after[name])), 0, 0) for name in sorted(after)]
    before = _by_graph(old)
    out = []
    for name in sorted(before.keys() | after.keys()):
        old_triples, new_triples = set(before.get(name, [])), set(after.get(name, []))
        if old_triples == new_triples:  # the same triples, the same blank-node names: equal
            out.append(GraphChange(name, len(new_triples), 0, 0))
            continue
        found = diff(_rdflib(list(old_triples)), _rdflib(list(new_triples)))
        shown = [
            " ".join([sign, *(_short(t) for t in (c.subject, p, o))])
            for c in found.subjects
            for sign, pairs in (("-", c.removed), ("+", c.added))
            for p, o in pairs
        ][:SHOWN]
        out.append(
            GraphChange(
                name,
                len(new_triples),
                len(found.added),
                len(found.removed),
                new=name not in before,
                gone=name not in after,
                lines=tuple(line.replace("\n", "\\n") for line in shown),
            )
        )
    return out


def _short(n3: str) -> str:
    """A term as in the diff's table, but an IRI without a prefix keeps its ``<>``."""
    from .diff import short

    shown = short(n3)
    return n3 if n3.startswith("<") and shown == n3[1:-1] else shown


def _graph_name(change: GraphChange) -> str:
    name = f"`{_short(f'<{change.graph}>')}`" if change.graph else "(default graph)"
    return name + (" (new)" if change.new else " (removed)" if change.gone else "")


def markdown(version: str, date: str, previous: str | None, found: list[GraphChange]) -> str:
    """The changelog: the counts per changed graph, or for a first release every graph."""
    from .render import render_table

    lines = [f"# smartcity-kg {version}", "", f"Released {date}."]
    if previous is None:
        lines += [
            "",
            "The first release: there is no previous release to compare with. Its graphs:",
            "",
        ]
        rows: list[list[str | int]] = [[f"`{_short(f'<{c.graph}>')}`", c.triples] for c in found]
        rows.append(["total", sum(c.triples for c in found)])
        return "\n".join(lines) + "\n" + render_table(["graph", "triples"], rows, "markdown")
    changed = [c for c in found if c.added or c.removed]
    added, removed = sum(c.added for c in changed), sum(c.removed for c in changed)
    lines += [
        "",
        f"Changes since {previous}, counted in each named graph by `smartcity-kg diff`: "
        f"{added} triple(s) added and {removed} removed, in {len(changed)} graph(s); the "
        "other graphs are unchanged.",
        "",
    ]
    text = "\n".join(lines) + "\n"
    if changed:
        rows_changed: list[list[str | int]] = [
            [_graph_name(c), c.added, c.removed] for c in changed
        ]
        rows_changed.append(["total", added, removed])
        text += render_table(["graph", "added", "removed"], rows_changed, "markdown")
    for change in changed:  # an indented code block: a literal may hold backticks
        more = change.added + change.removed - len(change.lines)
        text += f"\n## {_graph_name(change)}\n\n" + "".join(f"    {x}\n" for x in change.lines)
        text += f"\n... and {more} more.\n" if more else ""
    return text
