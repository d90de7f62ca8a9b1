"""Writing a remote SPARQL 1.1 server: replacing its graphs with a build's.

:func:`replacing` stages a build in a private on-disk Oxigraph store and then replaces
each named graph of the server with one Graph Store Protocol ``PUT`` (streamed
N-Triples), or, for servers without the Graph Store Protocol, with batched ``INSERT
DATA`` updates. The server is therefore replaced graph by graph, atomically per graph on
servers whose ``PUT`` is a transaction (Oxigraph), not per build.

A graph whose content digest and size match those recorded on the server when it was
last sent is not sent again (a seed rebuild leaves the imports alone); a large graph the
server already holds is changed by its difference (see :meth:`RemoteStore._send` and
:mod:`helixgraph.store.remote.diff`). Once the named graphs are sent, the server's default
graph is made the merge of them (:meth:`RemoteStore.refresh_merge`, one update that
changes only what differs; see :mod:`helixgraph.store.merge`). The digests, and the build lock of
:mod:`helixgraph.store.remote.lock`, live in graphs under
:data:`~helixgraph.store.remote.reads.INTERNAL`, which the store API hides.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from helixgraph.store.merge import merged, refresh
from helixgraph.store.query_text import analyse
from helixgraph.store.remote import virtuoso
from helixgraph.store.remote.clients import RemoteError
from helixgraph.store.remote.config import ENV
from helixgraph.store.remote.diff import batches, difference, digest, has_blank_nodes
from helixgraph.store.remote.reads import COMMENT, DIGEST_LABEL, META, RemoteReader, sparql_iri

BATCH = 20_000  # triples per streamed chunk, and per INSERT DATA or DELETE DATA request
DIFF_FROM = 10_000  # a graph the server holds with this many triples is changed by difference
ATOMIC = 50_000  # at most this many changed triples go in one update (one transaction)
ADD_BATCH = 250_000  # triples per Graph Store POST when more changed


class RemoteStore(RemoteReader):
    """The subset of ``pyoxigraph.Store`` helixgraph uses, over HTTP to a SPARQL server:
    the reads of :class:`RemoteReader`, updates, and the replacement of graphs."""

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        if self.config.update_url is None:
            raise RemoteError(f"no update URL: set {ENV}UPDATE_URL to write to this store")
        prologue = f"BASE <{base_iri}> " if base_iri else ""
        if self.config.virtuoso:
            update = virtuoso.silent_drops(update)
        data: dict[str, Any] = {"update": prologue + update}
        if self.config.virtuoso:
            data.update(virtuoso.update_dataset(update, analyse(update).using))
        try:
            self._post(self.config.update_url, data, len(prologue))
        finally:
            virtuoso.forget(self.config)

    def _target(self, graph: ox.NamedNode | ox.DefaultGraph) -> str:
        """``graph`` as the target of ``DROP`` (Virtuoso: helixgraph's default graph)."""
        if isinstance(graph, ox.DefaultGraph):
            return f"GRAPH <{virtuoso.DEFAULT_GRAPH}>" if self.config.virtuoso else "DEFAULT"
        return f"GRAPH {sparql_iri(graph)}"

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
        if isinstance(graph, ox.DefaultGraph):
            default = {"graph": virtuoso.DEFAULT_GRAPH} if self.config.virtuoso else {"default": ""}
            params = default
        else:
            params = {"graph": graph.value}
        extra = self.config.gsp_params if extra is None else extra
        params.update(urllib.parse.parse_qsl(extra, keep_blank_values=True))
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}
        if out is not None:
            headers["Accept"] = "application/n-triples"
        if body is not None and self.config.virtuoso:
            # Virtuoso may refuse a PUT before reading its body and keep the connection:
            # the unread rest would then be taken for the next request
            headers["Connection"] = "close"
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
        finally:
            virtuoso.forget(self.config)
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
        target = self._target(graph)
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

        def insert(chunk: bytes, blanks: bool = False) -> None:
            inner = chunk.decode()
            body = inner if isinstance(graph, ox.DefaultGraph) else f"{target} {{ {inner} }}"
            self.update(self._insert_data(body, blanks))

        for chunk in _ntriples_chunks(plain()):
            insert(chunk)
        if blank:
            insert(_ntriples(blank), blanks=True)

    def _insert_data(self, body: str, blanks: bool) -> str:
        """``INSERT DATA { body }``; with blank nodes on Virtuoso, which refuses them in
        ``INSERT DATA``, the same triples as ``INSERT { body } WHERE { }``."""
        if blanks and self.config.virtuoso:
            return f"INSERT {{ {body} }} WHERE {{ }}"
        return f"INSERT DATA {{ {body} }}"

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
            if self.config.virtuoso:  # its own N-Triples: tabs, \u escapes, en-gb
                virtuoso.canonical_ntriples(old)
            if has_blank_nodes(old):
                return False
            with tempfile.TemporaryFile() as removed, tempfile.TemporaryFile() as added:
                n_removed, n_added = difference(old, body, removed, added)
                g = sparql_iri(graph)

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
        g, data = sparql_iri(graph), _ntriples(triples).decode()
        insert = self._insert_data(f"GRAPH {g} {{ {data} }}", any(map(_has_blank, triples)))
        self.update(f"DROP SILENT GRAPH {g} ; {insert}")

    def _withdraw(self, graph: ox.NamedNode, d: str) -> None:
        """Remove ``graph``'s recorded digest before it is sent (a failed send must never
        look unchanged)."""
        record = ox.Triple(graph, COMMENT, ox.Literal(DIGEST_LABEL + d))
        if self.config.update_url is not None:
            self.update(f"DELETE DATA {{ GRAPH {sparql_iri(META)} {{ {record} }} }}")
            return
        kept = [q.triple for q in self.quads_for_pattern(None, None, None, META)]
        self.put_graph(META, [t for t in kept if t != record])

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
            self.update(f"DROP SILENT {self._target(graph)}")

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
        # the default graph is not dropped: refresh_merge then changes only what differs
        for iri in sorted(old - {g.value for g in new}):
            self.drop_graph(ox.NamedNode(iri))

    def refresh_merge(self) -> None:
        """Make the server's default graph the merge of helixgraph's named graphs (see
        :mod:`helixgraph.store.merge`): one update changing only what differs (one
        transaction on Oxigraph), or, without an update URL, one Graph Store ``PUT`` of
        the merge computed here."""
        if self.config.update_url is not None:
            self.update(refresh(self._managed()))
            return
        with tempfile.TemporaryDirectory(prefix="helixgraph-merge-") as scratch:
            merge = ox.Store(scratch)
            for g in self.named_graphs():
                merge.bulk_extend(merged(self.quads_for_pattern(None, None, None, g)))
            triples = _triples(merge.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            self.put_graph(ox.DefaultGraph(), triples)
            del merge

    def _send_changed(
        self, staged: ox.Store, graphs: list[ox.NamedNode], keep_other_graphs: bool
    ) -> None:
        """Send each graph whose content differs from what the server holds: a graph whose
        digest and size match those recorded when it was last sent is skipped. The
        digests are recorded in the metadata graph, sent last (a build or import always
        changes it); a graph's digest is withdrawn before the graph is sent, so a failed
        or interrupted send is never taken for an unchanged graph. Without a metadata
        graph in ``staged``, every graph is sent."""
        record = META in graphs
        held = self.digests() if record else {}
        sizes = self._sizes(g.value for g in graphs)
        expected: dict[str, int] = {}
        for g in graphs:
            if g == META:
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
            for q in list(staged.quads_for_pattern(None, COMMENT, None, META)):
                text = q.object.value if isinstance(q.object, ox.Literal) else ""
                if text.startswith(DIGEST_LABEL):  # carried over from the server
                    staged.remove(q)
            for iri, d in held.items():
                if keep_other_graphs or iri in names:
                    note = ox.Literal(DIGEST_LABEL + d)
                    staged.add(ox.Quad(ox.NamedNode(iri), COMMENT, note, META))
            self.put_staged_graph(staged, META)
            self._check_sizes({META.value: _count(staged, META)})


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


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
        remote.refresh_merge()
        del staged
    finally:
        shutil.rmtree(staging, ignore_errors=True)
