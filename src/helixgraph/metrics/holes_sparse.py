"""Burt's constraint and effective size as sparse matrix products (SciPy).

The pure-Python functions of :mod:`.structural_holes` walk every triangle around every
node; on the default regional collaboration network (8,535 organisations, 216,486 ties,
5.2 million triangles: a project with many partners is a clique) that took 90 s. Here the
same sums are products of sparse matrices, computed a block of rows at a time so the
intermediate two-step matrix never has to be held whole:

- ``P`` is the proportional tie strength (``p_ij``, mutual weights ``a_ij + a_ji``, each row
  divided by its sum) and ``M`` the marginal strength (``m_jq``: each row divided by its
  largest entry);
- constraint ``c_i = sum_j (p_ij + (P P)_ij) ** 2`` over ``i``'s contacts ``j``;
- effective size ``ES_i = n_i - sum_j (P M^T)_ij`` over ``i``'s contacts ``j``.

The values are those of the pure-Python path up to the order of floating-point sums
(relative differences of about 1e-15; the tests compare them). :func:`usable` says when
this path applies: every tie weight a positive finite number (a zero-weight tie still
counts as a contact in the pure-Python path, which then decides).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import numpy as np
import scipy.sparse as sp

from helixgraph.metrics.engine import cached

Graph = Any
BLOCK = 1024  # rows of the two-step products computed at a time


def matrix(G: Graph, weight: str | None) -> tuple[list[Hashable], Any] | None:
    """The nodes of ``G`` and its mutual tie weights as a CSR matrix (self-loops left
    out), or ``None`` when a weight is not a positive finite number; made once per graph
    and kept with it (:func:`.engine.cached`)."""
    return cached(G, ("mutual", weight), lambda: _matrix(G, weight))  # type: ignore[no-any-return]


def _matrix(G: Graph, weight: str | None) -> tuple[list[Hashable], Any] | None:
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    ties = (
        G.edges(data=weight, default=1.0)
        if weight is not None
        else ((u, v, 1.0) for u, v in G.edges())
    )
    for u, v, x in ties:
        if u == v:
            continue
        try:
            x = float(x)
        except (TypeError, ValueError):
            return None
        if not (x > 0 and math.isfinite(x)):
            return None
        a, b = index[u], index[v]
        rows += (a, b)
        cols += (b, a)
        values += (x, x)
    n = len(nodes)
    A = sp.coo_matrix((values, (rows, cols)), shape=(n, n), dtype=float).tocsr()
    A.sum_duplicates()
    return nodes, A


def _scaled(A: Any, by: Any) -> Any:
    """Each row of ``A`` divided by ``by`` (0 where ``by`` is 0)."""
    inverse = np.divide(1.0, by, out=np.zeros_like(by), where=by != 0)
    return sp.diags(inverse) @ A


def _masked_products(A: Any, left: Any, right_t: Any) -> tuple[Any, Any]:
    """For each row ``i``: ``sum_j (left @ right_t)_ij`` and the masked product's entries,
    over ``i``'s contacts ``j`` (the nonzeros of ``A``), a block of rows at a time."""
    n = A.shape[0]
    sums = np.zeros(n)
    blocks = []
    mask = A.copy()
    mask.data[:] = 1.0
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        product = (left[start:stop] @ right_t).multiply(mask[start:stop]).tocsr()
        sums[start:stop] = np.asarray(product.sum(axis=1)).ravel()
        blocks.append(product)
    return sums, sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, 0))


def _proportions(G: Graph, weight: str | None) -> tuple[list[Hashable], Any, Any] | None:
    """The nodes, the tie matrix ``A`` and each tie's share of its node's ties ``P``; or
    ``None`` when :func:`matrix` cannot read the weights; made once per graph (constraint
    and effective size both start from them)."""
    return cached(G, ("proportions", weight), lambda: _shares(G, weight))  # type: ignore[no-any-return]


def _shares(G: Graph, weight: str | None) -> tuple[list[Hashable], Any, Any] | None:
    read = matrix(G, weight)
    if read is None:
        return None
    nodes, A = read
    return nodes, A, _scaled(A, np.asarray(A.sum(axis=1)).ravel()).tocsr()


def constraint(G: Graph, weight: str | None) -> dict[Hashable, float | None] | None:
    """Burt's constraint of every node of ``G`` (``None`` for a node without ties), or
    ``None`` when :func:`matrix` cannot read the weights."""
    read = _proportions(G, weight)
    if read is None:
        return None
    nodes, A, P = read
    _, indirect = _masked_products(A, P, P)
    # p_ij + (P P)_ij over the contacts: both have A's pattern (indirect's is a subset)
    total = (P + indirect).tocsr()
    total.data **= 2
    values = np.asarray(total.sum(axis=1)).ravel()
    degree = np.diff(A.indptr)
    return {v: float(values[i]) if degree[i] else None for i, v in enumerate(nodes)}


def effective_size(G: Graph, weight: str | None) -> dict[Hashable, float | None] | None:
    """Burt's effective size of every node's ego network (``None`` without ties), or
    ``None`` when :func:`matrix` cannot read the weights."""
    read = _proportions(G, weight)
    if read is None:
        return None
    nodes, A, P = read
    strongest = np.asarray(A.max(axis=1).todense()).ravel()
    M = _scaled(A, strongest).tocsr()
    redundancy, _ = _masked_products(A, P, M.T.tocsr())
    degree = np.diff(A.indptr)
    return {v: float(degree[i] - redundancy[i]) if degree[i] else None for i, v in enumerate(nodes)}
