"""Centralities: degree, strength, betweenness, closeness, eigenvector and PageRank.

Each function takes a networkx graph first, returns ``{node: value}`` and never mutates the
graph. Betweenness and closeness can be estimated from a seeded sample of ``k`` pivot nodes,
so that the same call repeats the same numbers on graphs too large for the exact
all-pairs computation.

Betweenness, closeness, eigenvector centrality and PageRank run on the metrics engine
(:mod:`.engine`): igraph unless ``engine="networkx"`` or the environment variable
``HELIXGRAPH_METRICS_ENGINE=networkx`` asks for networkx, the reference. Both give the
same numbers (:mod:`.igraph_engine` says how igraph's definitions are made to agree).

On the networkx engine, betweenness, closeness and eigenvector centrality call networkx's
dispatchable functions, so a networkx backend can run them unchanged: ``backend="name"``
asks for one (an error if it does not implement the function, and it implies the networkx
engine); with ``backend=None`` networkx's configuration decides
(``nx.config.backend_priority``, or the ``NETWORKX_BACKEND_PRIORITY`` environment
variable), falling back to networkx itself.
"""

from __future__ import annotations

import random
from collections.abc import Hashable
from typing import Any, Literal

import networkx as nx

from helixgraph.metrics import igraph_engine
from helixgraph.metrics.engine import choose

Graph = Any  # a networkx Graph or DiGraph (networkx ships no type stubs)


def degree(G: Graph, direction: Literal["all", "in", "out"] = "all") -> dict[Hashable, int]:
    """Return the number of ties of each node.

    For a directed graph ``direction`` picks in-ties, out-ties or both ("all", the sum);
    for an undirected graph it is ignored. Self-loops count once per end, as in networkx.

    Example
    -------
    >>> import networkx as nx
    >>> degree(nx.path_graph(3))
    {0: 1, 1: 2, 2: 1}

    References
    ----------
    .. [1] Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
       Social Networks 1(3), 215-239.
    """
    if G.is_directed() and direction == "in":
        return {n: int(d) for n, d in G.in_degree()}
    if G.is_directed() and direction == "out":
        return {n: int(d) for n, d in G.out_degree()}
    return {n: int(d) for n, d in G.degree()}


def strength(
    G: Graph, weight: str = "weight", direction: Literal["all", "in", "out"] = "all"
) -> dict[Hashable, float]:
    """Return the sum of the tie weights of each node (weighted degree).

    An edge without the ``weight`` attribute counts 1.

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 3})])
    >>> strength(G)
    {'a': 2.0, 'b': 5.0, 'c': 3.0}

    References
    ----------
    .. [1] Barrat, A., Barthelemy, M., Pastor-Satorras, R., Vespignani, A. (2004).
       The architecture of complex weighted networks. PNAS 101(11), 3747-3752.
    """
    if G.is_directed() and direction == "in":
        view = G.in_degree(weight=weight)
    elif G.is_directed() and direction == "out":
        view = G.out_degree(weight=weight)
    else:
        view = G.degree(weight=weight)
    return {n: float(d) for n, d in view}


