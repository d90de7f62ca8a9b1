"""The default graph is the RDF merge of the named graphs: each distinct triple once.

Every named graph keeps the provenance of one source (the seed files, an import, the
ontology, the metadata); the default graph holds the set of all their triples, so a
query that names no dataset counts a triple once however many sources state it.
Oxigraph's ``use_default_graph_as_union`` (and a server's union default graph) would
count it once per graph, so helixgraph materialises the merge when the store is written
(:func:`materialise` for a new embedded build, :data:`REFRESH` on a remote server or after
an update) and queries the default graph without any union flag.

A store written by helixgraph before the merge existed holds named graphs and an empty
default graph: :func:`has_merge` tells, and :data:`NO_MERGE` says to rebuild it.
"""

from __future__ import annotations

import hashlib
import itertools
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from helixgraph.vocab import iris

# The store's own graphs on a remote server (content digests, build locks): not data.
INTERNAL = iris.GRAPH + "remote/"

NO_MERGE = (
    "the store at {where} was built by an older helixgraph: its default graph does not "
    "hold the merge of the source graphs, so queries would answer nothing; rebuild it "
    "with 'helixgraph build'"
)


def refresh(graph_filter: str = "") -> str:
    """A SPARQL update that makes the default graph the merge of the named graphs (those
    ``graph_filter``, a ``FILTER`` on ``?g``, keeps), changing only what differs: one
    request, so one transaction on servers whose requests are transactions (Oxigraph)."""
    where = f"GRAPH ?g {{ ?s ?p ?o }} {graph_filter}"
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {where} }} }} ;\n"
        f"INSERT {{ ?s ?p ?o }} WHERE {{ {where} FILTER NOT EXISTS {{ ?s ?p ?o }} }}"
    )


# helixgraph's graphs in a store that holds only them (and its internal ones)
OWN_GRAPHS = f'FILTER(!STRSTARTS(STR(?g), "{INTERNAL}"))'
REFRESH = refresh(OWN_GRAPHS)


def merged(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The default-graph copy of each named-graph quad of ``quads`` (repeats included:
    the store keeps one)."""
    default = ox.DefaultGraph()
    for q in quads:
        if not isinstance(q.graph_name, ox.DefaultGraph):
            yield ox.Quad(q.subject, q.predicate, q.object, default)


def drop_graph(graph: str) -> str:
    """A SPARQL update that removes from the default graph the triples that ``graph`` states
    and no other named graph does; run it before removing ``graph`` itself, and the default
    graph stays the merge of the named graphs that remain. One request: Oxigraph checks each
    triple against the other graphs in its indexes, with no Python object per quad."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{graph}>) }} }}"
    )


# Lines of N-Triples per bulk-loader run: Oxigraph's loader holds a run in memory, so a
# bounded run bounds its memory (~300 MB for 500,000 triples of an import).
CHUNK_TRIPLES = 500_000


@contextmanager
def triples_file(folder: Path, quads: Iterable[ox.Quad]) -> Iterator[Path]:
    """The triples of ``quads`` written as N-Triples (one a line) to a file in a new
    directory under ``folder``, removed when the block ends (a build's pruning removes the
    directory a killed process left). For IRIs and literals only: each bulk load of the
    file would give a blank node a new name (an import's writer makes none)."""
    where = Path(tempfile.mkdtemp(prefix=".triples-", dir=folder))
    try:
        path = where / "triples.nt"
        with path.open("wb") as fh:
            ox.serialize((q.triple for q in quads), fh, ox.RdfFormat.N_TRIPLES)
        yield path
    finally:
        shutil.rmtree(where, ignore_errors=True)


def chunks(path: Path, lines: int | None = None) -> Iterator[bytes]:
    """An N-Triples file in runs of at most ``lines`` (default :data:`CHUNK_TRIPLES`)
    triples, whole lines, for the loader."""
    lines = lines or CHUNK_TRIPLES
    with path.open("rb") as fh:
        while part := b"".join(itertools.islice(fh, lines)):
            yield part


def materialise(store: ox.Store) -> None:
    """Write the merge of ``store``'s named graphs into its default graph, with the bulk
    loader (a new build: nothing reads it yet)."""
    store.bulk_extend(merged(store.quads_for_pattern(None, None, None, None)))


def has_merge(store: Any, graph_filter: str = OWN_GRAPHS) -> bool:
    """False for a store with named graphs (those ``graph_filter`` keeps) and an empty
    default graph (built before the default graph held the merge); a store with no graph
    at all is fine (empty)."""
    if bool(store.query("ASK { ?s ?p ?o }")):
        return True
    return not bool(store.query(f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} {graph_filter} }}"))


def named_quads(store: Any) -> int:
    """How many quads the named graphs hold (the default graph only repeats them)."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {OWN_GRAPHS} }}")
    return int(next(iter(rows))["n"].value)


def distinct_triples(triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
    """``triples`` without repeats (a CONSTRUCT or DESCRIBE answer is a set). Remembers a
    16-byte digest per triple, not the triple."""
    seen: set[bytes] = set()
    for t in triples:
        key = hashlib.blake2b(str(t).encode(), digest_size=16).digest()
        if key not in seen:
            seen.add(key)
            yield t
