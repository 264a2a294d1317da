"""Build the dataset every command works on: the shipped knowledge base plus the user's files.

Each file goes into its own named graph, so provenance ("which file, which source") survives
and queries can ask ``GRAPH ?g``. Queries see the union of all graphs as the default graph, as a
set: a triple stated in two files is there once. For W3C dataset semantics (``--default-graph
default``) files can go into the default graph instead, and queries then see only that graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import pyoxigraph as ox

from . import formats, resources
from .errors import InputError
from .files import Stdin
from .prefixes import ID, ONTOLOGY_IRI

#: The choices for the default graph a query sees (``--default-graph``).

#: File extension -> pyoxigraph format (from the one registry). Quad formats keep their own
#: named graphs.
FORMATS: dict[str, ox.RdfFormat] = {
    ext: f.ox() for f in formats.REGISTRY if formats.INPUT in f.kinds for ext in f.extensions
}

_POSITION = re.compile(r"line (\d+) column (\d+)")


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format of ``path`` from its extension, or a clear error listing the known ones."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(formats.extensions(formats.INPUT))
        raise InputError(
            f"{path}: unknown RDF file extension {path.suffix or '(none)'!r}; use one of {known}."
        )
    return fmt


def check_input(path: Path, fmt: ox.RdfFormat) -> None:
    """Refuse input a parser must not run on (see rdfxml.py) before any parser sees it."""
    if fmt == ox.RdfFormat.RDF_XML:
        from .rdfxml import check_rdfxml_file

        check_rdfxml_file(path)


def graph_iri(path: Path, shipped: bool) -> str:
    """The named graph a file's triples go into (see docs/model.md)."""
    if shipped:
        if path.name == "smartcity.ttl":
            return ONTOLOGY_IRI
        return f"{ID}graph/{path.stem}"
    return path.resolve().as_uri()


@dataclass
class KnowledgeBase:
    """An Oxigraph store with the files it was built from."""

    store: ox.Store = field(default_factory=ox.Store)
    files: list[Path] = field(default_factory=list)
    #: for a persistent store, the lock that keeps writers out while this object lives
    lock: object = field(default=None, repr=False, compare=False)
    #: what a query without FROM sees as its default graph: "union" (the set union of all
    #: graphs) or "default" (only the dataset's own default graph, W3C dataset semantics)
    default_graph: str = "union"
    #: whether some triple stands in two graphs (None: not known yet)
    shared: bool | None = False
    #: a copy with the union as its real default graph, made only when graphs share triples
    _copy: ox.Store | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(
        cls,
        data: Sequence[Path | str] = (),
        *,
        shipped: bool = True,
        default_data: Sequence[Path | str] = (),
    ) -> KnowledgeBase:
        """The shipped knowledge base (unless ``shipped=False``) plus ``data`` files, each in
        its own named graph, plus ``default_data`` files merged into the default graph."""
        kb = cls()
        if shipped:
            for path in resources.kb_files():
                kb.add_file(path, shipped=True)
        for item in data:
            kb.add_file(item if isinstance(item, Stdin) else Path(item))
        for item in default_data:
            kb.add_file(Path(item), default=True)
        return kb

    @classmethod
    def open(cls, directory: Path | str, *, read_only: bool = True) -> KnowledgeBase:
        """A persistent on-disk store made by ``smartcity-kg load --store DIR`` (see persist.py).

        Read-only opening lets many readers share the store; it fails with a clear message
        while a loader is writing to it.
        """
        from .store import open_store, shares_marked

        store, lock = open_store(Path(directory), read_only=read_only)
        return cls(store=store, lock=lock, shared=shares_marked(Path(directory)))

    def run(self, query: str, params=None, *, source: str = "query", base_iri=None):
        """Run a query on this dataset (the backend interface shared with remote endpoints)."""
        from .sparql import run

        return run(self, query, params, source=source, base_iri=base_iri)

    def changed(self) -> None:
        """Forget what was derived from the triples (call after adding to ``store`` directly;
        :meth:`added` is cheaper when the new triples went into one graph)."""
        self.shared, self._copy = None, None

    def added(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        """Note that triples went into ``graph``: do they also stand in another graph?"""
        self._copy = None
        if self.shared is False:
            self.shared = shares_triples(self.store, graph)

    def union_store(self) -> ox.Store | None:
        """A store whose default graph is the set union of all graphs, or None when querying
        ``store`` with Oxigraph's union default graph already gives that set.

        Oxigraph's union default graph is a bag: a triple in two graphs matches twice. Only
        then (rare: the shipped graphs share no triple) is a copy made, with the union in its
        default graph and the named graphs as they are.
        """
        if self.shared is None:
            graphs = [ox.DefaultGraph(), *self.store.named_graphs()]
            self.shared = any(shares_triples(self.store, g) for g in graphs)
        if not self.shared:
            return None
        if self._copy is None:
            self._copy = union_copy(self.store)
        return self._copy

    def add_file(self, path: Path | Stdin, *, shipped: bool = False, default: bool = False) -> None:
        """Parse one RDF file into its named graph (or, with ``default``, into the default
        graph); errors name the file, line and column. A :class:`Stdin` is read from
        standard input, into the graph of the file ``-`` in the current folder."""
        if isinstance(path, Stdin):
            self.add_stdin(path)
            return
        fmt = rdf_format(path)
        if not path.is_file():
            raise InputError(f"{path}: no such file; check the path given to --data.")
        check_input(path, fmt)
        graph = ox.DefaultGraph() if default else ox.NamedNode(graph_iri(path, shipped))
        try:
            self.store.load(
                path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=graph
            )
        except SyntaxError as err:
            raise InputError(parse_error_message(path, err)) from None
        except (OSError, ValueError) as err:
            raise InputError(f"{path}: cannot read it as {fmt.name}: {err}") from None
        self.files.append(path)
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            self.changed()  # the file may name several graphs
        else:
            self.added(graph)

    def add_stdin(self, source: Stdin) -> None:
        """Parse standard input (in the format named for it) into the graph of ``./-``, so a
        query's ``FROM <->`` names it, as ``-e`` resolves relative IRIs against the folder."""
        fmt = formats.get(source.format).ox()
        graph = graph_iri(Path("-"), False)
        self.add_text(source.read_bytes(), fmt, graph, source.name, base_iri=graph)
        self.files.append(Path("-"))

    def add_text(
        self,
        text: str | bytes,
        fmt: ox.RdfFormat,
        graph: str,
        name: str = "<input>",
        base_iri: str | None = None,
    ) -> None:
        """Parse RDF text into ``graph`` (used by importers and tests)."""
        if fmt == ox.RdfFormat.RDF_XML:
            from .rdfxml import check_rdfxml

            check_rdfxml(text.encode("utf-8") if isinstance(text, str) else text, name)
        try:
            self.store.load(text, format=fmt, to_graph=ox.NamedNode(graph), base_iri=base_iri)
        except SyntaxError as err:
            raise InputError(parse_error_message(Path(name), err)) from None
        except (OSError, ValueError) as err:
            raise InputError(f"{name}: cannot read it as {fmt.name}: {err}") from None
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            self.changed()  # the text may name several graphs
        else:
            self.added(ox.NamedNode(graph))

    def __len__(self) -> int:
        return len(self.store)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self) -> Iterable[ox.Quad]:
        return self.store.quads_for_pattern(None, None, None, None)

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        """The whole dataset serialised (quads keep their graphs)."""
        return self.store.dump(format=fmt) or b""


