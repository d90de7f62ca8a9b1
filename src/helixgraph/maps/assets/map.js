/* helixgraph map: draw the payload of /map/data with vis-network.
 *
 * The page (or a standalone export) holds the payload in a
 * <script type="application/json" id="map-data"> block. Tooltips are built with
 * textContent from structured data, never from HTML strings, so labels from the data
 * cannot inject markup. Physics lays the graph out once and is then switched off.
 * When done, <html data-map-ready="true" data-map-nodes="N" data-map-edges="M">.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function tooltip(info) {
    var box = el("div", "hx-tip");
    box.appendChild(el("div", "hx-tip-title", info.title));
    var table = el("table");
    info.rows.concat(info.metrics).forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", null, row[0]));
      tr.appendChild(el("td", null, row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    if (info.sources.length) {
      box.appendChild(el("div", "hx-tip-head", "Sources"));
      var list = el("ul", "hx-tip-sources");
      info.sources.forEach(function (s) {
        var li = el("li");
        li.appendChild(el("code", null, s[0]));
        if (s[1]) { li.appendChild(document.createTextNode(" " + s[1])); }
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    return box;
  }

  function swatch(color, shape) {
    var s = el("span", "hx-swatch hx-shape-" + (shape || "dot"));
    s.style.background = color;
    return s;
  }

  function drawLegend(box, legend) {
    box.textContent = "";
    box.appendChild(el("div", "hx-legend-head", "Colour: " + legend.color_by));
    legend.colors.forEach(function (c) {
      var row = el("div", "hx-legend-row");
      row.appendChild(swatch(c[1]));
      row.appendChild(el("span", null, c[0]));
      box.appendChild(row);
    });
    if (legend.shapes.length) { box.appendChild(el("div", "hx-legend-head", "Shape: kind")); }
    legend.shapes.forEach(function (s) {
      var row = el("div", "hx-legend-row");
      row.appendChild(swatch("#777", s[1]));
      row.appendChild(el("span", null, s[0]));
      box.appendChild(row);
    });
    if (legend.edges.length) { box.appendChild(el("div", "hx-legend-head", "Links")); }
    legend.edges.forEach(function (e) {
      var row = el("div", "hx-legend-row");
      var line = el("span", "hx-line" + (e[2] ? " hx-dashed" : ""));
      line.style.borderColor = e[1];
      row.appendChild(line);
      row.appendChild(el("span", null, e[0]));
      box.appendChild(row);
    });
    box.appendChild(el("div", "hx-legend-head", "Size: " + legend.size_by));
  }

  function egoUrl(nodeId, data) {
    var params = new URLSearchParams(window.location.search);
    var node = data.nodes.find(function (n) { return n.id === nodeId; });
    if (!node || !node.info || node.category === "community") { return null; }
    if (node.info.id.indexOf("community-") === 0) { return null; }
    params.set("ego", node.info.id);
    if (!params.get("hops")) { params.set("hops", "1"); }
    return window.location.pathname + "?" + params.toString();
  }

  function communityUrl(nodeId) {
    var params = new URLSearchParams(window.location.search);
    params.set("community", nodeId.split(":")[1]);
    params.delete("reduce");
    return window.location.pathname + "?" + params.toString();
  }

  function draw(container, data) {
    var root = document.documentElement;
    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      var copy = Object.assign({}, n);
      copy.title = tooltip(n.info);
      return copy;
    }));
    var edges = new vis.DataSet(data.edges.map(function (e, i) {
      var copy = Object.assign({}, e);
      copy.id = "e" + i;
      copy.title = tooltip(e.info);
      return copy;
    }));
    var network = new vis.Network(container, { nodes: [], edges: [] }, data.options);
    function ready() {
      network.setOptions({ physics: false });
      if (data.found && data.found.length) {
        network.selectNodes([data.found[0]]);
        network.focus(data.found[0], { scale: 1.1 });
      } else {
        network.fit();
      }
      root.dataset.mapNodes = String(network.body.nodeIndices.length);
      root.dataset.mapEdges = String(network.body.edgeIndices.length);
      // Refit when the canvas changes size (a fit on a not-yet-sized canvas, or a window
      // resize, would otherwise leave the nodes off screen) until the user pans or zooms.
      var moved = false;
      network.on("dragStart", function () { moved = true; });
      container.addEventListener("wheel", function () { moved = true; }, { passive: true });
      // vis-network emits "resize" and then rescales the view by the change of canvas
      // size, which would undo a fit made here: fit once its resize has finished.
      network.on("resize", function () {
        if (moved || (data.found && data.found.length)) { return; }
        Promise.resolve().then(function () { network.fit(); });
      });
      window.requestAnimationFrame(function () {
        if (!(data.found && data.found.length)) { network.fit(); }
        network.once("afterDrawing", function () { root.dataset.mapReady = "true"; });
        network.redraw();
      });
    }
    if (data.nodes.length === 0) {
      root.dataset.mapNodes = "0";
      root.dataset.mapEdges = "0";
      root.dataset.mapReady = "true";
    } else {
      network.once("stabilizationIterationsDone", ready);
      network.setData({ nodes: nodes, edges: edges });
    }
    network.on("doubleClick", function (params) {
      if (!params.nodes.length || document.body.classList.contains("hx-standalone")) { return; }
      var id = params.nodes[0];
      var url = String(id).indexOf("community:") === 0 ? communityUrl(id) : egoUrl(id, data);
      if (url) { window.location.assign(url); }
    });
    return { network: network, nodes: nodes, edges: edges, data: data };
  }

  function start() {
    var container = document.getElementById("map");
    if (!container) { return; }
    var source = document.getElementById(container.dataset.payload || "map-data");
    var data = JSON.parse(source.textContent);
    var legend = document.getElementById("legend");
    if (legend) { drawLegend(legend, data.legend); }
    window.helixMap = draw(container, data);
    var search = document.getElementById("find");
    if (search) {
      search.addEventListener("change", function () {
        var text = search.value.trim().toLowerCase();
        var hit = data.nodes.find(function (n) {
          return n.info.title.toLowerCase() === text || String(n.label).toLowerCase() === text;
        });
        if (hit) {
          window.helixMap.network.selectNodes([hit.id]);
          window.helixMap.network.focus(hit.id, { scale: 1.2, animation: false });
        }
      });
    }
    var form = document.getElementById("controls");
    if (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("input, select").forEach(function (input) {
          if (input.value === "" && !input.hasAttribute("data-keep")) { input.disabled = true; }
        });
      });
    }
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.dataset.copy);
        target.select();
        if (navigator.clipboard) { navigator.clipboard.writeText(target.value).catch(function () {}); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
