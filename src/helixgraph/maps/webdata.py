"""The WebGL map's data: one compact JSON document per view (``/map/data``).

Whole regions are drawn (~5,000 nodes, ~22,000 links), so the payload is columnar --
one array per attribute, nodes referred to by their index -- with positions computed on
the server (:mod:`.placing`) as integers in ``[-1100, 1100]``. Nothing per node is
HTML; the page fetches an organisation's facts from the JSON API when it is clicked.

``nodes``: ``id`` (slug), ``label``, ``abbr`` (first abbreviation or ""), ``x``, ``y``,
``col`` (index into ``palette``), ``cat`` (index into ``categories``), ``size`` (the
sizing centrality), ``year`` (first year the node is seen in a dated tie, or null),
``flag`` (bits: 1 broker, 2 found, 4 ego, 8 outside the filters, 16 organisation, 32
isolate -- no tie in the view, on a ring outside the drawing, which the page leaves out
until asked --, 64 unnamed -- the source states no name, the label is its identifier).
``edges``: ``s``/``t`` (node indices, funder first for funding), ``r`` (index into
``relations``), ``w`` (evidence count, or the amount in EUR for funding), ``year``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from helixgraph.maps.kinds import UNNAMED_LABEL
from helixgraph.maps.render import reduction_text
from helixgraph.maps.style import (
    EDGE_NAMES,
    EDGE_STYLES,
    HELIX_NAMES,
    OTHER_REGION,
    REGION_GROUPS,
    SHAPE_NAMES,
    legend,
    node_color,
    node_value,
)
from helixgraph.maps.view import MapView

CATEGORIES = (*SHAPE_NAMES, "community")
RELATIONS = tuple(EDGE_STYLES)
FLAGS = {"broker": 1, "found": 2, "ego": 4, "outside": 8}
ORGANISATION = 16
ISOLATE = 32
UNNAMED = 64
SCALE = 1000  # positions are sent as integers: x * SCALE


def _sig(value: float) -> float | int:
    """A number with four significant digits (smaller JSON, same drawing)."""
    if value == 0:
        return 0
    rounded = float(f"{value:.4g}")
    return int(rounded) if rounded.is_integer() else rounded


def _flags(d: dict[str, Any], isolate: bool) -> int:
    bits = sum(bit for name, bit in FLAGS.items() if d.get(name))
    bits |= ORGANISATION if d.get("type") == "organisation" else 0
    bits |= UNNAMED if UNNAMED_LABEL.fullmatch(str(d.get("label", ""))) else 0
    return bits | (ISOLATE if isolate else 0)


def payload(view: MapView) -> dict[str, Any]:
    """Everything the WebGL page draws, as compact JSON-ready data."""
    D, options = view.graph, view.options
    order = list(D)
    index = {v: i for i, v in enumerate(order)}
    palette: dict[str, int] = {}
    cats = {c: i for i, c in enumerate(CATEGORIES)}
    nodes: dict[str, list[Any]] = {
        k: [] for k in ("id", "label", "abbr", "x", "y", "col", "cat", "size", "year", "flag")
    }
    first_year: dict[str, int] = {}
    edges: dict[str, list[Any]] = {k: [] for k in ("s", "t", "r", "w", "year")}
    rels = {r: i for i, r in enumerate(RELATIONS)}
    for u, v, d in D.edges(data=True):
        year = d.get("start")
        edges["s"].append(index[u])
        edges["t"].append(index[v])
        edges["r"].append(rels[d["relation"]])
        edges["w"].append(
            _sig(
                float(d.get("amount") if d["relation"] == "funding" else d.get("weight") or 1) or 0
            )
        )
        edges["year"].append(year)
        if year is not None:
            for n in (u, v):
                first_year[n] = min(first_year.get(n, year), year)
    for v in order:
        d = D.nodes[v]
        x, y = view.positions.get(v, (0.0, 0.0))
        color = node_color(d, options.color)
        nodes["id"].append(str(d.get("id", v)))
        nodes["label"].append(str(d.get("label", v)))
        nodes["abbr"].append(str((d.get("abbreviations") or [""])[0]))
        nodes["x"].append(round(x * SCALE))
        nodes["y"].append(round(y * SCALE))
        nodes["col"].append(palette.setdefault(color, len(palette)))
        nodes["cat"].append(cats.get(d.get("category", "other"), cats["other"]))
        nodes["size"].append(_sig(node_value(d, options.size)))
        nodes["year"].append(first_year.get(v))
        nodes["flag"].append(_flags(d, v in view.isolates))
    years = sorted(set(first_year.values()))
    return {
        "version": view.version,
        "params": options.to_params(),
        "size_by": options.size,
        "color_by": options.color,
        "palette": list(palette),
        "categories": [[c, SHAPE_NAMES.get(c, c)] for c in CATEGORIES],
        "relations": [[r, EDGE_NAMES[r], EDGE_STYLES[r]["color"]] for r in RELATIONS],
        "nodes": nodes,
        "edges": edges,
        "years": [years[0], years[-1]] if years else None,
        "legend": legend(view),
        "counts": {
            "nodes": len(order),
            "edges": len(edges["s"]),
            "isolates": len(view.isolates),
            "matched": view.matched,
        },
        "reduction": view.reduction,
        "reduction_text": reduction_text(view),
        "notices": view.notices,
        "found": [index[v] for v in view.found if v in index],
        "ego": index.get(view.ego) if view.ego else None,
        "hops": options.hops,
        "brokers": [
            {"i": index[b["node"]], "betweenness": _sig(b["betweenness"]), "roles": b["roles"]}
            for b in view.brokers
        ],
        "neighbours": [
            {"i": index[n["node"]], "hop": n["hop"], "via": index[n["via"]], "w": _sig(n["weight"])}
            for n in view.neighbours
            if n["node"] in index and n["via"] in index
        ],
        "flows": flow_summary(view),
    }


def _largest(totals: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))


def _region(regions: list[str]) -> str:
    return next((name for r, name, _c in REGION_GROUPS if r in regions), OTHER_REGION[1])


def flow_summary(view: MapView) -> dict[str, Any] | None:
    """Funding drawn in the view: totals by funder, recipient helix, recipient region and
    year (EUR, stated amounts), and the number of flows; ``None`` without funding."""
    D = view.graph
    flows = [(u, v, d) for u, v, d in D.edges(data=True) if d["relation"] == "funding"]
    if not flows:
        return None
    funders: defaultdict[str, float] = defaultdict(float)
    helices: defaultdict[str, float] = defaultdict(float)
    regions: defaultdict[str, float] = defaultdict(float)
    years: defaultdict[str, float] = defaultdict(float)
    awards = 0
    for u, v, d in flows:
        amount = float(d.get("amount") or 0.0)
        awards += int(d.get("awards") or 0)
        funders[str(D.nodes[u].get("label", u))] += amount
        recipient = D.nodes[v]
        helix = recipient.get("helix") or (
            "initiative" if recipient.get("type") == "initiative" else "none"
        )
        helices[HELIX_NAMES.get(helix, helix)] += amount
        regions[_region(recipient.get("regions", []))] += amount
        for year, x in (d.get("by_year") or {}).items():
            years[year] += float(x)
    return {
        "flows": len(flows),
        "awards": awards,
        "total": _sig(sum(funders.values())),
        "by_funder": [[k, _sig(x)] for k, x in _largest(funders)[:8]],
        "by_helix": [[k, _sig(x)] for k, x in _largest(helices)],
        "by_region": [[k, _sig(x)] for k, x in _largest(regions)],
        "by_year": [[k, _sig(years[k])] for k in sorted(years)],
    }
