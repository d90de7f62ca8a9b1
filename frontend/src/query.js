// The query page: YASGUI's editor (Yasqe: SPARQL highlighting, syntax check, completion)
// and result view (Yasr: table, raw response, downloads), bundled, offline. Nothing here
// calls another site: prefix completion reads /query/terms (the project's predeclared
// prefixes), class and property completion the ontology's terms from the same place (not
// prefix.cc or LOV), and the editor's grammar knows the predeclared prefixes, so a query
// without PREFIX lines is valid.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";

const { Yasqe, Yasr } = Yasgui;

// A bar chart of a SELECT answer that has a numeric column: one bar per row (up to 50),
// labelled by the row's first other column (a name rather than an IRI when there is one).
class BarChart {
  constructor(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
  }
  columns() {
    const results = this.yasr.results;
    if (!results || !results.getBindings || !results.getVariables) return null;
    let rows, vars;
    try { // an ASK or CONSTRUCT answer has no table
      rows = results.getBindings() || [];
      vars = results.getVariables() || [];
    } catch (error) {
      return null;
    }
    const numeric = (v) => rows.length > 0 && rows.every((r) => !r[v] || !isNaN(Number(r[v].value)))
      && rows.some((r) => r[v] && r[v].datatype && /#(integer|decimal|double|float|long|int)$/.test(r[v].datatype));
    const value = vars.slice().reverse().find(numeric);
    if (!value) return null;
    // the other columns name the bar: literals (names) when there are any, else the IRIs
    const others = vars.filter((v) => v !== value);
    const literals = others.filter((v) => rows.some((r) => r[v] && r[v].type === "literal"));
    const named = new Set(literals.map((v) => v.toLowerCase().replace(/name$/, "")));
    const label = others.filter((v) => literals.includes(v) || !named.has(v.toLowerCase()));
    return { rows, value, label };
  }
  canHandleResults() {
    return this.columns() !== null;
  }
  getIcon() {
    const icon = document.createElement("span");
    icon.textContent = "▮";
    return icon;
  }
  draw() {
    const { rows, value, label } = this.columns();
    const shown = rows.slice(0, 50);
    const max = Math.max(...shown.map((r) => Number(r[value] ? r[value].value : 0)), 0) || 1;
    const chart = document.createElement("div");
    chart.className = "hx-chart";
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-label", `bar chart of ${value} by ${label.join(", ")}`);
    for (const r of shown) {
      const n = Number(r[value] ? r[value].value : 0);
      const row = document.createElement("div");
      row.className = "hx-bar";
      const name = document.createElement("span");
      name.className = "hx-bar-label";
      const parts = label.map((v) => r[v]).filter(Boolean);
      name.textContent = parts.map((t) => (t.type === "uri" ? t.value.replace(/^.*[#/]/, "") : t.value)).join(" · ");
      name.title = parts.map((t) => t.value).join(" · ");
      const bar = document.createElement("span");
      bar.className = "hx-bar-fill";
      bar.style.width = Math.max(0.5, (100 * n) / max) + "%";
      const num = document.createElement("span");
      num.className = "hx-bar-value";
      num.textContent = n.toLocaleString("en");
      const track = document.createElement("span");
      track.className = "hx-bar-track";
      track.append(bar, num);
      row.append(name, track);
      chart.append(row);
    }
    if (rows.length > shown.length) {
      const note = document.createElement("p");
      note.textContent = `The first ${shown.length} of ${rows.length} rows.`;
      chart.append(note);
    }
    this.yasr.resultsEl.appendChild(chart);
  }
}
Yasr.registerPlugin("chart", BarChart);
const BASE = "https://w3id.org/helixgraph/";
const EXTENSIONS = { json: "srj", xml: "srx", csv: "csv", tsv: "tsv", turtle: "ttl",
  ntriples: "nt", jsonld: "jsonld", rdfxml: "rdf", nquads: "nq", trig: "trig", n3: "n3" };

function data(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

const examples = data("examples-data");
const prefixes = data("prefixes-data");
// the path the site is served under ("" at a host's root, "/observatory" behind a proxy)
const root = document.documentElement.dataset.root || "";
const termsPromise = fetch(root + "/query/terms").then((r) => r.json());

// The grammar's start state knows the predeclared prefixes (a PREFIX line still wins).
const sparqlMode = Yasqe.modes.sparql11;
Yasqe.defineMode("sparql11", function (config, parserConfig) {
  const mode = sparqlMode(config, parserConfig);
  const start = mode.startState;
  mode.startState = function () {
    const state = start.apply(this, arguments);
    state.prefixes = Object.assign({}, prefixes, state.prefixes);
    return state;
  };
  return mode;
});

// Completion from the ontology and the predeclared prefixes, served here.
function localTerms(kind) {
  return {
    get: () => termsPromise.then((t) => t[kind]),
    bulk: true,
    autoShow: true,
    // a declared prefix expands the token to a full IRI: complete full IRIs then too
    postProcessSuggestion: (yasqe, token, suggestion) =>
      suggestion.startsWith("http") ? (token.tokenPrefix && token.tokenPrefixUri
        ? token.tokenPrefix + suggestion.substring(token.tokenPrefixUri.length)
        : "<" + suggestion + ">") : suggestion,
    persistenceId: null,
  };
}
Yasqe.forkAutocompleter("class", Object.assign({ name: "hxClasses" }, localTerms("classes")));
Yasqe.forkAutocompleter("property", Object.assign({ name: "hxProperties" }, localTerms("properties")));
Yasqe.forkAutocompleter("prefixes", {
  name: "hxPrefixes",
  onInitialize: () => {}, // predeclared: typing hx: adds no PREFIX line
  get: () => termsPromise.then((t) => Object.entries(t.prefixes).map(([p, ns]) => `${p}: <${ns}>`).sort()),
  persistenceId: null,
});

const form = document.getElementById("query-form");
const textarea = document.getElementById("query");
const description = document.getElementById("description");
const status = document.getElementById("status");
const downloads = document.getElementById("downloads");
const endpoint = form.getAttribute("action");
const holder = document.createElement("div");
holder.id = "yasqe";
textarea.after(holder);
textarea.hidden = true;

const yasqe = new Yasqe(holder, {
  value: textarea.value,
  persistenceId: null,
  autocompleters: ["variables", "hxPrefixes", "hxClasses", "hxProperties"],
  prefixCcApi: null,
  showQueryButton: false,
  resizeable: true,
  editorHeight: "340px",
  createShareableLink: (y) => shareUrl(y.getValue()),
  requestConfig: {
    endpoint: endpoint,
    method: "POST",
    acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
    acceptHeaderGraph: "text/turtle,*/*;q=0.9",
    acceptHeaderUpdate: "text/plain,*/*;q=0.9",
  },
});
const yasr = new Yasr(document.getElementById("yasr"), {
  persistenceId: null,
  prefixes: prefixes,
  getPlainQueryLinkToEndpoint: () => endpoint + "?" + new URLSearchParams({ query: yasqe.getValue() }),
});

function shareUrl(query) {
  const url = new URL(window.location.href);
  url.search = new URLSearchParams({ query: query }).toString();
  url.hash = "";
  return url.toString();
}

function setDownloads(query, graph) {
  downloads.hidden = false;
  downloads.querySelectorAll("a").forEach((a) => {
    a.hidden = (a.dataset.graph === "true") !== graph;
    a.href = endpoint + "?" + new URLSearchParams({ query: query, format: a.dataset.format });
    a.setAttribute("download", "result." + EXTENSIONS[a.dataset.format]);
  });
}

// IRIs the graph mints open their page here, not at w3id.org
function localLinks(container) {
  container.querySelectorAll(`a[href^="${BASE}"]`).forEach((a) => {
    a.href = root + "/" + a.getAttribute("href").substring(BASE.length);
    a.removeAttribute("target");
  });
}
new MutationObserver(() => localLinks(document.getElementById("yasr"))).observe(
  document.getElementById("yasr"), { childList: true, subtree: true });

let started = 0;
function run(event) {
  if (event) event.preventDefault();
  status.className = "";
  status.textContent = "Running…";
  downloads.hidden = true;
  started = performance.now();
  yasqe.query().catch(() => {}); // errors arrive as a queryResponse too
}
yasqe.on("queryResponse", (_y, response, duration) => {
  yasr.setResponse(response, duration);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const code = response && (response.status || (response.response && response.response.status));
  if (code && code >= 400 || response instanceof Error) {
    status.className = "error";
    status.textContent = "Error" + (code ? " " + code : "") + " after " + seconds + " s";
    return;
  }
  const graph = ["CONSTRUCT", "DESCRIBE"].includes(yasqe.getQueryType());
  const results = yasr.results;
  const bindings = results && results.getBindings ? results.getBindings() : null;
  const answer = results && results.getBoolean ? results.getBoolean() : undefined;
  let text = "Done";
  if (typeof answer === "boolean") text = "Answer: " + (answer ? "yes (true)" : "no (false)");
  else if (bindings && !graph) text = bindings.length + " result" + (bindings.length === 1 ? "" : "s");
  status.textContent = text + " in " + seconds + " s";
  setDownloads(yasqe.getValue(), graph);
});
yasqe.addKeyMap({ "Ctrl-Enter": () => run(), "Cmd-Enter": () => run() });
form.addEventListener("submit", run);

document.getElementById("share").addEventListener("click", () => {
  const url = shareUrl(yasqe.getValue());
  window.history.replaceState(null, "", url);
  const link = document.getElementById("share-link");
  link.href = url;
  link.textContent = url;
  link.hidden = false;
  if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
});

document.querySelectorAll("button.example").forEach((button) => {
  button.addEventListener("click", () => {
    const ex = examples[Number(button.dataset.index)];
    yasqe.setValue(ex.query);
    description.textContent = ex.description;
    document.querySelectorAll("button.example").forEach((b) => b.classList.remove("active"));
    button.classList.add("active");
    run();
  });
});

const shared = new URLSearchParams(window.location.search).get("query");
if (shared) {
  yasqe.setValue(shared);
  description.textContent = "";
  run();
}
window.helixgraph = Object.assign(window.helixgraph || {}, { yasqe, yasr });
document.documentElement.dataset.queryReady = "true";
