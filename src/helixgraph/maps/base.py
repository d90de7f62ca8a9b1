"""The projections and metrics a map is drawn from, computed once per graph version and filters.

A :class:`Base` holds the collaboration, funding and people projections of
:mod:`helixgraph.network` under one set of :class:`~helixgraph.network.Filters`, the node
facts of :mod:`helixgraph.maps.facts`, and (on first use) the centralities, communities
and brokerage of :mod:`helixgraph.analytics.suite` on the collaboration graph -- the numbers the
``/api/metrics`` routes give for the same filters. The web service computes those in its
analytics workers (:func:`~helixgraph.analytics.suite.map_metrics`) and hands them to
:meth:`Base.preload`, and projects with :meth:`BaseCache.prepare` in a background thread,
so a request never computes either.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import networkx as nx
import pyoxigraph as ox

from helixgraph import network
from helixgraph.analytics import suite
from helixgraph.catalog.version import graph_version
from helixgraph.maps.facts import NodeFacts, node_facts

log = logging.getLogger("helixgraph.maps")

# above this many organisations betweenness and closeness are estimated from samples
SAMPLE_ABOVE = suite.MAP_SAMPLE_ABOVE
SAMPLES = suite.MAP_SAMPLES


class Base:
    """Projections, facts and metrics for one (graph version, filters)."""

    def __init__(self, store: ox.Store, filters: network.Filters, version: str):
        self.version = version
        self.filters = filters
        self.collaboration: nx.Graph = network.collaboration_graph(store, filters)
        self.funding: nx.DiGraph = network.funding_graph(store, filters)
        self._store = store
        self._people: nx.Graph | None = None
        self.facts: NodeFacts = node_facts(store)
        self.organisations = network.organisations(store, network.Filters())
        self.initiatives = network.initiatives(store, network.Filters())
        self._lock = threading.Lock()
        self._cache: dict[str, Any] = {}
        self.sampled: int | None = suite.map_sample(self.collaboration)

    @property
    def people(self) -> nx.Graph:
        with self._lock:
            if self._people is None:
                self._people = network.people_graph(self._store, self.filters)
            return self._people

    def _once(self, name: str, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if name not in self._cache:
                self._cache[name] = compute()
            return self._cache[name]

    def preload(self, computed: dict[str, Any]) -> None:
        """Take the metrics computed elsewhere (:func:`~helixgraph.analytics.suite.map_metrics`)."""
        with self._lock:
            for name in ("centrality", "communities", "brokerage"):
                self._cache.setdefault(name, computed[name])

    def centrality(self) -> dict[str, dict[str, float]]:
        """Centralities per organisation IRI (betweenness, closeness sampled when large)."""
        result: dict[str, dict[str, float]] = self._once(
            "centrality",
            lambda: suite.centrality_table(
                self.collaboration, betweenness_k=self.sampled, closeness_k=self.sampled
            ),
        )
        return result

    def communities(self) -> dict[str, Any]:
        """Seeded Louvain communities (``membership``: IRI -> community number)."""
        result: dict[str, Any] = self._once(
            "communities", lambda: suite.communities_summary(self.collaboration)
        )
        return result

    def brokerage(self) -> dict[str, Any]:
        """Gould--Fernandez brokerage with the primary helix as the group."""
        result: dict[str, Any] = self._once(
            "brokerage", lambda: suite.brokerage_summary(self.collaboration)
        )
        return result


class BaseCache:
    """The last few :class:`Base` objects, by graph version and filters."""

    def __init__(self, items: int = 8, builders: int = 2):
        self.items = items
        self._bases: OrderedDict[tuple[str, network.Filters], Base] = OrderedDict()
        self._lock = threading.Lock()
        self._building: set[tuple[str, network.Filters]] = set()
        self._builders = threading.BoundedSemaphore(builders)
        self.seconds = 1.0  # how long the last background build took

    def prepare(self, store: ox.Store, filters: network.Filters) -> Base | None:
        """The :class:`Base` of the store's version and ``filters`` if it is built; else
        start building it in a background thread -- once however many ask, at most
        ``builders`` at a time -- and return ``None``: ask again later."""
        version = graph_version(store)
        key = (version, filters)
        with self._lock:
            if key in self._bases:
                self._bases.move_to_end(key)
                return self._bases[key]
            if key in self._building:
                return None
            self._building.add(key)

        def build() -> None:
            base: Base | None = None
            with self._builders:
                start = time.monotonic()
                try:
                    base = Base(store, filters, version)
                except Exception:  # the next request tries again
                    log.exception("cannot project the map of %s", filters)
                self.seconds = time.monotonic() - start
            with self._lock:
                self._building.discard(key)
                if base is not None:
                    self._keep(key, base)

        threading.Thread(target=build, daemon=True, name="map-base").start()
        return None

    def _keep(self, key: tuple[str, network.Filters], base: Base) -> None:
        self._bases[key] = base
        while len(self._bases) > self.items:
            self._bases.popitem(last=False)

    def get(self, store: ox.Store, filters: network.Filters) -> Base:
        version = graph_version(store)
        key = (version, filters)
        with self._lock:
            if key in self._bases:
                self._bases.move_to_end(key)
                return self._bases[key]
        base = Base(store, filters, version)
        with self._lock:
            self._keep(key, base)
        return base


bases = BaseCache()
