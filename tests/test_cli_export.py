"""``smartcity-kg export`` and ``smartcity-kg analyze`` through the real entry point,
a subprocess run, and the HTML page in headless Chromium with no network."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from graph_fixture import write_trig

ID = "https://w3id.org/smartcity-kg/id/"


@pytest.fixture(scope="module")
def fixture_trig(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "small.trig"
    write_trig(path)
    return path


def test_export_format_from_extension(cli_run, tmp_path):
    out = tmp_path / "topics.graphml"
    result = cli_run("export", "--view", "topics", "--lang", "de", "-o", str(out))
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.nodes[ID + "topic/mobilitaet"]["label"] == "Mobilität"
    assert f"Wrote {out}" in result.stderr


def test_export_turtle_to_stdout_by_default(cli_run):
    result = cli_run("export", "--view", "topics", "--focus", "Mobilität")
    assert result.exit_code == 0
    g = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert (rdflib.URIRef(ID + "topic/mobilitaet"), None, None) in g


def test_export_csv_writes_nodes_and_edges(cli_run, tmp_path, fixture_trig):
    out = tmp_path / "g.csv"
    result = cli_run(
        "export", "--data", str(fixture_trig), "--view", "regions", "--focus", "District B",
        "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    nodes = list(csv.DictReader((tmp_path / "g.nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "g.edges.csv").open(encoding="utf-8")))
    assert [r["Id"][len(ID) :] for r in nodes] == ["region/d2", "region/m2", "region/m3"]
    assert [(r["Source"][len(ID) :], r["Target"][len(ID) :]) for r in edges] == [
        ("region/m2", "region/d2"),
        ("region/m3", "region/d2"),
    ]


def test_unknown_format_lists_formats(cli_run):
    result = cli_run("export", "--format", "pdf")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: unknown export format 'pdf'; use one of: turtle (.ttl .turtle)"
    )
    assert "graphml (.graphml)" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_extension(cli_run, tmp_path):
    result = cli_run("export", "-o", str(tmp_path / "graph.xlsx"))
    assert result.exit_code == 2
    assert "cannot tell the export format from the extension" in result.stderr
    assert not (tmp_path / "graph.xlsx").exists()


def test_focus_that_matches_nothing_suggests(cli_run):
    result = cli_run("export", "--view", "topics", "--focus", "Mobilitat", "-f", "mermaid")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --focus 'Mobilitat' matches no node of this view by IRI or label. "
        'Did you mean "Mobilität" or "Mobility" or "Mobilfalt"?\n'
    )


def test_ambiguous_focus_lists_candidates(cli_run, fixture_trig):
    result = cli_run("export", "--data", str(fixture_trig), "--focus", "Stadt", "-f", "dot")
    assert result.exit_code == 2
    assert "names 2 nodes: id:region/m2 = Stadt (Gemeinde); id:region/m3 = Stadt (Gemeinde)" in (
        result.stderr
    )
    english = cli_run("export", "--data", str(fixture_trig), "--focus", "Town", "--lang", "en")
    assert "id:region/m2 = Town (municipality (Gemeinde)); id:region/m3 = Town (" in (
        english.stderr
    )


def test_a_name_several_regions_share_is_shown_with_each_level(cli_run):
    """Kassel is a Regierungsbezirk, a kreisfreie Stadt, its Gemeinde and a Landkreis."""
    result = cli_run("export", "--focus", "Kassel", "-f", "mermaid")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --focus 'Kassel' names 4 nodes: id:region/066 = Kassel (Regierungsbezirk); "
        "id:region/06611 = Kassel (kreisfreie Stadt); id:region/06611000 = Kassel (Gemeinde); "
        "id:region/06633 = Kassel (Landkreis). Give one of these IRIs instead.\n"
    )
    typo = cli_run("export", "--focus", "Kasel", "-f", "mermaid", "--lang", "en")
    assert typo.stderr.startswith(
        "Error: --focus 'Kasel' matches no node of this view by IRI or label. Did you mean "
        '"Kassel (government district (Regierungsbezirk))" (id:region/066) or '
        '"Kassel (district-free city (kreisfreie Stadt))" (id:region/06611) or '
        '"Kassel (municipality (Gemeinde))" (id:region/06611000) or '
        '"Kassel (district (Landkreis))" (id:region/06633)'
    )


def test_csv_and_png_need_a_file(cli_run):
    assert "give -o FILE.csv" in cli_run("export", "-f", "csv").stderr
    assert "give -o FILE.png" in cli_run("export", "--view", "topics", "-f", "png").stderr


@pytest.mark.parametrize(
    "args",
    [
        ("centrality", "--format", "json"),
        ("matrix", "--format", "csv"),
        ("gaps", "--format", "json"),
        ("explain", "Energy", "Experience", "--format", "json"),
    ],
)
def test_analyze_commands(cli_run, fixture_trig, args):
    # the fixture is added to the shipped graph; labels of the fixture are unique there
    result = cli_run("analyze", args[0], "--data", str(fixture_trig), *args[1:])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_analyze_explain_json_on_shipped(cli_run):
    result = cli_run(
        "analyze",
        "explain",
        "IT-Infrastruktur",
        "id:benefit/uebertragbarer-erfahrungsschatz",
        "--lang",
        "de",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["status"] for r in rows] == ["curated", "stated"]
    assert rows[0]["from"] == "Digitalstadt Darmstadt"


def test_analyze_matrix_heatmap_pictures(cli_run, tmp_path):
    for name in ("m.svg", "m.png"):
        result = cli_run("analyze", "matrix", "--columns", "sdgs", "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (tmp_path / "m.svg").read_text(encoding="utf-8")


@pytest.mark.slow
def test_export_in_a_subprocess(tmp_path):
    exe = Path(sys.executable).parent / "smartcity-kg"
    out = tmp_path / "kb.trig"
    done = subprocess.run([str(exe), "export", "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ds = rdflib.Dataset().parse(out, format="trig")
    assert rdflib.URIRef(ID + "graph/digitale-staedte") in {g.identifier for g in ds.graphs()}
    bad = subprocess.run([str(exe), "export", "-f", "pdf"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium is not installed")
def test_html_page_works_offline_in_chromium(cli_run, tmp_path, browser, kb):
    from smartcity_kg.graph import build

    out = tmp_path / "topics.html"
    assert cli_run("export", "--view", "topics", "--lang", "de", "-o", str(out)).exit_code == 0
    expected = build(kb, "topics")
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(out.as_uri())
    page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
    assert page.locator("#nodes g.node").count() == expected.number_of_nodes()
    assert page.locator("#edges line").count() == expected.number_of_edges()
    assert page.locator("#edges line.curated").count() == sum(
        1 for *_, d in expected.edges(data=True) if d["status"] == "curated"
    )
    page.fill("#search", "Mobilität")
    hits = page.locator("#results li").all_inner_texts()
    assert "Mobilität" in hits
    assert page.inner_text("#count") == f"{len(hits)} gefunden"  # the page speaks --lang de
    page.locator("#results li", has_text="Mobilität").last.click()
    details = page.inner_text("#details")
    assert ID + "topic/mobilitaet" in details
    assert "id:source/digitale-staedte" in details
    before = page.get_attribute("#viewport", "transform")
    page.click("#zoom-in")
    assert page.get_attribute("#viewport", "transform") != before
    page.screenshot(path=str(tmp_path / "topics.png"))
    assert (tmp_path / "topics.png").stat().st_size > 10_000
    assert requests == [out.as_uri()]
    assert errors == []
    context.close()


@pytest.mark.slow
def test_same_bytes_in_fresh_processes_with_different_hash_seeds(tmp_path):
    exe = Path(sys.executable).parent / "smartcity-kg"
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        args = ["export", "--view", "topics", "--focus", "Mobilität", "--depth", "2"]
        for fmt in ("graphml", "ttl", "mmd"):
            out = tmp_path / f"{seed}.{fmt}"
            subprocess.run([str(exe), *args, "-o", str(out)], env=env, check=True)
            outputs.append(out.read_bytes())
    assert outputs[:3] == outputs[3:]


def test_docs_picture_is_current(kb):
    """docs/images/topics.svg (make docs-images) shows the linked nodes of today's topics
    view (the picture names the others in its legend instead)."""
    from smartcity_kg.graph import build

    svg = Path(__file__).parents[1] / "docs" / "images" / "topics.svg"
    root = ET.parse(svg).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    titles = {g.find("s:title", ns).text for g in root.findall(".//s:g[@class='node']", ns)}
    topics = build(kb, "topics")
    assert titles == {n for n in topics if topics.degree(n)}, "run 'make docs-images'"
