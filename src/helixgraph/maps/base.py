"""The projections and metrics a map is drawn from, computed once per graph version and filters.

A :class:`Base` holds the collaboration, funding and people projections of
:mod:`helixgraph.network` under one set of :class:`~helixgraph.network.Filters`, the node
facts of :mod:`helixgraph.maps.facts`, and (on first use) the centralities, communities
and brokerage of :mod:`helixgraph.analytics.suite` on the collaboration graph -- the numbers the
``/api/metrics`` routes give for the same filters. The web service computes those in its
analytics workers (:func:`~helixgraph.analytics.suite.map_metrics`) and hands them to
:meth:`Base.preload`; it projects in those workers too (:meth:`BaseCache.acquire`: the
worker's :func:`project` pickles a :class:`Base` without the :class:`Shared` facts, which
:func:`shared` pickles once per graph version), so a request never computes either. The
build's precompute (:mod:`helixgraph.analytics.precompute`) projects the default views ahead.
"""

from __future__ import annotations

import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from helixgraph import network
from helixgraph.analytics import suite
from helixgraph.analytics.cache import ResultCache
from helixgraph.analytics.jobs import Answer, Computations, Pending, Ready
from helixgraph.analytics.views import Projections
from helixgraph.analytics.workers import Task
from helixgraph.catalog.version import graph_version
from helixgraph.maps.facts import NodeFacts, node_facts

log = logging.getLogger("helixgraph.maps")

# above this many organisations betweenness and closeness are estimated from samples
SAMPLE_ABOVE = suite.MAP_SAMPLE_ABOVE
SAMPLES = suite.MAP_SAMPLES


@dataclass
class Shared:
    """What every view of one graph version shares: node facts, organisations, initiatives."""

    facts: NodeFacts
    organisations: dict[str, dict[str, Any]]
    initiatives: dict[str, dict[str, Any]]

    @classmethod
    def read(cls, store: ox.Store) -> Shared:
        return cls(
            node_facts(store),
            network.organisations(store, network.Filters()),
            network.initiatives(store, network.Filters()),
        )


