"""Clusters for the interactive graph view: a large view opens as a few dozen groups, not a
hairball of hundreds of nodes.

A view of more than ``CLUSTER_ABOVE`` nodes groups the nodes of each class with at least
``CLUSTER_MIN`` members into one cluster (smaller classes stay as nodes). A cluster of more than
``CLUSTER_MAX`` members is split again: by the region, scheme or whole the members belong to
(``sc:within``, ``skos:inScheme``, ``dcterms:isPartOf``), else by the namespace of their IRIs,
and at last into alphabetical runs of labels. The page shows each node as its outermost
cluster that is not yet expanded; a click on a cluster expands it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .prefixes import PREFIXES, SC

CLUSTER_ABOVE = 150
CLUSTER_MIN = 9
CLUSTER_MAX = 60
#: links that say which larger whole a node belongs to, in order of preference
BELONGS = (SC + "within", PREFIXES["skos"] + "inScheme", PREFIXES["dcterms"] + "isPartOf")


def _whole(g, n: str) -> str | None:
    """The larger whole ``n`` belongs to (the first BELONGS link), if any."""
    found: dict[str, str] = {}
    for _, v, d in g.out_edges(n, data=True):
        if d.get("predicate") in BELONGS:
            found.setdefault(d["predicate"], v)
    return next((found[p] for p in BELONGS if p in found), None)


def _namespace(iri: str) -> str:
    """An IRI's namespace without the scheme: ``d-nb.info/gnd`` for a GND IRI."""
    base = iri.rsplit("#", 1)[0] if "#" in iri else iri.rsplit("/", 1)[0]
    return base.split("://", 1)[-1]


def _shared_start(texts: list[str]) -> str:
    """The characters all ``texts`` start with (a namespace, not a path: character-wise)."""
    if not texts:
        return ""
    first, last = min(texts), max(texts)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    return first[:i]


def _tail(label: str) -> str:
    """A label to name a run by: an IRI used as a label by its last segment."""
    return re.split(r"[/#]", label.rstrip("/"))[-1] if "://" in label else label


def _runs(g, members: list[str]) -> list[tuple[str, list[str]]]:
    """``members`` sorted by label, cut into runs of at most CLUSTER_MAX, named by the first
    letters of their first and last labels."""
    ordered = sorted(members, key=lambda n: (g.nodes[n].get("label", n).casefold(), n))
    names = [_tail(g.nodes[n].get("label", n)) for n in ordered]
    common = len(_shared_start(names))  # IRIs as labels share their namespace
    out = []
    for i in range(0, len(ordered), CLUSTER_MAX):
        first, last = (
            names[j][common : common + 4] for j in (i, min(i + CLUSTER_MAX, len(names)) - 1)
        )
        out.append((f"{first}\u2013{last}", ordered[i : i + CLUSTER_MAX]))
    return out


def _by_namespace(members: list[str]) -> dict[str, list[str]]:
    """Members by the first path segment of their namespace after what all share (the host
    when they share nothing): ``…/bildung`` for the concepts of one catalogue's branch."""
    spaces = {n: _namespace(n) for n in members}
    common = _shared_start(list(spaces.values())).rpartition("/")[0]
    cut = len(common) + 1 if common else 0
    by: dict[str, list[str]] = defaultdict(list)
    for n in members:
        head = spaces[n][cut:].split("/", 1)[0] if cut < len(spaces[n]) else ""
        by[("\u2026/" if cut else "") + head].append(n)
    return by


def _split(g, members: list[str], depth: int) -> list[tuple[str, list[str]]]:
    """Groups of ``members``, each named, by the first criterion that divides them into at
    most CLUSTER_MAX groups: the whole they belong to, their namespace, runs of labels."""
    if depth == 0:
        by: dict[str, list[str]] = defaultdict(list)
        for n in members:
            whole = _whole(g, n)
            by[g.nodes[whole].get("label", whole) if whole in g else ""].append(n)
        if 1 < len(by) <= CLUSTER_MAX and "" not in by:
            return sorted(by.items(), key=lambda kv: kv[0].casefold())
        by = _by_namespace(members)
        if 1 < len(by) <= CLUSTER_MAX:
            return sorted(by.items())
    return _runs(g, members)


def clusters(g, kind_of, name_of) -> tuple[dict[str, str], dict[str, dict]]:
    """Which cluster each node sits in (innermost), and each cluster's label, class, size and
    parent; both empty for a view small enough to show whole. ``kind_of(data)`` gives a node's
    class local name, ``name_of(kind)`` its name in the page's language."""
    if g.number_of_nodes() <= CLUSTER_ABOVE:
        return {}, {}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for n, d in g.nodes(data=True):
        by_kind[kind_of(d)].append(n)
    member_of: dict[str, str] = {}
    info: dict[str, dict] = {}

    def add(label: str, kind: str, members: list[str], parent: str | None, depth: int) -> None:
        cid = f"k{len(info)}"
        info[cid] = {"label": label, "kind": kind, "count": len(members), "parent": parent}
        for n in members:
            member_of[n] = cid
        if len(members) > CLUSTER_MAX:
            for name, group in _split(g, members, depth):
                if len(group) > 1:
                    add(name, kind, group, cid, depth + 1)

    for kind in sorted(by_kind, key=lambda k: name_of(k).casefold()):
        members = sorted(by_kind[kind])
        if len(members) >= CLUSTER_MIN:
            add(name_of(kind), kind, members, None, 0)
    return member_of, info