def betweenness(
    G: Graph,
    *,
    k: int | None = None,
    seed: int = 0,
    normalized: bool = True,
    distance: str | None = None,
    backend: str | None = None,
    engine: str | None = None,
) -> dict[Hashable, float]:
    """Return the betweenness centrality of each node, exact or from ``k`` sampled sources.

    ``distance`` names an edge attribute holding a length (not a strength: a tie weight
    that grows with closeness must be inverted first); ``None`` counts hops. With ``k``
    the value is Brandes & Pich's estimate from ``k`` source nodes drawn with ``seed``,
    rescaled to the exact value's scale, so one seed always gives the same numbers.
    ``backend``: the networkx backend to run it; ``engine``: igraph or networkx (see the
    module's docstring).

    Example
    -------
    >>> import networkx as nx
    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}

    References
    ----------
    .. [1] Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
       Sociometry 40(1), 35-41.
    .. [2] Brandes, U. (2001). A faster algorithm for betweenness centrality.
       Journal of Mathematical Sociology 25(2), 163-177.
    .. [3] Brandes, U., Pich, C. (2007). Centrality estimation in large networks.
       International Journal of Bifurcation and Chaos 17(7), 2303-2318.
    """
    if k is not None and k < 2:
        # networkx rescales a sampled estimate by (n - 1) / (k - 1): one source gives NaN
        raise ValueError(f"betweenness needs at least 2 sampled sources, not k={k}")
    if k is not None and k >= len(G):
        k = None
    if choose(engine, backend) == "igraph":
        fast = igraph_engine.betweenness(
            G, k=k, seed=seed, normalized=normalized, distance=distance
        )
        if fast is not None:
            return fast
    result = nx.betweenness_centrality(
        G,
        k=k,
        normalized=normalized,
        weight=distance,
        seed=seed if k is not None else None,
        backend=backend,
    )
    return {n: float(v) for n, v in result.items()}


def closeness(
    G: Graph,
    *,
    k: int | None = None,
    seed: int = 0,
    distance: str | None = None,
    backend: str | None = None,
    engine: str | None = None,
) -> dict[Hashable, float]:
    """Return the closeness centrality of each node, exact or estimated from ``k`` pivots.

    Closeness is Wasserman & Faust's version for graphs that are not connected (networkx's
    ``wf_improved``): ``(r / (n - 1)) * (r / sum of distances)``, where ``r`` is the
    number of nodes that can reach the node; for a directed graph, distances are inward,
    as in networkx. With ``k``, single-source searches from ``k`` pivots drawn with
    ``seed`` estimate, for each node, the mean distance and the share of nodes that reach
    it (Eppstein & Wang's sampling); with ``k >= n`` the estimate is the exact value.
    ``backend`` runs the exact computation; ``engine``: igraph or networkx (see the
    module's docstring).

    Example
    -------
    >>> import networkx as nx
    >>> closeness(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}

    References
    ----------
    .. [1] Wasserman, S., Faust, K. (1994). Social Network Analysis: Methods and
       Applications. Cambridge University Press, 201.
    .. [2] Eppstein, D., Wang, J. (2004). Fast approximation of centrality.
       Journal of Graph Algorithms and Applications 8(1), 39-45.
    """
    n = len(G)
    fast = choose(engine, backend) == "igraph"
    if k is None or k >= n:
        exact = igraph_engine.closeness(G, distance=distance) if fast else None
        if exact is not None:
            return exact
        result = nx.closeness_centrality(G, distance=distance, backend=backend)
        return {v: float(c) for v, c in result.items()}
    pivots = random.Random(seed).sample(sorted(G, key=repr), k)
    estimate = igraph_engine.sampled_closeness(G, pivots, distance=distance) if fast else None
    if estimate is not None:
        return estimate
    total: dict[Hashable, float] = dict.fromkeys(G, 0.0)
    reached: dict[Hashable, int] = dict.fromkeys(G, 0)
    for p in pivots:
        if distance is None:
            lengths = nx.single_source_shortest_path_length(G, p)
        else:
            lengths = nx.single_source_dijkstra_path_length(G, p, weight=distance)
        for v, d in lengths.items():
            if v != p:
                total[v] += d
                reached[v] += 1
    pivot_set = set(pivots)
    out: dict[Hashable, float] = {}
    for v in G:
        others = k - (1 if v in pivot_set else 0)
        if reached[v] == 0 or others == 0:
            out[v] = 0.0
            continue
        share = reached[v] / others  # estimate of r / (n - 1)
        out[v] = share / (total[v] / reached[v])
    return out


