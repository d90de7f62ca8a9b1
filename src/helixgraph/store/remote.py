"""A remote SPARQL 1.1 server used in place of the embedded Oxigraph store.

:class:`RemoteStore` offers the part of ``pyoxigraph.Store`` that helixgraph uses
(``query``, ``update``, ``named_graphs``, ``quads_for_pattern``, ``dump``, ``len``) over
the SPARQL 1.1 Protocol, and returns real pyoxigraph results: SELECT/ASK answers are
parsed with ``pyoxigraph.parse_query_results``, CONSTRUCT/DESCRIBE answers come back as a
``pyoxigraph.QueryTriples``. :func:`replacing` stages a build in a private on-disk
Oxigraph store and then replaces each named graph of the server with one Graph Store
Protocol ``PUT`` (streamed N-Triples), or, for servers without the Graph Store Protocol,
with batched ``INSERT DATA`` updates. The server is therefore replaced graph by graph,
atomically per graph on servers whose ``PUT`` is a transaction (Oxigraph), not per build.

A graph whose content digest and size match those recorded on the server when it was
last sent is not sent again (a seed rebuild leaves the imports alone); a large graph the
server already holds is changed by its difference (see :meth:`RemoteStore._send`). The
digests, and the build lock of :mod:`helixgraph.store.remote_lock`, live in graphs under
:data:`INTERNAL`, which the store API hides.

Configuration (see :meth:`RemoteConfig.from_env` and :meth:`RemoteConfig.from_file`):

* ``HELIXGRAPH_SPARQL_QUERY_URL``: the query endpoint; setting it makes the default
  store remote (a descriptor file at any store path does the same for that path);
* ``HELIXGRAPH_SPARQL_UPDATE_URL``: the update endpoint (to write without the Graph
  Store Protocol, and for the SPARQL endpoint's updates);
* ``HELIXGRAPH_SPARQL_GSP_URL``: the Graph Store Protocol endpoint (bulk loading);
* ``HELIXGRAPH_SPARQL_UNION``: ``param`` (default: send ``union-default-graph=true``,
  which Oxigraph server reads) or ``server`` (the server's default graph already is the
  union of all graphs: Virtuoso, GraphDB, Fuseki with ``tdb2:unionDefaultGraph``);
* ``HELIXGRAPH_SPARQL_GSP_PARAMS``: extra query parameters for Graph Store requests, e.g.
  ``no_transaction`` (Oxigraph: load with its bulk loader, 3x faster, but a failed load
  leaves the graph half-written instead of as it was);
* ``HELIXGRAPH_SPARQL_GRAPHS``: an IRI prefix; helixgraph then sees, counts, replaces and
  drops only the graphs under it (and never the default graph): needed on servers with
  graphs of their own (Virtuoso's system graphs), e.g. ``https://w3id.org/helixgraph/``;
* ``HELIXGRAPH_SPARQL_USER`` and ``_PASSWORD`` (HTTP basic) or ``_TOKEN`` (bearer);
* ``HELIXGRAPH_SPARQL_TIMEOUT``: seconds one HTTP request may take (default 300).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from helixgraph.store.errors import StoreError
from helixgraph.store.remote_diff import batches, difference, digest, has_blank_nodes

ENV = "HELIXGRAPH_SPARQL_"
KIND = "helixgraph-remote-store"
BATCH = 20_000  # triples per streamed chunk, and per INSERT DATA or DELETE DATA request
DIFF_FROM = 10_000  # a graph the server holds with this many triples is changed by difference
ATOMIC = 50_000  # at most this many changed triples go in one update (one transaction)
ADD_BATCH = 250_000  # triples per Graph Store POST when more changed
INTERNAL = "https://w3id.org/helixgraph/graph/remote/"  # the store's own graphs (hidden)
# in the metadata graph: <graph> rdfs:comment "content digest: ..." (a term the ontology declares)
COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
DIGEST_LABEL = "content digest: "
_SYNTAX = re.compile(r"error at \d+:\d+|parse|syntax|lexical", re.IGNORECASE)


class RemoteError(StoreError, OSError):
    """The server could not be reached or refused a request (not a syntax error)."""


@dataclass(frozen=True)
class RemoteConfig:
    """Where the server is and how to talk to it; credentials come from the environment."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    union: str = "param"
    user: str | None = None
    password: str | None = None
    token: str | None = None
    timeout: float = 300.0
    graphs: str = ""
    gsp_params: str = ""

    @property
    def shared(self) -> bool:
        """True when the server's default graph or some of its graphs are not helixgraph's
        alone: then only named graphs (under the prefix) are read, counted and replaced."""
        return bool(self.graphs) or self.union == "server"

    def __post_init__(self) -> None:
        if self.union not in ("param", "server"):
            raise ValueError(f"{ENV}UNION={self.union!r}: use 'param' or 'server'")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RemoteConfig | None:
        """The configuration in ``HELIXGRAPH_SPARQL_*``, or None without a query URL."""
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(ENV + name, "").strip()
            return value or None

        url = get("QUERY_URL")
        if url is None:
            return None
        raw_timeout = get("TIMEOUT") or "300"
        try:
            timeout = float(raw_timeout)
        except ValueError:
            raise ValueError(f"{ENV}TIMEOUT={raw_timeout!r} is not a number") from None
        return cls(
            url,
            get("UPDATE_URL"),
            get("GSP_URL"),
            get("UNION") or "param",
            get("USER"),
            get("PASSWORD"),
            get("TOKEN"),
            timeout,
            get("GRAPHS") or "",
            get("GSP_PARAMS") or "",
        )

    @classmethod
    def from_file(cls, path: Path, env: Mapping[str, str] | None = None) -> RemoteConfig:
        """A store descriptor: a JSON file naming the endpoints (never the credentials,
        which still come from the environment), usable wherever a store path is."""
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: not a helixgraph remote store descriptor ({exc})") from None
        if not isinstance(doc, dict) or doc.get("kind") != KIND or "query" not in doc:
            raise ValueError(
                f"{path}: not a helixgraph remote store descriptor "
                f'(expected {{"kind": "{KIND}", "query": URL, ...}})'
            )
        base = cls.from_env(env) or cls(str(doc["query"]))
        return cls(
            str(doc["query"]),
            doc.get("update"),
            doc.get("gsp"),
            str(doc.get("union", "param")),
            base.user,
            base.password,
            base.token,
            float(doc.get("timeout", base.timeout)),
            str(doc.get("graphs", "")),
            str(doc.get("gsp_params", "")),
        )

    def write(self, path: Path) -> Path:
        """Write a descriptor for this configuration (without credentials) at ``path``."""
        doc = {
            "kind": KIND,
            "query": self.query_url,
            "update": self.update_url,
            "gsp": self.gsp_url,
            "union": self.union,
            "timeout": self.timeout,
            "graphs": self.graphs,
            "gsp_params": self.gsp_params,
        }
        path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        return path

    def auth(self) -> httpx.Auth | None:
        return httpx.BasicAuth(self.user, self.password or "") if self.user else None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token and not self.user else {}


