"""The W3C SPARQL 1.1 query and DAWG data-r2 suites through ``smartcity-kg query`` (see
tests/w3c_suite.py): no failure of ours, every engine failure explained, RESULTS.md current."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import w3c_suite as suite

CASES = {case.id: case for case in suite.cases()}


@pytest.fixture(scope="module")
def rows() -> dict[str, suite.Row]:
    """Every test embedded (the fast tests); the same on a store is the slow test below."""
    return {row.case.id: row for row in suite.run_all(with_store=False)}


@pytest.mark.parametrize("case_id", list(CASES))
def test_w3c(case_id, rows):
    row = rows[case_id]
    assert row.status != "ours", row.reason
    if row.status == "engine":
        assert case_id in suite.ENGINE_NOTES, f"explain this engine failure: {row.reason}"


@pytest.mark.slow  # every evaluation test again on a store of its own: about half the time
def test_every_evaluation_test_answers_the_same_on_a_store():
    on_store = suite.run_all(with_store=True)
    assert len(on_store) == len(CASES)
    evaluated = [row for row in on_store if row.case.kind == "evaluation"]
    assert len(evaluated) == 426
    assert {row.case.id: row.store for row in evaluated if row.store != "same"} == {}
    assert [row.case.id for row in on_store if row.status == "ours"] == []


def test_results_table_is_current(rows):
    """tests/w3c/RESULTS.md is what `python tests/w3c_suite.py` writes now."""
    text = suite.document(list(rows.values()))
    assert suite.RESULTS.read_text(encoding="utf-8") == text, (
        "tests/w3c/RESULTS.md is out of date: run 'python tests/w3c_suite.py'"
    )


def test_every_engine_note_names_an_engine_failure(rows):
    stale = sorted(i for i in suite.ENGINE_NOTES if rows[i].status != "engine")
    assert stale == []


def test_the_suites_are_all_there():
    kinds = [c.kind for c in CASES.values()]
    assert len(CASES) == 723
    assert kinds.count("evaluation") == 426
    assert kinds.count("syntax") == 212
    assert kinds.count("negative syntax") == 85


# --- the comparison itself must be able to fail -------------------------------------------

A, B = ox.BlankNode("a"), ox.BlankNode("b")
X, Y = ox.NamedNode("http://e/x"), ox.NamedNode("http://e/y")
CASE = next(
    c
    for c in CASES.values()
    if c.kind == "evaluation" and not suite.ordered(c.query.read_text(encoding="utf-8"))
)
ORDERED = next(c for c in CASES.values() if c.id == "data-r2/sort/dawg-sort-1")


def select(*rows: dict) -> suite.Answer:
    return suite.Answer("select", ("s", "o"), list(rows))


def test_rows_are_a_multiset():
    assert suite.differs(CASE, select({"s": X}, {"s": Y}), select({"s": Y}, {"s": X})) is None
    assert suite.differs(CASE, select({"s": X}, {"s": X}), select({"s": X})) is not None
    assert suite.differs(CASE, select({"s": X}), select({"s": Y})) is not None


def test_blank_nodes_match_up_to_renaming_but_keep_their_sharing():
    c, d = ox.BlankNode("c"), ox.BlankNode("d")
    same = select({"s": A, "o": A}, {"s": B, "o": X})
    renamed = select({"s": d, "o": X}, {"s": c, "o": c})
    assert suite.differs(CASE, same, renamed) is None
    split = select({"s": A, "o": B}, {"s": c, "o": X})
    assert suite.differs(CASE, same, split) is not None


def test_order_counts_only_under_order_by():
    forward, backward = select({"s": X}, {"s": Y}), select({"s": Y}, {"s": X})
    assert suite.differs(CASE, forward, backward) is None
    assert "order" in suite.differs(ORDERED, forward, backward)


def test_graphs_compare_by_isomorphism():
    p = ox.NamedNode("http://e/p")
    one = suite.Answer("graph", triples=[ox.Triple(A, p, X), ox.Triple(A, p, Y)])
    other = suite.Answer("graph", triples=[ox.Triple(B, p, Y), ox.Triple(B, p, X)])
    apart = suite.Answer("graph", triples=[ox.Triple(A, p, X), ox.Triple(B, p, Y)])
    assert suite.differs(CASE, one, other) is None
    assert suite.differs(CASE, one, apart) is not None
