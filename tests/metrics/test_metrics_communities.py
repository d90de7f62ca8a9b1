from __future__ import annotations

import random

import igraph as ig
import networkx as nx
import pytest
from metric_graphs import snapshot

from helixgraph.metrics.communities import community_helix_composition, louvain_communities


def test_two_triangles_joined_by_a_bridge() -> None:
    G = nx.Graph([(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (2, 3)])
    r = louvain_communities(G)
    assert r["communities"] == [[0, 1, 2], [3, 4, 5]]
    assert r["membership"][4] == 1 and r["sizes"] == [3, 3]
    assert r["modularity"] == pytest.approx(5 / 14)


def test_seeded_partition_repeats() -> None:
    G = nx.karate_club_graph()
    assert louvain_communities(G, seed=42) == louvain_communities(G, seed=42)


def test_modularity_agrees_with_igraph_and_is_close_to_igraph_multilevel() -> None:
    G = nx.karate_club_graph()
    r = louvain_communities(G, seed=1)
    nodes = list(G)
    g = ig.Graph(n=len(nodes), edges=[(nodes.index(u), nodes.index(v)) for u, v in G.edges()])
    g.es["weight"] = [d["weight"] for _, _, d in G.edges(data=True)]
    membership = [r["membership"][v] for v in nodes]
    assert r["modularity"] == pytest.approx(g.modularity(membership, weights="weight"))
    random.seed(1)  # igraph draws from Python's random module: seed it so the test repeats
    best = max(g.community_multilevel(weights="weight").modularity for _ in range(5))
    assert r["modularity"] == pytest.approx(best, abs=0.02)


def test_graph_without_edges_and_helix_composition() -> None:
    G = nx.Graph()
    G.add_nodes_from([("a", {"helix": "academia"}), ("b", {})])
    r = louvain_communities(G)
    assert r["communities"] == [["a"], ["b"]] and r["modularity"] == 0.0
    assert community_helix_composition(G, r["membership"]) == {
        0: {"academia": 1},
        1: {"unknown": 1},
    }


def test_communities_do_not_mutate() -> None:
    G = nx.karate_club_graph()
    before = snapshot(G)
    community_helix_composition(G, louvain_communities(G)["membership"], group="club")
    assert snapshot(G) == before
