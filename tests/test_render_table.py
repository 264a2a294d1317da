"""The plain ``table`` format: fits the terminal with "…", aligns wide characters, and keeps
every cell whole when printed to a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from smartcity_kg.render import render_table, text_width
from terminal import run_on_terminal

HEADERS = ["topic", "kind", "rationale"]
ROWS = [
    ["Mobilität", "curated", "Digital traffic control reduces traffic jams and emissions."],
    ["Bildung", "stated", "Good education improves life chances."],
]


def test_table_without_width_keeps_every_cell_whole():
    assert render_table(HEADERS, ROWS, "table").splitlines() == [
        "topic      kind     rationale",
        "---------  -------  -----------------------------------------------------------",
        "Mobilität  curated  Digital traffic control reduces traffic jams and emissions.",
        "Bildung    stated   Good education improves life chances.",
    ]


def test_table_with_width_shortens_the_widest_column_with_an_ellipsis():
    lines = render_table(HEADERS, ROWS, "table", width=40).splitlines()
    assert lines == [
        "topic      kind     rationale",
        "---------  -------  --------------------",
        "Mobilität  curated  Digital traffic con…",
        "Bildung    stated   Good education impr…",
    ]
    assert max(text_width(line) for line in lines) == 40


def test_table_with_width_cuts_all_wide_columns_to_one_limit():
    headers = ["a", "long-one", "long-two"]
    rows = [["x", "0123456789abcdefghij", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]]
    assert render_table(headers, rows, "table", width=25).splitlines() == [
        "a  long-one    long-two",
        "-  ----------  ----------",
        "x  012345678…  ABCDEFGHI…",
    ]


def test_table_that_fits_is_not_changed_by_a_width():
    assert render_table(HEADERS, ROWS, "table", width=200) == render_table(HEADERS, ROWS, "table")


def test_width_applies_to_the_table_format_only():
    assert render_table(HEADERS, ROWS, "markdown", width=20) == render_table(
        HEADERS, ROWS, "markdown"
    )
    assert render_table(HEADERS, ROWS, "csv", width=20) == render_table(HEADERS, ROWS, "csv")


def test_wide_characters_align_in_columns():
    rows = [["東京都", "1"], ["Kassel", "2"], ["🚲 Rad", "3"]]
    assert render_table(["name", "n"], rows, "table").splitlines() == [
        "name    n",
        "------  -",
        "東京都  1",
        "Kassel  2",
        "🚲 Rad  3",
    ]


def test_wide_characters_are_cut_by_display_width():
    rows = [["東京都千代田区丸の内", "x"]]
    lines = render_table(["name", "n"], rows, "table", width=11).splitlines()
    # 8 cells for the name: three wide characters (6 cells), "…" (1), one cell of padding
    assert lines == ["name      n", "--------  -", "東京都…   x"]
    assert {text_width(line) for line in lines} == {11}


def test_combining_marks_take_no_cell():
    rows = [["Mobilita\u0308t", "1"], ["Bildung", "2"]]
    assert render_table(["topic", "n"], rows, "table").splitlines()[2:] == [
        "Mobilita\u0308t  1",
        "Bildung    2",
    ]


def _console_script() -> str:
    return str(Path(sys.executable).parent / "smartcity-kg")


@pytest.mark.slow
def test_query_on_a_terminal_fits_its_columns():
    """The flagship query on a 100-column pseudo-terminal: no line wider than 100."""
    code, out = run_on_terminal([_console_script(), "query", "topic-goals"], columns=100)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["topicLabel", "goalLabel", "kind", "rationale", "topic", "goal"]
    assert len(lines) == 2 + 16
    assert max(text_width(line) for line in lines) <= 100
    assert any(line.endswith("…") for line in lines)


@pytest.mark.slow
def test_query_through_a_pipe_keeps_every_cell_whole():
    env = {**os.environ, "COLUMNS": "100"}
    out = subprocess.run(
        [_console_script(), "query", "topic-goals", "--param", "lang=en"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) > 100
    assert "Efficient digital administrative processes save time and costs" in out
