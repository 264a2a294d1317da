"""The Python face of smartcity-kg: what a notebook or a script uses.

One object, :class:`SmartCityKG`, stands for the knowledge base wherever it lives (the shipped
files plus yours in memory, a persistent store, or a SPARQL endpoint) and offers what the CLI
offers, as data: query results, validation reports, networkx graphs, export bytes, analysis
tables. The CLI and the server call the same functions underneath.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .languages import DEFAULT as DEFAULT_LANG

if TYPE_CHECKING:  # the modules behind the API are imported when a method first needs them
    import networkx as nx
    import pandas as pd
    import pyoxigraph as ox

    from .analyze import Table
    from .binding import Term
    from .named_queries import NamedQuery
    from .site import Site
    from .sparql import Result
    from .stats import Stats
    from .validate import Report


@dataclass(frozen=True)
class Rows:
    """A SELECT result: the variables, and each solution as a dict of Python values.

    IRIs and blank nodes become their string, literals their Python value where XSD defines
    one (integers, decimals, booleans, ...), else their lexical form; unbound is None.
    """

    variables: list[str]
    rows: list[dict[str, Any]]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        """The values of one variable, in row order; an unknown name is an error naming the
        columns there are."""
        if name not in self.variables:
            raise InputError(f"no column {name!r}; the columns are {', '.join(self.variables)}.")
        return [row[name] for row in self.rows]

    def to_dataframe(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (pandas is optional: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise InputError(
                "to_dataframe needs pandas, which is not installed; run 'pip install pandas'."
            ) from None
        return pd.DataFrame(self.rows, columns=self.variables)


def python_value(term: Term | None) -> Any:
    """A pyoxigraph term as a plain Python value."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        from rdflib import Literal, URIRef

        lang = term.language
        if lang:
            return term.value
        value = Literal(term.value, datatype=URIRef(term.datatype.value)).toPython()
        return value if not isinstance(value, Literal) else term.value
    return term.value


