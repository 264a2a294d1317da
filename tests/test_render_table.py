"""The plain ``table`` format: fits the terminal with "…", aligns wide characters, and keeps
every cell whole when printed to a pipe."""

from __future__ import annotations

import os
import re
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


BROKEN = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
<https://w3id.org/smartcity-kg/id/region/0643199> a sc:Municipality, sc:Region ;
    rdfs:label "Testdorf"@de, "Testdorf"@en ; sc:ags "0643199" .
"""
BAD_CSV = (
    "name,region,topic_areas,start_year,source\n"
    "Smarte Parkplätze Kassel,Kassel,Mobilität,2023,Ratsbeschluss Kassel 2023\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["queries"],
        ["stats"],
        ["validate", "--data", "broken.ttl"],
        ["analyze", "centrality"],
        ["analyze", "gaps"],
        ["import", "bad.csv", "-o", "bad.ttl"],
        ["diff", "old.ttl", "new.ttl"],
    ],
    ids=" ".join,
)
def test_every_table_fits_a_narrow_terminal(tmp_path, args):
    """Long cells are shortened for every command that prints a table, not only query."""
    (tmp_path / "broken.ttl").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    long = "a label far longer than any terminal is wide, " * 4
    (tmp_path / "old.ttl").write_text(f'<http://e/a> <http://e/p> "{long}" .\n', encoding="utf-8")
    (tmp_path / "new.ttl").write_text(f'<http://e/a> <http://e/p> "{long}!" .\n', encoding="utf-8")
    code, out = run_on_terminal([_console_script(), *args], columns=60, cwd=tmp_path)
    assert code in (0, 1), out
    # the table's lines: not the messages, nor import's progress bar on stderr
    table = [
        line
        for line in out.splitlines()
        if line and not line.startswith("Error:") and "\x1b[" not in line
    ]
    assert max(text_width(line) for line in table) <= 60, out
    assert any("…" in line for line in table), out


def test_wide_characters_align_in_a_command_table(tmp_path):
    """Labels in CJK script and with emoji take two cells each: the columns after them still
    start at the same place on every line."""
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(
        '<http://e/a> <http://www.w3.org/2000/01/rdf-schema#label> "東京都"@de ; <http://e/p> 1 .\n'
        '<http://e/b> <http://www.w3.org/2000/01/rdf-schema#label> "Kö🚲ln"@de ; <http://e/p> 1 .\n'
        '<http://e/c> <http://www.w3.org/2000/01/rdf-schema#label> "Ulm"@de ; <http://e/p> 1 .\n',
        encoding="utf-8",
    )
    new.write_text(old.read_text(encoding="utf-8").replace(" 1 .", " 2 ."), encoding="utf-8")
    code, out = run_on_terminal([_console_script(), "diff", "old.ttl", "new.ttl"], 100, tmp_path)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith(("subject", "http"))]
    assert len(lines) == 7
    assert any("東京都" in line for line in lines) and any("🚲" in line for line in lines)
    # where the third column (change) starts, in terminal cells, on every line
    third = {text_width(line[: re.match(r"\S+\s{2,}\S+\s{2,}", line).end()]) for line in lines}
    assert len(third) == 1
