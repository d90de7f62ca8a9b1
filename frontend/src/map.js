// The network map: the server's payload (positions computed there) drawn with WebGL by
// sigma.js. Modules in ./map/: graph (payload -> graphology), state (what is shown and
// the reducers), labels (labels that never overlap), panel (a clicked node), lists
// (search, brokers, neighbours, flows, legend), time (the year range and play).
import Sigma from "sigma";
import { downloadAsPNG, toBlob } from "@sigma/export-image";
import { buildGraph, FLAG } from "./map/graph.js";
import { labelLayer } from "./map/labels.js";
import { createState, reducers } from "./map/state.js";
import { showPanel } from "./map/panel.js";
import { $ } from "./map/dom.js";
import * as lists from "./map/lists.js";
import { timeControls } from "./map/time.js";

function start() {
  const container = $("map"), script = $("map-data");
  if (!container || !script) return;
  performance.mark("map-start");
  const data = JSON.parse(script.textContent);
  performance.mark("map-parsed");
  const graph = buildGraph(data);
  performance.mark("map-graph");
  const state = createState(graph);
  const query = location.search;
  // no label under the side panel (it lies over the drawing on wide screens)
  const labels = labelLayer(() => {
    const panel = $("panel");
    if (!panel || panel.hidden) return [];
    const a = panel.getBoundingClientRect(), c = container.getBoundingClientRect();
    return [{ x: a.left - c.left, y: a.top - c.top, w: a.width, h: a.height }];
  });
  const renderer = new Sigma(graph, container, {
    ...reducers(graph, state),
    zIndex: true,
    labelSize: 13,
    labelWeight: "500",
    labelFont: "system-ui, sans-serif",
    // the grid proposes the largest node of each 100 px cell; the labels layer draws them
    // largest first and skips any that would overlap one drawn
    labelDensity: 1,
    labelGridCellSize: 100,
    labelRenderedSizeThreshold: graph.order > 1000 ? 9 : 5,
    defaultDrawNodeLabel: labels.collect,
    defaultEdgeType: "line",
    hideEdgesOnMove: graph.size > 5000, // panning stays fluid; links return when it stops
    hideLabelsOnMove: graph.order > 2000,
    stagePadding: 24,
    allowInvalidContainer: true, // a frame may lay the page out after the script ran
  });
  labels.attach(renderer);
  // the camera frames what is drawn: the linked network, and the isolates' ring when shown
  const extent = (keep) => {
    const b = { x: [Infinity, -Infinity], y: [Infinity, -Infinity] };
    graph.forEachNode((_n, a) => {
      if (!keep(a)) return;
      b.x = [Math.min(b.x[0], a.x), Math.max(b.x[1], a.x)];
      b.y = [Math.min(b.y[0], a.y), Math.max(b.y[1], a.y)];
    });
    return b.x[0] < b.x[1] || b.y[0] < b.y[1] ? b : null; // none, or a single point: sigma's own
  };
  const linked = graph.someNode((_n, a) => a.flag & FLAG.isolate) ? extent((a) => !(a.flag & FLAG.isolate)) : null;
  const frame = () => renderer.setCustomBBox(state.isolates ? null : linked);
  frame();
  renderer.refresh();
  // a container that changes size (a frame laid out late, a rotated phone) is redrawn
  new ResizeObserver(() => renderer.refresh()).observe(container);

  performance.mark("map-sigma");
  const status = $("drawn");
  const count = () => {
    if (status) status.textContent = `${drawn().toLocaleString("en")} of ${graph.order.toLocaleString("en")} nodes drawn`;
  };
  const refresh = () => {
    state.setFocus();
    renderer.refresh();
    count();
  };
  // nodes sigma draws now (after the reducers: year range)
  const drawn = () => graph.filterNodes((n) => !renderer.getNodeDisplayData(n)?.hidden).length;
  const drawnEdges = () => graph.filterEdges((e) => !renderer.getEdgeDisplayData(e)?.hidden).length;

  const fly = (i) => {
    const n = String(i);
    state.selected = n;
    const d = renderer.getNodeDisplayData(n);
    if (d) renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.25 }, { duration: 500 });
    showPanel(data, i, query);
    setHash({ node: data.nodes.id[i] });
    refresh();
  };
  renderer.on("enterNode", ({ node }) => { state.hovered = node; refresh(); });
  renderer.on("leaveNode", () => { state.hovered = null; refresh(); });
  renderer.on("clickNode", ({ node }) => fly(+node));
  renderer.on("clickStage", () => { state.selected = null; $("panel") && ($("panel").hidden = true); refresh(); });
  $("panel-close")?.addEventListener("click", () => { state.selected = null; $("panel").hidden = true; refresh(); });

  lists.legend(data);
  lists.search(data, fly);
  lists.brokers(data, fly, (set) => { state.highlight = set; refresh(); });
  lists.neighbours(data, fly);
  lists.flows(data);
  const time = timeControls(data, state, () => { refresh(); setHash({ years: state.to == null ? null : `${state.from}-${state.to}` }); });
  const isolates = $("isolates-toggle");
  const showIsolates = (on) => {
    state.isolates = on;
    if (isolates) {
      isolates.setAttribute("aria-pressed", String(on));
      isolates.textContent = on ? "hide them" : "show them";
    }
    frame();
    refresh();
    setHash({ isolates: on ? "1" : null });
  };
  isolates?.addEventListener("click", () => showIsolates(!state.isolates));
  // the PNG is drawn by a second sigma on the same graph and settings: it gets its own
  // labels layer (else sigma's label calls would go to this page's layer, unseen)
  let exported = [];
  const exporting = () => {
    const layer = labelLayer();
    return {
      backgroundColor: "#ffffff",
      sigmaSettings: { defaultDrawNodeLabel: layer.collect },
      withTempRenderer: (r) => { layer.attach(r); r.refresh(); exported = layer.boxes(); },
    };
  };
  $("png")?.addEventListener("click", () => downloadAsPNG(renderer, { fileName: "helixgraph-map", ...exporting() }));

  // the view's state in the URL's fragment: #years=2015-2018&node=umcg
  function setHash(change) {
    const h = new URLSearchParams(location.hash.slice(1));
    for (const [k, v] of Object.entries(change)) (v == null ? h.delete(k) : h.set(k, v));
    const s = h.toString();
    history.replaceState(null, "", s ? `#${s}` : location.pathname + location.search);
    const link = $("permalink");
    if (link) link.value = link.value.split("#")[0] + (s ? `#${s}` : "");
  }
  const h = new URLSearchParams(location.hash.slice(1));
  if (h.get("isolates") === "1") showIsolates(true);
  const years = /^(\d{4})-(\d{4})$/.exec(h.get("years") || "");
  if (years && time) time.set(+years[1], +years[2]);
  const node = data.nodes.id.indexOf(h.get("node") ?? "");
  if (node >= 0) fly(node);
  else if (data.ego != null) { state.selected = String(data.ego); showPanel(data, data.ego, query); }
  else if (data.found.length) fly(data.found[0]);
  if (data.ego != null) refresh();
  else count();

  window.helixMap = {
    renderer, graph, data, state, drawn, drawnEdges, refresh, fly, showIsolates,
    labels: labels.boxes, // the labels on screen: node key, text, box in CSS px
    png: async () => (await toBlob(renderer, { format: "png", ...exporting() })).size,
    exportedLabels: () => exported, // the labels the last PNG drew
  };
  // drawn: sigma renders synchronously on creation; the next frame is on screen
  requestAnimationFrame(() => {
    document.documentElement.dataset.mapReady = "true";
    performance.mark("map-drawn");
  });
}

start();