def shares_triples(store: ox.Store, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    """True when a triple of ``graph`` also stands in another graph of ``store``.

    Walks the smaller side only (the graph, or all other graphs) and looks each triple up in
    the other, so adding a small file to a large store, or the reverse, stays cheap. When the
    graph is the smaller side the walk is one ASK query, joined inside the engine (the engine
    walks that side first; from the other side it did not, so that side is walked in Python,
    as is a graph named by a blank node, which SPARQL cannot name).
    """

    def mine() -> Iterator[ox.Quad]:
        return store.quads_for_pattern(None, None, None, graph)

    def rest() -> Iterator[ox.Quad]:
        graphs = [ox.DefaultGraph(), *store.named_graphs()]
        return chain.from_iterable(
            store.quads_for_pattern(None, None, None, g) for g in graphs if g != graph
        )

    ours, others = mine(), rest()
    while True:  # step through both until one ends: that side is the smaller
        if next(ours, None) is None:
            mine_first = True
            break
        if next(others, None) is None:
            mine_first = False
            break
    if not mine_first or isinstance(graph, ox.BlankNode):
        return _shares_walked(store, graph, mine, rest, mine_first)
    # the graph is the smaller side: one query walks it and looks each triple up elsewhere
    if isinstance(graph, ox.DefaultGraph):
        query = "ASK { { ?s ?p ?o } { GRAPH ?h { ?s ?p ?o } } }"
    else:
        query = (
            f"ASK {{ {{ GRAPH {graph} {{ ?s ?p ?o }} }} "
            f"{{ {{ ?s ?p ?o }} UNION {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {graph}) }} }} }}"
        )
    return bool(store.query(query, use_default_graph_as_union=False))


def _shares_walked(store: ox.Store, graph, mine, rest, mine_first: bool) -> bool:
    """:func:`shares_triples` in Python, one lookup per triple of the smaller side."""

    def elsewhere(q: ox.Quad) -> bool:
        found = store.quads_for_pattern(q.subject, q.predicate, q.object, None)
        return any(o.graph_name != graph for o in found)

    def inside(q: ox.Quad) -> bool:
        found = store.quads_for_pattern(q.subject, q.predicate, q.object, graph)
        return next(iter(found), None) is not None

    if mine_first:
        return any(elsewhere(q) for q in mine())
    return any(inside(q) for q in rest())


def union_copy(store: ox.Store) -> ox.Store:
    """An in-memory copy of ``store`` whose default graph is the set union of all its graphs."""
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    copy.extend(
        ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
        for q in store.quads_for_pattern(None, None, None, None)
    )
    return copy


def parse_error_message(path: Path, err: SyntaxError) -> str:
    """``file:line:column: message; what to do`` from a pyoxigraph parse error."""
    text = str(err.msg if getattr(err, "msg", None) else err)
    where = str(path)
    if err.lineno:
        where += f":{err.lineno}"
        if err.offset:
            where += f":{err.offset}"
    else:
        m = _POSITION.search(text)
        if m:
            where += f":{m.group(1)}:{m.group(2)}"
    return f"{where}: {text}. Fix the syntax at that place and run again."
