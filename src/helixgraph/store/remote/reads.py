"""Reading a remote SPARQL 1.1 server as helixgraph reads a ``pyoxigraph.Store``.

:class:`RemoteReader` offers the reading part of ``pyoxigraph.Store`` that helixgraph uses
(``query``, ``named_graphs``, ``quads_for_pattern``, ``dump``, ``len``) over the SPARQL 1.1
Protocol, and returns real pyoxigraph results: SELECT/ASK answers are parsed with
``pyoxigraph.parse_query_results``, CONSTRUCT/DESCRIBE answers come back as a
``pyoxigraph.QueryTriples``. It hides the store's own graphs under :data:`INTERNAL`
(content digests, build locks) and reads what the metadata graph records: each graph's
content digest as last sent (:meth:`RemoteReader.digests`) and the store's version.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pyoxigraph as ox

from helixgraph.store.merge import INTERNAL as INTERNAL
from helixgraph.store.query_text import analyse
from helixgraph.store.remote import virtuoso
from helixgraph.store.remote.clients import RemoteError, client_for
from helixgraph.store.remote.config import ENV, RemoteConfig
from helixgraph.vocab import iris

META = ox.NamedNode(iris.META_GRAPH)
# in the metadata graph: <graph> rdfs:comment "content digest: ..." (a term the ontology declares)
COMMENT = ox.NamedNode(iris.RDFS + "comment")
STARTED = ox.NamedNode(iris.PROV + "startedAtTime")
DIGEST_LABEL = "content digest: "
_SYNTAX = re.compile(r"error at \d+:\d+|parse|syntax|lexical", re.IGNORECASE)


def sparql_iri(term: Any) -> str:
    """A named node in SPARQL syntax."""
    return f"<{term.value}>"


def _term(term: Any) -> str:
    """A term in SPARQL syntax (N-Triples syntax is SPARQL syntax)."""
    return str(term)


class RemoteReader:
    """The reading part of ``pyoxigraph.Store`` helixgraph uses, over HTTP to a SPARQL server."""

    def __init__(self, config: RemoteConfig, client: httpx.Client | None = None) -> None:
        self.config = config
        self.client = client or client_for(config)

    def __repr__(self) -> str:  # never the credentials
        return f"RemoteStore({self.config.query_url})"

    def _post(
        self, url: str, data: dict[str, Any], shift: int = 0, **kwargs: Any
    ) -> httpx.Response:
        """One SPARQL protocol request; a syntax error is reported at its position in the
        caller's text, ``shift`` columns before the sent one's (see :func:`_unshift`)."""
        try:
            response = self.client.post(url, data=data, **kwargs)
        except httpx.HTTPError as exc:
            raise RemoteError(f"the SPARQL server at {url} did not answer: {exc}") from None
        if response.status_code == 400 and _SYNTAX.search(response.text):
            text = response.text.strip()
            if self.config.virtuoso:
                text = virtuoso.error_text(text)
            raise SyntaxError(_unshift(text, shift))
        if self.config.virtuoso and virtuoso.timed_out(response):
            raise RemoteError(
                f"the SPARQL server at {url} stopped the query at its own time limit "
                "(Virtuoso's MaxQueryExecutionTime); a partial answer is not returned"
            )
        if response.status_code in (401, 403):
            raise RemoteError(
                f"the SPARQL server at {url} refused the credentials "
                f"(HTTP {response.status_code}); set {ENV}USER/{ENV}PASSWORD or {ENV}TOKEN"
            )
        if response.status_code >= 400:
            text = response.text.strip()
            if self.config.virtuoso:
                text = virtuoso.error_text(text)
            raise RemoteError(
                f"the SPARQL server at {url} answered HTTP {response.status_code}: {text[:500]}"
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
        analysis = analyse(query)
        union = use_default_graph_as_union and default_graph is None
        if self.config.virtuoso:
            prologue = virtuoso.query_prologue(analysis.form) + prologue
        data: dict[str, Any] = {"query": prologue + query}
        if self.config.virtuoso and default_graph is None and named_graphs is None:
            named = analysis.dataset
            data.update(virtuoso.dataset(self.config, self._graphs, query, named, union))
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, list) else [default_graph]
            data["default-graph-uri"] = [g.value for g in graphs]
        if named_graphs is not None:
            data["named-graph-uri"] = [g.value for g in named_graphs]
        params = {}
        if union and self.config.union == "param" and not self.config.virtuoso:
            params["union-default-graph"] = "true"
        graph_form = analysis.graph_result
        accept = "application/n-triples" if graph_form else "application/sparql-results+json"
        response = self._post(
            self.config.query_url,
            data,
            len(prologue),
            params=params,
            headers={"Accept": accept},
        )
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        content = response.content
        if media in ("application/sparql-results+json", "application/json"):
            if self.config.virtuoso:
                content = virtuoso.fix_json(content)
            return ox.parse_query_results(content, format=ox.QueryResultsFormat.JSON)
        if media in ("application/n-triples", "text/plain"):
            scratch = ox.Store()
            scratch.load(content, format=ox.RdfFormat.N_TRIPLES)
            return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        raise RemoteError(f"the SPARQL server answered an unexpected media type {media!r}")

    def _graphs(self) -> list[str]:
        """Every graph on a Virtuoso server but its system graphs (for :func:`virtuoso.dataset`)."""
        text = virtuoso.query_prologue() + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        response = self._post(
            self.config.query_url,
            {"query": text},
            headers={"Accept": "application/sparql-results+json"},
        )
        rows = json.loads(response.content)["results"]["bindings"]
        return sorted(row["g"]["value"] for row in rows)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        rows = self.query(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._managed()} }}"
        )
        return iter(sorted((row["g"] for row in rows), key=lambda g: g.value))

    def graph_filter(self) -> str:
        """A ``FILTER`` on ``?g`` keeping helixgraph's graphs on this server."""
        return self._managed()

    def _managed(self) -> str:
        """A filter on ``?g`` keeping the graphs under the configured prefix, without the
        store's own graphs (content digests, build locks)."""
        hidden = f'!STRSTARTS(STR(?g), "{INTERNAL}")'
        if self.config.virtuoso:  # its system graphs (DEFAULT_GRAPH is under INTERNAL)
            listed = ", ".join(f"<{g}>" for g in virtuoso.SYSTEM_GRAPHS)
            hidden += f" && ?g NOT IN ({listed})"
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
            where = f"GRAPH {sparql_iri(graph_name)} {{ {pattern} }}"
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
        rows = self.query(
            f"SELECT ?run ?t WHERE {{ GRAPH {sparql_iri(META)} {{ "
            f"{{ ?run {sparql_iri(STARTED)} ?t }} UNION "
            f'{{ ?run {sparql_iri(COMMENT)} ?t FILTER(STRSTARTS(?t, "{DIGEST_LABEL}")) }} }} }}'
        )
        runs = sorted(f"{row['run']} {row['t']}" for row in rows)
        return hashlib.sha1("\n".join(runs).encode()).hexdigest()[:16]

    def digests(self) -> dict[str, str]:
        """The content digest of each graph as helixgraph last sent it (see
        :func:`helixgraph.store.remote.diff.digest`), recorded in the metadata graph."""
        rows = self.query(
            f"SELECT ?g ?d WHERE {{ GRAPH {sparql_iri(META)} {{ ?g {sparql_iri(COMMENT)} ?d "
            f'FILTER(STRSTARTS(?d, "{DIGEST_LABEL}")) }} }}'
        )
        return {row["g"].value: row["d"].value[len(DIGEST_LABEL) :] for row in rows}

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

    def flush(self) -> None:
        """Nothing to do: the server persists each request."""

    def optimize(self) -> None:
        """Nothing to do: the server manages its own storage."""


def _unshift(message: str, columns: int) -> str:
    """A syntax error's position in the text the caller sent, before the BASE we added
    on its first line (``error at 1:40`` -> ``error at 1:10`` for a 30-character BASE)."""
    m = re.match(r"error at 1:(\d+)", message)
    if m and columns and int(m[1]) > columns:
        return f"error at 1:{int(m[1]) - columns}{message[m.end() :]}"
    return message
