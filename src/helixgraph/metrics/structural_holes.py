"""Burt's structural holes: constraint, effective size and efficiency.

All three work on *mutual* tie weights, ``a_ij + a_ji`` (so a directed graph is read as
its underlying undirected graph with the weights of both directions added, as in Burt
1992 and networkx). Self-loops are ignored. An isolated node has no ego network and
gets ``None``.

The functions compute every node in one pass over the triangles around it, in pure
Python, on small graphs and when the networkx engine is chosen (:mod:`.engine`); from
:data:`SPARSE_FROM` ties on, with the default engine, as sparse matrix products
(:mod:`.holes_sparse`: 5-10x faster on the regional network, same values to rounding).
networkx's own ``effective_size`` takes a SciPy shortcut when ``nodes`` is not
given, and that shortcut is wrong for weighted or directed graphs; its pure-Python path
(used when ``nodes`` is passed) is right but renormalises each tie for every call, which
is too slow for graphs with thousands of ties per node. The tests check these functions
against that pure-Python path and against igraph.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from helixgraph.metrics import holes_sparse
from helixgraph.metrics.engine import choose

Graph = Any

Weights = dict[Hashable, dict[Hashable, float]]
SPARSE_FROM = 500  # ties from which the fast engine computes with sparse matrices


def _sparse(
    G: Graph,
    weight: str | None,
    nodes: Iterable[Hashable] | None,
    engine: str | None,
    function: Callable[[Graph, str | None], dict[Hashable, float | None] | None],
) -> dict[Hashable, float | None] | None:
    """``function`` (of :mod:`.holes_sparse`) on ``G``, restricted to ``nodes``; ``None``
    when the pure-Python path is to run (networkx engine, a small graph, odd weights)."""
    if choose(engine) != "igraph" or G.number_of_edges() < SPARSE_FROM:
        return None
    found = function(G, weight)
    if found is None or nodes is None:
        return found
    return {v: found[v] for v in nodes}


def _mutual_weights(G: Graph, weight: str | None) -> Weights:
    mw: Weights = {v: {} for v in G}
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        w = float(data.get(weight, 1.0)) if weight is not None else 1.0
        mw[u][v] = mw[u].get(v, 0.0) + w
        mw[v][u] = mw[v].get(u, 0.0) + w
    return mw


def _proportions(mw: Weights) -> Weights:
    p: Weights = {}
    for v, ties in mw.items():
        total = sum(ties.values())
        p[v] = {u: w / total for u, w in ties.items()} if total else {}
    return p


def _per_node(
    G: Graph,
    nodes: Iterable[Hashable] | None,
    p: Weights,
    value: Callable[[dict[Hashable, float]], float],
) -> dict[Hashable, float | None]:
    """``value(p[i])`` for each node ``i`` of ``G`` (or of ``nodes``); None for a node
    without ties."""
    targets = list(G) if nodes is None else list(nodes)
    return {i: value(p[i]) if p[i] else None for i in targets}


def constraint(
    G: Graph,
    weight: str | None = None,
    nodes: Iterable[Hashable] | None = None,
    *,
    engine: str | None = None,
) -> dict[Hashable, float | None]:
    """Return Burt's constraint on each node (or on ``nodes``).

    ``c_i = sum_j (p_ij + sum_q p_iq p_qj) ** 2`` over the contacts ``j`` of ``i``, where
    ``p_ij`` is the share of ``i``'s (mutual) tie weight invested in ``j`` and ``q`` runs over
    ``i``'s other contacts. High constraint: a closed, redundant network; low: brokerage
    opportunities across structural holes.

    Example
    -------
    >>> import networkx as nx
    >>> c = constraint(nx.star_graph(3))
    >>> round(c[0], 4), c[1]
    (0.3333, 1.0)

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
       Harvard University Press, 54-55.
    .. [2] Burt, R. S. (2004). Structural holes and good ideas. American Journal of
       Sociology 110(2), 349-399.
    """
    fast = _sparse(G, weight, nodes, engine, holes_sparse.constraint)
    if fast is not None:
        return fast
    p = _proportions(_mutual_weights(G, weight))

    def burt(pi: dict[Hashable, float]) -> float:
        indirect = dict.fromkeys(pi, 0.0)
        contacts = pi.keys()
        for q, piq in pi.items():
            pq = p[q]
            for j in contacts & pq.keys():
                indirect[j] += piq * pq[j]
        return sum((pij + indirect[j]) ** 2 for j, pij in pi.items())

    return _per_node(G, nodes, p, burt)


def effective_size(
    G: Graph,
    weight: str | None = None,
    nodes: Iterable[Hashable] | None = None,
    *,
    engine: str | None = None,
) -> dict[Hashable, float | None]:
    """Return Burt's effective size of each node's ego network (or of ``nodes``).

    ``ES_i = sum_j (1 - sum_q p_iq m_jq)``, where ``m_jq`` is ``j``'s tie to ``q`` divided by
    ``j``'s strongest tie. Unweighted and undirected this is Borgatti's ``n - 2t/n``
    (``n`` contacts, ``t`` ties among them).

    Example
    -------
    >>> import networkx as nx
    >>> effective_size(nx.complete_graph(3))
    {0: 1.0, 1: 1.0, 2: 1.0}

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
       Harvard University Press, 52-53.
    .. [2] Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy measures.
       Connections 20(1), 35-38.
    """
    fast = _sparse(G, weight, nodes, engine, holes_sparse.effective_size)
    if fast is not None:
        return fast
    mw = _mutual_weights(G, weight)
    p = _proportions(mw)
    strongest = {v: max(ties.values()) if ties else 0.0 for v, ties in mw.items()}

    def effective(pi: dict[Hashable, float]) -> float:
        contacts = pi.keys()
        redundancy = 0.0
        for q, piq in pi.items():
            mq = mw[q]
            for j in contacts & mq.keys():
                redundancy += piq * mq[j] / strongest[j]
        return len(pi) - redundancy

    return _per_node(G, nodes, p, effective)


def efficiency(
    G: Graph,
    weight: str | None = None,
    nodes: Iterable[Hashable] | None = None,
    *,
    engine: str | None = None,
) -> dict[Hashable, float | None]:
    """Return Burt's efficiency: effective size divided by the number of contacts.

    Example
    -------
    >>> import networkx as nx
    >>> efficiency(nx.star_graph(2))[0]
    1.0

    References
    ----------
    .. [1] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
       Harvard University Press, 52-53.
    """
    mw = _mutual_weights(G, weight)
    sizes = effective_size(G, weight=weight, nodes=nodes, engine=engine)
    return {v: None if es is None else es / len(mw[v]) for v, es in sizes.items()}
