from __future__ import annotations

import itertools

import networkx as nx
import pytest
from metric_graphs import random_graph, snapshot

from helixgraph.metrics.helix import cross_helix_matrix, ei_index, triple_helix_triads


def small() -> nx.Graph:
    G = nx.Graph([("u1", "u2"), ("u1", "f1"), ("f1", "g1"), ("u2", "g1", {"weight": 3})])
    nx.set_node_attributes(
        G, {"u1": "academia", "u2": "academia", "f1": "industry", "g1": "government"}, "helix"
    )
    return G


def test_ei_index_by_hand() -> None:
    r = ei_index(small())
    assert r["internal"] == 1 and r["external"] == 3
    assert r["overall"] == pytest.approx((3 - 1) / 4)
    assert r["groups"] == {
        "academia": pytest.approx((2 - 1) / 3),
        "industry": 1.0,
        "government": 1.0,
    }
    assert r["nodes"]["u1"] == 0.0 and r["nodes"]["f1"] == 1.0


def test_ei_index_weighted_and_missing_groups() -> None:
    G = small()
    assert ei_index(G, weight="weight")["overall"] == pytest.approx((5 - 1) / 6)
    G.add_edge("u1", "x")  # x has no helix: the tie is left out
    assert ei_index(G)["overall"] == pytest.approx(0.5)
    assert "x" not in ei_index(G)["nodes"]
    lonely = nx.Graph()
    lonely.add_node("a", helix="academia")
    assert ei_index(lonely)["overall"] is None and ei_index(lonely)["groups"]["academia"] is None


def test_ei_index_of_a_directed_graph_counts_each_arc() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    nx.set_node_attributes(G, {"a": "U", "b": "U", "c": "I"}, "helix")
    assert ei_index(G)["overall"] == pytest.approx((1 - 2) / 3)


def test_cross_helix_matrix_undirected_and_directed() -> None:
    M = cross_helix_matrix(small())
    assert M["academia"]["academia"] == 1
    assert M["academia"]["industry"] == M["industry"]["academia"] == 1
    assert M["academia"]["government"] == 1 and M["industry"]["government"] == 1
    assert cross_helix_matrix(small(), weight="weight")["government"]["academia"] == 3
    D = nx.DiGraph([("a", "c")])
    nx.set_node_attributes(D, {"a": "U", "c": "I"}, "helix")
    assert cross_helix_matrix(D) == {"I": {"I": 0.0, "U": 0.0}, "U": {"I": 1.0, "U": 0.0}}


def test_cross_helix_matrix_totals_agree_with_ei_index() -> None:
    G = random_graph(40, 0.1, seed=3)
    M = cross_helix_matrix(G)
    r = ei_index(G)
    internal = sum(M[g][g] for g in M)
    external = sum(M[g][h] for g in M for h in M if g != h) / 2
    assert (internal, external) == (r["internal"], r["external"])


def test_triads_match_brute_force_over_all_triangles() -> None:
    G = random_graph(40, 0.25, seed=8)
    found = triple_helix_triads(G, limit=None)
    expected = []
    for a, b, c in itertools.combinations(G, 3):
        if G.has_edge(a, b) and G.has_edge(b, c) and G.has_edge(a, c):
            by = {G.nodes[v]["helix"]: v for v in (a, b, c)}
            if set(by) == {"academia", "industry", "government"}:
                expected.append((by["academia"], by["industry"], by["government"]))
    assert found["count"] == len(expected) > 0
    assert sorted(found["triads"], key=str) == sorted(expected, key=str)
    per_node = {v: sum(v in t for t in expected) for v in G if any(v in t for t in expected)}
    assert found["nodes"] == per_node
    assert len(triple_helix_triads(G, limit=2)["triads"]) == 2


def test_triads_reject_bad_spheres_and_do_not_mutate() -> None:
    G = random_graph(15, 0.3, seed=1)
    before = snapshot(G)
    ei_index(G), cross_helix_matrix(G), triple_helix_triads(G)
    assert snapshot(G) == before
    with pytest.raises(ValueError, match="three different"):
        triple_helix_triads(G, spheres=("academia", "academia", "industry"))
