"""Shared helpers for the metric tests: random graphs and a snapshot to prove no mutation."""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

HELICES = ("academia", "industry", "government", "civil_society")


def random_graph(
    n: int, p: float, seed: int, *, directed: bool = False, weighted: bool = False
) -> Any:
    G = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    rng = random.Random(seed)
    for v in G:
        G.nodes[v]["helix"] = rng.choice(HELICES[:3])
    if weighted:
        for u, v in G.edges():
            G[u][v]["weight"] = rng.randint(1, 5)
    return G


def snapshot(G: Any) -> tuple[Any, ...]:
    """Everything a metric could change: nodes, edges, their attributes, graph attributes."""
    return (
        sorted(((repr(v), repr(sorted(d.items()))) for v, d in G.nodes(data=True))),
        sorted(((repr(u), repr(v), repr(sorted(d.items()))) for u, v, d in G.edges(data=True))),
        repr(sorted(G.graph.items())),
    )
