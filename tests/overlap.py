"""Overlapping labels, measured in a real browser: the boxes Chromium lays text out in.

A label is a text node of the page (an HTML text run or an SVG ``<text>``) that is shown: not
``display: none``, not ``visibility: hidden``, not transparent, not inside a closed
``<details>`` (but its summary), with a box of some size. Two
labels overlap when their boxes intersect by more than ``SLACK`` pixels across and by more than
``LINE_SLACK`` of the lower box's height up and down: a text box is the font's ascent plus
descent (1.16 em in DejaVu Sans), while Graphviz sets the lines of one label 1 em apart, so the
boxes of consecutive lines intersect by about 0.16 em with no ink crossing.
"""

from __future__ import annotations

SLACK = 1.5
LINE_SLACK = 0.2

#: Returns [[text, [x, y, w, h]], ...] of every shown label in ``root`` (a CSS selector).
MEASURE = """
(selector) => {
  const root = document.querySelector(selector) || document.documentElement;
  const out = [];
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || s.opacity === "0") return false;
    }
    return true;
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const text = t.textContent.trim();
    const el = t.parentElement;
    if (!text || !el || !shown(el)) continue;
    const closed = el.closest("details:not([open])");  // only its summary is on screen
    if (closed && !el.closest("summary")) continue;
    const tag = el.tagName.toLowerCase();
    if (["script", "style", "title", "option", "textarea"].includes(tag)) continue;
    let boxes;
    if (el instanceof SVGElement) {
      const text = el.closest("text");
      if (!text) continue;
      boxes = [text.getBoundingClientRect()];
    } else {
      const range = document.createRange();
      range.selectNodeContents(t);
      boxes = Array.from(range.getClientRects());
    }
    for (const b of boxes) {
      if (b.width > 0.5 && b.height > 0.5) {
        out.push([text.slice(0, 60), [b.x, b.y, b.width, b.height]]);
      }
    }
  }
  return out;
}
"""


def labels(page, selector: str = "body") -> list[tuple[str, tuple[float, float, float, float]]]:
    """The shown labels of ``page`` (a Playwright page) under ``selector``, with their boxes."""
    return [(text, tuple(box)) for text, box in page.evaluate(MEASURE, selector)]


def overlaps(found) -> list[tuple[str, str]]:
    """The pairs of labels whose boxes intersect (see the module docstring)."""
    pairs = []
    boxes = sorted(found, key=lambda item: item[1][0])
    for i, (a, (ax, ay, aw, ah)) in enumerate(boxes):
        for b, (bx, by, bw, bh) in boxes[i + 1 :]:
            if bx >= ax + aw - SLACK:
                break
            across = min(ax + aw, bx + bw) - max(ax, bx)
            down = min(ay + ah, by + bh) - max(ay, by)
            if across > SLACK and down > max(SLACK, LINE_SLACK * min(ah, bh)):
                pairs.append((a, b))
    return pairs
