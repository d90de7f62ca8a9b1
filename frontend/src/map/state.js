import { FLAG } from "./graph.js";

// What the map shows right now: the year range, the isolates, the focused node,
// highlighted brokers; sigma's reducers read it, so a change is one refresh.
export function createState(graph) {
  const s = {
    from: null, // years: null shows everything
    to: null,
    hovered: null,
    selected: null,
    highlight: null, // a Set of nodes (brokers, neighbours) or null
    neighbours: new Set(),
    isolates: false, // nodes with no link in the view (on their ring) are drawn when asked
  };
  s.focus = () => s.hovered ?? s.selected;
  s.setFocus = () => {
    const f = s.focus();
    s.neighbours = f == null ? new Set() : new Set(graph.neighbors(f));
  };
  // an isolate is drawn when asked, or when it is the one selected or searched for
  s.nodeVisible = (n, a) =>
    (s.isolates || !(a.flag & FLAG.isolate) || n === s.selected || (a.flag & FLAG.found) !== 0) &&
    (s.to == null || a.year == null || a.year <= s.to);
  s.edgeVisible = (e, a) =>
    s.to == null || a.year == null || (a.year >= s.from && a.year <= s.to);
  return s;
}

export function reducers(graph, s) {
  const nodeReducer = (n, a) => {
    if (!s.nodeVisible(n, a)) return { ...a, hidden: true };
    const f = s.focus();
    if (f != null) {
      if (n === f) return { ...a, highlighted: true, forceLabel: true, zIndex: 2 };
      if (s.neighbours.has(n)) return { ...a, forceLabel: s.neighbours.size <= 40, zIndex: 1 };
      return { ...a, color: "#e3e3e3", label: "", forceLabel: false, zIndex: 0 };
    }
    if (s.highlight) {
      if (s.highlight.has(n)) return { ...a, highlighted: true, forceLabel: true, zIndex: 2 };
      return { ...a, color: "#dddddd", forceLabel: false, zIndex: 0 };
    }
    return a;
  };
  const edgeReducer = (e, a) => {
    const [u, v] = graph.extremities(e);
    if (!s.edgeVisible(e, a) || !s.nodeVisible(u, graph.getNodeAttributes(u)) || !s.nodeVisible(v, graph.getNodeAttributes(v)))
      return { ...a, hidden: true };
    const f = s.focus();
    if (f != null) {
      if (u === f || v === f) return { ...a, color: a.strong, size: a.size + 0.5, zIndex: 1 };
      return { ...a, hidden: true };
    }
    if (s.highlight && !(s.highlight.has(u) && s.highlight.has(v))) return { ...a, color: "#f2f2f2" };
    return a;
  };
  return { nodeReducer, edgeReducer };
}
