"""Helix mixing: the E-I index, the cross-helix link matrix and closed U-I-G triads.

The group of a node is read from a node attribute (``helix`` by default). Nodes without
it are left out: ties that touch them count neither as internal nor as external.
Self-loops are ignored.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

Graph = Any

TRIPLE_HELIX = ("academia", "industry", "government")


def _tie_weight(data: dict[str, Any], weight: str | None) -> float:
    return float(data.get(weight, 1.0)) if weight is not None else 1.0


def _ei(external: float, internal: float) -> float | None:
    total = external + internal
    return None if total == 0 else (external - internal) / total


def ei_index(G: Graph, group: str = "helix", weight: str | None = None) -> dict[str, Any]:
    """Return Krackhardt & Stern's E-I index for the graph, each group and each node.

    ``EI = (E - I) / (E + I)``: ``E`` ties between groups, ``I`` ties within them, each
    tie counted once (an arc of a directed graph once, in its own direction); with
    ``weight``, tie weights are summed instead of ties counted. -1: all ties internal
    (homophily); +1: all external. For a group, ``E`` counts the ties between a member
    and a non-member and ``I`` the ties between two members. For a node, its own ties.
    A group or node without ties gets ``None``.

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.Graph([("u1", "u2"), ("u1", "f1")])
    >>> nx.set_node_attributes(G, {"u1": "academia", "u2": "academia", "f1": "industry"}, "helix")
    >>> ei_index(G)["overall"]
    0.0
    >>> ei_index(G)["groups"]["industry"]
    1.0

    References
    ----------
    .. [1] Krackhardt, D., Stern, R. N. (1988). Informal networks and organizational
       crises: an experimental simulation. Social Psychology Quarterly 51(2), 123-140.
    """
    label = {v: G.nodes[v].get(group) for v in G}
    external = internal = 0.0
    g_ext: dict[Hashable, float] = {}
    g_int: dict[Hashable, float] = {}
    n_ext: dict[Hashable, float] = {}
    n_int: dict[Hashable, float] = {}
    for g in label.values():
        if g is not None:
            g_ext.setdefault(g, 0.0)
            g_int.setdefault(g, 0.0)
    for u, v, data in G.edges(data=True):
        gu, gv = label[u], label[v]
        if u == v or gu is None or gv is None:
            continue
        w = _tie_weight(data, weight)
        if gu == gv:
            internal += w
            g_int[gu] += w
            n_int[u] = n_int.get(u, 0.0) + w
            n_int[v] = n_int.get(v, 0.0) + w
        else:
            external += w
            g_ext[gu] += w
            g_ext[gv] += w
            n_ext[u] = n_ext.get(u, 0.0) + w
            n_ext[v] = n_ext.get(v, 0.0) + w
    return {
        "overall": _ei(external, internal),
        "external": external,
        "internal": internal,
        "groups": {g: _ei(g_ext[g], g_int[g]) for g in g_ext},
        "nodes": {v: _ei(n_ext.get(v, 0.0), n_int.get(v, 0.0)) for v in G if label[v] is not None},
    }


def cross_helix_matrix(
    G: Graph, group: str = "helix", weight: str | None = None
) -> dict[Hashable, dict[Hashable, float]]:
    """Return the number (or total weight) of ties between each pair of groups.

    ``M[g][h]`` counts ties from a node of ``g`` to a node of ``h``. For an undirected
    graph the matrix is symmetric and a tie between two groups appears in both cells;
    a tie within ``g`` appears once, in ``M[g][g]``. For a directed graph ``M[g][h]``
    counts arcs from ``g`` to ``h``.

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.Graph([("u", "f"), ("f", "g")])
    >>> nx.set_node_attributes(G, {"u": "academia", "f": "industry", "g": "industry"}, "helix")
    >>> cross_helix_matrix(G)["academia"]["industry"], cross_helix_matrix(G)["industry"]["industry"]
    (1.0, 1.0)

    References
    ----------
    .. [1] Leydesdorff, L. (2003). The mutual information of university-industry-government
       relations: an indicator of the triple helix dynamics. Scientometrics 58(2), 445-467.
    """
    label = {v: G.nodes[v].get(group) for v in G}
    groups = sorted({g for g in label.values() if g is not None}, key=str)
    matrix: dict[Hashable, dict[Hashable, float]] = {g: dict.fromkeys(groups, 0.0) for g in groups}
    for u, v, data in G.edges(data=True):
        gu, gv = label[u], label[v]
        if u == v or gu is None or gv is None:
            continue
        w = _tie_weight(data, weight)
        matrix[gu][gv] += w
        if not G.is_directed() and gu != gv:
            matrix[gv][gu] += w
    return matrix


def triple_helix_triads(
    G: Graph,
    group: str = "helix",
    spheres: Sequence[Hashable] = TRIPLE_HELIX,
    limit: int | None = 100,
) -> dict[str, Any]:
    """Return the closed triads whose three nodes are one from each of three spheres.

    A triad counts when all three ties exist (direction ignored) and the nodes' groups
    are exactly ``spheres`` (by default academia, industry, government). The result has
    the ``count`` of such triangles, ``nodes``: for each node the number it closes, and
    ``triads``: up to ``limit`` of them (``None``: all), as tuples in the order of
    ``spheres``, sorted.

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.Graph([("u", "f"), ("f", "g"), ("g", "u"), ("u", "u2"), ("u2", "f")])
    >>> helix = {"u": "academia", "u2": "academia", "f": "industry", "g": "government"}
    >>> nx.set_node_attributes(G, helix, "helix")
    >>> triple_helix_triads(G)["triads"]
    [('u', 'f', 'g')]

    References
    ----------
    .. [1] Etzkowitz, H., Leydesdorff, L. (2000). The dynamics of innovation: from national
       systems and "Mode 2" to a triple helix of university-industry-government relations.
       Research Policy 29(2), 109-123.
    .. [2] Leydesdorff, L. (2003). The mutual information of university-industry-government
       relations. Scientometrics 58(2), 445-467.
    """
    if len(spheres) != 3 or len(set(spheres)) != 3:
        raise ValueError(f"spheres must be three different groups, got {list(spheres)!r}")
    first, second, third = spheres
    label = {v: G.nodes[v].get(group) for v in G}
    neighbours: dict[Hashable, set[Hashable]] = {v: set() for v in G}
    for u, v in G.edges():
        if u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    of_third = {v for v, g in label.items() if g == third}
    count = 0
    per_node: dict[Hashable, int] = {}
    triads: list[tuple[Hashable, Hashable, Hashable]] = []
    for a, ga in label.items():
        if ga != first:
            continue
        for b in neighbours[a]:
            if label[b] != second:
                continue
            common = neighbours[a] & neighbours[b] & of_third
            if not common:
                continue
            count += len(common)
            for v in (a, b):
                per_node[v] = per_node.get(v, 0) + len(common)
            for c in common:
                per_node[c] = per_node.get(c, 0) + 1
                if limit is None or len(triads) < limit:
                    triads.append((a, b, c))
    triads.sort(key=lambda t: tuple(map(str, t)))
    return {"spheres": list(spheres), "count": count, "nodes": per_node, "triads": triads}
