"use strict";
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const ui = data.ui;
  const SVG = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("graph");
  const viewport = document.getElementById("viewport");
  const edgeLayer = document.getElementById("edges");
  const nodeLayer = document.getElementById("nodes");
  const hitLayer = document.getElementById("edge-hits");
  const labelLayer = document.getElementById("labels");
  const hoverLayer = document.getElementById("hover");
  const nodes = data.nodes.map(function (n, i) { return Object.assign({ index: i }, n); });
  const edges = data.edges;
  const clusters = data.clusters || {};
  const expanded = new Set();
  const FONT = 11, LINE = 14, EDGE_LABEL_ZOOM = 1.6;
  const degree = nodes.map(function () { return 0; });
  edges.forEach(function (e) { degree[e.s]++; degree[e.t]++; });

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  // --- what is shown: each node as itself, or as its outermost cluster not yet expanded ---
  function chain(i) {
    const out = [];
    for (let c = nodes[i].cluster; c; c = clusters[c].parent) out.unshift(c);
    return out;
  }
  function shownAs(i) {
    const c = chain(i).find(function (k) { return !expanded.has(k); });
    return c ? "c:" + c : "n:" + i;
  }

  let items = [], itemOf = {}, links = [];
  const place = {};  // item key -> {x, y}, kept across expansions so the picture stays stable
  function build() {
    items = []; itemOf = {};
    nodes.forEach(function (n, i) {
      const key = shownAs(i);
      if (!itemOf[key]) {
        const c = key[0] === "c" ? clusters[key.slice(2)] : null;
        const item = c
          ? { key: key, cluster: key.slice(2), label: c.label + " (" + c.count + ")", colour: c.colour,
              r: 9 + 2.2 * Math.sqrt(c.count), members: [], weight: 0 }
          : { key: key, node: i, label: n.label, colour: n.colour, r: 8, members: [], weight: 0 };
        itemOf[key] = item; items.push(item);
      }
      itemOf[key].members.push(i);
    });
    const byPair = {};
    links = [];
    edges.forEach(function (e, j) {
      const a = itemOf[shownAs(e.s)], b = itemOf[shownAs(e.t)];
      if (a === b) return;
      const single = a.node !== undefined && b.node !== undefined;
      const key = single ? "e" + j : a.key + "|" + b.key;
      let link = byPair[key];
      if (!link) {
        link = byPair[key] = { a: a, b: b, edges: [], labels: {}, curated: 0 };
        links.push(link);
      }
      link.edges.push(j);
      link.labels[e.label] = (link.labels[e.label] || 0) + 1;
      if (e.status === "curated") link.curated++;
      a.weight++; b.weight++;
    });
    links.forEach(function (l) {
      const names = Object.keys(l.labels);
      l.status = l.curated === l.edges.length ? "curated" : "stated";
      l.label = names.length === 1 ? names[0] : names.length + " " + ui.links;
      if (l.edges.length > 1) l.label += " (" + l.edges.length + ")";
    });
  }

  // --- layout: springs on links, repulsion between all items, gravity to the centre ---
  function seed(parentPlace) {
    items.forEach(function (it, i) {
      if (place[it.key]) return;
      const from = parentPlace(it);
      const a = (2 * Math.PI * i) / Math.max(1, items.length);
      if (from) {
        const r = 30 + 4 * Math.sqrt(items.length) * (1 + (i % 3) / 3);
        place[it.key] = { x: from.x + r * Math.cos(a * 7), y: from.y + r * Math.sin(a * 7) };
      } else {
        const r = 40 + 12 * Math.sqrt(items.length) * (1 + (i % 3) / 3);
        place[it.key] = { x: r * Math.cos(a), y: r * Math.sin(a) };
      }
    });
    items.forEach(function (it) { it.x = place[it.key].x; it.y = place[it.key].y; it.vx = 0; it.vy = 0; });
  }
  function layout(iterations, heat) {
    const n = items.length, length = 130;
    for (let it = 0; it < iterations; it++) {
      const cool = heat * (1 - it / iterations);
      for (let i = 0; i < n; i++) {
        const p = items[i];
        for (let j = i + 1; j < n; j++) {
          const q = items[j];
          let dx = p.x - q.x, dy = p.y - q.y;
          let d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
          const size = (p.r + q.r) / 16;
          const f = 9000 * size * size / d2, d = Math.sqrt(d2);
          p.vx += dx * f / d; p.vy += dy * f / d; q.vx -= dx * f / d; q.vy -= dy * f / d;
        }
      }
      for (const l of links) {
        const a = l.a, b = l.b;
        const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        const f = (d - length - a.r - b.r) * 0.05;
        a.vx += dx / d * f; a.vy += dy / d * f; b.vx -= dx / d * f; b.vy -= dy / d * f;
      }
      for (const p of items) {
        p.vx -= p.x * 0.006; p.vy -= p.y * 0.006;
        const speed = Math.sqrt(p.vx * p.vx + p.vy * p.vy) || 1;
        const step = Math.min(20 * cool + 1, speed);
        p.x += p.vx / speed * step; p.y += p.vy / speed * step;
        p.vx *= 0.5; p.vy *= 0.5;
      }
    }
    items.forEach(function (it) { place[it.key] = { x: it.x, y: it.y }; });
  }

  // --- drawing ---
  let lineEls = [], itemEls = [], labelEls = [];
  function draw() {
    edgeLayer.textContent = ""; hitLayer.textContent = ""; nodeLayer.textContent = ""; labelLayer.textContent = "";
    lineEls = links.map(function (l) {
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("class", "edge " + l.status + (l.edges.length > 1 ? " bundle" : ""));
      const dx = l.b.x - l.a.x, dy = l.b.y - l.a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      line.setAttribute("x1", l.a.x); line.setAttribute("y1", l.a.y);
      line.setAttribute("x2", l.b.x - dx / d * (l.b.r + 1)); line.setAttribute("y2", l.b.y - dy / d * (l.b.r + 1));
      line.setAttribute("marker-end", "url(#arrow)");
      if (l.edges.length > 1) line.setAttribute("stroke-width", Math.min(6, 1 + Math.log2(l.edges.length)));
      const title = document.createElementNS(SVG, "title");
      title.textContent = l.label + " (" + ui[l.status] + ")";
      line.appendChild(title);
      edgeLayer.appendChild(line);
      // A wide invisible twin takes the pointer, so a thin or dashed link is easy to hover.
      const hit = line.cloneNode(false);
      hit.setAttribute("class", "edge-hit");
      hit.removeAttribute("marker-end");
      hit.appendChild(title.cloneNode(true));
      hit.addEventListener("mouseenter", function () { line.classList.add("hover"); showHover([l], null); });
      hit.addEventListener("mouseleave", function () { line.classList.remove("hover"); clearHover(); });
      hitLayer.appendChild(hit);
      return line;
    });
    itemEls = items.map(function (it) {
      const g = document.createElementNS(SVG, "g");
      g.setAttribute("transform", "translate(" + it.x + "," + it.y + ")");
      let shape;
      if (it.cluster) {
        g.setAttribute("class", "node cluster");
        g.setAttribute("data-cluster", it.cluster);
        shape = document.createElementNS(SVG, "rect");
        shape.setAttribute("x", -it.r); shape.setAttribute("y", -it.r);
        shape.setAttribute("width", 2 * it.r); shape.setAttribute("height", 2 * it.r);
        shape.setAttribute("rx", 5);
      } else {
        const n = nodes[it.node];
        g.setAttribute("class", "node" + (it.node === data.focus ? " focus" : ""));
        g.setAttribute("data-id", n.id);
        shape = document.createElementNS(SVG, "circle");
        shape.setAttribute("r", it.r);
      }
      shape.setAttribute("fill", it.colour);
      g.appendChild(shape);
      const title = document.createElementNS(SVG, "title");
      title.textContent = it.label;
      g.appendChild(title);
      g.addEventListener("click", function (ev) {
        ev.stopPropagation();
        if (it.cluster) expand(it.cluster); else select(it.node);
      });
      g.addEventListener("mouseenter", function () {
        showHover(links.filter(function (l) { return l.a === it || l.b === it; }), it);
      });
      g.addEventListener("mouseleave", clearHover);
      nodeLayer.appendChild(g);
      return g;
    });
    labelEls = items.map(function (it) {
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("class", "label" + (it.cluster ? " cluster-label" : ""));
      t.textContent = it.label.length > 40 ? it.label.slice(0, 39) + "…" : it.label;
      labelLayer.appendChild(t);
      it.width = t.getComputedTextLength();
      return t;
    });
    if (selected !== null) mark(selected);
    search(document.getElementById("search").value);
  }

  // --- labels in screen space: placed where they hit no other label and stay in the drawing ---
  const CELL = 64;
  function Grid() { this.cells = {}; }
  Grid.prototype.keys = function (b, fn) {
    for (let x = Math.floor(b.x / CELL); x <= Math.floor((b.x + b.w) / CELL); x++) {
      for (let y = Math.floor(b.y / CELL); y <= Math.floor((b.y + b.h) / CELL); y++) {
        if (fn(x + "," + y)) return true;
      }
    }
    return false;
  };
  Grid.prototype.hits = function (b) {
    const cells = this.cells;
    return this.keys(b, function (k) {
      return (cells[k] || []).some(function (o) {
        return b.x < o.x + o.w + 2 && o.x < b.x + b.w + 2 && b.y < o.y + o.h + 1 && o.y < b.y + b.h + 1;
      });
    });
  };
  Grid.prototype.add = function (b) {
    const cells = this.cells;
    this.keys(b, function (k) { (cells[k] = cells[k] || []).push(b); return false; });
  };
  function screen(x, y) { return { x: view.x + x * view.k, y: view.y + y * view.k }; }
  function inside(b, w, h) { return b.x >= 2 && b.y >= 2 && b.x + b.w <= w - 2 && b.y + b.h <= h - 2; }
  function rank(it) {
    if (it.node === data.focus && it.node !== undefined) return -3;
    if (it.node === selected && it.node !== undefined) return -2;
    return it.cluster ? -1 - 1 / (1 + it.members.length) : -it.weight / 1000;
  }
  function placeLabels() {
    const box = svg.getBoundingClientRect(), w = box.width, h = box.height;
    const grid = new Grid();
    items.forEach(function (it) {  // no label covers a node
      const p = screen(it.x, it.y), r = it.r * view.k + 1;
      grid.add({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r });
    });
    const order = items.map(function (it, i) { return i; });
    order.sort(function (i, j) { return rank(items[i]) - rank(items[j]) || i - j; });
    order.forEach(function (i) {
      const it = items[i], el = labelEls[i], p = screen(it.x, it.y), r = it.r * view.k;
      const candidates = [
        { x: p.x + r + 4, y: p.y - LINE / 2 },
        { x: p.x - r - 4 - it.width, y: p.y - LINE / 2 },
        { x: p.x - it.width / 2, y: p.y + r + 3 },
        { x: p.x - it.width / 2, y: p.y - r - 3 - LINE },
      ];
      const fits = candidates.find(function (c) {
        const b = { x: c.x, y: c.y, w: it.width, h: LINE };
        return inside(b, w, h) && !grid.hits(b);
      });
      if (fits) {
        const b = { x: fits.x, y: fits.y, w: it.width, h: LINE };
        grid.add(b);
        el.setAttribute("x", fits.x); el.setAttribute("y", fits.y + LINE - 3.5);
        el.classList.remove("hidden");
      } else {
        el.classList.add("hidden");
      }
    });
    edgeLabels(grid, w, h);
  }
  // Zoomed in, link labels show at the middle of their link wherever they fit.
  function edgeLabels(grid, w, h) {
    Array.from(labelLayer.querySelectorAll(".edge-label")).forEach(function (el) { el.remove(); });
    if (view.k < EDGE_LABEL_ZOOM * baseK) return;
    links.forEach(function (l) {
      const a = screen(l.a.x, l.a.y), b = screen(l.b.x, l.b.y);
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("class", "edge-label");
      t.textContent = l.label;
      labelLayer.appendChild(t);
      const width = t.getComputedTextLength();
      const bx = { x: (a.x + b.x) / 2 - width / 2, y: (a.y + b.y) / 2 - LINE / 2, w: width, h: LINE };
      if (!inside(bx, w, h) || grid.hits(bx)) { t.remove(); return; }
      grid.add(bx);
      t.setAttribute("x", bx.x); t.setAttribute("y", bx.y + LINE - 3.5);
    });
  }
  // Hover: the labels of the links at hand, and the item's own label if it had no room.
  function hoverText(text, x, y, cls, taken) {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("class", cls);
    t.textContent = text;
    hoverLayer.appendChild(t);
    const width = t.getComputedTextLength();
    const box = { x: x - width / 2 - 2, y: y - LINE / 2, w: width + 4, h: LINE };
    if (taken.hits(box)) { t.remove(); return; }  // hover labels do not overlap either
    taken.add(box);
    const bg = document.createElementNS(SVG, "rect");
    bg.setAttribute("x", x - width / 2 - 2); bg.setAttribute("y", y - LINE / 2);
    bg.setAttribute("width", width + 4); bg.setAttribute("height", LINE);
    bg.setAttribute("class", "hover-bg");
    hoverLayer.insertBefore(bg, t);
    t.setAttribute("x", x - width / 2); t.setAttribute("y", y + LINE / 2 - 3.5);
  }
  function showHover(ls, it) {
    clearHover();
    const taken = new Grid();
    if (it) {
      const p = screen(it.x, it.y);
      hoverText(it.label, p.x, p.y - it.r * view.k - LINE / 2 - 2, "hover-label", taken);
    }
    ls.forEach(function (l) {
      const a = screen(l.a.x, l.a.y), b = screen(l.b.x, l.b.y);
      hoverText(l.label, (a.x + b.x) / 2, (a.y + b.y) / 2, "edge-label hover-label", taken);
    });
  }
  function clearHover() { hoverLayer.textContent = ""; }

  // --- pan and zoom: one transform on the viewport group; labels follow ---
  const view = { x: 0, y: 0, k: 1 };
  let baseK = 1, pending = false;
  function apply() {
    viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () { pending = false; placeLabels(); });
    }
  }
  function fit() {
    const box = svg.getBoundingClientRect();
    const xs = items.map(function (n) { return n.x; }), ys = items.map(function (n) { return n.y; });
    const minX = Math.min.apply(null, xs.concat([0])) - 40, maxX = Math.max.apply(null, xs.concat([0])) + 40;
    const minY = Math.min.apply(null, ys.concat([0])) - 40, maxY = Math.max.apply(null, ys.concat([0])) + 40;
    view.k = Math.min(box.width / (maxX - minX), box.height / (maxY - minY), 2) || 1;
    view.x = (box.width - (maxX + minX) * view.k) / 2;
    view.y = (box.height - (maxY + minY) * view.k) / 2;
    baseK = view.k;
    apply();
    placeLabels();
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
  window.addEventListener("resize", function () { placeLabels(); });
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(0.8); });
  document.getElementById("fit").addEventListener("click", fit);
  document.getElementById("collapse").addEventListener("click", function () {
    if (expanded.size === 0) return;
    expanded.clear();
    Object.keys(place).forEach(function (k) { if (k[0] === "n" || !clusters[k.slice(2)] || clusters[k.slice(2)].parent) delete place[k]; });
    refresh(null);
  });

  // --- clusters: a click expands one; its members start around it and the layout settles ---
  function refresh(from) {
    build();
    seed(function (it) {
      const i = it.members[0];
      const c = chain(i).find(function (k) { return expanded.has(k) && place["c:" + k]; });
      return from || (c ? place["c:" + c] : null);
    });
    layout(from ? 200 : 300, from ? 0.5 : 1);
    draw();
    fit();
  }
  function expand(id) {
    if (!clusters[id] || expanded.has(id)) return;
    const at = place["c:" + id];
    let c = id;
    while (c) { expanded.add(c); c = clusters[c].parent; }
    refresh(at || null);
    const box = document.getElementById("details");
    box.textContent = "";
    const h = document.createElement("h2"); h.textContent = clusters[id].label; box.appendChild(h);
  }

  // --- details of one node: IRI, attributes, sources, links; each a link where allowed ---
  function anchor(text, href) {
    if (!href) { const s = document.createElement("span"); s.textContent = text; return s; }
    // Only hrefs that smartcity_kg.htmlsafe.safe_href allowed are in the data (http, https or
    // a path on this site); nothing else ever becomes a link.
    const a = document.createElement("a"); a.href = href; a.textContent = text; return a;
  }
  function entry(dl, term, value) {
    const dt = document.createElement("dt"); dt.textContent = term;
    const dd = document.createElement("dd");
    if (typeof value === "string") dd.textContent = value; else value.forEach(function (v) { dd.appendChild(v); });
    dl.appendChild(dt); dl.appendChild(dd);
    return dd;
  }
  function sourceLinks(list) {
    const out = [];
    list.forEach(function (s, i) {
      if (i) out.push(document.createTextNode(", "));
      out.push(anchor(s.text, s.href));
    });
    return out;
  }
  let selected = null;
  function mark(i) {
    nodeLayer.querySelectorAll(".node").forEach(function (el) {
      el.classList.toggle("selected", el.getAttribute("data-id") === nodes[i].id);
    });
  }
  function select(i) {
    const n = nodes[i];
    if (shownAs(i) !== "n:" + i) {
      const hidden = chain(i).filter(function (c) { return !expanded.has(c); });
      hidden.forEach(function (c) { expanded.add(c); });
      refresh(place["c:" + hidden[0]] || null);
    }
    selected = i;
    mark(i);
    const box = document.getElementById("details");
    box.textContent = "";
    const h = document.createElement("h2"); h.textContent = n.label; box.appendChild(h);
    const dl = document.createElement("dl");
    entry(dl, ui.iri, [anchor(n.id, n.href)]);
    Object.keys(n.attrs).forEach(function (k) { entry(dl, k, n.attrs[k]); });
    if (n.sources.length) entry(dl, ui.source, sourceLinks(n.sources));
    edges.forEach(function (e) {
      if (e.s !== i && e.t !== i) return;
      const other = e.s === i ? e.t : e.s;
      // A button, not a link: it selects the other end here, it goes nowhere.
      const go = document.createElement("button");
      go.type = "button"; go.className = "go"; go.textContent = nodes[other].label;
      go.setAttribute("data-id", nodes[other].id);
      go.addEventListener("click", function () { select(other); });
      const parts = e.s === i
        ? [document.createTextNode(e.label + " → "), go]
        : [go, document.createTextNode(" → " + e.label)];
      parts.push(document.createTextNode(" (" + (e.status === "curated" ? ui.curated : ui.stated) + ")"));
      const dd = entry(dl, ui.link, parts);
      const why = document.createElement("div");
      why.className = "why";
      if (e.status === "curated") {
        why.textContent = ui.rationale + ": " + e.rationale;
      } else if (e.sources.length) {
        why.appendChild(document.createTextNode(ui.source + ": "));
        sourceLinks(e.sources).forEach(function (x) { why.appendChild(x); });
      }
      dd.appendChild(why);
    });
    box.appendChild(dl);
    placeLabels();
    window.smartcityGraph.selected = n.id;
  }

  // --- search by label or IRI (case-insensitive): highlight the hits shown and list all ---
  function search(text) {
    const q = text.trim().toLowerCase();
    const list = document.getElementById("results");
    list.textContent = "";
    const hitItems = new Set();
    let hits = 0;
    nodes.forEach(function (n, i) {
      const hit = q !== "" && (n.label.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0);
      if (!hit) return;
      hits++;
      hitItems.add(shownAs(i));
      const li = document.createElement("li");
      li.textContent = n.label;
      li.setAttribute("data-id", n.id);
      li.addEventListener("click", function () { select(i); });
      list.appendChild(li);
    });
    items.forEach(function (it, j) {
      itemEls[j].classList.toggle("hit", hitItems.has(it.key));
      itemEls[j].classList.toggle("faded", q !== "" && !hitItems.has(it.key));
    });
    lineEls.forEach(function (el) { el.classList.toggle("faded", q !== ""); });
    let count = fmt(ui.nodes_links, { n: nodes.length, e: edges.length });
    if (items.length !== nodes.length) count += ", " + fmt(ui.shown, { v: items.length });
    document.getElementById("count").textContent = q ? fmt(ui.found, { n: hits }) : count;
    return hits;
  }
  document.getElementById("search").addEventListener("input", function (ev) { search(ev.target.value); });

  window.smartcityGraph = {
    nodes: nodes.length, edges: edges.length, search: search, select: select, expand: expand,
    selected: null, ready: false,
    shown: function () { return items.length; },
    placeLabels: placeLabels,
  };
  refresh(null);
  if (data.focus !== null && data.focus !== undefined) select(data.focus);
  window.smartcityGraph.ready = true;
})();
