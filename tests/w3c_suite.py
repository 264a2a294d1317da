"""The W3C SPARQL test suites (SPARQL 1.1 query and DAWG data-r2), run the way a user runs them.

Every test goes through ``smartcity-kg query`` in-process (click's CliRunner, the console
script's own entry point): the test's query file, ``--no-shipped --default-graph default``, its
``qt:data`` files as ``--default-data`` and its ``qt:graphData`` files (and the files its FROM
clauses name) as ``--data``. Evaluation tests run again on a ``--store`` made by ``load``. The
answer, in a W3C results format, is compared with the expected one under SPARQL semantics:
solutions as a multiset, blank nodes up to renaming, order only under a top-level ORDER BY.

A failure is "engine" when pyoxigraph, given the same dataset and query directly, gives the same
wrong answer; otherwise it is "ours". ``python tests/w3c_suite.py`` rewrites tests/w3c/RESULTS.md.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ROOT = HERE / "w3c"
RESULTS = ROOT / "RESULTS.md"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

#: The manifests of the query suites (the SPARQL 1.1 ones its top manifest lists as the
#: conformance requirements of SPARQL 1.1 Query, plus the result-format and federation syntax
#: tests). Update, entailment, protocol and SERVICE evaluation are other specifications.
SPARQL11 = (
    "aggregates",
    "bind",
    "bindings",
    "construct",
    "csv-tsv-res",
    "exists",
    "functions",
    "grouping",
    "json-res",
    "negation",
    "project-expression",
    "property-path",
    "subquery",
    "syntax-query",
    "syntax-fed",
)
MANIFESTS = (
    *(ROOT / "sparql11" / d / "manifest.ttl" for d in SPARQL11),
    ROOT / "data-r2" / "manifest-evaluation.ttl",
    ROOT / "data-r2" / "manifest-syntax.ttl",
)
KINDS = {
    "QueryEvaluationTest": "evaluation",
    "CSVResultFormatTest": "evaluation",
    "PositiveSyntaxTest": "syntax",
    "PositiveSyntaxTest11": "syntax",
    "NegativeSyntaxTest": "negative syntax",
    "NegativeSyntaxTest11": "negative syntax",
}

#: Why pyoxigraph itself fails a test (checked: the same answer comes from pyoxigraph directly).
_NOTES: dict[str, tuple[str, ...]] = {
    "Oxigraph keeps numeric and date literals by value, not by their lexical form "
    '("01", "+1", "1.0", "3.0E4", "2006-08-23+00:00" come back normalised)': (
        "sparql11/aggregates/agg-sum-02",
        "sparql11/aggregates/agg-avg-02",
        "sparql11/aggregates/agg-min-01",
        "sparql11/aggregates/agg-min-02",
        "sparql11/aggregates/agg-max-01",
        "sparql11/aggregates/agg-max-02",
        "sparql11/aggregates/agg-err-02",
        "sparql11/csv-tsv-res/tsv03",
        "sparql11/functions/plus-1",
        "sparql11/functions/plus-2",
        "sparql11/functions/coalesce01",
        "data-r2/open-world/open-eq-01",
        "data-r2/open-world/open-eq-03",
        "data-r2/open-world/open-eq-04",
        "data-r2/open-world/date-2",
        "data-r2/open-world/date-3",
        "data-r2/expr-builtin/dawg-str-1",
        "data-r2/expr-builtin/dawg-str-2",
        "data-r2/expr-builtin/dawg-datatype-1",
        "data-r2/expr-builtin/sameTerm-simple",
        "data-r2/expr-builtin/sameTerm-eq",
        "data-r2/expr-builtin/sameTerm-not-eq",
        "data-r2/expr-equals/eq-2-1",
        "data-r2/expr-equals/eq-2-2",
        "data-r2/expr-equals/eq-graph-1",
        "data-r2/expr-equals/eq-graph-2",
        "data-r2/distinct/no-distinct-1",
        "data-r2/distinct/distinct-1",
        "data-r2/distinct/distinct-2",
        "data-r2/distinct/no-distinct-9",
        "data-r2/distinct/distinct-9",
        "data-r2/sort/dawg-sort-7",
    ),
    "Oxigraph gives no solution for GROUP BY over no solutions, where the W3C answer is one "
    "empty solution": ("sparql11/aggregates/agg-empty-group",),
    "Oxigraph orders the columns of SELECT * by name": (
        "sparql11/csv-tsv-res/csv01",
        "sparql11/csv-tsv-res/csv02",
        "sparql11/csv-tsv-res/csv03",
    ),
    "Oxigraph's STRDT/STRLANG accept a literal that is not a simple literal": (
        "sparql11/functions/strdt03",
        "sparql11/functions/strlang03",
    ),
    "Oxigraph's BNODE(str) shares blank nodes between solutions otherwise than the W3C answer": (
        "sparql11/functions/bnode01",
    ),
    "Oxigraph's tokenizer reads a decimal point before the triple's final dot (456. and 123. .)": (
        "data-r2/basic/term-6",
        "data-r2/basic/term-7",
        "data-r2/syntax-sparql1/syntax-lit-08",
    ),
    "the W3C gives two alternative answers (simplified / not simplified); Oxigraph gives "
    "the other one": ("data-r2/optional-filter/dawg-optional-filter-005-simplified",),
    "Oxigraph does not rename blank nodes apart when one file is both a FROM and a FROM "
    "NAMED graph (RDF merge)": (
        "data-r2/dataset/dawg-dataset-09",
        "data-r2/dataset/dawg-dataset-10",
        "data-r2/dataset/dawg-dataset-12",
    ),
    "Oxigraph's DATATYPE() of an ill-typed literal is not an error": (
        "data-r2/expr-builtin/dawg-datatype-2",
    ),
    "Oxigraph does not accept \\u escapes inside IRIs and prefixed names": (
        "data-r2/syntax-sparql2/syntax-esc-04",
        "data-r2/syntax-sparql2/syntax-esc-05",
    ),
    "Oxigraph does not apply the longest-token rule to <?a&&?b> (an IRI token)": (
        "data-r2/syntax-sparql3/syn-bad-26",
    ),
}
ENGINE_NOTES: dict[str, str] = {case: note for note, ids in _NOTES.items() for case in ids}


@dataclass(frozen=True)
class Case:
    id: str  # suite/folder/name, stable and short
    kind: str  # "evaluation", "syntax" or "negative syntax"
    query: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    result: Path | None = None
    lax: bool = False  # mf:LaxCardinality (REDUCED): duplicates may be dropped

    @property
    def named(self) -> tuple[Path, ...]:
        """The named graphs: qt:graphData, plus the local files the query's FROM clauses name
        (an engine may fetch those; ours never fetches, so they are given as files)."""
        return tuple(dict.fromkeys((*self.graph_data, *from_files(self.query))))


def from_files(query: Path) -> list[Path]:
    from smartcity_kg.binding import tokens

    text = query.read_text(encoding="utf-8")
    found, after_from = [], False
    for kind, value, _ in tokens(text):
        if kind == "word" and value.upper() in ("FROM", "NAMED"):
            after_from = True
            continue
        if after_from and kind == "iri":
            path = query.parent / value[1:-1]
            if value[1:-1] and ":" not in value and path.is_file():
                found.append(path.resolve())
        after_from = False
    return found


def _uri(path: Path) -> str:
    return path.resolve().as_uri()


def _path(node: ox.NamedNode) -> Path:
    from urllib.parse import unquote, urlsplit

    return Path(unquote(urlsplit(node.value).path))


def _list(store: ox.Store, head) -> list:
    items = []
    first, rest, nil = (ox.NamedNode(RDF + x) for x in ("first", "rest", "nil"))
    while head is not None and head != nil:
        items.append(next(store.quads_for_pattern(head, first, None)).object)
        head = next(store.quads_for_pattern(head, rest, None)).object
    return items


def _objects(store: ox.Store, subject, predicate: str) -> list:
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


@cache
def cases() -> tuple[Case, ...]:
    """Every test of the suites, in manifest order."""
    out: list[Case] = []
    for manifest in MANIFESTS:
        out.extend(_read_manifest(manifest))
    return tuple(out)


def _read_manifest(path: Path) -> list[Case]:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=_uri(path))
    me = ox.NamedNode(_uri(path))
    out: list[Case] = []
    for included in _objects(store, me, MF + "include"):
        for item in _list(store, included):
            out.extend(_read_manifest(_path(item)))
    for entries in _objects(store, me, MF + "entries"):
        for entry in _list(store, entries):
            case = _read_entry(store, entry, path.parent)
            if case is not None:
                out.append(case)
    return out


def _read_entry(store: ox.Store, entry, folder: Path) -> Case | None:
    types = [t.value.rsplit("#", 1)[-1] for t in _objects(store, entry, RDF + "type")]
    kind = next((KINDS[t] for t in types if t in KINDS), None)
    if kind is None:
        return None
    local = entry.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    suite = "sparql11" if "sparql11" in folder.parts else "data-r2"
    case_id = f"{suite}/{folder.name}/{local}"
    (action,) = _objects(store, entry, MF + "action")
    if isinstance(action, ox.NamedNode):  # syntax tests: the action is the query file
        return Case(case_id, kind, _path(action))
    (query,) = _objects(store, action, QT + "query")
    data = tuple(_path(d) for d in _objects(store, action, QT + "data"))
    graphs = tuple(_path(d) for d in _objects(store, action, QT + "graphData"))
    results = _objects(store, entry, MF + "result")
    lax = bool(_objects(store, entry, MF + "resultCardinality"))
    return Case(
        case_id,
        kind,
        _path(query),
        tuple(sorted(data)),
        tuple(sorted(graphs)),
        _path(results[0]) if results else None,
        lax,
    )


# --- answers --------------------------------------------------------------------------------


@dataclass
class Answer:
    """One answer in a comparable form: a SELECT table, a boolean, a graph, CSV text or an
    error."""

    kind: str  # "select", "ask", "graph", "csv", "error"
    variables: tuple[str, ...] = ()
    rows: list[dict] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    text: str = ""


def form(query: str) -> str:
    from smartcity_kg.binding import top_level_words

    for word in top_level_words(query):
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word
    return "SELECT"


#: stands in for a query when answers are compared without their order
_UNORDERED = Path(os.devnull)


def ordered(query: str) -> bool:
    """True when the query's outermost level has ORDER BY (a subquery's order is lost)."""
    from smartcity_kg.binding import tokens

    depth = 0
    for kind, value, _ in tokens(query):
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
        elif kind == "word" and depth == 0 and value.upper() == "ORDER":
            return True
    return False


def output_format(case: Case) -> str:
    if case.result is not None and case.result.suffix in (".csv", ".tsv"):
        return case.result.suffix[1:]
    if form(case.query.read_text(encoding="utf-8")) in ("CONSTRUCT", "DESCRIBE"):
        return "ntriples"
    return "json"


def parse_output(data: bytes, fmt: str) -> Answer:
    """What the CLI printed, read back with a W3C parser."""
    if fmt == "ntriples":
        return Answer("graph", triples=list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))
    if fmt == "csv":
        return Answer("csv", text=data.decode("utf-8"))
    results = ox.parse_query_results(
        data, ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.TSV
    )
    return _from_results(results)


def _from_results(results) -> Answer:
    if isinstance(results, ox.QueryBoolean):
        return Answer("ask", boolean=bool(results))
    variables = tuple(v.value for v in results.variables)
    rows = [
        {v: t for v, t in zip(variables, solution, strict=True) if t is not None}
        for solution in results
    ]
    return Answer("select", variables, rows)


def expected(case: Case) -> Answer:
    """The W3C expected result of an evaluation test."""
    path = case.result
    assert path is not None
    if path.suffix == ".csv":
        return Answer("csv", text=path.read_text(encoding="utf-8"))
    if path.suffix in (".srx", ".srj", ".tsv"):
        fmt = {
            ".srx": ox.QueryResultsFormat.XML,
            ".srj": ox.QueryResultsFormat.JSON,
            ".tsv": ox.QueryResultsFormat.TSV,
        }[path.suffix]
        return _from_results(ox.parse_query_results(path=str(path), format=fmt))
    fmt = ox.RdfFormat.TURTLE if path.suffix == ".ttl" else ox.RdfFormat.RDF_XML
    triples = [q.triple for q in ox.parse(path=str(path), format=fmt, base_iri=_uri(path))]
    return _result_set(triples) or Answer("graph", triples=triples)


def _result_set(triples: list) -> Answer | None:
    """An answer written in the DAWG result-set vocabulary, or None for a plain graph."""
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)

    def values(s, p: str) -> list:
        return [t.object for t in by_subject.get(s, []) if t.predicate.value == RS + p]

    sets = [
        t.subject
        for t in triples
        if t.predicate.value == RDF + "type" and t.object.value == RS + "ResultSet"
    ]
    if not sets:
        return None
    (rs,) = sets
    boolean = values(rs, "boolean")
    if boolean:
        return Answer("ask", boolean=boolean[0].value == "true")
    variables = tuple(v.value for v in values(rs, "resultVariable"))
    rows = []
    for solution in values(rs, "solution"):
        row = {}
        for binding in values(solution, "binding"):
            row[values(binding, "variable")[0].value] = values(binding, "value")[0]
        index = values(solution, "index")
        rows.append((int(index[0].value) if index else 0, row))
    rows.sort(key=lambda item: item[0])
    return Answer("select", variables, [r for _, r in rows])


# --- comparison under SPARQL semantics --------------------------------------------------------


def differs(case: Case, actual: Answer, wanted: Answer) -> str | None:
    """None when ``actual`` is ``wanted`` under SPARQL semantics, else a short reason."""
    if actual.kind == "error":
        return actual.text
    if actual.kind != wanted.kind:
        return f"a {actual.kind} answer, expected a {wanted.kind} answer"
    if actual.kind == "ask":
        return None if actual.boolean == wanted.boolean else f"answered {actual.boolean}"
    if actual.kind == "graph":
        return (
            None
            if _isomorphic(actual.triples, wanted.triples)
            else _graph_diff(actual.triples, wanted.triples)
        )
    if actual.kind == "csv":
        return _csv_diff(actual.text, wanted.text)
    rows, want = actual.rows, wanted.rows
    if case.lax:
        rows, want = _distinct(rows), _distinct(want)
    in_order = ordered(case.query.read_text(encoding="utf-8"))
    if _rows_match(rows, want, in_order):
        return None
    if in_order and _rows_match(rows, want, False):
        return "the right solutions in another order (ORDER BY)"
    return _rows_diff(rows, want)


def _distinct(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for row in rows:
        key = frozenset((k, _key(v)) for k, v in row.items())
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _key(t) -> str:
    return "_:" if isinstance(t, ox.BlankNode) else str(t)


def _has_bnode(row: dict) -> bool:
    return any(isinstance(v, ox.BlankNode) for v in row.values())


def _unify(a: dict, b: dict, fwd: dict, back: dict) -> tuple[dict, dict] | None:
    """The blank-node mapping extended so that row ``a`` equals row ``b``, or None."""
    if a.keys() != b.keys():
        return None
    fwd, back = dict(fwd), dict(back)
    for k, x in a.items():
        y = b[k]
        if isinstance(x, ox.BlankNode) and isinstance(y, ox.BlankNode):
            if fwd.get(x, y) != y or back.get(y, x) != x:
                return None
            fwd[x], back[y] = y, x
        elif x != y:
            return None
    return fwd, back


def _rows_match(rows: list[dict], want: list[dict], in_order: bool) -> bool:
    if len(rows) != len(want):
        return False
    if in_order:
        maps: tuple[dict, dict] | None = ({}, {})
        for a, b in zip(rows, want, strict=True):
            maps = _unify(a, b, *maps) if maps else None
        return maps is not None
    plain = Counter(frozenset(r.items()) for r in rows if not _has_bnode(r))
    plain_want = Counter(frozenset(r.items()) for r in want if not _has_bnode(r))
    if plain != plain_want:
        return False
    left = [r for r in rows if _has_bnode(r)]
    right = [r for r in want if _has_bnode(r)]
    return _search(left, right, {}, {}, [0])


def _search(left: list, right: list, fwd: dict, back: dict, budget: list[int]) -> bool:
    """Backtracking: match the first row of ``left`` with some row of ``right``."""
    if not left:
        return not right
    budget[0] += 1
    if budget[0] > 200_000:
        return False
    first, rest = left[0], left[1:]
    for i, candidate in enumerate(right):
        maps = _unify(first, candidate, fwd, back)
        if maps and _search(rest, right[:i] + right[i + 1 :], *maps, budget):
            return True
    return False


def _show(row: dict) -> str:
    return "{" + ", ".join(f"{k}={_key(v)}" for k, v in sorted(row.items())) + "}"


def _rows_diff(rows: list[dict], want: list[dict]) -> str:
    got = Counter(_show(r) for r in rows)
    wanted = Counter(_show(r) for r in want)
    missing = sorted((wanted - got).elements())
    extra = sorted((got - wanted).elements())
    parts = [f"{len(rows)} solutions, expected {len(want)}"]
    if missing:
        parts.append("missing " + "; ".join(missing[:2]) + (" ..." if len(missing) > 2 else ""))
    if extra:
        parts.append("unexpected " + "; ".join(extra[:2]) + (" ..." if len(extra) > 2 else ""))
    if not missing and not extra:
        parts.append("blank nodes shared differently")
    return ": ".join(parts[:1]) + (": " + ", ".join(parts[1:]) if parts[1:] else "")


def _rdflib_graph(triples: list):
    import rdflib

    return rdflib.Graph().parse(
        data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt"
    )


def _isomorphic(a: list, b: list) -> bool:
    from rdflib.compare import isomorphic

    return isomorphic(_rdflib_graph(a), _rdflib_graph(b))


def _graph_diff(a: list, b: list) -> str:
    return f"a graph of {len(set(a))} triples not isomorphic to the expected {len(set(b))}"


def _csv_diff(text: str, wanted: str) -> str | None:
    """CSV is compared as rows of cells, blank node labels up to renaming."""
    import csv

    def table(s: str) -> tuple[list[str], list[dict]]:
        head, *body = list(csv.reader(io.StringIO(s)))
        rows = []
        for line in body:
            rows.append(
                {
                    h: (ox.BlankNode(c[2:]) if c.startswith("_:") else c)
                    for h, c in zip(head, line, strict=True)
                    if c != ""
                }
            )
        return head, rows

    head, rows = table(text)
    want_head, want = table(wanted)
    if head != want_head:
        return f"CSV header {head}, expected {want_head}"
    if _rows_match(rows, want, False):
        return None
    return "CSV " + _rows_diff(rows, want)


# --- running ----------------------------------------------------------------------------------


def invoke(args: list[str]) -> tuple[int, bytes, str]:
    """``smartcity-kg ARGS`` in-process, through the console script's entry point."""
    from click.testing import CliRunner

    from smartcity_kg.cli.main import main

    runner = CliRunner()
    result = runner.invoke(_Entry(main), args, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


class _Entry:
    """Adapts ``main(argv)`` (which calls sys.exit) to CliRunner."""

    name = "smartcity-kg"

    def __init__(self, main) -> None:
        self.main_fn = main

    def main(self, args=None, prog_name=None, **_: object) -> None:
        self.main_fn(list(args or []))


def cli_answer(case: Case, store: Path | None = None) -> Answer:
    """The test run as ``smartcity-kg query``: embedded, or on ``store`` made by :func:`load`."""
    fmt = output_format(case)
    args = ["query", str(case.query), "--default-graph", "default", "--format", fmt]
    if store is None:
        args.append("--no-shipped")
        args += [x for d in case.data for x in ("--default-data", str(d))]
        args += [x for g in case.named for x in ("--data", str(g))]
    else:
        args += ["--store", str(store)]
    code, out, err = invoke(args)
    if code not in (0, 1):
        return Answer("error", text=err.strip().removeprefix("Error: "))
    try:
        return parse_output(out, fmt)
    except (SyntaxError, ValueError) as e:
        return Answer("error", text=f"unreadable {fmt} output: {e}")


class Stores:
    """One store per distinct dataset, made by ``smartcity-kg load --no-shipped``."""

    def __init__(self) -> None:
        shm = Path("/dev/shm")  # memory-backed where there is one: RocksDB syncs to disk
        where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        self.folder = Path(tempfile.mkdtemp(prefix="w3c-stores-", dir=where))
        self.made: dict[tuple, Path] = {}

    def get(self, case: Case) -> Path:
        key = (case.data, case.named)
        if key not in self.made:
            path = self.folder / str(len(self.made))
            args = ["load", "--store", str(path), "--no-shipped"]
            args += [x for d in case.data for x in ("--default-data", str(d))]
            args += [str(g) for g in case.named]
            code, _, err = invoke(args)
            if code != 0:
                raise RuntimeError(f"load failed for {case.id}: {err}")
            self.made[key] = path
        return self.made[key]

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def engine_answer(case: Case) -> Answer:
    """The test run on pyoxigraph directly, with the dataset and base IRI W3C prescribes."""
    from smartcity_kg.dataset import rdf_format

    store = ox.Store()
    try:
        for path in case.data:
            store.load(
                path=str(path),
                format=rdf_format(path),
                base_iri=_uri(path),
                to_graph=ox.DefaultGraph(),
            )
        for path in case.named:
            store.load(
                path=str(path),
                format=rdf_format(path),
                base_iri=_uri(path),
                to_graph=ox.NamedNode(_uri(path)),
            )
        text = case.query.read_text(encoding="utf-8")
        result = store.query(text, base_iri=_uri(case.query))
        fmt = output_format(case)
        if fmt in ("csv", "tsv"):
            out = result.serialize(
                format=ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.TSV
            )
            return parse_output(out, fmt)
        if isinstance(result, ox.QueryTriples):
            return Answer("graph", triples=list(result))
        return _from_results(result)
    except SyntaxError as err:
        return Answer("error", text=f"SPARQL syntax error: {err}")
    except (OSError, RuntimeError, ValueError) as err:
        return Answer("error", text=f"the query failed: {err}")


def syntax_ok(case: Case) -> tuple[bool, str]:
    """Whether the CLI accepts the query file (no syntax error), and its message if not."""
    fmt = output_format(case)
    code, _, err = invoke(["query", str(case.query), "--no-shipped", "--format", fmt])
    message = err.strip().removeprefix("Error: ")
    return ("syntax error" not in message and code in (0, 1, 2)), message


def engine_syntax_ok(case: Case) -> bool:
    try:
        ox.Store().query(case.query.read_text(encoding="utf-8"), base_iri=_uri(case.query))
    except SyntaxError:
        return False
    return True


@dataclass
class Row:
    case: Case
    status: str  # "pass", "engine", "ours"
    reason: str = ""
    store: str = ""  # for evaluation tests: "same" or why the store differs


def check(case: Case, stores: Stores | None = None) -> Row:
    """Run one test through the CLI (and the store), classify a failure."""
    if case.kind != "evaluation":
        accepted, message = syntax_ok(case)
        want = case.kind == "syntax"
        if accepted == want:
            return Row(case, "pass")
        engine = engine_syntax_ok(case)
        reason = (
            f"refused: {_short(message)}" if want else "accepted although the syntax is invalid"
        )
        return Row(case, "engine" if engine == accepted else "ours", reason)
    wanted = expected(case)
    ours = cli_answer(case)
    problem = differs(case, ours, wanted)
    row = Row(case, "pass")
    if problem is not None:
        direct = engine_answer(case)
        same = differs(case, ours, direct) is None or (
            ours.kind == direct.kind == "error" and differs(case, direct, wanted) is not None
        )
        row = Row(case, "engine" if same else "ours", _short(problem))
    if stores is not None:
        on_store = cli_answer(case, stores.get(case))
        store_problem = differs(case, on_store, wanted)
        if store_problem is not None and problem is not None:
            # the same wrong answer as embedded (rows that tie under ORDER BY may swap)
            same_wrong = on_store.kind == ours.kind == "error" or (
                differs(replace(case, query=_UNORDERED), on_store, ours) is None
            )
            store_problem = None if same_wrong else store_problem
        row.store = "same" if store_problem is None else _short(store_problem)
        if store_problem is not None:
            row.status = "ours"
            row.reason = (row.reason + "; " if row.reason else "") + "--store: " + row.store
    return row


def _short(text: str, limit: int = 160) -> str:
    """One table cell: one line, no machine-specific paths, at most ``limit`` characters."""
    text = text.replace(ROOT.as_uri(), "tests/w3c").replace(str(ROOT), "tests/w3c")
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_all(with_store: bool = True) -> list[Row]:
    stores = Stores() if with_store else None
    try:
        return [check(case, stores) for case in cases()]
    finally:
        if stores is not None:
            stores.close()


def table(rows: list[Row]) -> str:
    """RESULTS.md: the counts, then every test with its status and the reason of a failure."""
    counts = Counter(r.status for r in rows)
    by_kind: dict[str, Counter] = {}
    for r in rows:
        by_kind.setdefault(r.case.kind, Counter())[r.status] += 1
    lines = [
        "# W3C SPARQL test suites: results",
        "",
        "Generated by `python tests/w3c_suite.py` (checked by tests/test_w3c.py); do not edit.",
        "Each test runs through `smartcity-kg query` on the test's files",
        "(`--no-shipped --default-graph default`) and, for evaluation tests, on a `--store`.",
        "`engine`: pyoxigraph, given the same dataset and query directly, gives the same wrong",
        "answer. `ours`: only smartcity-kg fails.",
        "",
        "| tests | pass | engine | ours |",
        "|---|---:|---:|---:|",
    ]
    for kind in ("evaluation", "syntax", "negative syntax"):
        c = by_kind.get(kind, Counter())
        lines.append(f"| {kind} | {c['pass']} | {c['engine']} | {c['ours']} |")
    lines.append(
        f"| **all {len(rows)}** | **{counts['pass']}** | **{counts['engine']}** | "
        f"**{counts['ours']}** |"
    )
    lines += ["", "| test | kind | result | reason |", "|---|---|---|---|"]
    for r in rows:
        reason = r.reason
        if r.status == "engine" and r.case.id in ENGINE_NOTES:
            reason = f"{ENGINE_NOTES[r.case.id]} ({reason})"
        lines.append(f"| {r.case.id} | {r.case.kind} | {r.status} | {reason} |")
    return "\n".join(lines) + "\n"


def document(rows: list[Row]) -> str:
    """All of RESULTS.md: the suites, then binding against substitution."""
    import binding_check

    return table(rows) + "\n" + binding_check.section(binding_check.survey())


def main(argv: list[str]) -> int:
    rows = run_all()
    text = document(rows)
    if "--check" in argv:
        return 0 if RESULTS.is_file() and RESULTS.read_text(encoding="utf-8") == text else 1
    RESULTS.write_text(text, encoding="utf-8")
    counts = Counter(r.status for r in rows)
    print(
        f"{len(rows)} tests: {counts['pass']} pass, {counts['engine']} engine, "
        f"{counts['ours']} ours; wrote {RESULTS}"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main(sys.argv[1:]))
