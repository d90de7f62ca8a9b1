"""Draw a :class:`~helixgraph.maps.view.MapView` with pyvis: the only module importing pyvis.

:func:`to_pyvis` turns the display graph into a ``pyvis.network.Network`` styled by
:mod:`.style` (colour by helix, community or region; shape by kind; size by a centrality;
edge style by relation), each node and edge with its tooltip's facts, metrics and sources;
:func:`payload` is its nodes, edges and vis-network options with the legend and what the
view leaves out, as JSON for the page; :func:`standalone_html` writes one self-contained
HTML file with vis-network inlined from the pyvis package (no CDN, no ``lib/`` folder).

pyvis's own ``generate_html`` links Bootstrap from a CDN and ``../node_modules`` paths, so
the page template is ours; and physics is stopped once the layout has stabilised.
Tooltips are built in the browser from structured data with ``textContent``, so labels
from the data can never inject markup.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jinja2
import pyvis
from markupsafe import Markup
from pyvis.edge import Edge
from pyvis.network import Network

from helixgraph.maps.style import (
    BIG_EDGES,
    EDGE_STYLES,
    HELIX_NAMES,
    SHAPE_NAMES,
    SHAPES,
    euros,
    legend,
    node_color,
    node_value,
    vis_options,
)
from helixgraph.maps.view import MapView

HERE = Path(__file__).parent
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
ASSETS = {
    "vis-network.min.js": VIS_DIR / "vis-network.min.js",
    "vis-network.css": VIS_DIR / "vis-network.css",
    "map.js": HERE / "assets" / "map.js",
    "map.css": HERE / "assets" / "map.css",
}
METRIC_NAMES = ("degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank")


def _node_info(v: str, d: dict[str, Any], view: MapView) -> dict[str, Any]:
    rows: list[list[str]] = []
    if d.get("type") == "community":
        rows.append(["members", str(d["members"])])
        mix = ", ".join(f"{HELIX_NAMES.get(h, h)} {n}" for h, n in sorted(d["helix_mix"].items()))
        rows.append(["helix spheres", mix])
        rows.append(["most central", "; ".join(d["top_members"])])
    else:
        rows.append(["type", d.get("type", "")])
        if d.get("kinds"):
            rows.append(["kinds", ", ".join(k.replace("_", " ") for k in d["kinds"])])
        if d.get("helices"):
            rows.append(["helix", ", ".join(HELIX_NAMES.get(h, h) for h in d["helices"])])
        if d.get("abbreviations"):
            rows.append(["abbreviation", ", ".join(d["abbreviations"])])
        if d.get("regions"):
            rows.append(["located in", ", ".join(d["regions"])])
        if d.get("community") is not None:
            rows.append(["community", str(d["community"])])
        if d.get("outside"):
            rows.append(["note", "outside the filters; shown for its funding"])
        if d.get("broker"):
            rows.append(["broker", f"top {view.options.brokers} ({d['broker_score']:.4g})"])
        if d.get("brokerage"):
            roles = ", ".join(f"{k} {n}" for k, n in d["brokerage"].items() if n and k != "total")
            rows.append(["brokerage roles", roles or "none"])
    metrics = [[m, f"{d['metrics'][m]:.4g}"] for m in METRIC_NAMES if m in d.get("metrics", {})]
    return {
        "title": d.get("label", v),
        "id": d.get("id", v),
        "rows": rows,
        "metrics": metrics,
        "sources": _sources(d.get("sources", []), view),
    }


def _sources(ids: list[str], view: MapView) -> list[list[str]]:
    return [[s, view.source_titles.get(s, "")] for s in ids]


def _edge_info(d: dict[str, Any], view: MapView) -> dict[str, Any]:
    rel = d["relation"]
    rows: list[list[str]] = [["relation", rel]]
    if rel == "funding":
        amount = d.get("amount") or 0.0
        rows.append(["amount", f"€{amount:,.0f}" if amount else "not stated"])
        if d.get("awards") is not None:
            rows.append(["awards", str(d["awards"])])
        if d.get("unknown_amount"):
            rows.append(["awards without an amount", str(d["unknown_amount"])])
    elif rel == "posts":
        rows.append(["roles", ", ".join(d.get("roles", [])) or "member"])
    else:
        rows.append(["evidence", str(d.get("weight"))])
        for e in d.get("evidence", [])[:6]:
            via = f" via {e['via']}" if e.get("via") else ""
            rows.append([e["kind"].replace("_", " "), f"{via.strip()} [{', '.join(e['sources'])}]"])
    if d.get("ties"):
        rows.append(["ties between the communities", str(d["ties"])])
    return {
        "title": rel,
        "rows": rows,
        "metrics": [],
        "sources": _sources(d.get("sources", []), view),
    }


def _short(label: str, d: dict[str, Any]) -> str:
    abbreviation = (d.get("abbreviations") or [None])[0]
    if len(label) > 32 and abbreviation:
        return str(abbreviation)
    return label if len(label) <= 32 else label[:30] + "…"


def to_pyvis(view: MapView) -> Network:
    """The view as a pyvis network (styled nodes and edges, vis-network options)."""
    D, options = view.graph, view.options
    net = Network(directed=True, cdn_resources="local")
    for v, d in D.nodes(data=True):
        info = _node_info(v, d, view)
        node: dict[str, Any] = {
            "value": node_value(d, options.size),
            "info": info,
            "category": d.get("category", "other"),
            "shape": SHAPES.get(d.get("category", "other"), "dot"),
        }
        border = "#222222"
        if d.get("broker"):
            node["borderWidth"], border = 5, "#c0392b"
        if d.get("found") or d.get("ego"):
            node["borderWidth"], border = 6, "#f1c40f"
        if d.get("outside"):
            node["opacity"] = 0.6
        node["color"] = {"background": node_color(d, options.color), "border": border}
        net.add_node(v, label=_short(str(d.get("label", v)), d), **node)
    big = D.number_of_edges() > BIG_EDGES
    for u, v, d in D.edges(data=True):
        style = dict(EDGE_STYLES[d["relation"]])
        if big:  # curved edges cost the layout and every redraw
            style.pop("smooth", None)
        info = _edge_info(d, view)
        edge: dict[str, Any] = {"info": info, "relation": d["relation"], **style}
        if not d.get("directed"):
            edge["arrows"] = ""
        if d["relation"] == "funding":
            amount = d.get("amount") or 0.0
            edge["label"] = euros(amount) if amount else "amount not stated"
            edge["width"] = 1.5 + (math.log10(amount) / 2 if amount > 1 else 0)
        elif d["relation"] == "posts":
            edge["label"] = ", ".join(d.get("roles", []))
            edge["width"] = 1
        else:
            edge["width"] = min(1 + math.log2(float(d.get("weight") or 1)), 8)
        # pyvis's add_edge scans every edge for duplicates (quadratic); ours are unique
        net.edges.append(Edge(u, v, True, **edge).options)
    net.options = vis_options(D.number_of_nodes(), D.number_of_edges())
    return net


def reduction_text(view: MapView) -> str | None:
    """A sentence saying what the server left out, or ``None`` when it shows everything."""
    r = view.reduction
    if not r:
        return None
    parts = []
    if r.get("mode") == "top":
        parts.append(
            f"Showing the {r['shown']:,} nodes highest by {r['by']} of {r['of']:,} "
            "that match the filters."
        )
    elif r.get("mode") == "communities":
        parts.append(
            f"{r['of']:,} nodes are collapsed into {r['shown']:,} communities; "
            "open a community to see its members."
        )
    if "edges_of" in r:
        parts.append(f"Showing the {r['edges_shown']:,} heaviest of {r['edges_of']:,} links.")
    return " ".join(parts)


def payload(view: MapView) -> dict[str, Any]:
    """Everything the page draws, as JSON-ready data."""
    net = to_pyvis(view)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    return {
        "version": view.version,
        "params": view.options.to_params(),
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options) if isinstance(options, str) else options,
        "legend": legend(view),
        "counts": {"nodes": len(nodes), "edges": len(edges), "matched": view.matched},
        "reduction": view.reduction,
        "reduction_text": reduction_text(view),
        "notices": view.notices,
        "found": view.found,
        "ego": view.ego,
    }


def standalone_html(view: MapView, title: str = "helixgraph map") -> str:
    """One HTML file that draws the view offline: vis-network, the map script and the data
    inlined."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    data = payload(view)
    return env.get_template("standalone.html").render(
        title=title,
        data=data,
        vis_js=Markup(_script_safe(ASSETS["vis-network.min.js"])),
        map_js=Markup(_script_safe(ASSETS["map.js"])),
        css=Markup(
            ASSETS["vis-network.css"].read_text(encoding="utf-8")
            + ASSETS["map.css"].read_text(encoding="utf-8")
        ),
    )


def _script_safe(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


# style names pages and callers import from here too
__all__ = [
    "ASSETS",
    "SHAPE_NAMES",
    "legend",
    "payload",
    "reduction_text",
    "standalone_html",
    "to_pyvis",
    "vis_options",
]
