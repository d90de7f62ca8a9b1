"""The engine behind the centralities and communities: which one, and a graph converted for it.

Two engines compute the same quantities: **igraph** (the default; its C core is one to two
orders of magnitude faster on large graphs) and **networkx** (the reference the tests
compare against). The metric functions take a networkx graph and an ``engine=`` keyword;
``None`` reads the environment variable ``HELIXGRAPH_METRICS_ENGINE`` (``igraph`` or
``networkx``), and without it igraph runs. A networkx ``backend=``, or a networkx backend
configured for algorithms (``nx.config.backend_priority``, ``NETWORKX_BACKEND_PRIORITY``),
means networkx: whoever names a networkx backend wants networkx to dispatch to it.

:class:`Converted` is a networkx graph as an igraph graph: the igraph graph, the
networkx node of each igraph vertex index and the edge values. It is made once per graph
and kept in networkx's own cache of converted graphs, which networkx empties when the
graph changes (see :func:`cached`), so a suite of metrics on one graph converts it once. Shortest
path metrics and flow metrics read the graph differently (as networkx does), hence two
converters: :func:`for_paths` (parallel edges merged to their shortest length, self-loops
dropped) and :func:`for_flows` (every edge kept with its weight; undirected ties as two
arcs when asked). They return ``None`` where igraph's definition would differ from
networkx's (a length that is not positive, a negative weight): the caller then runs
networkx.
"""

from __future__ import annotations

import math
import os
import random
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import igraph as ig
import networkx as nx

Graph = Any  # a networkx graph (networkx ships no type stubs)
Engine = Literal["igraph", "networkx"]
ENGINES: tuple[Engine, ...] = ("igraph", "networkx")
ENGINE_VARIABLE = "HELIXGRAPH_METRICS_ENGINE"
DEFAULT_ENGINE: Engine = "igraph"


def choose(engine: str | None = None, backend: str | None = None) -> Engine:
    """Return the engine a call runs on: ``engine``, else the environment, else igraph.

    A networkx ``backend``, or one in networkx's ``backend_priority``, implies networkx.

    Example
    -------
    >>> choose("networkx"), choose("igraph", backend="nx_loopback")
    ('networkx', 'networkx')

    References
    ----------
    .. [1] Csardi, G., Nepusz, T. (2006). The igraph software package for complex network
       research. InterJournal Complex Systems 1695.
    """
    if backend is not None or list(getattr(nx.config.backend_priority, "algos", [])):
        return "networkx"
    name = engine if engine is not None else os.environ.get(ENGINE_VARIABLE, "")
    name = name.strip().lower() or DEFAULT_ENGINE
    if name == "igraph":
        return "igraph"
    if name == "networkx":
        return "networkx"
    source = "engine" if engine is not None else ENGINE_VARIABLE
    raise ValueError(f"{source} must be one of {', '.join(ENGINES)}, not {name!r}")


@dataclass(frozen=True)
class Converted:
    """A networkx graph as an igraph graph: vertex ``i`` is networkx node ``nodes[i]``."""

    graph: ig.Graph
    nodes: list[Hashable]
    weights: list[float] | None  # per igraph edge; None: every edge counts 1

    def as_dict(self, values: Sequence[float]) -> dict[Hashable, float]:
        """``{networkx node: float(value)}`` in the networkx graph's node order."""
        return {v: float(x) for v, x in zip(self.nodes, values, strict=True)}


def _index(G: Graph) -> tuple[list[Hashable], dict[Hashable, int]]:
    nodes = list(G)
    return nodes, {v: i for i, v in enumerate(nodes)}


def _paths(G: Graph, distance: str | None) -> Converted | None:
    """``G`` for shortest paths: one edge per linked pair, weighted by its shortest length.

    As networkx: an edge without ``distance`` is 1 long, parallel edges count as their
    shortest one, self-loops never lie on a shortest path. ``None`` if a length is not a
    positive finite number (networkx then decides what it means).
    """
    nodes, index = _index(G)
    directed = G.is_directed()
    simple = not G.is_multigraph()
    if distance is None:
        if simple:  # one edge per pair already
            edges = [(index[u], index[v]) for u, v in G.edges() if u != v]
        else:
            pairs = {(index[u], index[v]) for u, v in G.edges() if u != v}
            if not directed:
                pairs = {(a, b) if a < b else (b, a) for a, b in pairs}
            edges = list(pairs)
        return Converted(ig.Graph(n=len(nodes), edges=edges, directed=directed), nodes, None)
    rows = [(index[u], index[v], x) for u, v, x in G.edges(data=distance, default=1) if u != v]
    lengths = _numbers(x for _, _, x in rows)
    if lengths is None or (lengths and min(lengths) <= 0):
        return None
    if simple:
        edges = [(a, b) for a, b, _ in rows]
        return Converted(ig.Graph(n=len(nodes), edges=edges, directed=directed), nodes, lengths)
    shortest: dict[tuple[int, int], float] = {}
    for (a, b, _), x in zip(rows, lengths, strict=True):
        key = (a, b) if directed or a < b else (b, a)
        if key not in shortest or x < shortest[key]:
            shortest[key] = x
    graph = ig.Graph(n=len(nodes), edges=list(shortest), directed=directed)
    return Converted(graph, nodes, list(shortest.values()))


