// The panels beside the map: search, brokers, an ego's neighbours, the funding summary.
import { $, el, bars, euros, num } from "./dom.js";
import { nodeName } from "./graph.js";

const fold = (t) => t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

// Search: names and abbreviations; Enter or a click flies to the organisation.
export function search(data, go) {
  const input = $("search"), out = $("search-results");
  if (!input) return;
  const N = data.nodes;
  const names = N.label.map((l, i) => [fold(l), fold(N.abbr[i]), i]);
  const matches = (q) => {
    const exact = [], part = [];
    for (const [l, a, i] of names) {
      if (a === q || l === q) exact.push(i);
      else if (l.includes(q) || (a && a.includes(q))) part.push(i);
    }
    return [...exact, ...part].slice(0, 8);
  };
  const render = () => {
    const q = fold(input.value.trim());
    out.replaceChildren();
    if (q.length < 2) return;
    const found = matches(q);
    if (!found.length) out.append(el("li", { class: "hx-none", text: "no organisation matches" }));
    for (const i of found)
      out.append(el("li", {}, el("button", { type: "button", text: nodeName(data, i), on: { click: () => go(i) } })));
  };
  input.addEventListener("input", render);
  input.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    const found = matches(fold(input.value.trim()));
    if (found.length) go(found[0]);
  });
}

// Brokers ranked by betweenness with their Gould–Fernandez roles; a toggle highlights them.
export function brokers(data, go, highlight) {
  const list = $("brokers"), toggle = $("brokers-toggle");
  if (!list) return;
  for (const b of data.brokers) {
    const roles = Object.entries(b.roles).filter(([k]) => k !== "total").sort((x, y) => y[1] - x[1])
      .slice(0, 2).map(([k, n]) => `${k} ${n.toLocaleString("en")}`).join(", ");
    list.append(el("li", {},
      el("button", { type: "button", text: nodeName(data, b.i), on: { click: () => go(b.i) } }),
      el("small", { text: ` betweenness ${num(b.betweenness)}${roles ? " · " + roles : ""}` })));
  }
  if (!data.brokers.length) list.append(el("li", { class: "hx-none", text: "no brokers: no open two-paths in this view" }));
  toggle?.addEventListener("click", () => {
    const on = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(on));
    highlight(on ? new Set(data.brokers.map((b) => String(b.i))) : null);
  });
}

export function neighbours(data, go) {
  const box = $("neighbours"), list = $("neighbours-list");
  if (!box || data.ego == null) return;
  box.hidden = false;
  for (const n of data.neighbours.slice(0, 200)) {
    const via = n.hop > 1 ? ` via ${nodeName(data, n.via)}` : "";
    list.append(el("li", {},
      el("button", { type: "button", text: nodeName(data, n.i), on: { click: () => go(n.i) } }),
      el("small", { text: ` hop ${n.hop} · ties ${num(n.w)}${via}` })));
  }
}

export function flows(data) {
  const box = $("flows"), f = data.flows;
  if (!box || !f) return;
  box.hidden = false;
  box.append(
    el("p", { text: `${f.flows.toLocaleString("en")} flows, ${f.awards.toLocaleString("en")} awards, ${euros(f.total)} stated` }),
    el("h3", { text: "By funder" }), bars(f.by_funder, euros),
    el("h3", { text: "By recipient helix" }), bars(f.by_helix, euros),
    el("h3", { text: "By recipient region" }), bars(f.by_region, euros),
    el("h3", { text: "By year" }), bars(f.by_year, euros),
  );
}

export function legend(data) {
  const box = $("legend");
  if (!box) return;
  const L = data.legend;
  const colours = el("ul", { class: "hx-swatches" });
  for (const [name, c] of L.colors) {
    const sw = el("span", { class: "hx-swatch" });
    sw.style.background = c;
    colours.append(el("li", {}, sw, name));
  }
  const links = el("ul", { class: "hx-swatches" });
  for (const [name, c] of L.edges) {
    const sw = el("span", { class: "hx-line" });
    sw.style.background = c;
    links.append(el("li", {}, sw, name));
  }
  box.replaceChildren(el("b", { text: `Colour: ${L.color_by}` }), colours, el("b", { text: "Links" }), links,
    el("small", { text: `Size: ${L.size_by}` }));
}
