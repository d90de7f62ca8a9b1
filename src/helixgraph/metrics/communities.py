"""Communities: seeded Louvain and Leiden partitions and their helix composition.

Louvain runs on the metrics engine (:mod:`.engine`): igraph's multilevel algorithm unless
networkx is asked for (networkx's Louvain, the reference; a directed graph always runs on
networkx, whose Louvain optimises directed modularity). Leiden has no networkx
implementation: it always runs on igraph. Both are seeded.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

from helixgraph.metrics import igraph_engine
from helixgraph.metrics.engine import choose

Graph = Any


def louvain_communities(
    G: Graph,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int = 0,
    threshold: float = 1.0e-7,
    backend: str | None = None,
    engine: str | None = None,
) -> dict[str, Any]:
    """Return a Louvain partition of ``G``: communities, membership and modularity.

    Louvain with a fixed ``seed``, so the same graph, seed and engine give the same
    partition: igraph's multilevel algorithm on the default ``engine``, networkx's Louvain
    on the networkx engine (``threshold`` applies to it only); the two find partitions of
    about the same modularity, not always the same one. Communities are numbered by size
    (largest first; ties broken by their smallest member), members are sorted. A directed
    graph is partitioned with directed modularity (Leicht & Newman) by networkx.
    ``backend``: the networkx backend to run Louvain (it implies the networkx engine;
    ``None``: networkx's configuration decides, see :mod:`helixgraph.metrics.centrality`).

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)])
    >>> louvain_communities(G)["communities"]
    [[0, 1, 2], [3, 4, 5]]

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. J. Stat. Mech. P10008.
    .. [2] Newman, M. E. J. (2006). Modularity and community structure in networks.
       PNAS 103(23), 8577-8582.
    """
    found = None
    if G.number_of_edges() and choose(engine, backend) == "igraph":
        found = igraph_engine.communities(
            G, algorithm="louvain", weight=weight, resolution=resolution, seed=seed
        )
    if G.number_of_edges() == 0:
        parts: list[set[Hashable]] = [{v} for v in G]
        q = 0.0
    elif found is not None:
        parts, q = found
    else:
        parts = nx.community.louvain_communities(
            G,
            weight=weight,
            resolution=resolution,
            threshold=threshold,
            seed=seed,
            backend=backend,
        )
        q = float(nx.community.modularity(G, parts, weight=weight, resolution=resolution))
    return _partition(parts, q, seed=seed, resolution=resolution)


def leiden_communities(
    G: Graph,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int = 0,
    beta: float = 0.01,
    n_iterations: int = -1,
) -> dict[str, Any]:
    """Return a Leiden partition of ``G`` that maximises modularity, seeded.

    igraph's Leiden (networkx has none of its own) with the modularity objective at
    ``resolution``, iterated until stable (``n_iterations=-1``) or ``n_iterations``
    times; ``beta`` is the randomness of the refinement step. Unlike Louvain, every
    community it returns is connected. The result has the shape of
    :func:`louvain_communities`'s. An undirected graph only: a directed graph raises
    ``ValueError``.

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)])
    >>> leiden_communities(G)["communities"]
    [[0, 1, 2], [3, 4, 5]]

    References
    ----------
    .. [1] Traag, V. A., Waltman, L., van Eck, N. J. (2019). From Louvain to Leiden:
       guaranteeing well-connected communities. Scientific Reports 9, 5233.
    .. [2] Newman, M. E. J. (2006). Modularity and community structure in networks.
       PNAS 103(23), 8577-8582.
    """
    if G.is_directed():
        raise ValueError("leiden_communities needs an undirected graph")
    found = None
    if G.number_of_edges():
        found = igraph_engine.communities(
            G,
            algorithm="leiden",
            weight=weight,
            resolution=resolution,
            seed=seed,
            beta=beta,
            n_iterations=n_iterations,
        )
        if found is None:
            raise ValueError(f"leiden_communities needs non-negative numbers as {weight!r}")
    parts, q = found if found is not None else ([{v} for v in G], 0.0)
    return _partition(parts, q, seed=seed, resolution=resolution)


def _partition(
    parts: list[set[Hashable]], q: float, *, seed: int, resolution: float
) -> dict[str, Any]:
    ordered = sorted(
        (sorted(c, key=_sort_key) for c in parts),
        key=lambda c: (-len(c), _sort_key(c[0])),
    )
    membership = {v: i for i, c in enumerate(ordered) for v in c}
    return {
        "communities": ordered,
        "membership": membership,
        "modularity": q,
        "sizes": [len(c) for c in ordered],
        "seed": seed,
        "resolution": resolution,
    }


def _sort_key(v: Hashable) -> tuple[str, str]:
    return (type(v).__name__, str(v)) if not isinstance(v, int) else ("", f"{v:020d}")


def community_helix_composition(
    G: Graph, membership: Mapping[Hashable, int], group: str = "helix"
) -> dict[int, dict[str, int]]:
    """Return, for each community, how many of its nodes belong to each group.

    Nodes without the ``group`` attribute are counted under ``"unknown"``.

    Example
    -------
    >>> import networkx as nx
    >>> G = nx.Graph([("u", "f")])
    >>> nx.set_node_attributes(G, {"u": "academia", "f": "industry"}, "helix")
    >>> community_helix_composition(G, {"u": 0, "f": 0})
    {0: {'academia': 1, 'industry': 1}}

    References
    ----------
    .. [1] Etzkowitz, H., Leydesdorff, L. (2000). The dynamics of innovation. Research
       Policy 29(2), 109-123.
    """
    out: dict[int, dict[str, int]] = {}
    for v, c in membership.items():
        value = G.nodes[v].get(group)
        key = "unknown" if value is None else str(value)
        counts = out.setdefault(c, {})
        counts[key] = counts.get(key, 0) + 1
    return {c: dict(sorted(counts.items())) for c, counts in sorted(out.items())}
