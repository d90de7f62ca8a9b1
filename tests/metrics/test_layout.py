"""Server-side node positions (helixgraph.metrics.layout)."""

from __future__ import annotations

import math

import networkx as nx

from helixgraph.analytics.suite import map_metrics
from helixgraph.metrics.layout import positions


def test_positions_cover_every_node_within_the_unit_square() -> None:
    G = nx.karate_club_graph()
    G.add_node("alone")
    pos = positions(G)
    assert set(pos) == set(G)
    assert all(-1.0 <= c <= 1.0 for xy in pos.values() for c in xy)
    # scaled to fill the square in at least one direction
    assert max(abs(c) for xy in pos.values() for c in xy) == 1.0


def test_same_graph_and_seed_give_the_same_drawing_and_another_seed_another() -> None:
    G = nx.gnm_random_graph(1500, 4000, seed=3)  # above the grid threshold
    assert positions(G, seed=1) == positions(G, seed=1)
    assert positions(G, seed=1) != positions(G, seed=2)


def test_linked_nodes_sit_closer_than_unlinked_ones() -> None:
    G = nx.barbell_graph(20, 0)  # two cliques joined by one edge
    pos = positions(G)

    def mean(pairs: list[tuple[int, int]]) -> float:
        return sum(math.dist(pos[u], pos[v]) for u, v in pairs) / len(pairs)

    inside = [(u, v) for u in range(20) for v in range(u + 1, 20)]
    across = [(u, v) for u in range(20) for v in range(20, 40)]
    assert mean(inside) < mean(across) / 2


def test_empty_and_single_node_graphs() -> None:
    assert positions(nx.Graph()) == {}
    assert positions(nx.Graph([("a", "a")])) == {"a": (0.0, 0.0)}


def test_map_metrics_carry_positions_for_every_node() -> None:
    G = nx.karate_club_graph()
    nx.set_node_attributes(G, "academia", "helix")
    assert set(map_metrics(G)["positions"]) == set(G)
