"""How a map looks: colours, shapes and edge styles, their legend, and vis-network's options.

Nodes are coloured by helix, community or region and shaped by the category of their
kind (:mod:`.kinds`); edges are styled by relation. :func:`legend` says what the colours,
shapes and edge styles of one view mean; :func:`vis_options` sets the layout and physics
for its size. Plain data: :mod:`.render` hands it to pyvis.
"""

from __future__ import annotations

from typing import Any

from helixgraph.maps.kinds import CATEGORIES
from helixgraph.maps.view import MapView

HELIX_COLORS = {
    "academia": "#3b6fb6",
    "industry": "#e08a1e",
    "government": "#3a9a4a",
    "civil_society": "#8e5bb5",
    "none": "#9a9a9a",
}
HELIX_NAMES = {
    "academia": "academia",
    "industry": "industry",
    "government": "government",
    "civil_society": "civil society",
    "none": "not stated",
}
COMMUNITY_COLORS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#86bcb6",
    "#d37295",
)
REGION_GROUPS = (
    ("noord-nederland", "Northern Netherlands (Groningen)", "#1b9e77"),
    ("oost-nederland", "Eastern Netherlands (Twente)", "#d95f02"),
)
OTHER_REGION = ("other", "elsewhere or not stated", "#9a9a9a")
SHAPES = {
    "knowledge": "dot",
    "hospital": "square",
    "government": "triangle",
    "firm": "diamond",
    "intermediary": "hexagon",
    "other": "dot",
    "initiative": "star",
    "person": "triangleDown",
    "community": "dot",
}
SHAPE_NAMES = {
    "knowledge": "knowledge institution",
    "hospital": "hospital",
    "government": "government",
    "firm": "firm",
    "intermediary": "intermediary, cluster, network",
    "other": "other organisation",
    "initiative": "initiative (funding recipient)",
    "person": "person",
}
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "collaboration": {"color": "#5b7fa6", "dashes": False},
    "membership": {
        "color": "#4b9a62",
        "dashes": [6, 4],
        "smooth": {"type": "curvedCW", "roundness": 0.15},
    },
    "funding": {
        "color": "#a0522d",
        "dashes": False,
        "arrows": "to",
        "smooth": {"type": "curvedCCW", "roundness": 0.2},
    },
    "posts": {"color": "#9a6bb5", "dashes": [2, 4]},
}
EDGE_NAMES = {
    "collaboration": "collaboration (shared initiative, stated collaboration or partnership)",
    "membership": "membership (member of, or members of the same body)",
    "funding": "funding, funder → recipient (amount in EUR)",
    "posts": "a person's post or membership",
}
BIG_EDGES = 600  # above this, straight edges and a shorter Barnes-Hut layout


def euros(amount: float) -> str:
    """``2100000`` -> ``€2.1M``."""
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if amount >= limit:
            return f"€{amount / limit:.3g}{suffix}"
    return f"€{amount:,.0f}"


def community_color(community: int) -> str:
    return COMMUNITY_COLORS[community % len(COMMUNITY_COLORS)]


def node_color(d: dict[str, Any], color_by: str) -> str:
    """The fill colour of a node of the display graph."""
    if color_by == "community" and d.get("community") is not None:
        return community_color(int(d["community"]))
    if color_by == "region" and d.get("type") != "community":
        regions = set(d.get("regions", []))
        return next((c for r, _, c in REGION_GROUPS if r in regions), OTHER_REGION[2])
    return HELIX_COLORS.get(d.get("helix") or "none", HELIX_COLORS["none"])


def node_value(d: dict[str, Any], size: str) -> float:
    """What sizes a node: its centrality ``size``, or a community's members."""
    if d.get("type") == "community":
        return float(d.get("members", 1))
    return float(d.get("metrics", {}).get(size) or 0.0)


def vis_options(n: int, m: int = 0) -> dict[str, Any]:
    """vis-network options for ``n`` nodes and ``m`` edges: seeded layout, physics that
    stops once stable (the page switches it off), labels hidden when zoomed far out."""
    big = n > 300 or m > BIG_EDGES
    return {
        "layout": {"randomSeed": 7, "improvedLayout": n <= 120},
        "physics": {
            "enabled": True,
            "solver": "barnesHut" if n > 120 else "forceAtlas2Based",
            "stabilization": {
                "enabled": True,
                "iterations": 150 if big else 400,
                "updateInterval": 50,
                "fit": True,
            },
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 120},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big},
        "nodes": {
            "scaling": {
                "min": 8,
                "max": 42,
                "label": {"enabled": True, "min": 11, "max": 22, "drawThreshold": 5},
            },
            "font": {"size": 12, "face": "system-ui, sans-serif"},
        },
        "edges": {"font": {"size": 10, "align": "middle"}, "selectionWidth": 2, "smooth": not big},
    }


def legend(view: MapView) -> dict[str, Any]:
    """What the colours, shapes and edge styles mean in this view."""
    D, options = view.graph, view.options
    present = {d.get("category", "other") for _, d in D.nodes(data=True)}
    if options.color == "community":
        ids = sorted(
            {d["community"] for _, d in D.nodes(data=True) if d.get("community") is not None}
        )
        colors = [[f"community {c}", community_color(c)] for c in ids]
    elif options.color == "region":
        colors = [[name, c] for _, name, c in (*REGION_GROUPS, OTHER_REGION)]
    else:
        colors = [[HELIX_NAMES[h], c] for h, c in HELIX_COLORS.items()]
    shapes = [
        [SHAPE_NAMES[c], SHAPES[c]]
        for c in (*CATEGORIES, "initiative", "person")
        if c in present and c in SHAPE_NAMES
    ]
    relations = sorted({d["relation"] for _, _, d in D.edges(data=True)})
    return {
        "color_by": options.color,
        "colors": colors,
        "shapes": shapes,
        "edges": [
            [EDGE_NAMES[r], EDGE_STYLES[r]["color"], bool(EDGE_STYLES[r]["dashes"])]
            for r in relations
        ],
        "size_by": "members"
        if view.reduction and view.reduction.get("mode") == "communities"
        else options.size,
    }
