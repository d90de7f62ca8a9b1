"""Gould--Fernandez brokerage roles, with helix (or any node attribute) as the group.

A node ``b`` *brokers* when it sits on a two-path ``a -> b -> c`` (``a != c``) and there is
no tie ``a -> c``. Gould & Fernandez (1989) name the role by the groups of ``a``, ``b`` and
``c``:

================  ==========  ============================================
role              sna column  groups
================  ==========  ============================================
coordinator       ``w_I``     ``a``, ``b``, ``c`` all in one group
itinerant         ``w_O``     ``a`` and ``c`` in one group, ``b`` in another
representative    ``b_IO``    ``a`` with ``b``, ``c`` elsewhere
gatekeeper        ``b_OI``    ``b`` with ``c``, ``a`` elsewhere
liaison           ``b_O``     three different groups
================  ==========  ============================================

Conventions, following R's ``sna::brokerage`` (Butts), whose C routine and moment formulas
this module reproduces:

- every ordered two-path is counted; an undirected graph is read as a symmetric digraph,
  so each open undirected two-path counts twice (once each way), and a node's
  representative and gatekeeper counts are equal;
- only the tie ``a -> c`` closes a two-path (a tie ``c -> a`` does not);
- expected values and variances come from Gould & Fernandez's null model, a Bernoulli
  graph with the observed density ``d = m / (N (N - 1))`` (``m`` arcs, an undirected
  edge being two arcs); the per-node expectations depend only on the broker's group;
- z-scores are ``(raw - expected) / sd``, per node and for the whole graph.

Where this module differs from sna: self-loops are dropped before counting (sna counts
them in ``m``); a z-score whose standard deviation is zero is ``None`` rather than
``NaN``/``Inf``; nodes without the group attribute form one group of their own (``None``).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

from helixgraph.metrics import brokerage_sparse
from helixgraph.metrics.engine import choose

Graph = Any

BROKERAGE_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
_ALL = (*BROKERAGE_ROLES, "total")
SPARSE_FROM = 500  # ties from which the default engine counts with sparse products
SNA_NAMES = dict(zip(_ALL, ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t"), strict=True))


def _role(ga: Hashable, gb: Hashable, gc: Hashable) -> str:
    if ga == gb:
        return "coordinator" if gb == gc else "representative"
    if gb == gc:
        return "gatekeeper"
    return "itinerant" if ga == gc else "liaison"


def _raw_counts(
    G: Graph, group: dict[Hashable, Hashable], engine: str | None = None
) -> dict[Hashable, dict[str, int]]:
    if choose(engine) == "igraph" and G.number_of_edges() >= SPARSE_FROM:
        return brokerage_sparse.raw_counts(G, group, BROKERAGE_ROLES, _role)
    directed = G.is_directed()
    succ = {v: {u for u in G.successors(v) if u != v} if directed else set(G[v]) - {v} for v in G}
    pred = {v: {u for u in G.predecessors(v) if u != v} for v in G} if directed else succ
    out: dict[Hashable, dict[str, int]] = {}
    for b in G:
        counts = dict.fromkeys(_ALL, 0)
        out[b] = counts
        ins, outs = pred[b], succ[b]
        if not ins or not outs:
            continue
        out_by_group: dict[Hashable, set[Hashable]] = {}
        for c in outs:
            out_by_group.setdefault(group[c], set()).add(c)
        in_by_group: dict[Hashable, int] = {}
        for a in ins:
            in_by_group[group[a]] = in_by_group.get(group[a], 0) + 1
        pairs: dict[tuple[Hashable, Hashable], int] = {}
        for ga, na in in_by_group.items():
            for gc, members in out_by_group.items():
                pairs[ga, gc] = na * len(members)
        for a in ins & outs:  # a -> b -> a is not a two-path
            pairs[group[a], group[a]] -= 1
        for a in ins:
            ga, reach = group[a], succ[a]
            for gc, members in out_by_group.items():
                closed = len(reach & members) if len(reach) < len(members) else len(members & reach)
                if closed:
                    pairs[ga, gc] -= closed
        gb = group[b]
        for (ga, gc), count in pairs.items():
            counts[_role(ga, gb, gc)] += count
        counts["total"] = sum(counts[r] for r in BROKERAGE_ROLES)
    return out


def _choose2(x: float) -> float:
    return x * (x - 1.0) / 2.0


def _group_moments(
    sizes: dict[Hashable, float], N: float, d: float
) -> dict[Hashable, tuple[dict[str, float], dict[str, float]]]:
    """Expected values and variances of a node's counts, by the node's group (sna's ebr/vbr)."""
    c = d**2 * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    moments: dict[Hashable, tuple[dict[str, float], dict[str, float]]] = {}
    for g, ni in sizes.items():
        others = [n for h, n in sizes.items() if h != g]
        so = sum(others)
        e: dict[str, float] = {}
        v: dict[str, float] = {}
        e["coordinator"] = c * (ni - 1) * (ni - 2)
        v["coordinator"] = e["coordinator"] * (1 - c) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * c3
        e["itinerant"] = c * sum(n * (n - 1) for n in others)
        v["itinerant"] = (
            e["itinerant"] * (1 - c) + 2 * sum(n * (n - 1) * (n - 2) for n in others) * c3
        )
        e["representative"] = c * (N - ni) * (ni - 1)
        v["representative"] = (
            e["representative"] * (1 - c)
            + 2 * ((ni - 1) * _choose2(N - ni) + (N - ni) * _choose2(ni - 1)) * c3
        )
        e["gatekeeper"] = e["representative"]
        v["gatekeeper"] = v["representative"]
        e["liaison"] = c * (so * so - sum(n * n for n in others))
        v["liaison"] = (
            e["liaison"] * (1 - c) + 4 * sum(n * _choose2(N - n - ni) for n in others) * c3
        )
        e["total"] = c * (N - 1) * (N - 2)
        v["total"] = e["total"] * (1 - c) + 2 * (N - 1) * (N - 2) * (N - 3) * c3
        moments[g] = ({r: x + 0.0 for r, x in e.items()}, v)  # + 0.0: no -0.0 in output
    return moments


def _graph_moments(
    sizes: list[float], N: float, d: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Expected values and variances of the whole graph's counts (sna's egbr/vgbr)."""
    c = d**2 * (1 - d)
    c3 = d**3 * (1 - d) ** 3
    c4 = d**4 * (1 - d) ** 2
    c5 = d**5 * (1 - d)
    e: dict[str, float] = {}
    v: dict[str, float] = {}
    e["coordinator"] = c * sum(n * (n - 1) * (n - 2) for n in sizes)
    v["coordinator"] = e["coordinator"] * (1 - c) + sum(
        n * (n - 1) * (n - 2) * ((4 * n - 10) * c3 - 4 * (n - 3) * c4 + (n - 3) * c5) for n in sizes
    )
    e["itinerant"] = c * sum(n * (N - n) * (n - 1) for n in sizes)
    v["itinerant"] = e["itinerant"] * (1 - c) + sum(
        x * y * (x - 1) * ((2 * x + 2 * y - 6) * c3 + (N - x - 1) * c5)
        for i, x in enumerate(sizes)
        for j, y in enumerate(sizes)
        if i != j
    )
    e["representative"] = c * sum(n * (N - n) * (n - 1) for n in sizes)
    v["representative"] = e["representative"] * (1 - c) + sum(
        n * (N - n) * (n - 1) * ((N - 3) * c3 + (n - 2) * c5) for n in sizes
    )
    e["gatekeeper"] = e["representative"]
    v["gatekeeper"] = v["representative"]
    e["liaison"] = c * sum(
        x * y * (N - x - y) for i, x in enumerate(sizes) for j, y in enumerate(sizes) if i != j
    )
    v["liaison"] = e["liaison"] * (1 - c)
    k = len(sizes)
    for i in range(k):
        for j in range(k):
            for h in range(k):
                if i != j and j != h and i != h:
                    ni, nj, nk = sizes[i], sizes[j], sizes[h]
                    v["liaison"] += (
                        ni
                        * nj
                        * nk
                        * (
                            (4 * (N - nj) - 2 * (ni + nk + 1)) * c3
                            - (4 * (N - nk) - 2 * (ni + nj + 1)) * c4
                            + (N - (ni + nk + 1)) * c5
                        )
                    )
    e["total"] = c * N * (N - 1) * (N - 2)
    v["total"] = e["total"] * (1 - c) + N * (N - 1) * (N - 2) * (
        (4 * N - 10) * c3 - 4 * (N - 3) * c4 + (N - 3) * c5
    )
    return e, v


def _z(raw: float, expected: float, variance: float) -> float | None:
    if variance <= 0:
        return None
    return (raw - expected) / math.sqrt(variance)


def brokerage(G: Graph, group: str = "helix", *, engine: str | None = None) -> dict[str, Any]:
    """Return Gould--Fernandez brokerage counts, expectations and z-scores.

    ``group`` names the node attribute that holds each node's group (its helix). The
    result::

        {"directed": bool, "density": d, "roles": [...],
         "nodes": {node: {"group": g, "raw": {role: n}, "expected": {role: x},
                          "sd": {role: x}, "z": {role: x or None}}},
         "graph": {"raw": ..., "expected": ..., "sd": ..., "z": ...},
         "groups": {g: {"size": n, "expected": ..., "sd": ...}}}

    where the roles are coordinator, itinerant, representative, gatekeeper, liaison and
    total. See the module documentation for the conventions (those of R's
    ``sna::brokerage``) and where they differ. From :data:`SPARSE_FROM` ties on, the
    default engine (:mod:`.engine`) counts with sparse matrix products
    (:mod:`.brokerage_sparse`); the networkx engine walks the two-paths in Python.

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("u", "i"), ("i", "g")])
    >>> nx.set_node_attributes(G, {"u": "academia", "i": "industry", "g": "government"}, "helix")
    >>> brokerage(G)["nodes"]["i"]["raw"]["liaison"]
    1

    References
    ----------
    .. [1] Gould, R. V., Fernandez, R. M. (1989). Structures of mediation: a formal approach
       to brokerage in transaction networks. Sociological Methodology 19, 89-126.
    .. [2] Butts, C. T. (2008). Social network analysis with sna. Journal of Statistical
       Software 24(6); R package sna, function ``brokerage``.
    """
    groups: dict[Hashable, Hashable] = {v: G.nodes[v].get(group) for v in G}
    raw = _raw_counts(G, groups, engine)
    N = float(len(G))
    arcs = sum(1 for u, v in G.edges() if u != v) * (1 if G.is_directed() else 2)
    d = arcs / (N * (N - 1)) if N > 1 else 0.0
    sizes: dict[Hashable, float] = {}
    for g in groups.values():
        sizes[g] = sizes.get(g, 0.0) + 1.0
    by_group = _group_moments(sizes, N, d)
    nodes: dict[Hashable, dict[str, Any]] = {}
    for v in G:
        e, var = by_group[groups[v]]
        nodes[v] = {
            "group": groups[v],
            "raw": raw[v],
            "expected": dict(e),
            "sd": {r: math.sqrt(max(x, 0.0)) for r, x in var.items()},
            "z": {r: _z(raw[v][r], e[r], var[r]) for r in _ALL},
        }
    graph_raw = {r: sum(raw[v][r] for v in G) for r in _ALL}
    ge, gv = _graph_moments(list(sizes.values()), N, d)
    return {
        "directed": bool(G.is_directed()),
        "density": d,
        "roles": list(_ALL),
        "nodes": nodes,
        "graph": {
            "raw": graph_raw,
            "expected": ge,
            "sd": {r: math.sqrt(max(x, 0.0)) for r, x in gv.items()},
            "z": {r: _z(graph_raw[r], ge[r], gv[r]) for r in _ALL},
        },
        "groups": {
            g: {
                "size": int(sizes[g]),
                "expected": dict(by_group[g][0]),
                "sd": {r: math.sqrt(max(x, 0.0)) for r, x in by_group[g][1].items()},
            }
            for g in sizes
        },
    }
