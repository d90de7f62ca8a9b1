from __future__ import annotations

import igraph as ig
import networkx as nx
import pytest
from metric_graphs import random_graph, snapshot

from helixgraph.metrics import structural_holes as sh


def _igraph(G: nx.Graph) -> tuple[ig.Graph, list[object]]:
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(
        n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()], directed=G.is_directed()
    )
    g.es["weight"] = [float(d.get("weight", 1.0)) for _, _, d in G.edges(data=True)]
    return g, nodes


def test_constraint_by_hand_on_a_star_and_a_triangle() -> None:
    star = nx.star_graph(3)  # centre 0 with three unconnected contacts: 3 * (1/3)^2
    assert sh.constraint(star) == {0: pytest.approx(1 / 3), 1: 1.0, 2: 1.0, 3: 1.0}
    # triangle: p = 1/2 each, indirect 1/4, (1/2 + 1/4)^2 * 2 = 1.125
    assert sh.constraint(nx.complete_graph(3))[0] == pytest.approx(1.125)


@pytest.mark.parametrize(("directed", "weighted"), [(False, False), (False, True), (True, True)])
def test_constraint_matches_networkx_pure_python_path(directed: bool, weighted: bool) -> None:
    G = random_graph(35, 0.15, seed=3, directed=directed, weighted=weighted)
    weight = "weight" if weighted else None
    theirs = nx.constraint(G, nodes=list(G), weight=weight)
    ours = sh.constraint(G, weight=weight)
    for v in G:
        if G.degree(v) == 0:
            assert ours[v] is None
        else:
            assert ours[v] == pytest.approx(theirs[v])


@pytest.mark.parametrize("weighted", [False, True])
def test_constraint_matches_igraph(weighted: bool) -> None:
    G = random_graph(40, 0.12, seed=4, weighted=weighted)
    G.remove_nodes_from([v for v in list(G) if G.degree(v) == 0])
    g, nodes = _igraph(G)
    theirs = g.constraint(weights="weight" if weighted else None)
    ours = sh.constraint(G, weight="weight" if weighted else None)
    for i, v in enumerate(nodes):
        assert ours[v] == pytest.approx(theirs[i])


@pytest.mark.parametrize(
    ("directed", "weighted"), [(False, False), (False, True), (True, False), (True, True)]
)
def test_effective_size_matches_networkx_when_nodes_are_passed(
    directed: bool, weighted: bool
) -> None:
    G = random_graph(35, 0.15, seed=5, directed=directed, weighted=weighted)
    weight = "weight" if weighted else None
    theirs = nx.effective_size(G, nodes=list(G), weight=weight)
    ours = sh.effective_size(G, weight=weight)
    for v in G:
        if G.degree(v) == 0:
            assert ours[v] is None
        else:
            assert ours[v] == pytest.approx(theirs[v])


def test_effective_size_is_borgatti_n_minus_2t_over_n_unweighted() -> None:
    G = nx.Graph([(0, 1), (0, 2), (0, 3), (0, 4), (1, 2)])  # ego 0: n=4 contacts, t=1 tie
    assert sh.effective_size(G)[0] == pytest.approx(4 - 2 * 1 / 4)
    assert sh.efficiency(G)[0] == pytest.approx((4 - 0.5) / 4)


def test_isolated_nodes_get_none_and_nodes_restricts_the_result() -> None:
    G = nx.Graph([(0, 1)])
    G.add_node(2)
    G.add_edge(3, 3)  # only a self-loop: still isolated
    assert sh.constraint(G)[2] is None and sh.constraint(G)[3] is None
    assert sh.effective_size(G)[2] is None and sh.efficiency(G)[2] is None
    assert set(sh.constraint(G, nodes=[0])) == {0}


def test_structural_holes_do_not_mutate_input() -> None:
    G = random_graph(25, 0.2, seed=6, directed=True, weighted=True)
    before = snapshot(G)
    sh.constraint(G, weight="weight"), sh.effective_size(G, weight="weight"), sh.efficiency(G)
    assert snapshot(G) == before


@pytest.mark.parametrize(("directed", "weighted"), [(False, False), (False, True), (True, True)])
def test_sparse_engine_gives_the_pure_python_values(
    directed: bool, weighted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # from SPARSE_FROM ties on the default engine multiplies sparse matrices; networkx's
    # pure-Python path (nodes passed) and ours (the networkx engine) are the reference
    monkeypatch.setattr(sh, "SPARSE_FROM", 1)
    G = random_graph(40, 0.2, seed=11, directed=directed, weighted=weighted)
    G.add_node("alone")
    weight = "weight" if weighted else None
    for fast, slow, ref in [
        (sh.constraint, sh.constraint, nx.constraint),
        (sh.effective_size, sh.effective_size, nx.effective_size),
    ]:
        ours = fast(G, weight=weight)
        python = slow(G, weight=weight, engine="networkx")
        theirs = ref(G, nodes=[v for v in G if v != "alone"], weight=weight)
        assert ours["alone"] is None and python["alone"] is None
        for v in theirs:
            assert ours[v] == pytest.approx(python[v], rel=1e-12, abs=1e-12)
            assert ours[v] == pytest.approx(theirs[v], rel=1e-9)
    assert sh.efficiency(G, weight=weight, nodes=[0, 1]).keys() == {0, 1}


def test_sparse_engine_leaves_zero_weights_to_the_pure_python_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sh, "SPARSE_FROM", 1)
    G = random_graph(40, 0.2, seed=12, weighted=True)
    u, v = next(iter(G.edges()))
    G[u][v]["weight"] = 0.0  # a contact without strength: the Python path decides
    G.__networkx_cache__.clear()
    assert sh.constraint(G, weight="weight") == sh.constraint(G, weight="weight", engine="networkx")
