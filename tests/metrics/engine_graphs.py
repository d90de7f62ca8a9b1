"""Graphs the engine tests compare igraph and networkx on: small named ones, seeded medium ones."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Any

import networkx as nx
from metric_graphs import random_graph


def with_isolates(G: Any, count: int) -> Any:
    G.add_nodes_from(f"alone-{i}" for i in range(count))
    return G


def weighted_karate() -> Any:
    return nx.karate_club_graph()  # 'weight': interaction counts


def multigraph(n: int, m: int, seed: int, *, directed: bool = False) -> Any:
    """Parallel edges with different weights, self-loops and isolates."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph() if directed else nx.MultiGraph()
    G.add_nodes_from(range(n))
    for _ in range(m):
        u = rng.randrange(n)
        v = u if rng.random() < 0.02 else rng.randrange(n)
        G.add_edge(u, v, weight=rng.randint(1, 6))
        if rng.random() < 0.15:
            G.add_edge(u, v, weight=rng.randint(1, 6))  # a parallel edge
    return G


def loops_and_parallel() -> Any:
    G = nx.MultiGraph([(0, 1), (0, 1), (1, 2), (2, 0), (2, 3), (3, 3), (3, 4)])
    for i, (u, v, key) in enumerate(G.edges(keys=True)):
        G[u][v][key]["weight"] = 1 + i % 3
    return with_isolates(G, 1)


def directed_with_loops() -> Any:
    G = random_graph(40, 0.08, seed=21, directed=True, weighted=True)
    G.add_edge(3, 3, weight=2)
    return with_isolates(G, 2)


SMALL: dict[str, Callable[[], Any]] = {
    "path": lambda: nx.path_graph(5),
    "star": lambda: nx.star_graph(6),
    "two triangles": lambda: nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)]),
    "karate (weighted)": weighted_karate,
    "florentine": nx.florentine_families_graph,
    "les miserables (weighted)": nx.les_miserables_graph,
    "random, isolates": lambda: with_isolates(random_graph(40, 0.06, seed=1), 3),
    "random weighted": lambda: random_graph(50, 0.1, seed=2, weighted=True),
    "random directed": lambda: random_graph(50, 0.06, seed=3, directed=True, weighted=True),
    "directed with loops": directed_with_loops,
    "multigraph with loops": loops_and_parallel,
    "random multigraph": lambda: multigraph(60, 90, seed=4),
    "random multidigraph": lambda: multigraph(60, 120, seed=5, directed=True),
    "disconnected": lambda: nx.Graph([(0, 1), (2, 3), (3, 4), (5, 6), (6, 7), (7, 5)]),
}


def medium_undirected() -> Any:
    """2,000 nodes at mean degree 3: a giant component, small ones and isolates."""
    return with_isolates(random_graph(2000, 3 / 2000, seed=7), 20)


def medium_weighted() -> Any:
    return with_isolates(random_graph(2000, 4 / 2000, seed=8, weighted=True), 20)


def medium_directed() -> Any:
    return with_isolates(random_graph(1500, 3 / 1500, seed=9, directed=True, weighted=True), 10)


def medium_multigraph() -> Any:
    return multigraph(2000, 3500, seed=10)


def medium_collaboration() -> Any:
    """3,000 organisations in 900 projects of 2-12 partners drawn with Zipf-like odds,
    tied by shared projects (weight: their number): a collaboration network's shape."""
    rng = random.Random(12)
    odds = [1 / (i + 1) ** 0.9 for i in range(3000)]
    G = nx.Graph()
    G.add_nodes_from(range(3000))
    for _ in range(900):
        members = sorted(set(rng.choices(range(3000), weights=odds, k=rng.randint(2, 12))))
        for u, v in itertools.combinations(members, 2):
            G.add_edge(u, v, weight=G[u][v]["weight"] + 1 if G.has_edge(u, v) else 1)
    return G


def medium_clustered() -> Any:
    """3,000 nodes in 30 planted groups, weighted: communities to find."""
    G = nx.planted_partition_graph(30, 100, 0.08, 0.002, seed=11)
    rng = random.Random(11)
    for u, v in G.edges():
        G[u][v]["weight"] = rng.randint(1, 4)
    return G


MEDIUM: dict[str, Callable[[], Any]] = {
    "undirected": medium_undirected,
    "weighted": medium_weighted,
    "directed": medium_directed,
    "multigraph": medium_multigraph,
}
