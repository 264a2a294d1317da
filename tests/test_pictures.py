"""SVG/PNG pictures (export svg/png, analyze matrix): title, legend, nodes without links named
and left out, matrix words by --lang, SDG numbers; and no overlapping text, measured where
headless Chromium lays the SVG out (tests/overlap.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from graph_fixture import small_kg
from overlap import labels, overlaps
from smartcity_kg.export import _kind, class_name, isolated  # how a picture chooses, tested here

NS = {"s": "http://www.w3.org/2000/svg"}
ID = "https://w3id.org/smartcity-kg/id/"


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def node_titles(svg: bytes) -> set[str]:
    root = ET.fromstring(svg)
    return {g.find("s:title", NS).text for g in root.findall(".//s:g[@class='node']", NS)}


def test_small_picture_title_legend_and_left_out_nodes(tmp_path):
    small = small_kg(tmp_path)
    g = small.graph("full", lang="de")
    svg = small.export("svg", view="full", lang="de")[""]
    texts = svg_texts(svg)
    assert texts[0] == "Smart-City-Wissensgraph: alles"
    lonely = isolated(g)
    assert [g.nodes[n]["label"] for n in lonely] == ["Einsam", "Wirtschaft stärken"]
    assert node_titles(svg) == set(g.nodes) - set(lonely)
    legend = " ".join(texts)
    assert "Ausgelassen, ohne Links in dieser Ansicht (2): Einsam; Wirtschaft stärken" in legend
    shown_kinds = {_kind(d) for n, d in g.nodes(data=True) if n not in lonely}
    names = {class_name(g, k) for k in shown_kinds}
    assert names <= set(texts)
    assert "─── belegter Link (Quelle)" in texts
    assert "╌╌╌ kuratierter Link (Einschätzung, mit Begründung)" in texts


def test_shipped_topics_picture_names_its_isolated_benefits(kg):
    g = kg.graph("topics", lang="en")
    svg = kg.export("svg", view="topics", lang="en")[""]
    texts = svg_texts(svg)
    assert texts[0] == "Smart City knowledge graph: topic areas, goals, benefits, initiatives"
    lonely = isolated(g)
    assert len(lonely) == 5 and all(n.startswith(ID + "benefit/") for n in lonely)
    assert node_titles(svg) == {n for n in g if g.degree(n)}
    assert any(t.startswith("Left out, without links in this view (5): ") for t in texts)
    legend_cells = set(texts)
    for kind in {_kind(d) for n, d in g.nodes(data=True) if g.degree(n)}:
        assert class_name(g, kind) in legend_cells


def test_focused_picture_says_around_what(tmp_path):
    small = small_kg(tmp_path)
    svg = small.export("svg", view="full", lang="en", focus="Mobility", depth=1)[""]
    assert svg_texts(svg)[0] == "Smart City knowledge graph: everything, around Mobility (depth 1)"


@pytest.mark.parametrize(
    ("lang", "columns", "title", "corner"),
    [
        ("en", "goals", "Topic areas × goals", "topic area"),
        ("de", "goals", "Themenbereiche × Ziele", "Themenbereich"),
        ("de", "sdgs", "Themenbereiche × UN-Nachhaltigkeitsziele (SDGs)", "Themenbereich"),
    ],
)
def test_matrix_picture_follows_lang(cli_run, tmp_path, lang, columns, title, corner):
    out = tmp_path / "m.svg"
    result = cli_run("analyze", "matrix", "--columns", columns, "--lang", lang, "-o", str(out))
    assert result.exit_code == 0, result.output
    texts = svg_texts(out.read_bytes())
    assert texts[0] == title
    assert texts[1] == corner
    legend = {
        "en": "1 (dark) = a link joins the topic area and the column, 0 = no link",
        "de": "1 (dunkel) = ein Link verbindet Themenbereich und Spalte, 0 = kein Link",
    }[lang]
    assert texts[-1] == legend


def test_sdg_columns_show_their_numbers(kg):
    table = kg.matrix("sdgs", lang="de")
    numbers = [re.match(r"SDG (\d+): \S", h) for h in table.headers[1:]]
    assert [int(m.group(1)) for m in numbers] == list(range(1, 18))
    assert table.headers[11] == "SDG 11: Nachhaltige Städte und Gemeinden"


@pytest.mark.slow
def test_no_text_overlaps_in_the_pictures(browser, cli_run, tmp_path):
    made = {
        "topics.svg": ("export", "--view", "topics", "--lang", "de"),
        "focus.svg": ("export", "--view", "topics", "--focus", "Mobility"),
        "regions.svg": ("export", "--view", "regions", "--lang", "de"),
        "goals.svg": ("analyze", "matrix", "--lang", "de"),
        "sdgs.svg": ("analyze", "matrix", "--columns", "sdgs"),
    }
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        for name, args in made.items():
            out = tmp_path / name
            assert cli_run(*args, "-o", str(out)).exit_code == 0
            page.goto(out.as_uri())
            found = labels(page, "svg")
            assert len(found) >= 20, name
            assert overlaps(found) == [], name
    finally:
        page.close()
