"""The per-graph-version result cache and the suite's bookkeeping."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from helixgraph import network
from helixgraph.analytics import suite
from helixgraph.analytics.cache import ResultCache
from helixgraph.analytics.suite import metric_suite


def test_computed_once_per_version_and_parameters(tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    cache = ResultCache(tmp_path)
    assert cache.get_or_compute("build-1", "helix", {"a": 1}, compute) == {"n": 1}
    assert cache.get_or_compute("build-1", "helix", {"a": 1}, compute) == {"n": 1}
    assert ResultCache(tmp_path).get_or_compute("build-1", "helix", {"a": 1}, compute) == {"n": 1}
    assert cache.get_or_compute("build-1", "helix", {"a": 2}, compute) == {"n": 2}
    assert cache.get_or_compute("build-2", "helix", {"a": 1}, compute) == {"n": 3}
    assert len(calls) == 3
    cache.prune(keep="build-2")
    assert [d.name for d in tmp_path.iterdir()] == ["build-2"]


def test_results_are_json_with_string_keys(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    result = cache.get_or_compute("v", "x", {}, lambda: {1: (2, 3), None: {"a"}})
    assert result == {"1": [2, 3], "null": ["a"]}


def test_suite_rejects_unknown_families_and_times_each() -> None:
    G = nx.karate_club_graph()
    nx.set_node_attributes(G, {v: d["club"] for v, d in G.nodes(data=True)}, "helix")
    r = metric_suite(G, families=("centrality", "helix"), betweenness_k=10)
    assert set(r["seconds"]) == {"centrality", "helix"} and "brokerage" not in r
    assert r["graph"] == {"nodes": 34, "edges": 78, "directed": False}
    with pytest.raises(ValueError, match="unknown metric families"):
        metric_suite(G, families=("astrology",))


def test_store_metrics_sample_on_large_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    G = nx.path_graph(10)
    nx.set_node_attributes(G, "academia", "helix")
    monkeypatch.setattr(network, "collaboration_graph", lambda store, filters, **_: G)
    assert suite.store_metrics(None, "centrality")["parameters"]["betweenness_k"] is None
    monkeypatch.setattr(suite, "EXACT_LIMIT", 5)
    monkeypatch.setattr(suite, "AUTO_SAMPLE", 4)
    r = suite.store_metrics(None, "centrality")
    assert r["parameters"]["betweenness_k"] == 4 and r["parameters"]["closeness_k"] == 4
    assert (
        suite.store_metrics(None, "centrality", betweenness_k=7)["parameters"]["betweenness_k"] == 7
    )
