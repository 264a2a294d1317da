"""The screenshots in docs/images (shown in the README), made in headless Chromium from a real
``smartcity-kg serve`` of the shipped graph, and the check that no page shows overlapping labels.

Every run takes the screenshots (into a temporary folder) and fails when a page shows labels
whose boxes intersect in its default view: text runs of the HTML pages, node labels of the graph
view, text of the SVG picture (tests/overlap.py). The committed PNGs are replaced only when
``SMARTCITY_KG_DOCS_IMAGES=1`` is set (``make docs-images`` does), so a test run never changes
the tree; pixels are not compared, since fonts and anti-aliasing differ between machines, but
every committed screenshot must exist at the size the test takes it and be shown in the README.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from overlap import labels, overlaps
from serving import free_port, script, wait_until_up

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
IMAGES = ROOT / "docs" / "images"
UPDATE = os.environ.get("SMARTCITY_KG_DOCS_IMAGES") == "1"
SIZE = {"width": 1280, "height": 800}
#: file name -> (page on the server or picture, what must not overlap, what must be on it)
SHOTS = {
    "screenshot-home.png": ("/?_lang=en", "body", "Smart City"),
    "screenshot-entity.png": ("/id/topic/mobilitaet?_lang=en", "body", "Mobility"),
    "screenshot-named-query.png": ("/queries/topic-areas?_lang=en", "body", "Mobility"),
    "screenshot-graph.png": ("/graph?_lang=en", "#labels", "Administration"),
    "screenshot-topics.png": ("topics.svg", "svg", "Smart City knowledge graph"),
}


@contextmanager
def shipped_server(folder: Path):
    """``smartcity-kg serve`` of the shipped graph alone (no test data on the pictures)."""
    port = free_port()
    log = folder / "server.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [script(), "serve", "--port", str(port)], stdout=handle, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def shots(browser, tmp_path_factory, kg):
    folder = tmp_path_factory.mktemp("docs-images")
    picture = folder / "topics.svg"
    picture.write_bytes(kg.export("svg", view="topics", lang="en")[""])
    taken: dict[str, list] = {}
    context = browser.new_context(viewport=SIZE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    with shipped_server(folder) as url:
        for name, (where, scope, expected) in SHOTS.items():
            page.goto(picture.as_uri() if where.endswith(".svg") else url + where)
            if where.startswith("/graph"):
                page.wait_for_function("window.smartcityGraph && window.smartcityGraph.ready")
            page.mouse.move(0, 0)
            assert expected in page.evaluate("document.documentElement.textContent"), name
            taken[name] = labels(page, scope)
            page.screenshot(path=folder / name)
    context.close()
    assert errors == []
    if UPDATE:
        IMAGES.mkdir(parents=True, exist_ok=True)
        for name in SHOTS:
            shutil.copyfile(folder / name, IMAGES / name)
    return folder, taken


@pytest.mark.parametrize("name", list(SHOTS))
def test_no_overlapping_labels(shots, name):
    _, taken = shots
    assert len(taken[name]) >= 10
    assert overlaps(taken[name]) == []


@pytest.mark.parametrize("name", list(SHOTS))
def test_screenshot_is_committed_and_shown(shots, name):
    folder, _ = shots
    committed = IMAGES / name
    assert committed.exists(), "run 'make docs-images'"
    assert png_size(committed) == png_size(folder / name) == (SIZE["width"], SIZE["height"])
    assert f"](docs/images/{name})" in (ROOT / "README.md").read_text(encoding="utf-8")


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
