// The helixgraph query page: plain JavaScript, no libraries, no external URLs.
"use strict";
(function () {
  const examples = JSON.parse(document.getElementById("examples-data").textContent);
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const description = document.getElementById("description");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const runButton = document.getElementById("run");
  const endpoint = form.getAttribute("action");
  const extensions = { json: "srj", xml: "srx", csv: "csv", tsv: "tsv", turtle: "ttl",
    ntriples: "nt", jsonld: "jsonld", rdfxml: "rdf", nquads: "nq", trig: "trig" };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.appendChild(el("span", "<" + term.value + ">"));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else if (term.type === "triple") {
      td.textContent = "<< " + JSON.stringify(term.value) + " >>";
    } else {
      td.appendChild(document.createTextNode(term.value));
      if (term["xml:lang"]) td.appendChild(el("span", " @" + term["xml:lang"], "lang"));
      else if (term.datatype && !term.datatype.endsWith("#string"))
        td.appendChild(el("span", " ^^" + term.datatype.replace(/^.*[#/]/, "xsd:"), "dt"));
    }
    return td;
  }

  function showTable(data) {
    results.replaceChildren();
    if (typeof data.boolean === "boolean") {
      results.appendChild(el("p", "Answer: " + (data.boolean ? "yes (true)" : "no (false)")));
      return 1;
    }
    const vars = data.head.vars || [];
    const rows = data.results.bindings;
    const table = el("table");
    const head = el("tr");
    vars.forEach((v) => head.appendChild(el("th", "?" + v)));
    table.appendChild(el("thead")).appendChild(head);
    const body = el("tbody");
    rows.forEach((row) => {
      const tr = el("tr");
      vars.forEach((v) => tr.appendChild(cell(row[v])));
      body.appendChild(tr);
    });
    table.appendChild(body);
    results.appendChild(table);
    return rows.length;
  }

  function setDownloads(query, graph) {
    downloads.hidden = false;
    downloads.querySelectorAll("a").forEach((a) => {
      const fits = (a.dataset.graph === "true") === graph;
      a.hidden = !fits;
      const params = new URLSearchParams({ query: query, format: a.dataset.format });
      a.href = endpoint + "?" + params.toString();
      a.setAttribute("download", "result." + extensions[a.dataset.format]);
    });
  }

  async function run(event) {
    if (event) event.preventDefault();
    const query = editor.value;
    runButton.disabled = true;
    status.className = "";
    status.textContent = "Running…";
    downloads.hidden = true;
    const started = performance.now();
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, application/n-triples;q=0.9",
        },
        body: new URLSearchParams({ query: query }).toString(),
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        results.replaceChildren(el("pre", await response.text(), "error"));
        status.className = "error";
        status.textContent = "Error " + response.status + " after " + seconds + " s";
        return;
      }
      if (type.startsWith("application/sparql-results+json")) {
        const n = showTable(await response.json());
        status.textContent = n + " result" + (n === 1 ? "" : "s") + " in " + seconds + " s";
        setDownloads(query, false);
      } else {
        const text = await response.text();
        results.replaceChildren(el("pre", text, "rdf"));
        const n = text.split("\n").filter((l) => l.trim()).length;
        status.textContent = n + " triple" + (n === 1 ? "" : "s") + " in " + seconds + " s";
        setDownloads(query, true);
      }
    } catch (error) {
      status.className = "error";
      status.textContent = "Could not reach the endpoint: " + error;
    } finally {
      runButton.disabled = false;
    }
  }

  document.querySelectorAll("button.example").forEach((button) => {
    button.addEventListener("click", () => {
      const ex = examples[Number(button.dataset.index)];
      editor.value = ex.query;
      description.textContent = ex.description;
      document.querySelectorAll("button.example").forEach((b) => b.classList.remove("active"));
      button.classList.add("active");
      run();
    });
  });

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      run(event);
    } else if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
    }
  });

  form.addEventListener("submit", run);
})();