class SmartCityKG:
    """The knowledge base, opened from one place.

    >>> kg = SmartCityKG()                      # the shipped knowledge base
    >>> kg = SmartCityKG(data=["mine.ttl"])     # plus your files, each its own named graph
    >>> kg = SmartCityKG(data=["mine.ttl"], shipped=False)   # your files alone
    >>> kg = SmartCityKG(store="kb.store")      # a store made by 'smartcity-kg load'
    >>> kg = SmartCityKG(endpoint="http://127.0.0.1:7878/query")
    """

    def __init__(
        self,
        data: Sequence[str | Path] = (),
        *,
        store: str | Path | None = None,
        endpoint: str | None = None,
        auth_env: str | None = None,
        timeout: float = 60.0,
        shipped: bool = True,
    ) -> None:
        from .datasource import DataSource

        self._source = DataSource(
            [Path(d) for d in data],
            None if store is None else Path(store),
            endpoint,
            auth_env,
            timeout,
            shipped=shipped,
        )

    def __len__(self) -> int:
        """The number of quads in the dataset (a triple counts once per graph it stands in),
        as ``stats().triples`` without its tables. The first call opens the dataset: loads the
        files, opens the store, or fetches a copy of the endpoint's quads."""
        return len(self._source.kb)

    # --- queries ---

    def queries(self) -> dict[str, NamedQuery]:
        """The named queries by name (each with ``title``, ``description`` and ``params``)."""
        from .named_queries import catalog

        return dict(catalog())

    def run(self, query: str, params: Mapping[str, str] | None = None) -> Result:
        """Run a named query (by name), a ``.rq`` file (a path) or SPARQL text, with parameters
        given as strings and bound as RDF terms; returns the result model of the CLI
        (:class:`~smartcity_kg.Select`, :class:`~smartcity_kg.Ask` or
        :class:`~smartcity_kg.Graph`), with pyoxigraph terms."""
        from .prepare import prepare

        prepared = prepare(query, params or {})
        return self._source.run(
            prepared.text, prepared.bindings, source=prepared.source, base_iri=prepared.base
        )

    def query(
        self, query: str, params: Mapping[str, str] | None = None, **named: str
    ) -> Rows | bool | list[ox.Triple]:
        """Like :meth:`run`, with SELECT results as :class:`Rows` and ASK as a bool.

        Parameters may also be given as keywords: ``kg.query("topic-areas", lang="en")``.
        CONSTRUCT and DESCRIBE give a list of pyoxigraph triples.
        """
        from .sparql import Ask, Select

        result = self.run(query, {**(params or {}), **named})
        if isinstance(result, Select):
            rows = [
                {v: python_value(t) for v, t in zip(result.variables, row, strict=True)}
                for row in result.rows
            ]
            return Rows(list(result.variables), rows)
        if isinstance(result, Ask):
            return result.answer
        return list(result.triples)

    # --- checks and overviews ---

    def validate(self, shapes: str | Path | None = None) -> Report:
        """SHACL validation against the shipped shapes (or ``shapes``): a report with
        ``conforms`` and ``violations``."""
        from .validate import validate

        return validate(self._source.kb, None if shapes is None else Path(shapes))

    def stats(self) -> Stats:
        """The triple count and the class, graph and source tables of ``smartcity-kg stats``."""
        from .stats import stats

        return stats(self._source.kb)

    # --- graphs, export, analysis ---

    def graph(
        self,
        view: str = "full",
        *,
        lang: str = DEFAULT_LANG,
        focus: str | None = None,
        depth: int = 1,
        stated_only: bool = False,
    ) -> nx.MultiDiGraph:
        """The networkx MultiDiGraph of a view (``full``, ``topics``, ``regions``, ...), the one
        that export and analysis use."""
        from .graph import build

        return build(
            self._source.kb, view, lang=lang, focus=focus, depth=depth, stated_only=stated_only
        )

    def export(
        self,
        fmt: str,
        *,
        view: str = "full",
        lang: str = DEFAULT_LANG,
        focus: str | None = None,
        depth: int = 1,
        stated_only: bool = False,
    ) -> dict[str, bytes]:
        """The bytes of an export in ``fmt`` (``turtle``, ``graphml``, ``gexf``, ``html`` ...):
        ``{"": bytes}``, or one entry per file (CSV gives ``nodes`` and ``edges``)."""
        from .export import Selection, export

        selection = Selection(
            view=view, lang=lang, focus=focus, depth=depth, stated_only=stated_only
        )
        return export(self._source.kb, fmt, selection)

    def site(self, output: str | Path, *, base_url: str | None = None) -> Site:
        """Write the static linked-data site to the folder ``output`` (as ``smartcity-kg
        site``); returns the :class:`smartcity_kg.site.Site` that was written."""
        from . import site

        if base_url is not None:
            site.check_base_url(base_url)
        site.check_output(Path(output))
        built = site.build(self._source.kb, base_url=base_url)
        site.write(built, Path(output))
        return built

    def centrality(self, *, lang: str = DEFAULT_LANG, stated_only: bool = False) -> Table:
        """Degree, betweenness and PageRank of topic areas, goals and benefits (topics view),
        as a table (``headers``, ``rows``), as ``smartcity-kg analyze centrality``."""
        from .analyze import centrality

        return centrality(self.graph("topics", lang=lang, stated_only=stated_only))

    def explain(
        self,
        source: str,
        target: str,
        *,
        max_length: int = 3,
        lang: str = DEFAULT_LANG,
        stated_only: bool = False,
    ) -> Table:
        """The paths of at most ``max_length`` links from ``source`` (e.g. a topic area) to
        ``target`` (a goal or benefit) in the topics view, one row per link with its evidence,
        as ``smartcity-kg analyze explain``. Both are IRIs, ``prefix:names`` or labels."""
        from .analyze import explain

        return explain(
            self.graph("topics", lang=lang, stated_only=stated_only), source, target, max_length
        )

    def gaps(
        self, level: str = "District", *, lang: str = DEFAULT_LANG, stated_only: bool = False
    ) -> Table:
        """What ``smartcity-kg analyze gaps`` reports, as a table."""
        from .analyze import gaps

        return gaps(self.graph("full", lang=lang, stated_only=stated_only), level)

    def matrix(
        self, columns: str = "goals", *, lang: str = DEFAULT_LANG, stated_only: bool = False
    ) -> Table:
        """The topic area x goal (or SDG) matrix as a table: 1 where a link joins them."""
        from .analyze import matrix

        return matrix(self.graph("full", lang=lang, stated_only=stated_only), columns)


def open_kg(
    data: Sequence[str | Path] = (),
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    auth_env: str | None = None,
    timeout: float = 60.0,
    shipped: bool = True,
) -> SmartCityKG:
    """Open the knowledge base: the shipped files plus ``data``, a ``store``, or an
    ``endpoint``. ``shipped=False`` leaves the shipped files out (``--no-shipped``), so
    ``data`` alone is queried, as when checking your own files."""
    return SmartCityKG(
        data, store=store, endpoint=endpoint, auth_env=auth_env, timeout=timeout, shipped=shipped
    )
