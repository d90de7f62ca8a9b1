"""One map view: the display graph of :class:`MapOptions`, focused and reduced.

:func:`build_view` takes the display graph of :mod:`.display` over the
:class:`~.base.Base` of the options' filters, keeps one community or the neighbourhood of
one organisation (``ego``), marks what a search finds, and has :mod:`.reduce` cut it down
for the browser. A :class:`MapView` is that graph with what was asked and what was left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from helixgraph.maps.base import Base, bases
from helixgraph.maps.display import display_graph
from helixgraph.maps.options import MapError, MapOptions
from helixgraph.maps.placing import brokers, ego_layout, place
from helixgraph.maps.reduce import reduce_graph
from helixgraph.metrics import layout
from helixgraph.vocab.iris import ID


@dataclass
class MapView:
    """A display graph with what was asked and what was left out."""

    graph: nx.MultiDiGraph
    options: MapOptions
    version: str
    matched: dict[str, int] = field(default_factory=dict)  # nodes/edges before reduction
    reduction: dict[str, Any] | None = None
    notices: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    ego: str | None = None
    source_titles: dict[str, str] = field(default_factory=dict)
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    brokers: list[dict[str, Any]] = field(default_factory=list)  # ranked by betweenness
    neighbours: list[dict[str, Any]] = field(default_factory=list)  # an ego's, ranked
    # drawn nodes with no tie in the view (before the link cap drops any): the page
    # leaves them out of its first drawing and says how many
    isolates: set[str] = field(default_factory=set)


def build_view(
    store: ox.Store,
    options: MapOptions,
    metrics: dict[str, Any] | None = None,
    base: Base | None = None,
) -> MapView:
    """Project, filter, focus (ego, community, search) and reduce one map view;
    ``metrics``: the view's metrics computed elsewhere (else they are computed here);
    ``base``: its projections, built already (else they are built here). Positions come
    from ``metrics["positions"]`` (else they are laid out here)."""
    base = base or bases.get(store, options.filters)
    if metrics is not None:
        base.preload(metrics)
    positions: Mapping[str, Sequence[float]] = (metrics or {}).get("positions") or {
        str(v): xy for v, xy in layout.positions(base.collaboration).items()
    }
    D = display_graph(base, options)
    view = MapView(D, options, base.version, source_titles=base.facts.source_titles)
    if base.sampled and options.size in ("betweenness", "closeness"):
        view.notices.append(
            f"{options.size} is estimated from {base.sampled} sampled organisations "
            "(the graph is large)"
        )
    if options.community is not None:
        members = [v for v, d in D.nodes(data=True) if d.get("community") == options.community]
        if not members:
            raise MapError("community", f"no community {options.community} in this view")
        D = _subgraph(D, members)
    if options.ego is not None:
        center = resolve(D, options.ego)
        if center is None:
            raise MapError("ego", f"no organisation {options.ego!r} in this view")
        near = nx.ego_graph(D.to_undirected(as_view=True), center, radius=options.hops)
        D = _subgraph(D, near.nodes)
        D.nodes[center]["ego"] = True
        view.ego = center
        positions, view.neighbours = ego_layout(D, center)
    if options.q:
        view.found = search(D, options.q)
        for v in view.found:
            D.nodes[v]["found"] = True
        if not view.found:
            view.notices.append(f"No organisation in this view matches {options.q!r}.")
    view.matched = {"nodes": D.number_of_nodes(), "edges": D.number_of_edges()}
    isolates = {v for v in D if D.degree(v) == 0}

    def colors(G: nx.MultiDiGraph) -> dict[str, str]:
        return {v: str(d.get(options.color) or d.get("helix") or "") for v, d in G.nodes(data=True)}

    # placed before the link cap: a node whose links are not all drawn keeps its place
    placed = place(D, positions, spread=view.ego is None, group=colors(D))
    view.graph, view.reduction = reduce_graph(
        D, options, view.found, lambda: base.communities()["membership"]
    )
    view.isolates = isolates & set(view.graph)
    if all(v in placed for v in view.graph):
        view.positions = {v: placed[v] for v in view.graph}
    else:  # communities collapsed into new nodes
        G = view.graph
        view.positions = place(G, positions, spread=view.ego is None, group=colors(G))
    view.brokers = brokers(view.graph, base.centrality(), base.brokerage())
    return view


def _subgraph(D: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(D.subgraph(nodes))


def resolve(D: nx.Graph, ident: str) -> str | None:
    """The node named by an IRI, a slug (``umcg``, organisations first) or ``org/umcg``."""
    if ident in D:
        return ident
    for candidate in (ID + "org/" + ident, ID + ident):
        if candidate in D:
            return candidate
    return next((v for v, d in D.nodes(data=True) if d.get("id") == ident), None)


def search(D: nx.MultiDiGraph, text: str) -> list[str]:
    """Nodes whose label, other names or abbreviations contain ``text`` (case-insensitive);
    exact abbreviation or name matches first."""
    needle = text.casefold().strip()
    exact, partial = [], []
    for v, d in D.nodes(data=True):
        names = [d.get("label") or "", *d.get("names", []), *d.get("abbreviations", [])]
        folded = [n.casefold() for n in names]
        if needle in folded:
            exact.append(v)
        elif any(needle in n for n in folded):
            partial.append(v)
    return sorted(exact) + sorted(partial)


__all__ = ["MapView", "build_view", "display_graph", "resolve", "search"]
