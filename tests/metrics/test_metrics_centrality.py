from __future__ import annotations

import igraph as ig
import networkx as nx
import pytest
from metric_graphs import random_graph, snapshot

from helixgraph.metrics import centrality as c


def to_igraph(G: nx.Graph) -> tuple[ig.Graph, list[object]]:
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(
        n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()], directed=G.is_directed()
    )
    g.es["weight"] = [float(d.get("weight", 1.0)) for _, _, d in G.edges(data=True)]
    return g, nodes


def test_degree_and_strength_by_hand() -> None:
    G = nx.DiGraph([("a", "b", {"weight": 2.0}), ("b", "c", {"weight": 3.0}), ("c", "b")])
    assert c.degree(G) == {"a": 1, "b": 3, "c": 2}
    assert c.degree(G, "in") == {"a": 0, "b": 2, "c": 1}
    assert c.degree(G, "out") == {"a": 1, "b": 1, "c": 1}
    assert c.strength(G) == {"a": 2.0, "b": 6.0, "c": 4.0}
    assert c.strength(G, direction="in") == {"a": 0.0, "b": 3.0, "c": 3.0}


def test_betweenness_exact_matches_igraph() -> None:
    G = random_graph(40, 0.1, seed=1)
    g, nodes = to_igraph(G)
    raw = g.betweenness()
    n = len(nodes)
    scale = 2.0 / ((n - 1) * (n - 2))
    ours = c.betweenness(G)
    for i, v in enumerate(nodes):
        assert ours[v] == pytest.approx(raw[i] * scale, abs=1e-12)


def test_sampled_betweenness_repeats_with_seed_and_is_exact_at_full_sample() -> None:
    G = random_graph(60, 0.08, seed=2)
    assert c.betweenness(G, k=10, seed=3) == c.betweenness(G, k=10, seed=3)
    assert c.betweenness(G, k=10, seed=3) != c.betweenness(G, k=10, seed=4)
    assert c.betweenness(G, k=len(G)) == c.betweenness(G)


def test_closeness_exact_matches_igraph_on_connected_graph() -> None:
    G = nx.karate_club_graph()
    g, nodes = to_igraph(G)
    theirs = g.closeness()
    ours = c.closeness(G)
    for i, v in enumerate(nodes):
        assert ours[v] == pytest.approx(theirs[i])


def test_sampled_closeness_is_exact_with_all_pivots_and_close_with_half() -> None:
    G = nx.karate_club_graph()
    exact = c.closeness(G)
    assert c.closeness(G, k=len(G)) == exact
    estimate = c.closeness(G, k=17, seed=0)
    assert estimate == c.closeness(G, k=17, seed=0)
    worst = max(abs(estimate[v] - exact[v]) / exact[v] for v in G)
    assert worst < 0.15


def test_sampled_closeness_on_disconnected_graph_follows_wasserman_faust() -> None:
    G = nx.Graph([(0, 1), (2, 3), (3, 4)])
    exact = c.closeness(G)
    assert exact == pytest.approx(nx.closeness_centrality(G))
    # every other node is a pivot: node 0 reaches 1 of 4 -> (1/4) / 1
    assert c.closeness(G, k=5) == exact


def test_eigenvector_matches_igraph() -> None:
    G = random_graph(40, 0.15, seed=5)
    G = G.subgraph(max(nx.connected_components(G), key=len)).copy()
    g, nodes = to_igraph(G)
    theirs = g.eigenvector_centrality()
    ours = c.eigenvector(G)
    top = max(ours.values())
    for i, v in enumerate(nodes):
        assert ours[v] / top == pytest.approx(theirs[i], abs=1e-6)


@pytest.mark.parametrize("directed", [False, True])
def test_pagerank_matches_igraph_weighted_with_dangling_nodes(directed: bool) -> None:
    G = random_graph(50, 0.06, seed=11, directed=directed, weighted=True)
    G.add_node("lonely")
    g, nodes = to_igraph(G)
    theirs = g.pagerank(weights="weight", directed=directed)
    ours = c.pagerank(G)
    assert sum(ours.values()) == pytest.approx(1.0)
    for i, v in enumerate(nodes):
        assert ours[v] == pytest.approx(theirs[i], abs=1e-8)


def test_pagerank_unweighted_ignores_weights() -> None:
    G = nx.Graph([("a", "b", {"weight": 10}), ("b", "c")])
    assert c.pagerank(G, weight=None)["a"] == pytest.approx(c.pagerank(G, weight=None)["c"])
    assert c.pagerank(G)["a"] > c.pagerank(G)["c"]


def test_empty_graph() -> None:
    G = nx.Graph()
    assert c.pagerank(G) == {} and c.eigenvector(G) == {} and c.degree(G) == {}


def test_centralities_do_not_mutate_input() -> None:
    G = random_graph(30, 0.2, seed=9, weighted=True)
    before = snapshot(G)
    c.degree(G), c.strength(G), c.betweenness(G, k=5), c.closeness(G, k=5)
    c.eigenvector(G, weight="weight"), c.pagerank(G)
    assert snapshot(G) == before


def test_sampled_betweenness_needs_two_sources() -> None:
    # networkx 3.6 divides by k - 1 when it rescales a sampled estimate: k=1 gives NaN
    with pytest.raises(ValueError, match="at least 2 sampled sources"):
        c.betweenness(nx.path_graph(5), k=1)
    values = c.betweenness(nx.path_graph(5), k=2, seed=3)
    assert all(v == v for v in values.values())  # no NaN
