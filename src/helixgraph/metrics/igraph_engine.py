"""The centralities and communities computed by igraph, giving networkx's numbers.

Each function takes a networkx graph and returns what the networkx path of
:mod:`.centrality` or :mod:`.communities` returns (to rounding), or ``None`` when igraph
cannot give the same quantity (a length that is not positive, a negative weight, a directed
graph whose eigenvector or Louvain partition igraph defines otherwise): the caller then
runs networkx. Where the definitions differ, the conversion makes them agree:

- betweenness: igraph counts an undirected pair once, networkx twice before rescaling;
  networkx's rescaling (and its sampled sources, ``random.Random(seed).sample``) is
  repeated exactly, sampled sources become igraph's ``sources=`` subset;
- closeness: igraph's closeness is over the reachable nodes only; networkx's
  Wasserman--Faust factor ``(r - 1) / (n - 1)`` is applied on top, inward for a digraph;
- PageRank: an undirected tie becomes two arcs (a self-loop one), parallel edges add up,
  as in :func:`.centrality.pagerank`; PRPACK solves the system directly;
- eigenvector: networkx iterates on ``A + I`` from the all-ones vector, so on a graph that
  is not connected it converges to the components of largest eigenvalue, each weighted by
  its share of the start vector; igraph computes each such component (ARPACK) and the
  same combination is formed; igraph counts an undirected self-loop twice, networkx once.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable
from typing import Any

import networkx as nx

from helixgraph.metrics.engine import Converted, for_flows, for_paths, seeded

Graph = Any


def betweenness(
    G: Graph, *, k: int | None, seed: int, normalized: bool, distance: str | None
) -> dict[Hashable, float] | None:
    """networkx's ``betweenness_centrality`` (endpoints excluded) computed by igraph."""
    c = for_paths(G, distance)
    if c is None:
        return None
    n = len(c.nodes)
    directed = G.is_directed()
    if k is None:
        raw = list(c.graph.betweenness(directed=directed, weights=c.weights))
        sources: set[int] = set()
    else:
        # networkx: @py_random_state turns an int seed into random.Random(seed)
        sampled = random.Random(seed).sample(list(G.nodes()), k)
        index = {v: i for i, v in enumerate(c.nodes)}
        sources = {index[v] for v in sampled}
        raw = list(c.graph.betweenness(directed=directed, weights=c.weights, sources=sources))
    if not directed:
        raw = [x * 2 for x in raw]  # networkx sums over ordered pairs (s, t) before rescaling
    N = n - 1
    if N < 2:
        return c.as_dict(raw)
    correction = 1 if directed else 2
    if k is None:
        scale = 1 / (N * (N - 1)) if normalized else N / (N * correction)
        return c.as_dict([x * scale for x in raw])
    if normalized:
        scale_source, scale_other = 1 / ((k - 1) * (N - 1)), 1 / (k * (N - 1))
    else:
        scale_source, scale_other = N / ((k - 1) * correction), N / (k * correction)
    return c.as_dict(
        [x * (scale_source if i in sources else scale_other) for i, x in enumerate(raw)]
    )


def closeness(G: Graph, *, distance: str | None) -> dict[Hashable, float] | None:
    """networkx's ``closeness_centrality`` (``wf_improved``) computed by igraph."""
    c = for_paths(G, distance)
    if c is None:
        return None
    n = len(c.nodes)
    mode = "in" if G.is_directed() else "all"
    raw = c.graph.closeness(mode=mode, weights=c.weights, normalized=False)
    if G.is_directed():
        mean = c.graph.closeness(mode=mode, weights=c.weights, normalized=True)
        others = [0 if r != r or r == 0 else round(m / r) for r, m in zip(raw, mean, strict=True)]
    else:
        membership = c.graph.connected_components().membership
        sizes = Counter(membership)
        others = [sizes[m] - 1 for m in membership]
    out: list[float] = []
    for r, reached in zip(raw, others, strict=True):
        if r != r or r == 0 or reached == 0 or n < 2:  # NaN: nothing reaches the node
            out.append(0.0)
            continue
        totsp = 1.0 / r
        if c.weights is None:
            totsp = float(round(totsp))  # a sum of hop counts: recover it exactly
        value = (reached * 1.0) / totsp
        value *= (reached * 1.0) / (n - 1)
        out.append(value)
    return c.as_dict(out)


def sampled_closeness(
    G: Graph, pivots: list[Hashable], *, distance: str | None
) -> dict[Hashable, float] | None:
    """Eppstein & Wang's closeness estimate from ``pivots``, as :func:`.centrality.closeness`."""
    c = for_paths(G, distance)
    if c is None:
        return None
    index = {v: i for i, v in enumerate(c.nodes)}
    rows = [index[p] for p in pivots]
    pivot_rows = set(rows)
    lengths = c.graph.distances(source=rows, mode="out", weights=c.weights)
    out: list[float] = []
    for v, column in enumerate(zip(*lengths, strict=True)):  # one node's distances
        found = [d for d in column if d != math.inf]  # a pivot finds itself at 0
        mine = v in pivot_rows
        r = len(found) - 1 if mine else len(found)
        o = len(pivots) - 1 if mine else len(pivots)
        out.append(0.0 if r == 0 or o == 0 else (r / o) / (math.fsum(found) / r))
    return c.as_dict(out)


