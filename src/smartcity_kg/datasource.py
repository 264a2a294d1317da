"""Choose where queries run: the embedded engine, a persistent store, or a remote endpoint.

Every backend answers ``run(query, params, source=...)`` with the neutral result model, so a
command written against it works the same on all three.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol

from .binding import Term
from .errors import InputError


class Backend(Protocol):
    def run(
        self,
        query: str,
        params: Mapping[str, Term] | None = None,
        *,
        source: str = "query",
        base_iri: str | None = None,
    ): ...


class DataSource:
    """The backend a command asked for; it is opened on first use, so argument errors come first.

    ``kb`` is the local dataset for commands that need all triples (export, analyze,
    validate): embedded, the store, or for an endpoint a copy of its quads fetched once.
    """

    def __init__(
        self,
        data: Sequence[Path] = (),
        store: Path | None = None,
        endpoint: str | None = None,
        auth_env: str | None = None,
        timeout: float = 60.0,
        *,
        shipped: bool = True,
        default_data: Sequence[Path] = (),
        default_graph: str = "union",
    ) -> None:
        self.data, self.store, self.endpoint = tuple(data), store, endpoint
        self.auth_env, self.timeout = auth_env, timeout
        self.shipped, self.default_data = shipped, tuple(default_data)
        self.default_graph = default_graph
        self.check()

    def check(self) -> None:
        """Refuse combinations of sources that cannot work together."""
        data, store, endpoint = self.data, self.store, self.endpoint
        if store is not None and endpoint:
            raise InputError("give --store DIR or --endpoint URL, not both.")
        if data and (store is not None or endpoint):
            where = f"--store {store}" if store is not None else f"--endpoint {endpoint}"
            raise InputError(
                f"--data cannot be added to {where}; load the files into it first "
                "('smartcity-kg load --store DIR FILE...' or 'smartcity-kg publish')."
            )
        if self.auth_env and not endpoint:
            raise InputError("--auth-env only applies with --endpoint URL.")
        if (not self.shipped or self.default_data) and (store is not None or endpoint):
            option = "--no-shipped" if not self.shipped else "--default-data"
            raise InputError(
                f"{option} chooses the files of the embedded dataset; a store or an endpoint "
                "holds what was loaded into it ('smartcity-kg load --no-shipped' makes a store "
                "of your files only)."
            )
        if self.default_graph != "union" and endpoint:
            raise InputError(
                "--default-graph applies to the embedded dataset and --store; an endpoint "
                "decides its own default graph."
            )

    @property
    def is_remote(self) -> bool:
        return bool(self.endpoint)

    @cached_property
    def engine(self) -> Backend:
        if self.endpoint:
            from .remote import Endpoint, credentials

            return Endpoint(self.endpoint, credentials(self.auth_env), timeout=self.timeout)
        return self.kb

    @cached_property
    def kb(self):
        from .dataset import KnowledgeBase

        if self.endpoint:
            return fetch_dataset(self.engine)
        if self.store is not None:
            kb = KnowledgeBase.open(self.store)
        else:
            kb = KnowledgeBase.load(self.data, shipped=self.shipped, default_data=self.default_data)
        kb.default_graph = self.default_graph
        return kb

    def run(
        self,
        query: str,
        params: Mapping[str, Term] | None = None,
        *,
        source: str = "query",
        base_iri: str | None = None,
    ):
        return self.engine.run(query, params, source=source, base_iri=base_iri)


#: Every quad of an endpoint: the default graph (as the engine defines it) and each named graph.
ALL_QUADS = """SELECT ?s ?p ?o ?g WHERE {
  { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?any { ?s ?p ?o } } }
}"""


def fetch_dataset(endpoint):
    """A local copy of an endpoint's dataset, named graphs kept, for commands that walk every
    triple. Triples only in the endpoint's default graph go to the graph ``id:graph/default``."""
    import pyoxigraph as ox

    from .dataset import KnowledgeBase
    from .prefixes import ID

    result = endpoint.run(ALL_QUADS, source=f"--endpoint {endpoint.url}")
    default = ox.NamedNode(ID + "graph/default")
    kb = KnowledgeBase()
    kb.store.extend(
        ox.Quad(s, p, o, g if g is not None else default)
        for s, p, o, g in result.rows
        if s is not None and p is not None and o is not None
    )
    return kb
