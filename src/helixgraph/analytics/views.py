"""The projections a view's metrics are computed on, made once per view.

Each metric family and a map's metrics read the same projections of a view (the
organisation collaboration graph without evidence, the bipartite graph, the funding graph);
:class:`Projections` makes each once for the view at hand and hands the same graph to every
family (the metric functions never change a graph they are given, and the graph's igraph
conversion, kept in the graph, is then made once too). It keeps the graphs of the last
``views`` views asked for (one by default): asking for another lets the oldest one's go.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from helixgraph import network


class Projections:
    """The projections of ``store``, kept for the last ``views`` views asked for."""

    def __init__(self, store: Any, *, views: int = 1) -> None:
        self.store = store
        self.views = max(1, views)
        self._kept: OrderedDict[network.Filters, dict[tuple[Any, ...], Any]] = OrderedDict()
        self.made = 0

    def _get(self, filters: network.Filters, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        kept = self._kept.setdefault(filters, {})
        self._kept.move_to_end(filters)
        while len(self._kept) > self.views:
            self._kept.popitem(last=False)
        if key not in kept:
            kept[key] = make()
            self.made += 1
        return kept[key]

    def keep(self, filters: network.Filters, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """``make()`` once for the view ``filters`` under ``key`` (a layer above keeps what
        it derives from a view's projections here: a map's :class:`~helixgraph.maps.base.Base`),
        let go with the view's projections."""
        return self._get(filters, ("kept", *key), make)

    def kept(self, filters: network.Filters, key: tuple[Any, ...]) -> Any:
        """What :meth:`keep` holds for ``filters`` under ``key``, else ``None`` (makes nothing)."""
        return self._kept.get(filters, {}).get(("kept", *key))

    def collaboration(
        self, filters: network.Filters, weighting: str = network.DEFAULT_WEIGHTING
    ) -> Any:
        """:func:`helixgraph.network.collaboration_graph` without evidence (weights only)."""
        return self._get(
            filters,
            ("collaboration", weighting),
            lambda: network.collaboration_graph(
                self.store, filters, evidence=False, weighting=weighting
            ),
        )

    def bipartite(self, filters: network.Filters) -> Any:
        return self._get(
            filters, ("bipartite",), lambda: network.bipartite_graph(self.store, filters)
        )

    def funding(self, filters: network.Filters, unknown_funder: str | None = None) -> Any:
        return self._get(
            filters,
            ("funding", unknown_funder),
            lambda: network.funding_graph(self.store, filters, unknown_funder=unknown_funder),
        )
