"""The template -> import -> query/validate/export flow through the CLI, on the shipped graph."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from import_fixture import HEADER

SCRIPT = str(Path(sys.executable).with_name("smartcity-kg"))
ROW = (
    "Smarte Parkplätze Musterstadt,Smart parking,Sensoren melden freie Plätze.,06411000,"
    "Mobilitaet,,,,,2023,active,,Ratsbeschluss 2023\n"
)


def test_template_then_import_then_query(cli_run, tmp_path):
    template = tmp_path / "initiatives.csv"
    assert cli_run("template", "initiatives", "-o", str(template)).exit_code == 0
    out = tmp_path / "mine.ttl"
    result = cli_run("import", str(template), "-o", str(out))
    assert result.exit_code == 0, result.output
    # 22: the example row also has an English description, lead, amount and funding year
    assert f"Imported 1 of 1 row(s) as 22 triples: wrote {out}" in result.output
    prov = tmp_path / "mine.prov.ttl"
    query = (
        "SELECT ?l ?topic WHERE { ?i a sc:Initiative ; rdfs:label ?l ; "
        'sc:hasTopicArea ?topic FILTER(lang(?l) = "en" && CONTAINS(?l, "Musterstadt")) } '
        "ORDER BY ?topic"
    )
    answer = cli_run("query", "-e", query, "--data", str(out), "--format", "csv")
    assert answer.output.splitlines() == [
        "l,topic",
        "Smart parking Musterstadt,https://w3id.org/smartcity-kg/id/topic/energie-umwelt",
        "Smart parking Musterstadt,https://w3id.org/smartcity-kg/id/topic/mobilitaet",
    ]
    checked = cli_run("validate", "--data", str(out), "--data", str(prov))
    assert checked.exit_code == 0, checked.output
    exported = cli_run("export", "--data", str(out), "-f", "ntriples")
    assert (
        "<https://w3id.org/smartcity-kg/id/initiative/smarte-parkplaetze-musterstadt> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/smartcity-kg/ontology#Initiative> ."
    ) in exported.output
    central = cli_run("analyze", "centrality", "--data", str(out), "--format", "csv")
    assert central.exit_code == 0 and central.output.startswith("node,label,class,degree")


def test_import_with_problems_writes_nothing_and_exits_1(cli_run, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text(HEADER + ROW.replace("06411000", "Kassel"), encoding="utf-8")
    out = tmp_path / "out.ttl"
    result = cli_run("import", str(src), "-o", str(out), "--format", "csv")
    assert result.exit_code == 1
    assert "2,region,Kassel,\"ambiguous region 'Kassel': 4 candidates:" in result.output
    assert "Kassel (Landkreis, AGS 06633)" in result.output
    assert f"Error: {src}: 1 problem(s) in 1 row(s); nothing written." in result.output
    assert not out.exists()


def test_import_empty_file_exits_2(cli_run, tmp_path):
    src = tmp_path / "empty.csv"
    src.write_text("")
    result = cli_run("import", str(src), "-o", str(tmp_path / "o.ttl"))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {src}: the file is empty;")
    assert list(tmp_path.iterdir()) == [src]


@pytest.mark.slow
def test_real_subprocess_run(tmp_path):
    src = tmp_path / "ok.csv"
    src.write_text(HEADER + ROW, encoding="utf-8")
    out = tmp_path / "ok.ttl"
    done = subprocess.run(
        [SCRIPT, "import", str(src), "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Importing" not in done.stderr  # no progress bar when stderr is not a terminal
    assert 'rdfs:label "Smarte Parkplätze Musterstadt"@de' in out.read_text()


@pytest.mark.slow
def test_progress_bar_on_a_terminal(tmp_path):
    src = tmp_path / "ok.csv"
    src.write_text(HEADER + ROW, encoding="utf-8")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [SCRIPT, "import", str(src), "-o", str(tmp_path / "ok.ttl")],
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert b"Importing" in seen and b"100%" in seen


GOOD_ROW = ROW
BAD_INPUTS = {
    "empty": (b"", 2, "the file is empty"),
    "header only": (HEADER.encode(), 2, "no data rows"),
    "unknown column": (
        (HEADER.replace("status", "state") + GOOD_ROW).encode(),
        2,
        "unknown column 'state' for initiatives. Did you mean \"status\" or",
    ),
    "missing column": (b"name,region\nA,06411000\n", 2, "missing required column(s) source"),
    "semicolons": (
        (HEADER + GOOD_ROW).replace(",", ";").encode(),
        2,
        "the header is separated by ';', not by ','",
    ),
    "latin-1": ((HEADER + GOOD_ROW).encode("latin-1"), 2, ":2:14: the file is not UTF-8"),
    "too many cells": (
        (HEADER + GOOD_ROW.rstrip("\n") + ",x\n").encode(),
        1,
        "the row has 14 cells but the header has 13",
    ),
    "year": (
        (HEADER + GOOD_ROW.replace(",2023,", ",MMXXIII,")).encode(),
        1,
        "start_year 'MMXXIII' is not a year",
    ),
    "unknown ags": (
        (HEADER + GOOD_ROW.replace("06411000", "06400000")).encode(),
        1,
        "unknown region AGS '06400000'",
    ),
    "duplicate": ((HEADER + GOOD_ROW + GOOD_ROW).encode(), 1, "row 2 has the same name"),
}


def test_every_bad_input_has_its_message_and_writes_nothing(cli_run, tmp_path):
    for name, (content, code, part) in BAD_INPUTS.items():
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        src = folder / "in.csv"
        src.write_bytes(content)
        out = folder / "out.ttl"
        out.write_text("# previous import\n")
        result = cli_run("import", str(src), "-o", str(out), "--format", "csv")
        assert result.exit_code == code, (name, result.output)
        assert part in result.output, (name, result.output)
        assert "Traceback" not in result.output
        assert out.read_text() == "# previous import\n", name
        assert sorted(p.name for p in folder.iterdir()) == ["in.csv", "out.ttl"], name


def test_formula_cell_is_stored_as_text_through_the_cli(cli_run, tmp_path):
    src = tmp_path / "f.csv"
    src.write_text(HEADER + '"=HYPERLINK(""http://x.example"")"' + ROW[ROW.index(",") :])
    out = tmp_path / "f.ttl"
    assert cli_run("import", str(src), "-o", str(out)).exit_code == 0
    assert 'rdfs:label "=HYPERLINK(\\"http://x.example\\")"@de' in out.read_text()