def _flows(
    G: Graph,
    weight: str | None,
    *,
    arcs: bool = False,
    undirected_loops_twice: bool = False,
) -> Converted | None:
    """``G`` with every tie and its weight (an edge without ``weight`` weighs 1).

    ``arcs``: an undirected tie becomes two arcs (a self-loop one), for flow over a
    directed igraph graph. ``undirected_loops_twice``
    halves the weight of undirected self-loops, for igraph functions that count them twice.
    ``None`` if a weight is negative or not a finite number.
    """
    nodes, index = _index(G)
    directed = G.is_directed()
    weights: list[float] | None
    if weight is None:
        edges = [(index[u], index[v]) for u, v in G.edges()]
        weights = [1.0] * len(edges)
    else:
        rows = [(index[u], index[v], x) for u, v, x in G.edges(data=weight, default=1)]
        edges = [(a, b) for a, b, _ in rows]
        weights = _numbers(x for _, _, x in rows)
        if weights is None or (weights and min(weights) < 0):
            return None
    if not directed and (arcs or undirected_loops_twice):
        edges, weights = _undirected_as_igraph_reads(edges, weights, arcs=arcs)
    graph = ig.Graph(n=len(nodes), edges=edges, directed=directed or arcs)
    return Converted(graph, nodes, None if all(x == 1 for x in weights) else weights)


def _numbers(values: Iterable[Any]) -> list[float] | None:
    """The values as floats, or ``None`` if one is not a finite number."""
    try:
        out = [float(x) for x in values]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(math.fsum(out)) else None


def _undirected_as_igraph_reads(
    edges: list[tuple[int, int]], weights: list[float], *, arcs: bool
) -> tuple[list[tuple[int, int]], list[float]]:
    """Two arcs per tie and one per self-loop (``arcs``), or self-loops at half weight."""
    out_edges: list[tuple[int, int]] = []
    out_weights: list[float] = []
    for (a, b), x in zip(edges, weights, strict=True):
        if a == b:
            out_edges.append((a, b))
            out_weights.append(x if arcs else x / 2)
        else:
            out_edges.append((a, b))
            out_weights.append(x)
            if arcs:
                out_edges.append((b, a))
                out_weights.append(x)
    return out_edges, out_weights


CACHE_KEY = "helixgraph.metrics.engine"


def cached(G: Graph, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """``make()``, kept in networkx's cache of converted graphs (``G.__networkx_cache__``).

    networkx empties that cache whenever the graph changes through its methods (adding or
    removing nodes and edges, ``add_edge`` with new attributes...), as it does for the
    graphs it converts for its own backends; ``nx.config.cache_converted_graphs = False``
    turns it off. An edit that bypasses networkx (``G[u][v]["weight"] = 2``) does not
    empty it: call ``G.__networkx_cache__.clear()`` after one, as networkx asks.
    """
    cache = getattr(G, "__networkx_cache__", None)
    if cache is None or not nx.config.cache_converted_graphs:
        return make()
    converted = cache.setdefault(CACHE_KEY, {})
    if key not in converted:
        converted[key] = make()
    return converted[key]


def for_paths(G: Graph, distance: str | None) -> Converted | None:
    """``G`` for shortest paths, converted once per graph and kept (see :func:`cached`)."""
    return cached(G, ("paths", distance), lambda: _paths(G, distance))  # type: ignore[no-any-return]


def for_flows(
    G: Graph, weight: str | None, *, arcs: bool = False, undirected_loops_twice: bool = False
) -> Converted | None:
    """``G`` with its tie weights, converted once per graph and kept (see :func:`cached`)."""
    key = ("flows", weight, arcs, undirected_loops_twice)
    return cached(  # type: ignore[no-any-return]
        G, key, lambda: _flows(G, weight, arcs=arcs, undirected_loops_twice=undirected_loops_twice)
    )


_RNG_LOCK = threading.Lock()


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's randomised algorithms on ``random.Random(seed)``, one call at a time.

    igraph draws from the generator set by ``igraph.set_random_number_generator`` (Python's
    ``random`` module unless changed); this sets a seeded one and restores ``random``.
    """
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)
