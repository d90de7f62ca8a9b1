"""Where a map's nodes are drawn, computed on the server so nothing settles in the browser.

Organisations take the positions of the view's collaboration graph
(:func:`helixgraph.metrics.layout.positions`, computed once per build and filters in the
analytics workers). Nodes that graph does not hold -- funders, initiatives, people --
sit at the centre of the nodes they are tied to (or on a ring outside the drawing when
tied to none drawn). Force-directed layouts of a real region put a dense core in the
middle of a sparse cloud, so :func:`place` spreads the tied nodes radially by rank (each
keeps its direction from the centre and its order of distance, the density evens out)
and lays the isolates (no tie in the view) on a thin ring just outside the disc, grouped
by colour into arcs -- as Gephi and VOSviewer users expect, they do not take space from
the network (the page leaves them out of its first drawing and says how many). An ego view is
laid out radially instead: the centre in the middle, each hop on its own ring, the
neighbours ranked by the weight of their ties to it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

Point = tuple[float, float]


def place(
    D: nx.MultiDiGraph,
    positions: Mapping[str, Sequence[float]],
    spread: bool = True,
    group: Mapping[str, str] | None = None,
) -> dict[str, Point]:
    """A position for every node of ``D``: tied nodes in the unit disc (spread by rank
    when ``spread``), isolates on a ring just outside it, in arcs by ``group`` (e.g.
    colour)."""
    if spread:
        tied = [v for v in D if D.degree(v) > 0]
        alone = sorted(
            (v for v in D if D.degree(v) == 0), key=lambda v: ((group or {}).get(v, ""), v)
        )
        out = _spread(_place(D.subgraph(tied), positions))
        out.update(ring(alone))
        return out
    return _place(D, positions)


def _spread(pos: dict[str, Point], mix: float = 0.75) -> dict[str, Point]:
    """Even out the density: the k-th nearest of n nodes to the centre moves to radius
    sqrt(k/n) (uniform over the disc), blended with its own scaled radius."""
    if len(pos) < 3:
        return pos
    cx = sum(p[0] for p in pos.values()) / len(pos)
    cy = sum(p[1] for p in pos.values()) / len(pos)
    polar = {
        v: (math.hypot(x - cx, y - cy), math.atan2(y - cy, x - cx)) for v, (x, y) in pos.items()
    }
    top = max(r for r, _ in polar.values()) or 1.0
    ranked = sorted(polar, key=lambda v: (polar[v][0], v))
    out: dict[str, Point] = {}
    for k, v in enumerate(ranked):
        r, a = polar[v]
        radius = mix * math.sqrt((k + 0.5) / len(ranked)) + (1 - mix) * r / top
        out[v] = (radius * math.cos(a), radius * math.sin(a))
    return out


RING = 1.08  # the isolates' ring: just outside the unit disc of the tied nodes
RING_ROW = 0.025  # the gap between two of its rows
RING_PLACES = 720  # nodes per row before a second row is needed (0.5 degree apart)


def ring(nodes: list[str]) -> dict[str, Point]:
    """``nodes`` in order around a thin band outside the unit disc: the k-th of n at
    angle 2*pi*k/n (so a group in the order is one arc), on row k mod rows -- one row up to
    ``RING_PLACES`` nodes, a row more for each ``RING_PLACES`` beyond."""
    if not nodes:
        return {}
    rows = math.ceil(len(nodes) / RING_PLACES)
    n = len(nodes)
    out: dict[str, Point] = {}
    for k, v in enumerate(nodes):
        a = math.pi / 2 + 2 * math.pi * k / n  # from the top
        r = RING + RING_ROW * (k % rows)
        out[v] = (r * math.cos(a), r * math.sin(a))
    return out


def _place(D: nx.Graph, positions: Mapping[str, Sequence[float]]) -> dict[str, Point]:
    out: dict[str, Point] = {
        v: (float(positions[v][0]), float(positions[v][1])) for v in D if v in positions
    }
    missing = sorted(v for v in D if v not in out)
    lonely: list[str] = []
    for v in missing:
        near = [out[u] for u in nx.all_neighbors(D, v) if u in out]
        if near:
            x = sum(p[0] for p in near) / len(near)
            y = sum(p[1] for p in near) / len(near)
            out[v] = (x, y)
        else:
            lonely.append(v)
    for i, v in enumerate(lonely):  # on a ring around the drawing
        a = 2 * math.pi * i / max(1, len(lonely))
        out[v] = (1.1 * math.cos(a), 1.1 * math.sin(a))
    return out


def tie_weight(D: nx.MultiDiGraph, u: str, v: str) -> float:
    """The evidence between two nodes, every relation summed (funding counts its awards)."""
    total = 0.0
    for a, b in ((u, v), (v, u)):
        for d in (D.get_edge_data(a, b) or {}).values():
            total += (
                float(d.get("awards") or 0)
                if d["relation"] == "funding"
                else float(d.get("weight") or 1)
            )
    return total


def ego_layout(D: nx.MultiDiGraph, center: str) -> tuple[dict[str, Point], list[dict[str, Any]]]:
    """The centre in the middle and each hop in its own band around it (hop 1 within
    radius 0.12-0.5, hop 2 0.55-0.95...), laid out as a sunflower: the k-th ranked node of
    a band at the golden angle times k, its distance growing with sqrt(k) -- the
    strongest partners nearest the centre, evenly spaced, none on top of another. The
    neighbours are ranked by hop, then the weight of their tie to the centre (or to
    their strongest tie on the previous hop), then pagerank."""
    U = D.to_undirected(as_view=True)
    hops = nx.single_source_shortest_path_length(U, center)
    pos: dict[str, Point] = {center: (0.0, 0.0)}
    ranked: list[dict[str, Any]] = []
    golden = math.pi * (3 - math.sqrt(5))
    for h in range(1, max(hops.values(), default=0) + 1):
        rows = []
        for v in (v for v, k in hops.items() if k == h):
            parents = [u for u in U[v] if hops.get(u) == h - 1]
            parent = max(parents, key=lambda u: (tie_weight(D, u, v), u))
            w = tie_weight(D, parent, v)
            rank = float(D.nodes[v].get("metrics", {}).get("pagerank") or 0.0)
            rows.append((-w, -rank, v, parent, w))
        rows.sort()
        inner, outer = 0.12 + 0.45 * (h - 1), 0.5 + 0.45 * (h - 1)
        for k, (_w, _r, v, parent, w) in enumerate(rows):
            radius = inner + (outer - inner) * math.sqrt((k + 0.5) / len(rows))
            pos[v] = (radius * math.cos(golden * k), radius * math.sin(golden * k))
            ranked.append({"node": v, "hop": h, "via": parent, "weight": w})
    for v in D:  # not reachable (cannot happen for an ego graph, kept safe)
        pos.setdefault(v, (1.5, 1.5))
    return pos, ranked


def brokers(
    D: nx.MultiDiGraph,
    centrality: Mapping[str, Mapping[str, float]],
    brokerage: Mapping[str, Any],
    top: int = 25,
) -> list[dict[str, Any]]:
    """The ``top`` drawn organisations by betweenness with their Gould--Fernandez roles."""
    roles = brokerage.get("nodes", {})
    scored = [(float(centrality[v].get("betweenness") or 0.0), v) for v in D if v in centrality]
    scored = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:top]
    out = []
    for score, v in scored:
        raw = roles.get(v, {}).get("raw", {})
        out.append({"node": v, "betweenness": score, "roles": {k: n for k, n in raw.items() if n}})
    return out
