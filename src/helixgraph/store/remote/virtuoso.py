"""What differs on OpenLink Virtuoso (7.2), handled here so that no caller sees it.

``HELIXGRAPH_SPARQL_ENGINE=virtuoso`` (:attr:`RemoteConfig.engine`) turns these on:

* **No default graph of its own.** A Virtuoso query without a dataset reads the union of
  every graph, Virtuoso's system graphs included, and ``INSERT DATA`` without ``GRAPH`` is
  refused. helixgraph's default graph (the merge of its graphs, see
  :mod:`helixgraph.store.merge`) is therefore the graph :data:`DEFAULT_GRAPH` there: a
  query that names no dataset is sent with ``default-graph-uri`` set to it, an update
  without ``WITH``/``USING`` with Virtuoso's ``define input:default-graph-uri`` pragma, and
  a Graph Store request for the default graph names it.
* **System graphs.** ``GRAPH ?g`` would also range over Virtuoso's own graphs
  (:data:`SYSTEM_GRAPHS`): every request carries ``define input:named-graph-exclude`` for
  each, so they are never seen or changed. :data:`DEFAULT_GRAPH` is under
  :data:`~helixgraph.store.merge.INTERNAL`, with the store's other own graphs.
* **Results.** Virtuoso labels blank nodes ``nodeID://b10000`` in JSON results (not a
  blank node label pyoxigraph accepts) and stores language tags lower-cased (``en-gb``);
  :func:`fix_json` and :func:`fix_ntriples` relabel the blank nodes and give language tags
  their BCP 47 case (``en-GB``: tags compare without case, RDF keeps them as written).
* **Timeouts.** Past its ``MaxQueryExecutionTime`` Virtuoso answers HTTP 200 with the
  rows found so far ("anytime query", header ``X-SQL-State: S1TAT``): :func:`partial`
  tells, and the reader raises instead of returning a partial answer as whole.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from helixgraph.store.merge import INTERNAL

DEFAULT_GRAPH = INTERNAL + "default"
# the graphs a new Virtuoso 7.2 database holds (its RDF views, LDP and service description)
SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
# not DEFAULT_GRAPH: Virtuoso then leaves it out of the default graph too (and it is under
# INTERNAL, hidden as the store's other graphs are)
_EXCLUDE = "".join(f"define input:named-graph-exclude <{g}> " for g in SYSTEM_GRAPHS)
_BNODE = "nodeID://"
_LANG_NT = re.compile(r'(?<!\\)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)(?=[\s.,;)])')


_UNION = "".join(
    f"define input:default-graph-exclude <{g}> " for g in (*SYSTEM_GRAPHS, DEFAULT_GRAPH)
)


def query_prologue(union: bool = False) -> str:
    """The pragmas put before a query (on its first line: error line numbers stay);
    ``union``: the default graph is the union of the named graphs (Virtuoso's own
    default without a dataset), without the system graphs and :data:`DEFAULT_GRAPH`."""
    return _EXCLUDE + (_UNION if union else "")


def update_prologue(using: bool) -> str:
    """The pragmas put before an update; ``using``: it names its own dataset."""
    default = "" if using else f"define input:default-graph-uri <{DEFAULT_GRAPH}> "
    return _EXCLUDE + default


def bcp47(tag: str) -> str:
    """A language tag in BCP 47's recommended case: ``en-gb`` -> ``en-GB``,
    ``sr-latn-rs`` -> ``sr-Latn-RS``; subtags after a singleton (``x-...``) stay lower."""
    parts = tag.lower().split("-")
    out = parts[:1]
    private = False
    for part in parts[1:]:
        if len(part) == 1:
            private = True
        if not private and len(part) == 2:
            part = part.upper()
        elif not private and len(part) == 4 and part.isalpha():
            part = part.title()
        out.append(part)
    return "-".join(out)


def _fix_term(term: dict[str, Any]) -> None:
    kind = term.get("type")
    if kind == "bnode" and str(term.get("value", "")).startswith(_BNODE):
        term["value"] = term["value"][len(_BNODE) :]
    elif "xml:lang" in term:
        term["xml:lang"] = bcp47(str(term["xml:lang"]))


def fix_json(content: bytes) -> bytes:
    """SPARQL JSON results with blank node labels and language tags made standard."""
    doc = json.loads(content)
    for row in doc.get("results", {}).get("bindings", []):
        for term in row.values():
            if isinstance(term, dict):
                _fix_term(term)
    return json.dumps(doc).encode()


def fix_ntriples(content: bytes) -> bytes:
    """N-Triples with language tags in BCP 47 case."""
    text = content.decode("utf-8")
    return _LANG_NT.sub(lambda m: '"@' + bcp47(m[1]), text).encode("utf-8")


def partial(response: httpx.Response) -> bool:
    """True when Virtuoso stopped the query at its own timeout and answered what it had."""
    return response.headers.get("x-sql-state", "").upper() == "S1TAT"


def error_text(text: str) -> str:
    """Virtuoso's error without the query it repeats (which holds the pragmas)."""
    return text.split("\n\nSPARQL query:", 1)[0].strip()
