"""The igraph engine gives networkx's numbers: each metric on small and medium graphs.

networkx is the reference. Deterministic values agree to 1e-9 (PageRank and eigenvector
with a tight tolerance on the networkx side, whose power iterations stop early by default);
sampled betweenness and closeness use the same sampled sources on both engines, so they
agree to 1e-9 too, and sampled betweenness ranks as the exact one does. Communities: a
partition of every node, its modularity computed right, close to networkx's Louvain's,
and the same for the same seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from engine_graphs import MEDIUM, SMALL, medium_clustered, medium_collaboration

from helixgraph import network
from helixgraph.metrics import centrality as c
from helixgraph.metrics import communities as cm
from helixgraph.metrics import engine
from helixgraph.store.access import open_store, replacing

TRIG = Path(__file__).parent / "small_ecosystem.trig"
TIGHT = {"tol": 1e-15, "max_iter": 100_000}  # networkx's power iterations, to the limit


def assert_same(ours: dict[Hashable, float], reference: dict[Hashable, float]) -> None:
    assert list(ours) == list(reference)  # the same nodes, in the graph's order
    worst = max((abs(ours[v] - reference[v]) for v in reference), default=0.0)
    assert worst <= 1e-9, worst


def on_both(fn: Callable[..., dict[Hashable, float]], G: Any, **kw: Any) -> None:
    assert_same(fn(G, engine="igraph", **kw), fn(G, engine="networkx", **kw))


def spearman(a: list[float], b: list[float]) -> float:
    def ranks(x: list[float]) -> list[float]:
        order = sorted(range(len(x)), key=lambda i: x[i])
        r = [0.0] * len(x)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = math.sqrt(sum((x - ma) ** 2 for x in ra))
    vb = math.sqrt(sum((y - mb) ** 2 for y in rb))
    return cov / (va * vb)


@pytest.fixture(scope="module")
def ecosystem(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The collaboration projection of the small hand-written ecosystem."""
    path = tmp_path_factory.mktemp("engines") / "store"
    with replacing(path) as st:
        st.load(TRIG.read_bytes(), ox.RdfFormat.TRIG)
    return network.collaboration_graph(open_store(path))


@cache
def medium(name: str) -> Any:
    return MEDIUM[name]()


def small_graphs(ecosystem: Any) -> Iterator[tuple[str, Any]]:
    yield "small ecosystem", ecosystem
    for name, make in SMALL.items():
        yield name, make()


# --- small graphs: every metric, every variant -------------------------------------------


def test_betweenness_on_small_graphs(ecosystem: Any) -> None:
    for _, G in small_graphs(ecosystem):
        for distance in (None, "weight"):
            for normalized in (True, False):
                on_both(c.betweenness, G, distance=distance, normalized=normalized)
                if len(G) > 4:
                    on_both(c.betweenness, G, k=4, seed=3, distance=distance, normalized=normalized)


def test_closeness_on_small_graphs(ecosystem: Any) -> None:
    for _, G in small_graphs(ecosystem):
        for distance in (None, "weight"):
            on_both(c.closeness, G, distance=distance)
            if len(G) > 4:
                on_both(c.closeness, G, k=4, seed=2, distance=distance)


def test_pagerank_on_small_graphs(ecosystem: Any) -> None:
    for _, G in small_graphs(ecosystem):
        for weight in ("weight", None):
            on_both(c.pagerank, G, weight=weight, alpha=0.85, tol=1e-15)
        on_both(c.pagerank, G, alpha=0.5, tol=1e-15)


def test_eigenvector_on_small_graphs(ecosystem: Any) -> None:
    for name, G in small_graphs(ecosystem):
        if G.is_multigraph():
            for eng in engine.ENGINES:  # networkx does not define it: neither engine does
                with pytest.raises(nx.NetworkXNotImplemented):
                    c.eigenvector(G, engine=eng)
            continue
        for weight in (None, "weight"):
            try:
                reference = c.eigenvector(G, weight=weight, engine="networkx", **TIGHT)
            except nx.PowerIterationFailedConvergence:
                continue  # a bipartite digraph: networkx's iteration oscillates
            # a digraph that is not strongly connected runs on networkx: hence TIGHT here too
            ours = c.eigenvector(G, weight=weight, engine="igraph", **TIGHT)
            assert_same(ours, reference), name


def test_eigenvector_of_graphs_whose_largest_eigenvalue_is_shared() -> None:
    # two identical components and a smaller one: the limit mixes the two, drops the third
    G = nx.disjoint_union_all([nx.cycle_graph(4), nx.path_graph(3), nx.cycle_graph(4)])
    G.add_nodes_from(["x", "y"])
    ours = c.eigenvector(G, engine="igraph")
    assert_same(ours, c.eigenvector(G, engine="networkx", **TIGHT))
    assert ours[0] == pytest.approx(ours[7]) and ours[4] < 1e-9 and ours["x"] < 1e-9
    edgeless = nx.empty_graph(4)
    assert_same(
        c.eigenvector(edgeless, engine="igraph"), c.eigenvector(edgeless, engine="networkx")
    )