def pagerank(G: Graph, *, alpha: float, weight: str | None) -> dict[Hashable, float] | None:
    """:func:`.centrality.pagerank` computed by igraph's PRPACK solver."""
    if len(G) == 0:
        return {}
    # igraph walks an undirected edge both ways, as two arcs would be; not a self-loop,
    # which it would count twice: then the arcs are made here
    arcs = not G.is_directed() and any(True for _ in nx.selfloop_edges(G))
    c = for_flows(G, weight, arcs=arcs)
    if c is None:
        return None
    values = c.graph.pagerank(
        directed=True, damping=alpha, weights=c.weights, implementation="prpack"
    )
    return c.as_dict(values)


def eigenvector(G: Graph, *, weight: str | None) -> dict[Hashable, float] | None:
    """networkx's ``eigenvector_centrality`` (its limit, Euclidean norm 1) by igraph."""
    if G.is_multigraph():
        return None  # networkx raises NetworkXNotImplemented: so must the igraph engine
    c = for_flows(G, weight or None, undirected_loops_twice=True)
    if c is None or (c.weights is not None and min(c.weights) == 0):
        return None  # a zero weight may split a component that igraph sees whole
    g, n = c.graph, len(c.nodes)
    if g.is_directed():
        if n > 1 and not g.is_connected(mode="strong"):
            return None  # networkx's limit depends on the components' order: let it decide
        return c.as_dict(_unit(_leading(g, c.weights)[0]))
    return c.as_dict(_dominant_mix(c))


def _leading(g: Any, weights: list[float] | None) -> tuple[list[float], float]:
    if g.vcount() == 1:
        return [1.0], float(sum(weights) * 2 if weights else 2 * g.ecount())
    vector, value = g.eigenvector_centrality(weights=weights, return_eigenvalue=True)
    return list(vector), float(value)


def _unit(x: list[float]) -> list[float]:
    norm = math.sqrt(math.fsum(v * v for v in x))
    return [v / norm for v in x] if norm else x


def _dominant_mix(c: Converted) -> list[float]:
    """The limit of networkx's power iteration on an undirected graph, component by component."""
    g, n = c.graph, len(c.nodes)
    g.es["w"] = c.weights if c.weights is not None else [1.0] * g.ecount()
    strength = g.strength(weights="w", loops=True)
    members: dict[int, list[int]] = {}
    for v, m in enumerate(g.connected_components().membership):
        members.setdefault(m, []).append(v)
    # the largest eigenvalue of a component is at most its largest strength
    bound = {m: max(strength[v] for v in vs) for m, vs in members.items()}
    best = -1.0
    found: list[tuple[float, list[int], list[float]]] = []  # (eigenvalue, vertices, unit vector)
    for m in sorted(bound, key=lambda m: -bound[m]):
        if bound[m] < best * (1 - 1e-12):
            break
        vertices = members[m]
        if len(vertices) == 1:
            vector, value = [1.0], float(strength[vertices[0]])
        else:
            sub = g.induced_subgraph(vertices)  # keeps the order of ``vertices``
            leading, value = _leading(sub, sub.es["w"])
            vector = _unit(leading)
        best = max(best, value)
        found.append((value, vertices, vector))
    x = [0.0] * n
    for value, vertices, vector in found:
        if value >= best * (1 - 1e-12):
            share = math.fsum(vector)
            for v, y in zip(vertices, vector, strict=True):
                x[v] = share * y
    return _unit(x)


def communities(
    G: Graph, *, algorithm: str, weight: str | None, resolution: float, seed: int, **options: Any
) -> tuple[list[set[Hashable]], float] | None:
    """A seeded Louvain (``multilevel``) or Leiden partition of an undirected graph, and Q."""
    if G.is_directed():
        return None
    c = for_flows(G, weight)
    if c is None:
        return None
    g = c.graph
    with seeded(seed):
        if algorithm == "leiden":
            found = g.community_leiden(
                objective_function="modularity",
                weights=c.weights,
                resolution=resolution,
                **options,
            )
        else:
            found = g.community_multilevel(weights=c.weights, resolution=resolution)
    membership = list(found.membership)
    q = float(g.modularity(membership, weights=c.weights, resolution=resolution, directed=False))
    parts: dict[int, set[Hashable]] = {}
    for v, m in zip(c.nodes, membership, strict=True):
        parts.setdefault(m, set()).add(v)
    return list(parts.values()), q
