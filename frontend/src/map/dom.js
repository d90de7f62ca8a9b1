// Small DOM helpers: every text from the data goes through textContent, never markup.
export const $ = (id) => document.getElementById(id);

// The path the site is served under ("" at a host's root, "/observatory" behind a proxy
// that serves it under a path): the page says it in <html data-root>; every link and
// request the scripts make starts with it.
export const root = document.documentElement.dataset.root || "";

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else if (k === "on") for (const [ev, f] of Object.entries(v)) e.addEventListener(ev, f);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

export function euros(x) {
  for (const [lim, suf] of [[1e9, "bn"], [1e6, "M"], [1e3, "k"]])
    if (x >= lim) return `€${(x / lim).toPrecision(3)}${suf}`;
  return `€${Math.round(x)}`;
}

export const num = (x) => (x == null ? "–" : Math.abs(x) >= 100 ? Math.round(x).toLocaleString("en") : Number(x).toPrecision(3));

// A table of [name, value] rows (a value is text, or an element such as a link).
export function rows(pairs) {
  const t = el("table", { class: "hx-rows" });
  for (const [k, v] of pairs)
    t.append(el("tr", {}, el("th", { text: k }), v instanceof Node ? el("td", {}, v) : el("td", { text: String(v) })));
  return t;
}

// Horizontal bars: [[name, value, colour?]].
export function bars(items, format = num) {
  const max = Math.max(1e-12, ...items.map((i) => i[1]));
  const list = el("ul", { class: "hx-bars" });
  for (const [name, value, color] of items) {
    const bar = el("span", { class: "hx-fill" });
    bar.style.width = `${Math.max(1, (100 * value) / max)}%`;
    if (color) bar.style.background = color;
    list.append(el("li", {}, el("span", { class: "hx-bar-name", text: name }), bar, el("span", { class: "hx-bar-value", text: format(value) })));
  }
  return list;
}