def test_communities_on_small_graphs(ecosystem: Any) -> None:
    for name, G in small_graphs(ecosystem):
        if G.number_of_edges() == 0:
            continue
        for algorithm in (cm.louvain_communities, cm.leiden_communities):
            if G.is_directed() and algorithm is cm.leiden_communities:
                with pytest.raises(ValueError, match="undirected"):
                    algorithm(G)
                continue
            r = algorithm(G, seed=1)
            assert sum(r["sizes"]) == len(G) and len(r["membership"]) == len(G), name
            parts = [set(p) for p in r["communities"]]
            assert nx.community.is_partition(G, parts), name
            q = nx.community.modularity(G, parts, weight="weight")
            assert r["modularity"] == pytest.approx(q, abs=1e-9), name


def test_directed_louvain_runs_on_networkx() -> None:
    G = SMALL["random directed"]()
    assert cm.louvain_communities(G, engine="igraph") == cm.louvain_communities(
        G, engine="networkx"
    )


# --- medium graphs -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MEDIUM))
def test_sampled_betweenness_on_medium_graphs(name: str) -> None:
    G = medium(name)
    on_both(c.betweenness, G, k=150, seed=5)
    on_both(c.betweenness, G, k=60, seed=6, distance="weight")


@pytest.mark.slow
def test_exact_betweenness_on_a_medium_graph() -> None:
    # networkx's exact betweenness is O(nm) in Python: one medium graph; the sampled test
    # above runs the same single-source computations (weighted too) on all of them
    on_both(c.betweenness, medium("undirected"))


@pytest.mark.slow
def test_sampled_betweenness_ranks_as_exact_does() -> None:
    G = medium_collaboration()
    exact = c.betweenness(G)  # igraph's; the tests above check it against networkx's
    estimate = c.betweenness(G, k=400, seed=0)
    tied = [v for v in G if G.degree(v)]  # isolates would tie at 0 and flatter the score
    assert spearman([exact[v] for v in tied], [estimate[v] for v in tied]) >= 0.99


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MEDIUM))
def test_closeness_on_medium_graphs(name: str) -> None:
    G = medium(name)
    on_both(c.closeness, G)
    on_both(c.closeness, G, k=80, seed=4, distance="weight")


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MEDIUM))
def test_pagerank_and_eigenvector_on_medium_graphs(name: str) -> None:
    G = medium(name)
    on_both(c.pagerank, G, tol=1e-15)
    on_both(c.pagerank, G, weight=None, tol=1e-15)
    if not G.is_multigraph():
        on_both(c.eigenvector, G, weight="weight", **TIGHT)


@pytest.mark.slow
def test_communities_on_a_medium_graph() -> None:
    G = medium_clustered()
    reference = cm.louvain_communities(G, engine="networkx", seed=3)
    for algorithm in (cm.louvain_communities, cm.leiden_communities):
        r = algorithm(G, seed=3)
        parts = [set(p) for p in r["communities"]]
        assert nx.community.is_partition(G, parts)
        q = nx.community.modularity(G, parts, weight="weight")
        assert r["modularity"] == pytest.approx(q, abs=1e-9)
        assert r["modularity"] >= reference["modularity"] - 0.01
        assert algorithm(G, seed=3) == r  # deterministic for a seed


# --- the setting -------------------------------------------------------------------------


def test_the_engine_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(engine.ENGINE_VARIABLE, raising=False)
    assert engine.choose() == "igraph"
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "networkx")
    assert engine.choose() == "networkx" and engine.choose("igraph") == "igraph"
    assert engine.choose("igraph", backend="networkx") == "networkx"
    G = SMALL["karate (weighted)"]()
    assert c.eigenvector(G) == c.eigenvector(G, engine="networkx")
    assert cm.louvain_communities(G) == cm.louvain_communities(G, engine="networkx")
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "IGraph ")
    assert engine.choose() == "igraph"
    monkeypatch.setenv(engine.ENGINE_VARIABLE, "networkit")
    with pytest.raises(ValueError, match=engine.ENGINE_VARIABLE):
        engine.choose()
    with pytest.raises(ValueError, match="engine must be one of"):
        c.pagerank(G, engine="fast")


def test_lengths_igraph_cannot_take_run_on_networkx() -> None:
    G = nx.Graph([(0, 1, {"d": 0}), (1, 2, {"d": 1}), (2, 3, {"d": 2})])
    assert c.betweenness(G, distance="d") == c.betweenness(G, distance="d", engine="networkx")
    assert c.closeness(G, distance="d") == c.closeness(G, distance="d", engine="networkx")
    H = nx.DiGraph([(0, 1, {"weight": -1.0}), (1, 2, {"weight": 1.0})])
    assert c.pagerank(H) == c.pagerank(H, engine="networkx")
