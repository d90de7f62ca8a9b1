// The labels layer: sigma's label grid proposes candidates (the largest nodes of each
// screen cell, more as one zooms in); this layer draws them most important first --
// forced labels (the selected, the searched, the few most central), then by drawn size --
// and skips any whose box would overlap one already drawn, so labels never pile up at a
// hub. A label that would run past the canvas's right edge is drawn left of its node; one
// that fits on neither side, or runs past the top or bottom, is left out (a forced one
// whose node is on screen is pushed inside the canvas).
// Nodes the source names only by an identifier (FLAG.unnamed) get no label of their own
// unless forced (hovered, selected, found): labels are spent on names.
import { FLAG } from "./graph.js";

const PAD = 2; // px of air between two labels

// labelLayer(covered).collect is sigma's defaultDrawNodeLabel setting (it only collects
// the candidates); .attach(renderer) draws them after each render; .boxes() lists them.
// covered(): boxes of the canvas something covers (the side panel), where no label goes.
export function labelLayer(covered = () => []) {
  let pending = [];
  let drawn = [];
  const collect = (_context, data) => { pending.push(data); };
  const draw = (renderer) => {
    const context = renderer.getCanvases().labels.getContext("2d");
    const { width, height } = renderer.getDimensions();
    const size = renderer.getSetting("labelSize");
    context.font = `${renderer.getSetting("labelWeight")} ${size}px ${renderer.getSetting("labelFont")}`;
    const order = pending
      .filter((d) => d.label && (d.forceLabel || !(d.flag & FLAG.unnamed)))
      .sort((a, b) => (b.forceLabel - a.forceLabel) || (b.size - a.size) || (a.key < b.key ? -1 : 1));
    drawn = [];
    pending = [];
    const blocked = covered();
    for (const d of order) {
      const w = context.measureText(d.label).width, h = size * 1.2, y = d.y - size * 0.8;
      const right = d.x + d.size + 3, left = d.x - d.size - 3 - w;
      const fits = (x) => x >= 0 && x + w <= width && y >= 0 && y + h <= height;
      const inside = d.forceLabel && d.x >= 0 && d.x <= width && y >= 0 && y + h <= height;
      const x = fits(right) ? right : fits(left) ? left : inside ? Math.min(Math.max(0, right), Math.max(0, width - w)) : null;
      if (x == null) continue;
      const box = { key: d.key, label: d.label, x, y, w, h };
      if (drawn.some((o) => overlap(o, box)) || (!d.forceLabel && blocked.some((o) => overlap(o, box)))) continue;
      drawn.push(box);
      context.lineJoin = "round";
      context.lineWidth = 3;
      context.strokeStyle = "rgba(255,255,255,0.9)"; // a halo: readable over nodes and links
      context.strokeText(d.label, x, d.y + size / 3);
      context.fillStyle = "#1d1d1d";
      context.fillText(d.label, x, d.y + size / 3);
    }
  };
  const attach = (renderer) => {
    renderer.on("beforeRender", () => { pending = []; });
    renderer.on("afterRender", () => draw(renderer));
  };
  // the labels on screen now: node key, text and box (CSS px of the canvas)
  return { collect, attach, boxes: () => drawn.map((b) => ({ ...b })) };
}

export function overlap(a, b) {
  return !(a.x + a.w + PAD <= b.x || b.x + b.w + PAD <= a.x || a.y + a.h + PAD <= b.y || b.y + b.h + PAD <= a.y);
}
