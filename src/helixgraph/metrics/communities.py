"""Communities: seeded Louvain partitions and their helix composition."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

Graph = Any


def louvain_communities(
    G: Graph,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int = 0,
    threshold: float = 1.0e-7,
    backend: str | None = None,
) -> dict[str, Any]:
    """Return a Louvain partition of ``G``: communities, membership and modularity.

    networkx's Louvain with a fixed ``seed``, so the same graph and seed give the same
    partition. Communities are numbered by size (largest first; ties broken by their
    smallest member), members are sorted. A directed graph is partitioned with
    directed modularity (Leicht & Newman), as networkx does. ``backend``: the networkx
    backend to run Louvain (``None``: networkx's configuration decides, see
    :mod:`helixgraph.metrics.centrality`).

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
    if G.number_of_edges() == 0:
        parts: list[set[Hashable]] = [{v} for v in G]
        q = 0.0
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
