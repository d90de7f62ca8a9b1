"""The figures of one region beside another (``/map/compare``).

Everything comes from results computed elsewhere -- the map's projections
(:class:`~.base.Base`), its metrics (:func:`~helixgraph.analytics.suite.map_metrics`) and
the ``helix`` and ``funding`` analytics families, the numbers ``/api/metrics/helix`` and
``/api/funding/flows`` give for the same region -- so a comparison computes nothing new.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from helixgraph.maps.base import Base
from helixgraph.maps.kinds import UNNAMED_LABEL, category
from helixgraph.maps.style import HELIX_COLORS, HELIX_NAMES, SHAPE_NAMES


def figures(
    place: str,
    name: str,
    base: Base,
    metrics: dict[str, Any],
    helix: dict[str, Any],
    funding: dict[str, Any],
    top: int = 5,
) -> dict[str, Any]:
    """One region's figures: organisations by helix, links, density, E-I index, T(UIG),
    top brokers (betweenness, with their Gould--Fernandez roles) and funding by
    recipient helix and by year (EUR)."""
    G = base.collaboration
    helices = Counter(d.get("helix") or "none" for _, d in G.nodes(data=True))
    central = metrics["centrality"]
    roles = metrics["brokerage"].get("nodes", {})
    ranked = sorted(
        (v for v in G if central.get(v, {}).get("betweenness")),
        key=lambda v: (-central[v]["betweenness"], v),
    )[:top]
    result = helix.get("result", helix)
    totals = funding.get("totals", {})
    synergy = (result.get("synergy") or {}).get("triple_helix") or {}
    return {
        "place": place,
        "name": name,
        "organisations": G.number_of_nodes(),
        "links": G.number_of_edges(),
        "density": nx.density(G) if G.number_of_nodes() > 1 else 0.0,
        "by_helix": [
            [HELIX_NAMES[h], helices[h], HELIX_COLORS[h]] for h in HELIX_COLORS if helices[h]
        ],
        "ei_index": (result.get("ei_index") or {}).get("overall"),
        "synergy": synergy.get("T"),
        "brokers": [
            {
                "id": G.nodes[v].get("id", v),
                "label": G.nodes[v].get("label", v),
                # named by its identifier alone: the page says what it is instead
                "unnamed": bool(UNNAMED_LABEL.fullmatch(str(G.nodes[v].get("label", v)))),
                "kind": SHAPE_NAMES[category(base.facts.kinds.get(v, []))],
                "betweenness": central[v]["betweenness"],
                "roles": {
                    k: n for k, n in roles.get(v, {}).get("raw", {}).items() if n and k != "total"
                },
            }
            for v in ranked
        ],
        "funding_total": float(totals.get("total") or 0.0),
        "funding_by_helix": [
            [HELIX_NAMES.get(h, h), float(x), HELIX_COLORS.get(h, HELIX_COLORS["none"])]
            for h, x in sorted(
                (totals.get("by_recipient_helix") or {}).items(), key=lambda kv: -kv[1]
            )
        ],
        "funding_by_year": sorted((totals.get("by_year") or {}).items()),
    }