class Base:
    """Projections, facts and metrics for one (graph version, filters).

    Picklable without its store and :class:`Shared` facts (:func:`project` in a worker;
    :meth:`attach` gives them back)."""

    def __init__(
        self,
        store: ox.Store,
        filters: network.Filters,
        version: str,
        shared: Shared | None = None,
    ):
        self.version = version
        self.filters = filters
        self.collaboration: nx.Graph = network.collaboration_graph(store, filters)
        self.funding: nx.DiGraph = network.funding_graph(store, filters)
        self._people: nx.Graph | None = None
        self._lock = threading.Lock()
        self._cache: dict[str, Any] = {}
        self.sampled: int | None = suite.map_sample(self.collaboration)
        self.attach(store, shared or Shared.read(store))

    def attach(self, store: ox.Store | None, shared: Shared | None) -> Base:
        """Give a projected (or unpickled) base its store and shared facts."""
        self._store = store
        if shared is not None:
            self.facts: NodeFacts = shared.facts
            self.organisations = shared.organisations
            self.initiatives = shared.initiatives
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in ("_store", "_lock", "facts", "organisations", "initiatives", "_cache"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._cache = {}
        self._store = None

    def provisional(self) -> Base:
        """This base with the metrics known without computing: degree and strength as
        the centralities, no communities, no brokerage (while the real ones are computed)."""
        other = object.__new__(Base)
        other.__dict__.update(self.__dict__)  # not copy.copy: pickling drops the facts
        other._lock = threading.Lock()
        G = self.collaboration
        other._cache = {
            "centrality": {
                v: {"degree": float(G.degree(v)), "strength": float(G.degree(v, weight="weight"))}
                for v in G
            },
            "communities": {"membership": {}, "communities": [], "sizes": []},
            "brokerage": {"nodes": {}},
        }
        return other

    @property
    def people(self) -> nx.Graph:
        with self._lock:
            if self._people is None:
                if self._store is None:
                    raise RuntimeError("a map base without its store (attach it first)")
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

    def __init__(self, items: int = 4):
        self.items = items
        self._bases: OrderedDict[tuple[str, network.Filters], Base] = OrderedDict()
        self._lock = threading.Lock()
        self._building: set[tuple[str, network.Filters]] = set()
        self._shared: tuple[str, Shared] | None = None  # the shared facts of one version

    def acquire(
        self,
        store: ox.Store,
        filters: network.Filters,
        jobs: Computations,
        target: str,
        version: str,
    ) -> Base | Answer:
        """The :class:`Base` of ``filters`` at ``version``, projected in the analytics
        workers (:func:`project`, :func:`shared`; the build's precomputed ones for the
        default views): the base, or the workers' answer meanwhile (pending, failed)."""
        key = (version, filters)
        with self._lock:
            if key in self._bases:
                self._bases.move_to_end(key)
                return self._bases[key]
            if key in self._building:
                return Pending(1)
        found = self._shared_of(store, jobs, target, version)
        if not isinstance(found, Shared):
            return found
        answer = jobs.get(base_task(target, version, str(jobs.cache.root), filters))
        if not isinstance(answer, Ready):
            return answer
        with self._lock:
            if key in self._bases:
                return self._bases[key]
            if key in self._building:
                return Pending(1)
            self._building.add(key)
        try:
            base: Base = pickle.loads(answer.result)
            base.attach(store, found)
            with self._lock:
                self._keep(key, base)
        finally:
            with self._lock:
                self._building.discard(key)
        return base

    def shared(
        self, store: ox.Store, jobs: Computations, target: str, version: str
    ) -> Shared | Answer:
        """The :class:`Shared` facts of ``version`` (from the workers), or their answer."""
        return self._shared_of(store, jobs, target, version)

    def _shared_of(
        self, store: ox.Store, jobs: Computations, target: str, version: str
    ) -> Shared | Answer:
        with self._lock:
            if self._shared is not None and self._shared[0] == version:
                return self._shared[1]
        answer = jobs.get(shared_task(target, version, str(jobs.cache.root)))
        if not isinstance(answer, Ready):
            return answer
        found: Shared = pickle.loads(answer.result)
        with self._lock:
            self._shared = (version, found)
        return found

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

PROJECT = "helixgraph.maps.base:project"
BASE_KEY = ("map-base",)  # what project and shared keep in the precompute's Projections
SHARED_KEY = ("map-shared",)
SHARED = "helixgraph.maps.base:shared"


def project(store: ox.Store, task: Task, projections: Projections | None = None) -> bytes:
    """A worker's ``call``: the pickled :class:`Base` of the task's view (without the
    shared facts, which :func:`shared` keeps once per version). The precompute's
    ``projections`` keep the base itself too, for the view's rendering (:func:`load`)."""
    empty = Shared(NodeFacts(), {}, {})
    if projections is None:
        base = Base(store, task.filters, task.version, empty)
    else:
        base = projections.keep(
            task.filters, BASE_KEY, lambda: Base(store, task.filters, task.version, empty)
        )
    return pickle.dumps(base, protocol=pickle.HIGHEST_PROTOCOL)


def shared(store: ox.Store, task: Task, projections: Projections | None = None) -> bytes:
    """A worker's ``call``: the pickled :class:`Shared` facts of the store's version
    (kept in the precompute's ``projections`` too, for :func:`load`)."""
    if projections is None:
        facts = Shared.read(store)
    else:
        facts = projections.keep(network.Filters(), SHARED_KEY, lambda: Shared.read(store))
    return pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)


def load(store: ox.Store, task: Task, projections: Projections | None = None) -> Base:
    """The :class:`Base` of ``task``'s view with its shared facts, for a worker's
    rendering: the one the precompute's ``projections`` keep (:func:`project`,
    :func:`shared`), else the one kept in the task's cache, else projected here."""
    f, v, root = task.filters, task.version, task.cache
    if projections is not None:
        base = projections.kept(f, BASE_KEY)
        facts = projections.kept(network.Filters(), SHARED_KEY)
        if base is not None and facts is not None:
            kept: Base = base
            return kept.attach(store, facts)
    cache = ResultCache(Path(task.cache))
    blob = cache.lookup_bytes(v, "map-base", base_task(task.store, v, root, f).params)
    if blob is None:
        return Base(store, f, v)
    facts = cache.lookup_bytes(v, "map-shared", shared_task(task.store, v, root).params)
    unpickled: Base = pickle.loads(blob)
    return unpickled.attach(store, pickle.loads(facts) if facts else Shared.read(store))


def base_task(target: str, version: str, cache: str, filters: network.Filters) -> Task:
    return Task.call(target, version, cache, "map-base", PROJECT, filters)


def shared_task(target: str, version: str, cache: str) -> Task:
    return Task.call(target, version, cache, "map-shared", SHARED, network.Filters())