def eigenvector(
    G: Graph,
    *,
    weight: str | None = None,
    max_iter: int = 1000,
    tol: float = 1.0e-8,
    backend: str | None = None,
    engine: str | None = None,
) -> dict[Hashable, float]:
    """Return the eigenvector centrality of each node (Euclidean norm 1).

    networkx's power iteration on ``A + I``; for a directed graph it is the left
    eigenvector (in-ties confer status). Raises ``networkx.PowerIterationFailedConvergence``
    when ``max_iter`` is not enough. On a graph that is not connected the iteration's
    limit keeps only the components of largest eigenvalue. ``backend`` and ``engine``: see
    the module's docstring; igraph computes the limit itself (ARPACK), so ``max_iter`` and
    ``tol`` apply to networkx only, and a digraph that is not strongly connected runs on
    networkx.

    Example
    -------
    >>> import networkx as nx
    >>> c = eigenvector(nx.star_graph(2))
    >>> round(c[0], 4), round(c[1], 4)
    (0.7071, 0.5)

    References
    ----------
    .. [1] Bonacich, P. (1987). Power and centrality: a family of measures.
       American Journal of Sociology 92(5), 1170-1182.
    """
    if len(G) == 0:
        return {}
    if choose(engine, backend) == "igraph":
        fast = igraph_engine.eigenvector(G, weight=weight)
        if fast is not None:
            return fast
    result = nx.eigenvector_centrality(
        G, max_iter=max_iter, tol=tol, weight=weight, backend=backend
    )
    return {v: float(c) for v, c in result.items()}


def pagerank(
    G: Graph,
    *,
    alpha: float = 0.85,
    weight: str | None = "weight",
    max_iter: int = 1000,
    tol: float = 1.0e-10,
    engine: str | None = None,
) -> dict[Hashable, float]:
    """Return the PageRank of each node (values sum to 1).

    Power iteration in pure Python (networkx's own ``pagerank`` needs SciPy, which
    helixgraph does not depend on). An undirected tie counts in both directions; a node
    without out-ties (dangling) spreads its rank uniformly, as networkx and igraph do.
    Edges without the ``weight`` attribute weigh 1. On the igraph ``engine`` (the default,
    see the module's docstring) PRPACK solves the same system directly (``max_iter`` and
    ``tol`` apply to the power iteration only).

    Example
    -------
    >>> import networkx as nx
    >>> pr = pagerank(nx.star_graph(2))
    >>> round(pr[0], 4), round(pr[1], 4)
    (0.4865, 0.2568)

    References
    ----------
    .. [1] Page, L., Brin, S., Motwani, R., Winograd, T. (1999). The PageRank citation
       ranking: bringing order to the web. Stanford InfoLab Technical Report 1999-66.
    """
    if choose(engine) == "igraph":
        fast = igraph_engine.pagerank(G, alpha=alpha, weight=weight)
        if fast is not None:
            return fast
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    out_links: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    edges = G.edges(data=True)
    for u, v, data in edges:
        w = float(data.get(weight, 1.0)) if weight is not None else 1.0
        out_links[index[u]].append((index[v], w))
        if not G.is_directed() and u != v:
            out_links[index[v]].append((index[u], w))
    totals = [sum(w for _, w in links) for links in out_links]
    dangling = [i for i in range(n) if totals[i] == 0]
    rank = [1.0 / n] * n
    for _ in range(max_iter):
        new = [0.0] * n
        for i, links in enumerate(out_links):
            if totals[i] == 0:
                continue
            share = alpha * rank[i] / totals[i]
            for j, w in links:
                new[j] += share * w
        spread = (alpha * sum(rank[i] for i in dangling) + (1.0 - alpha)) / n
        new = [x + spread for x in new]
        err = sum(abs(a - b) for a, b in zip(new, rank, strict=True))
        rank = new
        if err < n * tol:
            break
    else:
        raise nx.PowerIterationFailedConvergence(max_iter)
    return {v: rank[i] for v, i in index.items()}
