// The side panel of a clicked node: what the payload knows at once, then its record
// (/api/organisations/{id}) and its metrics in this view (/map/node/{id}) from the JSON API.
import { $, el, rows, num, root } from "./dom.js";
import { FLAG } from "./graph.js";

const METRICS = ["degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank"];

async function json(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

export function showPanel(data, i, query) {
  const N = data.nodes, panel = $("panel"), body = $("panel-body");
  const id = N.id[i], org = (N.flag[i] & FLAG.organisation) !== 0;
  const cat = data.categories[N.cat[i]][1];
  const unnamed = (N.flag[i] & FLAG.unnamed) !== 0;
  body.replaceChildren(...[
    el("h2", { text: N.label[i] }),
    // its sources name it only by its identifier: say so, and show what they do state
    unnamed ? el("p", { class: "hx-unnamed", text: "No name stated by its sources; they give its identifier, kind and place (below)." }) : null,
    rows([
      ["kind", cat],
      ["first seen", N.year[i] ?? "no dated tie"],
      ...(N.flag[i] & FLAG.isolate ? [["links", "none in this view"]] : []),
      ...(N.flag[i] & FLAG.outside ? [["note", "outside the filters; shown for its funding"]] : []),
    ]),
  ].filter(Boolean));
  if (org) {
    const href = `${root}/api/organisations/${encodeURIComponent(id)}`;
    body.append(
      el("p", { class: "hx-links" },
        el("a", { href: `${root}/id/org/${encodeURIComponent(id)}`, text: "its page" }), " · ",
        el("a", { href, text: "record (JSON)" }), " · ",
        el("a", { href: `${root}/map?ego=${encodeURIComponent(id)}&hops=1`, text: "its partners (ego view)" })),
    );
    const facts = el("div", { class: "hx-facts", text: "loading…" });
    const measures = el("div", { class: "hx-measures" });
    body.append(facts, measures);
    json(href).then((r) => facts.replaceChildren(record(r))).catch((e) => facts.replaceChildren(el("p", { class: "hx-error", text: String(e.message) })));
    json(`${root}/map/node/${encodeURIComponent(id)}${query}`).then((m) => measures.replaceChildren(metrics(m))).catch(() => measures.replaceChildren(el("p", { class: "hx-notice", text: "no metrics: not in this view's collaboration network" })));
  }
  panel.hidden = false;
}

function record(r) {
  const pairs = [];
  if (r.abbreviations?.length) pairs.push(["abbreviation", r.abbreviations.join(", ")]);
  if (r.kinds?.length) pairs.push(["kinds", r.kinds.map((k) => k.id.replace(/_/g, " ")).join(", ")]);
  if (r.helices?.length) pairs.push(["helix", r.helices.map((h) => h.id.replace(/_/g, " ")).join(", ")]);
  if (r.places?.length) pairs.push(["located in", r.places.map((p) => p.label).join(", ")]);
  for (const x of r.identifiers || []) {
    if (x.scheme === "iri") continue; // its page's address: the links above
    const value = x.value || x.id || "";
    // the registry's page of the identifier (a PIC: its EU Funding & Tenders page)
    const shown = /^https?:\/\//.test(x.url || "")
      ? el("a", { href: x.url, rel: "noopener", target: "_blank", title: x.registry || "", text: value })
      : value;
    pairs.push([x.scheme || x.kind || "identifier", shown]);
  }
  if (r.homepage) pairs.push(["homepage", r.homepage]);
  const projects = [...new Map((r.relations || [])
    .filter((x) => x.relation === "participates_in" || x.relation === "leads")
    .map((x) => [x.target.id, x.target])).values()];
  if (projects.length) {
    const few = projects.slice(0, 3).map((x) => x.label).join("; ");
    pairs.push(["takes part in", `${projects.length.toLocaleString("en")} project${projects.length > 1 ? "s" : ""}: ${few}${projects.length > 3 ? "; …" : ""}`]);
  }
  pairs.push(["identifier", r.id]);
  pairs.push(["sources", (r.sources || []).join(", ")]);
  return rows(pairs);
}

function metrics(m) {
  const pairs = METRICS.filter((k) => k in m.metrics).map((k) => [k, num(m.metrics[k])]);
  if (m.community != null) pairs.push(["community", m.community]);
  const roles = Object.entries(m.brokerage || {}).filter(([k, n]) => n && k !== "total");
  pairs.push(["brokerage roles", roles.length ? roles.map(([k, n]) => `${k} ${n}`).join(", ") : "none"]);
  return el("div", {}, el("h3", { text: "In this network" }), rows(pairs));
}
