"""Metric functions run unchanged on a networkx backend.

The backend here is ``nx_loopback``, the test backend networkx ships for checking its
dispatch machinery (its algorithms are networkx's own, reached through conversion and
dispatch), registered as networkx's own test configuration does. networkx logs every
call it hands to a backend on its ``networkx`` logger; the tests read that log.
networkx backends belong to the networkx metrics engine: these tests run on it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from importlib.metadata import entry_points

import networkx as nx
import pytest
from metric_graphs import random_graph

from helixgraph.metrics import betweenness, closeness, eigenvector, louvain_communities
from helixgraph.metrics.engine import ENGINE_VARIABLE

BACKEND = "nx_loopback"


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    found = entry_points(name=BACKEND, group="networkx.backends")
    if not found:
        pytest.skip("networkx's test backend is not installed")
    monkeypatch.setenv(ENGINE_VARIABLE, "networkx")
    dispatch = nx.utils.backends
    monkeypatch.setitem(dispatch.backends, BACKEND, found[BACKEND])
    monkeypatch.setitem(dispatch.backend_info, BACKEND, {})
    configs = nx.utils.Config(**{BACKEND: nx.utils.Config()}, **nx.config.backends)
    monkeypatch.setattr(nx.config, "backends", configs)
    monkeypatch.setattr(nx.config, "cache_converted_graphs", False)  # each call converts
    monkeypatch.setattr(
        dispatch._dispatchable, "__call__", dispatch._dispatchable._call_if_any_backends_installed
    )
    caplog.set_level(logging.DEBUG, logger="networkx")
    yield


def dispatched(caplog: pytest.LogCaptureFixture, name: str) -> bool:
    return any(
        f"'{BACKEND}'" in r.getMessage() and f"'{name}'" in r.getMessage() for r in caplog.records
    )


def test_backend_argument_runs_the_networkx_call_on_that_backend(
    loopback: None, caplog: pytest.LogCaptureFixture
) -> None:
    G = random_graph(30, 0.2, seed=3)
    expected = betweenness(G, k=10, seed=1, backend="networkx")
    assert not dispatched(caplog, "betweenness_centrality")
    assert betweenness(G, k=10, seed=1, backend=BACKEND) == expected
    assert dispatched(caplog, "betweenness_centrality")
    assert closeness(G, backend=BACKEND) == closeness(G)
    assert dispatched(caplog, "closeness_centrality")
    assert eigenvector(G, backend=BACKEND) == eigenvector(G)
    assert dispatched(caplog, "eigenvector_centrality")
    assert louvain_communities(G, backend=BACKEND) == louvain_communities(G)
    assert dispatched(caplog, "louvain_communities")


def test_backend_priority_setting_dispatches_without_the_argument(
    loopback: None, caplog: pytest.LogCaptureFixture
) -> None:
    G = random_graph(30, 0.2, seed=4)
    expected = betweenness(G, k=10, seed=2)
    assert not dispatched(caplog, "betweenness_centrality")
    with nx.config(backend_priority=[BACKEND]):
        assert betweenness(G, k=10, seed=2) == expected
    assert dispatched(caplog, "betweenness_centrality")


def test_unknown_backend_is_an_error() -> None:
    with pytest.raises(ImportError, match="not installed"):
        betweenness(nx.path_graph(3), backend="no_such_backend")
