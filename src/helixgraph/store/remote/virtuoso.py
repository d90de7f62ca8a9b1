"""What differs on OpenLink Virtuoso (7.2), handled here so that no caller sees it.

``HELIXGRAPH_SPARQL_ENGINE=virtuoso`` (:attr:`RemoteConfig.engine`) turns these on:

* **No default graph of its own.** A Virtuoso query without a dataset reads the union of
  every graph, Virtuoso's system graphs included, and ``INSERT DATA`` without ``GRAPH`` is
  refused. helixgraph's default graph (the merge of its graphs, see
  :mod:`helixgraph.store.merge`) is therefore the graph :data:`DEFAULT_GRAPH` there: a
  query that names no dataset is sent with ``default-graph-uri`` set to it, an update
  without ``WITH``/``USING`` with ``using-graph-uri`` (:func:`update_dataset`), and a
  Graph Store request for the default graph names it.
* **Named graphs.** ``GRAPH ?g`` would also range over Virtuoso's own graphs
  (:data:`SYSTEM_GRAPHS`) and over :data:`DEFAULT_GRAPH`: every query carries
  ``define input:named-graph-exclude`` for the system graphs (not for
  :data:`DEFAULT_GRAPH`: Virtuoso would then leave it out of the default graph too), and a
  query that says ``GRAPH`` is sent with its named graphs listed (:func:`dataset`: one
  more request per such query; :data:`GRAPHS_TTL` can let a process reuse the list, at
  the price of missing, for that long, a graph another process has just written).
  Updates carry no pragma (Virtuoso 7.2 then matches nothing in a subquery): helixgraph's
  own updates filter ``?g`` themselves; an update sent through the endpoint with
  ``GRAPH ?g`` also finds the system graphs and the merge there.
* **Results.** Virtuoso labels blank nodes ``nodeID://b10000`` in JSON results (not a
  blank node label pyoxigraph accepts): :func:`fix_json` relabels them. Its Graph Store
  ``GET`` writes N-Triples its own way (tabs, ``\\u`` escapes): :func:`canonical_ntriples`
  rewrites them as pyoxigraph does before a graph is compared with a build's. (Language
  tags come lower-cased, ``en-gb``, as pyoxigraph keeps them too.)
* **Timeouts.** Past its ``MaxQueryExecutionTime`` Virtuoso either answers HTTP 200 with
  the rows found so far ("anytime query", header ``X-SQL-State: S1TAT``: :func:`partial`)
  or fails with ``S1T00`` (:func:`timed_out`); the reader raises a
  :class:`~helixgraph.store.remote.RemoteError` naming the server's time limit for both,
  never returning a partial answer as whole.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from typing import IO, Any

import httpx
import pyoxigraph as ox

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


def query_prologue(form: str = "SELECT") -> str:
    """The pragmas put before a query (on its first line: error line numbers stay); a
    ``DESCRIBE`` asks for the concise bounded description, as Oxigraph gives (Virtuoso's
    own adds the triples that point at the resource)."""
    return _EXCLUDE + ('define sql:describe-mode "CBD" ' if form == "DESCRIBE" else "")


# seconds a server's list of graphs is reused for the dataset of a query (see dataset):
# 0, since a graph written by another process (the endpoint's workers) must be seen at once
GRAPHS_TTL = 0.0
_NONE = INTERNAL + "none"  # a graph never written: an empty list of named graphs
_GRAPH = re.compile(r"\bGRAPH\b", re.IGNORECASE)
_graphs: dict[Any, tuple[float, list[str]]] = {}
_graphs_lock = threading.Lock()


def forget(key: Any) -> None:
    """Forget the list of graphs of the server ``key`` (after a write)."""
    with _graphs_lock:
        _graphs.pop(key, None)


def dataset(
    key: Any, list_graphs: Callable[[], list[str]], text: str, named_in_text: bool, union: bool
) -> dict[str, list[str]]:
    """The protocol's ``default-graph-uri`` and ``named-graph-uri`` for a query that names
    no dataset: helixgraph's default graph (:data:`DEFAULT_GRAPH`; ``union``: it and every
    named graph) and, when the text says ``GRAPH``, the named graphs but that one, so that
    ``GRAPH ?g`` never also finds the merge and ``GRAPH <iri> { }`` is true only for a
    graph that holds triples (Virtuoso says true for any IRI). The list of graphs (``list_graphs``) is
    reused for :data:`GRAPHS_TTL` seconds, and forgotten on every write of this process."""
    if named_in_text:
        return {}
    uses_graph = bool(_GRAPH.search(text))
    if not union and not uses_graph:
        return {"default-graph-uri": [DEFAULT_GRAPH]}
    now = time.monotonic()
    with _graphs_lock:
        cached = _graphs.get(key)
    if cached is None or now - cached[0] > GRAPHS_TTL:
        cached = (now, [g for g in list_graphs() if g != DEFAULT_GRAPH])
        with _graphs_lock:
            _graphs[key] = cached
    graphs = cached[1] or [_NONE]
    out = {"default-graph-uri": [DEFAULT_GRAPH, *graphs] if union else [DEFAULT_GRAPH]}
    if uses_graph:
        out["named-graph-uri"] = graphs
    return out


_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_DROP = re.compile(r"(^|;)(\s*)(DROP|CLEAR)(\s+)(?!SILENT\b)", re.IGNORECASE)


def silent_drops(text: str) -> str:
    """``DROP``/``CLEAR`` operations made ``SILENT``: Virtuoso 7.2 refuses to drop a graph
    that holds triples but was never made with ``CREATE GRAPH`` (helixgraph never does),
    where SPARQL drops it. (A graph that does not exist is then no error.)"""
    return _DROP.sub(lambda m: f"{m[1]}{m[2]}{m[3]} SILENT{m[4]}", text)


def update_dataset(text: str, using: bool) -> dict[str, list[str]]:
    """The protocol's ``using-graph-uri`` for an update: :data:`DEFAULT_GRAPH`, which
    Virtuoso then also takes as the target of triples written without ``GRAPH``; none when
    the update names its own dataset (``using``), nor when it holds a subquery: Virtuoso
    7.2 then matches nothing in a ``WHERE { SELECT ... }`` (any dataset or pragma does
    that), so such an update must name its graphs itself."""
    if using or _SELECT.search(text):
        return {}
    return {"using-graph-uri": [DEFAULT_GRAPH]}


def _fix_term(term: dict[str, Any]) -> None:
    if term.get("type") == "bnode" and str(term.get("value", "")).startswith(_BNODE):
        term["value"] = term["value"][len(_BNODE) :]


def fix_json(content: bytes) -> bytes:
    """SPARQL JSON results with blank node labels pyoxigraph accepts."""
    if _BNODE.encode() not in content:
        return content
    doc = json.loads(content)
    for row in doc.get("results", {}).get("bindings", []):
        for term in row.values():
            if isinstance(term, dict):
                _fix_term(term)
    return json.dumps(doc).encode()


def canonical_ntriples(file: IO[bytes]) -> None:
    """Rewrite the N-Triples in ``file`` as pyoxigraph writes them (one space between
    terms, characters unescaped), so that they compare line by line with a build's (see
    :mod:`helixgraph.store.remote.diff`)."""
    file.seek(0)
    content = file.read()
    file.seek(0)
    file.truncate()
    triples = ox.parse(content, format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, file, format=ox.RdfFormat.N_TRIPLES)
    file.seek(0)


def timed_out(response: httpx.Response) -> bool:
    """True when Virtuoso stopped the query at its own timeout: partly answered, or
    failed with its timeout state (``S1T00``, "Transaction timed out")."""
    if response.status_code >= 400:
        return "S1T00" in response.text[:200]
    return partial(response)


def partial(response: httpx.Response) -> bool:
    """True when Virtuoso stopped the query at its own timeout and answered what it had."""
    return str(response.headers.get("x-sql-state", "")).upper() == "S1TAT"


def error_text(text: str) -> str:
    """Virtuoso's error without the query it repeats (which holds the pragmas)."""
    return text.split("\n\nSPARQL query:", 1)[0].strip()
