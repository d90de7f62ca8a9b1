// The query page: YASGUI's editor (Yasqe: SPARQL highlighting, syntax check, completion)
// and result view (Yasr: table, raw response, downloads), bundled, offline. Nothing here
// calls another site: prefix completion reads /query/terms (the project's predeclared
// prefixes), class and property completion the ontology's terms from the same place (not
// prefix.cc or LOV), and the editor's grammar knows the predeclared prefixes, so a query
// without PREFIX lines is valid.
import Yasgui from "@zazuko/yasgui";
import "@zazuko/yasgui/build/yasgui.min.css";

const { Yasqe, Yasr } = Yasgui;
const BASE = "https://w3id.org/helixgraph/";
const EXTENSIONS = { json: "srj", xml: "srx", csv: "csv", tsv: "tsv", turtle: "ttl",
  ntriples: "nt", jsonld: "jsonld", rdfxml: "rdf", nquads: "nq", trig: "trig", n3: "n3" };

function data(id) {
  return JSON.parse(document.getElementById(id).textContent);
}

const examples = data("examples-data");
const prefixes = data("prefixes-data");
const termsPromise = fetch("query/terms").then((r) => r.json());

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
function localLinks(root) {
  root.querySelectorAll(`a[href^="${BASE}"]`).forEach((a) => {
    a.href = "/" + a.getAttribute("href").substring(BASE.length);
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
