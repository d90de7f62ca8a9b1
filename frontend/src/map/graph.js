// The payload of /map/data (columnar, see helixgraph.maps.webdata) as a graphology graph.
import Graph from "graphology";

// faint by default: the more links of a relation, the fainter each (hover shows them strong)
const alpha = (count) => Math.max(0.12, Math.min(0.5, 8 / Math.sqrt(Math.max(1, count))));
export const FLAG = { broker: 1, found: 2, ego: 4, outside: 8, organisation: 16, isolate: 32, unnamed: 64 };

// "#5b7fa6", 0.2 -> the colour at 20% over white, opaque ("rgb(222,229,237)"): WebGL
// blending of translucent colours tints them; an opaque pale line reads the same
export function tint(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(c * alpha + 255 * (1 - alpha));
  return `rgb(${mix((n >> 16) & 255)},${mix((n >> 8) & 255)},${mix(n & 255)})`;
}

// A short label: the abbreviation of a long name, else the name cut at 30 characters; a
// node its source names only by an identifier says what it is ("firm · PIC 999999999").
export function shortLabel(label, abbr, unnamed = false, kind = "") {
  if (unnamed) return kind ? `${kind} · ${label}` : label;
  if (label.length <= 30) return label;
  return abbr || label.slice(0, 28) + "…";
}

// A node's name in lists: its label, or what it is and its identifier when its sources
// name it by that identifier alone ("firm · PIC 999999999").
export function nodeName(data, i) {
  const N = data.nodes;
  return N.flag[i] & FLAG.unnamed ? `${data.categories[N.cat[i]][1]} · ${N.label[i]}` : N.label[i];
}

export function buildGraph(data) {
  const graph = new Graph({ multi: true, type: "mixed", allowSelfLoops: false });
  const N = data.nodes, count = N.id.length;
  const max = Math.max(1e-12, ...N.size);
  const [lo, hi] = count > 1000 ? [1.5, 16] : count > 200 ? [3, 20] : [6, 26];
  // the few most central are labelled at the first paint; the label grid adds the
  // largest of each screen cell, the rest appear on zoom and hover
  const named = [...N.size.keys()].filter((i) => !(N.flag[i] & (FLAG.unnamed | FLAG.isolate)));
  const labelled = new Set(named.sort((a, b) => N.size[b] - N.size[a]).slice(0, 8));
  for (let i = 0; i < count; i++) {
    graph.addNode(i, {
      x: N.x[i] / 1000,
      y: N.y[i] / 1000,
      size: lo + (hi - lo) * Math.sqrt(Math.max(0, N.size[i]) / max),
      color: data.palette[N.col[i]],
      label: shortLabel(N.label[i], N.abbr[i], (N.flag[i] & FLAG.unnamed) !== 0, data.categories[N.cat[i]][1]),
      forceLabel: labelled.has(i) || (N.flag[i] & (FLAG.ego | FLAG.found)) !== 0,
      year: N.year[i],
      flag: N.flag[i],
    });
  }
  const E = data.edges, rel = data.relations;
  const thin = E.s.length > 2000 ? 0.6 : 1.2;
  const perRelation = {};
  for (const r of E.r) perRelation[r] = (perRelation[r] || 0) + 1;
  const onlyFunding = Object.keys(perRelation).every((r) => rel[r][0] === "funding");
  for (let j = 0; j < E.s.length; j++) {
    const [name, , color] = rel[E.r[j]];
    const funding = name === "funding";
    const attrs = {
      relation: name,
      year: E.year[j],
      w: E.w[j],
      color: tint(color, funding && onlyFunding ? Math.max(0.3, alpha(perRelation[E.r[j]])) : alpha(perRelation[E.r[j]])),
      strong: color,
      size: funding ? 1 + Math.min(4, Math.log10(Math.max(1, E.w[j])) / 4) : Math.min(4, thin + Math.log2(E.w[j] || 1) / 2),
      type: "line", // funder -> recipient: the side panel and the legend say which way
    };
    if (funding) graph.addDirectedEdge(E.s[j], E.t[j], attrs);
    else graph.addUndirectedEdge(E.s[j], E.t[j], attrs);
  }
  return graph;
}
