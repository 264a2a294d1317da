"use strict";
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("graph");
  const viewport = document.getElementById("viewport");
  const nodes = data.nodes.map(function (n, i) {
    const a = (2 * Math.PI * i) / Math.max(1, data.nodes.length);
    const r = 40 + 12 * Math.sqrt(data.nodes.length) * (1 + (i % 3) / 3);
    return Object.assign({ x: r * Math.cos(a), y: r * Math.sin(a), vx: 0, vy: 0, index: i }, n);
  });
  const edges = data.edges;

  // A small force layout: springs on links, repulsion between all nodes, gravity to the centre.
  function layout(iterations) {
    const n = nodes.length;
    const length = 130;
    for (let it = 0; it < iterations; it++) {
      const cool = 1 - it / iterations;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let dx = nodes[i].x - nodes[j].x, dy = nodes[i].y - nodes[j].y;
          let d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
          const f = 9000 / d2;
          nodes[i].vx += dx * f / Math.sqrt(d2); nodes[i].vy += dy * f / Math.sqrt(d2);
          nodes[j].vx -= dx * f / Math.sqrt(d2); nodes[j].vy -= dy * f / Math.sqrt(d2);
        }
      }
      for (const e of edges) {
        const a = nodes[e.s], b = nodes[e.t];
        const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        const f = (d - length) * 0.05;
        a.vx += dx / d * f; a.vy += dy / d * f; b.vx -= dx / d * f; b.vy -= dy / d * f;
      }
      for (const p of nodes) {
        p.vx -= p.x * 0.006; p.vy -= p.y * 0.006;
        const step = Math.min(20 * cool + 1, Math.sqrt(p.vx * p.vx + p.vy * p.vy));
        const len = Math.sqrt(p.vx * p.vx + p.vy * p.vy) || 1;
        p.x += p.vx / len * step; p.y += p.vy / len * step;
        p.vx *= 0.5; p.vy *= 0.5;
      }
    }
  }
  layout(nodes.length > 800 ? 60 : 300);

  const edgeEls = edges.map(function (e) {
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("class", "edge " + e.status);
    const a = nodes[e.s], b = nodes[e.t];
    const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
    line.setAttribute("x1", a.x); line.setAttribute("y1", a.y);
    line.setAttribute("x2", b.x - dx / d * 9); line.setAttribute("y2", b.y - dy / d * 9);
    line.setAttribute("marker-end", "url(#arrow)");
    const title = document.createElementNS(SVG, "title");
    title.textContent = e.label + " (" + e.status + ")";
    line.appendChild(title);
    document.getElementById("edges").appendChild(line);
    return line;
  });
  const nodeEls = nodes.map(function (n) {
    const g = document.createElementNS(SVG, "g");
    g.setAttribute("class", "node");
    g.setAttribute("data-id", n.id);
    g.setAttribute("transform", "translate(" + n.x + "," + n.y + ")");
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("r", 8);
    c.setAttribute("fill", n.colour);
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", 11); t.setAttribute("y", 4);
    t.textContent = n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label;
    g.appendChild(c); g.appendChild(t);
    g.addEventListener("click", function (ev) { ev.stopPropagation(); select(n.index); });
    document.getElementById("nodes").appendChild(g);
    return g;
  });

  // Pan and zoom: one transform on the viewport group.
  const view = { x: 0, y: 0, k: 1 };
  function apply() {
    viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
  }
  function fit() {
    const box = svg.getBoundingClientRect();
    const xs = nodes.map(function (n) { return n.x; }), ys = nodes.map(function (n) { return n.y; });
    const minX = Math.min.apply(null, xs.concat([0])) - 20, maxX = Math.max.apply(null, xs.concat([0])) + 160;
    const minY = Math.min.apply(null, ys.concat([0])) - 20, maxY = Math.max.apply(null, ys.concat([0])) + 20;
    view.k = Math.min(box.width / (maxX - minX), box.height / (maxY - minY), 2) || 1;
    view.x = (box.width - (maxX + minX) * view.k) / 2;
    view.y = (box.height - (maxY + minY) * view.k) / 2;
    apply();
  }
  function zoom(factor, cx, cy) {
    const box = svg.getBoundingClientRect();
    if (cx === undefined) { cx = box.width / 2; cy = box.height / 2; }
    view.x = cx - (cx - view.x) * factor; view.y = cy - (cy - view.y) * factor; view.k *= factor;
    apply();
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    const box = svg.getBoundingClientRect();
    zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - box.left, ev.clientY - box.top);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("mousedown", function (ev) {
    drag = { x: ev.clientX - view.x, y: ev.clientY - view.y }; svg.classList.add("dragging");
  });
  window.addEventListener("mousemove", function (ev) {
    if (drag) { view.x = ev.clientX - drag.x; view.y = ev.clientY - drag.y; apply(); }
  });
  window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("dragging"); });
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(0.8); });
  document.getElementById("fit").addEventListener("click", fit);

  // Details of one node: its attributes, its source, its links.
  function entry(dl, term, value) {
    const dt = document.createElement("dt"); dt.textContent = term;
    const dd = document.createElement("dd"); dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }
  function select(i) {
    const n = nodes[i];
    nodeEls.forEach(function (el, j) { el.classList.toggle("selected", j === i); });
    const box = document.getElementById("details");
    box.textContent = "";
    const h = document.createElement("h2"); h.textContent = n.label; box.appendChild(h);
    const dl = document.createElement("dl");
    entry(dl, "IRI", n.id);
    if (n.href) {
      // The page's data holds an href only where smartcity_kg.htmlsafe.safe_href allowed one
      // (http, https or a path on this site); nothing else ever becomes a link.
      const a = document.createElement("a");
      a.href = n.href;
      a.textContent = n.id;
      dl.lastChild.textContent = "";
      dl.lastChild.appendChild(a);
    }
    Object.keys(n.attrs).forEach(function (k) { entry(dl, k, n.attrs[k]); });
    edges.forEach(function (e) {
      if (e.s !== i && e.t !== i) return;
      const other = nodes[e.s === i ? e.t : e.s];
      const arrow = e.s === i ? e.label + " → " + other.label : other.label + " → " + e.label;
      const why = e.status === "curated" ? "curated: " + e.rationale : "stated: " + e.derivedFrom;
      entry(dl, "link", arrow + " (" + why + ")");
    });
    box.appendChild(dl);
    window.smartcityGraph.selected = n.id;
  }

  // Search by label or IRI (case-insensitive): highlight the hits and list them.
  function search(text) {
    const q = text.trim().toLowerCase();
    const list = document.getElementById("results");
    list.textContent = "";
    let hits = 0;
    nodes.forEach(function (n, i) {
      const hit = q !== "" && (n.label.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0);
      nodeEls[i].classList.toggle("hit", hit);
      nodeEls[i].classList.toggle("faded", q !== "" && !hit);
      if (hit) {
        hits++;
        const li = document.createElement("li");
        li.textContent = n.label;
        li.setAttribute("data-id", n.id);
        li.addEventListener("click", function () { select(i); });
        list.appendChild(li);
      }
    });
    edgeEls.forEach(function (el) { el.classList.toggle("faded", q !== ""); });
    document.getElementById("count").textContent = q ? hits + " found" : nodes.length + " nodes, " + edges.length + " links";
    return hits;
  }
  document.getElementById("search").addEventListener("input", function (ev) { search(ev.target.value); });

  window.smartcityGraph = { nodes: nodes.length, edges: edges.length, search: search, select: select, selected: null, ready: true };
  search("");
  fit();
})();