def _iri(term: Any) -> str:
    return f"<{term.value}>"


def _term(term: Any) -> str:
    """A term in SPARQL syntax (N-Triples syntax is SPARQL syntax)."""
    return str(term)


_clients: dict[RemoteConfig, httpx.Client] = {}
_clients_lock = threading.Lock()


def client_for(config: RemoteConfig) -> httpx.Client:
    """One HTTP client (a pool of kept-alive connections) per server for the process."""
    with _clients_lock:
        client = _clients.get(config)
        if client is None:
            client = httpx.Client(
                auth=config.auth(), headers=config.headers(), timeout=config.timeout
            )
            _clients[config] = client
        return client


def close_clients() -> None:
    """Close every client's connections (at exit, or when a server goes away)."""
    with _clients_lock:
        while _clients:
            _clients.popitem()[1].close()


atexit.register(close_clients)


class RemoteStore:
    """The subset of ``pyoxigraph.Store`` helixgraph uses, over HTTP to a SPARQL server."""

    def __init__(self, config: RemoteConfig, client: httpx.Client | None = None) -> None:
        self.config = config
        self.client = client or client_for(config)

    def __repr__(self) -> str:  # never the credentials
        return f"RemoteStore({self.config.query_url})"

    # ------------------------------------------------------------------ reading

    def _post(self, url: str, data: dict[str, Any], **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.post(url, data=data, **kwargs)
        except httpx.HTTPError as exc:
            raise RemoteError(f"the SPARQL server at {url} did not answer: {exc}") from None
        if response.status_code == 400 and _SYNTAX.search(response.text):
            raise SyntaxError(response.text.strip())
        if response.status_code in (401, 403):
            raise RemoteError(
                f"the SPARQL server at {url} refused the credentials "
                f"(HTTP {response.status_code}); set {ENV}USER/{ENV}PASSWORD or {ENV}TOKEN"
            )
        if response.status_code >= 400:
            raise RemoteError(
                f"the SPARQL server at {url} answered HTTP {response.status_code}: "
                f"{response.text.strip()[:500]}"
            )
        return response

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: Any = None,
        named_graphs: Any = None,
    ) -> Any:
        """Run a query on the server; the result is a pyoxigraph ``QuerySolutions``,
        ``QueryBoolean`` or ``QueryTriples``, as ``Store.query`` returns."""
        prologue = f"BASE <{base_iri}> " if base_iri else ""
        data: dict[str, Any] = {"query": prologue + query}
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, list) else [default_graph]
            data["default-graph-uri"] = [g.value for g in graphs]
        if named_graphs is not None:
            data["named-graph-uri"] = [g.value for g in named_graphs]
        params = {}
        if use_default_graph_as_union and default_graph is None and self.config.union == "param":
            params["union-default-graph"] = "true"
        from helixgraph.store.query_text import analyse  # the sparql package imports this one

        graph_form = analyse(query).graph_result
        accept = "application/n-triples" if graph_form else "application/sparql-results+json"
        try:
            response = self._post(
                self.config.query_url, data, params=params, headers={"Accept": accept}
            )
        except SyntaxError as exc:
            raise SyntaxError(_unshift(str(exc), len(prologue))) from None
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        if media in ("application/n-triples", "text/plain"):
            scratch = ox.Store()
            scratch.load(response.content, format=ox.RdfFormat.N_TRIPLES)
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        raise RemoteError(f"the SPARQL server answered an unexpected media type {media!r}")

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        if self.config.update_url is None:
            raise RemoteError(f"no update URL: set {ENV}UPDATE_URL to write to this store")
        prologue = f"BASE <{base_iri}> " if base_iri else ""
        try:
            self._post(self.config.update_url, {"update": prologue + update})
        except SyntaxError as exc:
            raise SyntaxError(_unshift(str(exc), len(prologue))) from None

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        rows = self.query(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._managed()} }}"
        )
        return iter(sorted((row["g"] for row in rows), key=lambda g: g.value))

    def _managed(self) -> str:
        """A filter on ``?g`` keeping the graphs under the configured prefix, without the
        store's own graphs (content digests, build locks)."""
        hidden = f'!STRSTARTS(STR(?g), "{INTERNAL}")'
        if not self.config.graphs:
            return f"FILTER({hidden})"
        prefix = self.config.graphs.replace("\\", "\\\\").replace('"', '\\"')
        return f'FILTER(STRSTARTS(STR(?g), "{prefix}") && {hidden})'

    def _everywhere(self, pattern: str) -> str:
        """``pattern`` in every graph helixgraph reads: the named graphs (under the prefix)
        and, unless the server shares its default graph, the default graph."""
        named = f"GRAPH ?g {{ {pattern} }} {self._managed()}"
        return f"{{ {named} }}" if self.config.shared else f"{{ {pattern} }} UNION {{ {named} }}"

    def quads_for_pattern(
        self, subject: Any, predicate: Any, object: Any, graph_name: Any = None
    ) -> Iterator[ox.Quad]:
        terms = {"s": subject, "p": predicate, "o": object}
        pattern = " ".join(f"?{v}" if t is None else _term(t) for v, t in terms.items())
        select = " ".join(f"?{v}" for v, t in terms.items() if t is None) or "*"
        if graph_name is None:
            where = self._everywhere(pattern)
            select += " ?g"
        elif isinstance(graph_name, ox.DefaultGraph):
            if self.config.shared:
                return  # the server's default graph is not helixgraph's
            where = pattern
        else:
            where = f"GRAPH {_iri(graph_name)} {{ {pattern} }}"
        rows = self.query(f"SELECT {select} WHERE {{ {where} }}")
        for row in rows:
            g = graph_name
            if g is None:
                g = row["g"] if row["g"] is not None else ox.DefaultGraph()
            yield ox.Quad(
                row["s"] if subject is None else subject,
                row["p"] if predicate is None else predicate,
                row["o"] if object is None else object,
                g,
            )

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None)

    def __len__(self) -> int:
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._everywhere('?s ?p ?o')} }}")
        return int(next(iter(rows))["n"].value)

    def dump(
        self,
        output: Any = None,
        format: Any = None,
        *,
        from_graph: Any = None,
        prefixes: Any = None,
        base_iri: str | None = None,
    ) -> bytes | None:
        quads: Iterable[ox.Quad] = (
            self.quads_for_pattern(None, None, None, from_graph)
            if from_graph is not None
            else self.quads_for_pattern(None, None, None)
        )
        if from_graph is not None:
            quads = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)  # type: ignore[misc]
        data: bytes | None = ox.serialize(
            quads, output, format=format, prefixes=prefixes, base_iri=base_iri
        )
        return data

    def version(self) -> str:
        """An id that changes with every build or import, and with every graph helixgraph
        sends: a hash of the runs the metadata graph records (each build and import run has
        its own start time) and of the graphs' content digests."""
        from helixgraph.vocab.namespace import META_GRAPH

        rows = self.query(
            f"SELECT ?run ?t WHERE {{ GRAPH <{META_GRAPH}> {{ "
            "{ ?run <http://www.w3.org/ns/prov#startedAtTime> ?t } UNION "
            f'{{ ?run {_iri(COMMENT)} ?t FILTER(STRSTARTS(?t, "{DIGEST_LABEL}")) }} }} }}'
        )
        runs = sorted(f"{row['run']} {row['t']}" for row in rows)
        return hashlib.sha1("\n".join(runs).encode()).hexdigest()[:16]

    def flush(self) -> None:
        """Nothing to do: the server persists each request."""

    def optimize(self) -> None:
        """Nothing to do: the server manages its own storage."""

    # ------------------------------------------------------------------ writing

    def _gsp(
        self,
        method: str,
        graph: ox.NamedNode | ox.DefaultGraph,
        body: Any = None,
        extra: str | None = None,
        out: Any = None,
    ) -> None:
        """One Graph Store request; ``extra`` are query parameters (default: the
        configured ``gsp_params``); a ``GET`` writes the graph's N-Triples to ``out``."""
        assert self.config.gsp_url is not None
        params = {"default": ""} if isinstance(graph, ox.DefaultGraph) else {"graph": graph.value}
        extra = self.config.gsp_params if extra is None else extra
        params.update(urllib.parse.parse_qsl(extra, keep_blank_values=True))
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}
        if out is not None:
            headers["Accept"] = "application/n-triples"
        request = self.client.build_request(
            method, self.config.gsp_url, params=params, content=body, headers=headers
        )
        try:
            response = self.client.send(request, stream=True)
            try:
                if out is not None and response.status_code < 400:
                    for chunk in response.iter_bytes(1 << 20):
                        out.write(chunk)
                    out.seek(0)
                else:
                    response.read()
            finally:
                response.close()
        except httpx.HTTPError as exc:
            raise RemoteError(f"the Graph Store at {self.config.gsp_url} failed: {exc}") from None
        if response.status_code >= 400 and not (method == "DELETE" and response.status_code == 404):
            raise RemoteError(
                f"the Graph Store at {self.config.gsp_url} answered HTTP "
                f"{response.status_code} to {method} {graph}: {response.text.strip()[:500]}"
            )

    def put_graph(
        self, graph: ox.NamedNode | ox.DefaultGraph, triples: Iterable[ox.Triple]
    ) -> None:
        """Replace ``graph`` with ``triples``: one Graph Store ``PUT``, or batched ``INSERT
        DATA`` updates after a ``DROP`` without a Graph Store URL.

        The ``PUT`` body is spooled to a temporary file and sent with its length, not
        streamed in chunks: Virtuoso 7.2 answers a chunked ``PUT`` with 201 Created and
        stores nothing."""
        if self.config.gsp_url is not None:
            with tempfile.TemporaryFile() as body:
                for chunk in _ntriples_chunks(triples):
                    body.write(chunk)
                body.seek(0)
                self._gsp("PUT", graph, body)
            return
        target = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {_iri(graph)}"
        self.update(f"DROP SILENT {target}")
        # a blank node label means one node within one request only: triples with blank
        # nodes go together in the last request, the rest in batches
        blank: list[ox.Triple] = []

        def plain() -> Iterator[ox.Triple]:
            for t in triples:
                if _has_blank(t):
                    blank.append(t)
                else:
                    yield t

        def insert(chunk: bytes) -> None:
            inner = chunk.decode()
            body = inner if isinstance(graph, ox.DefaultGraph) else f"{target} {{ {inner} }}"
            self.update(f"INSERT DATA {{ {body} }}")

        for chunk in _ntriples_chunks(plain()):
            insert(chunk)
        if blank:
            insert(_ntriples(blank))

    def put_staged_graph(self, staged: ox.Store, graph: ox.NamedNode) -> None:
        """Replace ``graph`` with its triples in ``staged``."""
        with tempfile.TemporaryFile() as body:
            staged.dump(body, ox.RdfFormat.N_TRIPLES, from_graph=graph)
            body.seek(0)
            self._send(staged, graph, body)

    def _send(self, staged: ox.Store, graph: ox.NamedNode, body: Any, held: int = 0) -> None:
        """Send ``graph``'s N-Triples ``body`` (dumped by pyoxigraph's own serialiser, so
        no Python object per triple) with a Graph Store URL, else as batched updates. A
        graph the server holds with ``held`` >= :data:`DIFF_FROM` triples is changed by
        its difference instead (see :meth:`_replace_by_difference`)."""
        if self.config.gsp_url is None:
            self.put_graph(graph, _triples(staged.quads_for_pattern(None, None, None, graph)))
        elif held < DIFF_FROM or not self._replace_by_difference(graph, body):
            body.seek(0)
            self._gsp("PUT", graph, body)

    def _replace_by_difference(self, graph: ox.NamedNode, body: Any) -> bool:
        """Make ``graph`` hold the N-Triples ``body`` by sending only what changed: up to
        :data:`ATOMIC` changed triples in one update (one transaction: readers see the
        old graph or the new one), more as ``DELETE DATA`` batches then Graph Store
        ``POST`` batches (bounded server memory, but readers may see the graph
        half-changed meanwhile).
        False (nothing sent) when blank nodes or no update URL rule it out."""
        if self.config.update_url is None or has_blank_nodes(body):
            return False
        with tempfile.TemporaryFile() as old:
            self._gsp("GET", graph, out=old)
            if has_blank_nodes(old):
                return False
            with tempfile.TemporaryFile() as removed, tempfile.TemporaryFile() as added:
                n_removed, n_added = difference(old, body, removed, added)
                g = _iri(graph)

                def data(verb: str, chunk: bytes) -> str:
                    return f"{verb} DATA {{ GRAPH {g} {{ {chunk.decode()} }} }}"

                if n_removed + n_added <= ATOMIC:
                    ops = [data("DELETE", removed.read())] if n_removed else []
                    ops += [data("INSERT", added.read())] if n_added else []
                    if ops:
                        self.update(" ;\n".join(ops))
                    return True
                for chunk in batches(removed, BATCH):
                    self.update(data("DELETE", chunk))
                for chunk in batches(added, ADD_BATCH):
                    self._gsp("POST", graph, chunk)
        return True

    def write_small_graph(self, graph: ox.NamedNode, triples: list[ox.Triple]) -> None:
        """Replace a small graph in one transaction (on servers whose requests are
        transactions): one plain ``PUT`` (without the configured Graph Store
        parameters), or one update request."""
        if self.config.gsp_url is not None:
            self._gsp("PUT", graph, _ntriples(triples), extra="")
            return
        g, data = _iri(graph), _ntriples(triples).decode()
        self.update(f"DROP SILENT GRAPH {g} ; INSERT DATA {{ GRAPH {g} {{ {data} }} }}")

    def digests(self) -> dict[str, str]:
        """The content digest of each graph as helixgraph last sent it (see
        :func:`helixgraph.store.remote_diff.digest`), recorded in the metadata graph."""
        rows = self.query(
            f"SELECT ?g ?d WHERE {{ GRAPH {_iri(_meta())} {{ ?g {_iri(COMMENT)} ?d "
            f'FILTER(STRSTARTS(?d, "{DIGEST_LABEL}")) }} }}'
        )
        return {row["g"].value: row["d"].value[len(DIGEST_LABEL) :] for row in rows}

    def _withdraw(self, graph: ox.NamedNode, d: str) -> None:
        """Remove ``graph``'s recorded digest before it is sent (a failed send must never
        look unchanged)."""
        meta, record = _meta(), ox.Triple(graph, COMMENT, ox.Literal(DIGEST_LABEL + d))
        if self.config.update_url is not None:
            self.update(f"DELETE DATA {{ GRAPH {_iri(meta)} {{ {record} }} }}")
            return
        kept = [q.triple for q in self.quads_for_pattern(None, None, None, meta)]
        self.put_graph(meta, [t for t in kept if t != record])

    def _sizes(self, graphs: Iterable[str]) -> dict[str, int]:
        """How many triples the server holds in each of ``graphs``."""
        values = " ".join(f"<{g}>" for g in graphs)
        if not values:
            return {}
        rows = self.query(
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g "
            "{ ?s ?p ?o } } GROUP BY ?g"
        )
        return {row["g"].value: int(row["n"].value) for row in rows}

    def _check_sizes(self, expected: dict[str, int]) -> None:
        """Ask the server how many triples each graph now holds: a server that accepted a
        request and dropped its data (see :meth:`put_graph`) is an error, not a success."""
        found = self._sizes(expected)
        wrong = [
            f"{g}: {found.get(g, 0):,} of {n:,}"
            for g, n in expected.items()
            if found.get(g, 0) != n
        ]
        if wrong:
            raise RemoteError(
                "the server does not hold what was sent (graph: triples held of sent): "
                + "; ".join(wrong[:5])
            )

    def drop_graph(self, graph: ox.NamedNode | ox.DefaultGraph, *, plain: bool = False) -> None:
        """Drop ``graph`` (``plain``: without the configured Graph Store parameters)."""
        if self.config.gsp_url is not None:
            self._gsp("DELETE", graph, extra="" if plain else None)
        else:
            target = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {_iri(graph)}"
            self.update(f"DROP SILENT {target}")

    def replace_with(self, staged: ox.Store, *, keep_other_graphs: bool = False) -> None:
        """Make the server hold exactly the quads of ``staged``, one graph at a time (with
        ``keep_other_graphs``, replace only the graphs ``staged`` holds). Checks come
        first: a refused build sends nothing."""
        new = sorted(
            (g for g in staged.named_graphs() if isinstance(g, ox.NamedNode)),
            key=lambda g: g.value,
        )
        default = list(staged.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        if default and self.config.shared:
            raise RemoteError(
                "this server's default graph is shared (union default graph or a graph "
                "prefix is configured): helixgraph writes named graphs only"
            )
        outside = [g.value for g in new if not g.value.startswith(self.config.graphs)]
        if outside:
            raise RemoteError(
                f"graphs outside {ENV}GRAPHS={self.config.graphs!r}: {', '.join(outside[:3])}"
            )
        old = {g.value for g in self.named_graphs()}
        self._send_changed(staged, new, keep_other_graphs)
        if default:
            self.put_graph(ox.DefaultGraph(), _triples(default))
        if keep_other_graphs:
            return
        stale_default = not default and not self.config.shared
        if stale_default and next(
            self.quads_for_pattern(None, None, None, ox.DefaultGraph()), None
        ):
            self.drop_graph(ox.DefaultGraph())
        for iri in sorted(old - {g.value for g in new}):
            self.drop_graph(ox.NamedNode(iri))

    def _send_changed(
        self, staged: ox.Store, graphs: list[ox.NamedNode], keep_other_graphs: bool
    ) -> None:
        """Send each graph whose content differs from what the server holds: a graph whose
        digest and size match those recorded when it was last sent is skipped. The
        digests are recorded in the metadata graph, sent last (a build or import always
        changes it); a graph's digest is withdrawn before the graph is sent, so a failed
        or interrupted send is never taken for an unchanged graph. Without a metadata
        graph in ``staged``, every graph is sent."""
        meta = _meta()
        record = meta in graphs
        held = self.digests() if record else {}
        sizes = self._sizes(g.value for g in graphs)
        expected: dict[str, int] = {}
        for g in graphs:
            if g == meta:
                continue
            with tempfile.TemporaryFile() as body:
                staged.dump(body, ox.RdfFormat.N_TRIPLES, from_graph=g)
                body.seek(0)
                d, n = digest(body)
                if held.get(g.value) == d and sizes.get(g.value) == n:
                    continue
                if g.value in held:
                    self._withdraw(g, held.pop(g.value))
                body.seek(0)
                self._send(staged, g, body, sizes.get(g.value, 0))
                expected[g.value] = n
                held[g.value] = d
        self._check_sizes(expected)
        if record:
            names = {g.value for g in graphs}
            for q in list(staged.quads_for_pattern(None, COMMENT, None, meta)):
                text = q.object.value if isinstance(q.object, ox.Literal) else ""
                if text.startswith(DIGEST_LABEL):  # carried over from the server
                    staged.remove(q)
            for iri, d in held.items():
                if keep_other_graphs or iri in names:
                    note = ox.Literal(DIGEST_LABEL + d)
                    staged.add(ox.Quad(ox.NamedNode(iri), COMMENT, note, meta))
            self.put_staged_graph(staged, meta)
            self._check_sizes({meta.value: _count(staged, meta)})


def _meta() -> ox.NamedNode:
    from helixgraph.vocab.namespace import META_GRAPH  # the namespace module imports rdflib

    return ox.NamedNode(str(META_GRAPH))


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def _unshift(message: str, columns: int) -> str:
    """A syntax error's position in the text the caller sent, before the BASE we added
    on its first line (``error at 1:40`` -> ``error at 1:10`` for a 30-character BASE)."""
    m = re.match(r"error at 1:(\d+)", message)
    if m and columns and int(m[1]) > columns:
        return f"error at 1:{int(m[1]) - columns}{message[m.end() :]}"
    return message


def _triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    for q in quads:
        yield ox.Triple(q.subject, q.predicate, q.object)


def _has_blank(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _ntriples(batch: list[ox.Triple]) -> bytes:
    return ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""


def _ntriples_chunks(triples: Iterable[ox.Triple]) -> Iterator[bytes]:
    """N-Triples in chunks of :data:`BATCH` triples (one request streams them all)."""
    batch: list[ox.Triple] = []
    for t in triples:
        batch.append(t)
        if len(batch) >= BATCH:
            yield _ntriples(batch)
            batch = []
    if batch:
        yield _ntriples(batch)


@contextmanager
def replacing(remote: RemoteStore, *, keep_other_graphs: bool = False) -> Iterator[ox.Store]:
    """Yield an empty staging store; on normal exit the server's graphs are replaced by
    its graphs (and graphs it lacks are dropped). If the body raises, nothing is sent."""
    staging = Path(tempfile.mkdtemp(prefix="helixgraph-remote-"))
    try:
        staged = ox.Store(str(staging))
        yield staged
        remote.replace_with(staged, keep_other_graphs=keep_other_graphs)
        del staged
    finally:
        shutil.rmtree(staging, ignore_errors=True)
