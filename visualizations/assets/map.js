/* graphsvc interactive map. Every text from the data is shown with textContent or
   drawn on the canvas: nothing from the data is ever parsed as HTML. */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("graphsvc-data").textContent);
  var T = data.text;
  var el = function (id) { return document.getElementById(id); };
  var state = { network: null, nodes: null, edges: null, view: null, index: 0, selected: null };
  var api = window.graphsvcMap = {
    started: started, drawnAt: null, stabilizedAt: null, view: null,
    network: null, nodes: null, edges: null, edgeCount: 0,
    show: show, focusNode: focusNode, search: search
  };

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function add(parent, tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    parent.appendChild(e);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  /* ---- drawing ------------------------------------------------------------------ */

  function visNode(n, view) {
    var isolated = n.f & 1, focus = n.f & 2, labelled = (n.f & 4) || view.labelAll;
    var item = {
      id: n.i, x: n.x, y: n.y, size: n.s, shape: focus ? "diamond" : "dot",
      color: { background: n.c, border: isolated || focus ? "#000000" : n.c,
               highlight: { background: n.c, border: "#000000" },
               hover: { background: n.c, border: "#000000" } },
      borderWidth: isolated || focus ? (view.nodes.length > 2000 ? 1.5 : 3) : 1
    };
    if (labelled) item.label = n.n;
    n.labelled = !!labelled;
    return item;
  }

  function visEdge(e, i, view) {
    var item = { id: i, from: view.nodes[e[0]].i, to: view.nodes[e[1]].i, width: e[2] };
    if (e.length > 4) {
      item.color = { color: e[4], highlight: e[4], hover: e[4], opacity: e[5] ? 1 : 0.6 };
      if (e[5]) { item.dashes = [8, 6]; item.width = Math.max(e[2], 2.5); }
    }
    return item;
  }

  function drawBackground(ctx, view) {
    if (!view.background.length) return;
    var scale = state.network.getScale();
    ctx.save();
    ctx.fillStyle = "#f3f1ec";
    ctx.strokeStyle = "#6f6f6f";
    ctx.lineWidth = 1.1 / scale;
    view.background.forEach(function (ring) {
      ctx.beginPath();
      ctx.moveTo(ring[0], ring[1]);
      for (var i = 2; i < ring.length; i += 2) ctx.lineTo(ring[i], ring[i + 1]);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    });
    ctx.fillStyle = "rgba(60,60,60,0.55)";
    ctx.textAlign = "center";
    ctx.font = (13 / scale) + "px DejaVu Sans, Arial, sans-serif";
    view.places.forEach(function (p) { ctx.fillText(p[0], p[1], p[2]); });
    if (view.outside) {
      var o = view.outside;
      ctx.setLineDash([6 / scale, 4 / scale]);
      ctx.beginPath();
      ctx.arc(o[0], o[1], o[2], 0, 2 * Math.PI);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillText(o[3], o[0], o[1] - o[2] - 6 / scale);
    }
    ctx.restore();
  }

  /* Many ties on a fixed layout: drawn straight on the canvas, in a few paths by
     width, rather than as thousands of library objects. */
  function drawCanvasEdges(ctx, view) {
    if (state.moving) return;  // while panning or zooming: the organisations only
    var m = ctx.getTransform();
    var key = [m.a, m.b, m.c, m.d, m.e, m.f, ctx.canvas.width, ctx.canvas.height,
               state.filterVersion, state.selected].join(",");
    var cache = state.edgeCache;
    if (!cache || cache.key !== key) {
      // hovering redraws the map often: the ties are drawn once per view into a
      // transparent layer and copied on each redraw
      var layer = (cache && cache.canvas) || document.createElement("canvas");
      layer.width = ctx.canvas.width;
      layer.height = ctx.canvas.height;
      var lctx = layer.getContext("2d");
      lctx.clearRect(0, 0, layer.width, layer.height);
      lctx.setTransform(m);
      paintEdges(lctx, view);
      cache = state.edgeCache = { key: key, canvas: layer };
    }
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(cache.canvas, 0, 0);
    ctx.restore();
  }

  function paintEdges(ctx, view) {
    var nodes = view.nodes, scale = state.network.getScale();
    var buckets = {};
    view.edges.forEach(function (e) {
      var a = nodes[e[0]], b = nodes[e[1]];
      if (a.hidden || b.hidden) return;
      var w = Math.round(e[2]);
      (buckets[w] = buckets[w] || []).push(a, b);
    });
    ctx.save();
    ctx.strokeStyle = "#8a8a8a";
    ctx.globalAlpha = edgeOpacity(view);
    Object.keys(buckets).forEach(function (w) {
      var list = buckets[w];
      ctx.lineWidth = Math.max(Number(w), 0.6) / Math.max(scale * 1.5, 1);
      ctx.beginPath();
      for (var i = 0; i < list.length; i += 2) {
        ctx.moveTo(list[i].x, list[i].y);
        ctx.lineTo(list[i + 1].x, list[i + 1].y);
      }
      ctx.stroke();
    });
    var chosen = state.selected !== null ? state.indexOf[state.selected] : undefined;
    if (chosen !== undefined) {
      ctx.globalAlpha = 0.9;
      ctx.strokeStyle = "#333333";
      ctx.lineWidth = 1.5 / scale;
      ctx.beginPath();
      view.edges.forEach(function (e) {
        if (e[0] !== chosen && e[1] !== chosen) return;
        ctx.moveTo(nodes[e[0]].x, nodes[e[0]].y);
        ctx.lineTo(nodes[e[1]].x, nodes[e[1]].y);
      });
      ctx.stroke();
    }
    ctx.restore();
  }

  function edgeOpacity(view) {
    return view.edges.length > 20000 ? 0.12 : view.edges.length > 5000 ? 0.2 : 0.5;
  }

  function options(view) {
    var big = view.nodes.length > 2000;
    var opacity = edgeOpacity(view);
    return {
      autoResize: true,
      layout: { improvedLayout: false },
      physics: view.physics ? {
        enabled: true, solver: "forceAtlas2Based",
        stabilization: { enabled: true, iterations: 300, fit: true }
      } : { enabled: false },
      nodes: { shape: "dot", font: { size: view.kind === "municipalities" ? 16 : 13,
               face: "DejaVu Sans, Arial, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" } },
      edges: { smooth: false, color: { color: "#8a8a8a", highlight: "#333333", hover: "#333333",
               opacity: opacity, inherit: false }, selectionWidth: 1.5, hoverWidth: 0.5 },
      interaction: { hover: true, tooltipDelay: 80, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                     multiselect: false, navigationButtons: false, keyboard: false,
                     dragNodes: !view.canvasEdges }
    };
  }

  function show(index) {
    var view = data.views[index];
    state.view = api.view = view;
    state.index = index;
    api.drawnAt = null;
    api.stabilizedAt = null;
    el("loading").hidden = false;
    if (state.network) { state.network.destroy(); state.network = null; }
    var nodes = new vis.DataSet(view.nodes.map(function (n) { return visNode(n, view); }));
    var edges = new vis.DataSet(view.canvasEdges ? []
      : view.edges.map(function (e, i) { return visEdge(e, i, view); }));
    api.edgeCount = view.edges.length;
    state.selected = null;
    state.edgeCache = null;
    state.moving = false;
    state.filterVersion = 0;
    state.indexOf = {};
    view.nodes.forEach(function (n, i) { state.indexOf[n.i] = i; });
    var network = new vis.Network(el("map"), { nodes: nodes, edges: edges }, options(view));
    state.network = api.network = network;
    state.nodes = api.nodes = nodes;
    state.edges = api.edges = edges;
    state.byId = {};
    view.nodes.forEach(function (n) { state.byId[n.i] = n; });
    network.on("beforeDrawing", function (ctx) {
      drawBackground(ctx, view);
      if (view.canvasEdges) drawCanvasEdges(ctx, view);
    });
    network.on("selectNode", function (p) { state.selected = p.nodes[0]; });
    var settle = null;
    function moving() {
      if (!view.canvasEdges) return;
      state.moving = true;
      clearTimeout(settle);
      settle = setTimeout(function () { state.moving = false; network.redraw(); }, 250);
    }
    network.on("dragging", moving);
    network.on("zoom", moving);
    network.on("deselectNode", function () { state.selected = null; });
    network.once("afterDrawing", function () {
      api.drawnAt = performance.now();
      el("loading").hidden = true;
    });
    network.on("stabilized", function () { if (api.stabilizedAt === null) api.stabilizedAt = performance.now(); });
    network.on("hoverNode", function (p) { tipForNode(p.node, p.pointer.DOM); });
    network.on("blurNode", hideTip);
    network.on("hoverEdge", function (p) { tipForEdge(p.edge, p.pointer.DOM); });
    network.on("blurEdge", hideTip);
    network.on("click", function (p) {
      if (p.nodes.length && view.kind === "municipalities" && data.views.length > 1 && state.index === 0) {
        expand(p.nodes[0]);  // the overview: open the organisations of this municipality
        return;
      }
      if (p.nodes.length) tipForNode(p.nodes[0], p.pointer.DOM); else hideTip();
    });
    network.on("dragStart", hideTip);
    network.on("zoom", hideTip);
    if (!view.physics) network.fit({ animation: false });
    panel(view);
    legend(view);
  }

  /* The overview's click: the organisations' view, filtered to one municipality. */
  function expand(code) {
    hideTip();
    show(1);
    var select = el("filter-municipality");
    if (Array.prototype.some.call(select.options, function (o) { return o.value === code; })) {
      select.value = code;
      applyFilters();
    }
  }
  api.expand = expand;

  /* ---- tooltip ------------------------------------------------------------------ */

  function placeTip(at) {
    var tip = el("tip");
    tip.hidden = false;
    var box = el("map").getBoundingClientRect();
    var x = at.x + 14, y = at.y + 14;
    if (x + tip.offsetWidth > box.width) x = Math.max(0, at.x - tip.offsetWidth - 14);
    if (y + tip.offsetHeight > box.height) y = Math.max(0, at.y - tip.offsetHeight - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function tipForNode(id, at) {
    var n = state.byId[id];
    if (!n) return;
    var tip = el("tip");
    clear(tip);
    add(tip, "div", n.n, "name");
    var table = add(tip, "table");
    state.view.fields.forEach(function (name, i) {
      var value = n.v[i];
      if (value === null || value === undefined || value === "") return;
      var row = add(table, "tr");
      add(row, "th", name);
      add(row, "td", value);
    });
    placeTip(at);
  }

  function tipForEdge(id, at) {
    var e = state.view.edges[id];
    if (!e) return;
    var tip = el("tip");
    clear(tip);
    var text = e.length > 6 && e[6] ? e[6]
      : state.view.nodes[e[0]].n + " \u2013 " + state.view.nodes[e[1]].n + ": " + e[3];
    add(tip, "div", text);
    placeTip(at);
  }

  function hideTip() { el("tip").hidden = true; }

  /* ---- search, filters, legend ---------------------------------------------------- */

  function focusNode(id) {
    var n = state.byId[id];
    if (!n) return;
    state.network.selectNodes([id]);
    state.selected = id;
    state.network.focus(id, { scale: Math.max(state.network.getScale(), 1.2), animation: false });
    tipForNode(id, state.network.canvasToDOM(state.network.getPosition(id)));
  }

  function search(query) {
    var q = query.trim().toLocaleLowerCase(data.lang);
    if (!q) return [];
    var found = [];
    var nodes = state.view.nodes;
    for (var i = 0; i < nodes.length && found.length < 15; i++) {
      if (nodes[i].n.toLocaleLowerCase(data.lang).indexOf(q) >= 0) found.push(nodes[i]);
    }
    return found;
  }

  function showResults() {
    var list = el("results");
    clear(list);
    var found = search(el("search").value);
    if (!el("search").value.trim()) { list.hidden = true; return; }
    if (!found.length) add(list, "li", T["ui.no_match"]);
    found.forEach(function (n) {
      var li = add(list, "li", n.n);
      if (state.view.kind !== "municipalities") add(li, "small", [n.v[1], n.k].filter(Boolean).join(" · "));
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault();
        list.hidden = true;
        focusNode(n.i);
      });
    });
    list.hidden = false;
  }

  function applyFilters() {
    var view = state.view;
    var m = el("filter-municipality").value, k = el("filter-kind").value;
    var only = el("filter-isolated").checked;
    var shown = 0, changes = [];
    view.nodes.forEach(function (n) {
      var hide = (m && n.m !== m) || (k && n.k !== k) || (only && !(n.f & 1));
      if (!hide) shown++;
      if (!!n.hidden !== !!hide) { n.hidden = !!hide; changes.push({ id: n.i, hidden: !!hide }); }
    });
    state.filterVersion++;
    if (changes.length) state.nodes.update(changes);
    showCount(shown);
    labelShown(!!(m || k || only), shown);
    zoomToShown(!!(m || k || only));
  }

  /* A filter names what it shows: up to LABEL_FILTERED organisations get their names. */
  var LABEL_FILTERED = 200;
  function labelShown(filtered, shown) {
    var view = state.view, updates = [];
    view.nodes.forEach(function (n) {
      var want = (filtered && !n.hidden && shown <= LABEL_FILTERED) || (n.f & 4) || view.labelAll;
      var label = want ? n.n : undefined;
      if (n.labelled !== !!want) { n.labelled = !!want; updates.push({ id: n.i, label: label || "" }); }
    });
    if (updates.length) state.nodes.update(updates);
  }

  function zoomToShown(filtered) {
    var ids = state.view.nodes.filter(function (n) { return !n.hidden; }).map(function (n) { return n.i; });
    if (filtered && ids.length) state.network.fit({ nodes: ids, animation: false, maxZoomLevel: 2.5 });
    else state.network.fit({ animation: false });
    api.zoomedTo = filtered ? ids.length : null;
  }

  function showCount(shown) {
    el("shown").textContent = state.view.kind === "municipalities" ? ""
      : fill(T["ui.shown"], { shown: shown.toLocaleString(data.lang), total: state.view.nodes.length.toLocaleString(data.lang) });
  }

  function options_for(select, first, pairs) {
    clear(select);
    var o = add(select, "option", first);
    o.value = "";
    pairs.forEach(function (p) { var opt = add(select, "option", p[1]); opt.value = p[0]; });
    select.hidden = pairs.length < 2;
    select.value = "";
  }

  function panel(view) {
    el("title").textContent = view.title;
    document.title = view.title;
    var orgs = view.kind !== "municipalities";
    options_for(el("filter-municipality"), T["ui.all_municipalities"], orgs ? view.municipalities : []);
    options_for(el("filter-kind"), T["ui.all_kinds"], orgs ? view.kinds.map(function (k) { return [k, k]; }) : []);
    var anyIsolated = view.nodes.some(function (n) { return n.f & 1; });
    el("filter-isolated").checked = false;
    el("filter-isolated-label").hidden = !(orgs && anyIsolated);
    view.nodes.forEach(function (n) { n.hidden = false; });
    showCount(view.nodes.length);
    var sw = el("switch");
    sw.hidden = data.views.length < 2;
    sw.textContent = state.index === 0 ? T["ui.full_network"] : T["ui.overview"];
    el("source").textContent = view.source;
    el("date").textContent = view.date;
    el("attribution").textContent = view.attribution;
  }

  function legend(view) {
    var box = el("legend");
    clear(box);
    add(box, "h2", view.legendTitle);
    var list = add(box, "ul");
    view.legend.forEach(function (item) {
      var li = add(list, "li");
      var sym = add(li, "span", null, "sym " + item.symbol);
      if (item.symbol === "ring" || item.symbol === "dash") sym.style.borderColor = item.colour;
      else sym.style.background = item.colour;
      add(li, "span", item.label);
      if (item.count !== null && item.count !== undefined)
        add(li, "span", item.count.toLocaleString(data.lang), "count");
    });
    if (view.sizeNote) add(box, "p", view.sizeNote, "note");
  }

  el("search").addEventListener("input", showResults);
  el("search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = search(el("search").value);
      if (found.length) { el("results").hidden = true; focusNode(found[0].i); }
    } else if (ev.key === "Escape") { el("results").hidden = true; }
  });
  el("search").addEventListener("blur", function () { el("results").hidden = true; });
  el("filter-municipality").addEventListener("change", applyFilters);
  el("filter-kind").addEventListener("change", applyFilters);
  el("filter-isolated").addEventListener("change", applyFilters);
  el("switch").addEventListener("click", function () { show(state.index === 0 ? 1 : 0); });

  show(0);
})();
