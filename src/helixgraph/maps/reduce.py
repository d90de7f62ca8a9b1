"""Keep a map small enough for a browser: the top organisations, or communities as super-nodes.

A view with more than ``max_nodes`` nodes is reduced on the server, and the view records
how (``view.reduction``) so the page can say what it leaves out:

- ``top``: the ``max_nodes`` most central nodes by the sizing centrality (searched-for
  nodes and the ego first);
- ``communities``: each Louvain community becomes one node, sized by its members, and the
  ties between two communities become one edge per relation (weights summed).

Then, if more than ``max_edges`` edges are left, the heaviest of each relation are kept.
Funding flows are never dropped from a funding view: a ``top`` reduction keeps every
funder and recipient first (other views keep every funder), and the edge cap only drops
other relations.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import networkx as nx

from helixgraph.maps.options import MapOptions

RELATION_ORDER = {"funding": 0, "collaboration": 1, "membership": 2, "posts": 3}


def reduce_graph(
    D: nx.MultiDiGraph,
    options: MapOptions,
    pinned: list[str],
    membership: Callable[[], dict[str, int]],
) -> tuple[nx.MultiDiGraph, dict[str, Any] | None]:
    """``D`` within ``options.max_nodes`` and ``options.max_edges`` (``pinned`` nodes kept
    first; ``membership`` gives the communities, asked only when collapsing), and how it
    was reduced (``None`` when it was not). Edges are dropped from ``D`` itself."""
    reduction: dict[str, Any] | None = None
    if options.max_nodes and D.number_of_nodes() > options.max_nodes:
        of = D.number_of_nodes()
        if options.reduce == "communities":
            D = collapse_communities(D, membership())
            reduction = {"mode": "communities", "of": of, "shown": D.number_of_nodes()}
        else:
            # a funding view keeps every funder and recipient; other views every funder
            only = set(options.relations) == {"funding"}
            ends = [(u, v) for u, v, k in D.edges(keys=True) if k == "funding"]
            flows = list(dict.fromkeys(n for u, v in ends for n in ((u, v) if only else (u,))))
            keep = max(options.max_nodes, len(flows))
            D = top_nodes(D, options.size, keep, pinned=[*pinned, *flows])
            reduction = {"mode": "top", "by": options.size, "of": of, "shown": D.number_of_nodes()}
    if options.max_edges and D.number_of_edges() > options.max_edges:
        total = D.number_of_edges()
        ranked = sorted(
            D.edges(keys=True, data=True),
            key=lambda e: (RELATION_ORDER.get(e[3]["relation"], 9), -float(e[3]["weight"] or 0)),
        )
        n_flows = sum(1 for e in ranked if e[2] == "funding")
        drop = [(u, v, k) for u, v, k, _ in ranked[max(options.max_edges, n_flows) :]]
        D.remove_edges_from(drop)
        reduction = {
            **(reduction or {}),
            "edges_of": total,
            "edges_shown": len(ranked) - len(drop),
        }
    return D, reduction


def top_nodes(D: nx.MultiDiGraph, size: str, n: int, pinned: list[str]) -> nx.MultiDiGraph:
    """The subgraph of the ``n`` nodes ranked highest by centrality ``size`` (nodes without
    the metric rank by their degree in ``D`` after every node that has it)."""
    first = set(pinned) | {v for v, d in D.nodes(data=True) if d.get("ego")}

    def rank(v: str) -> tuple[int, int, float, int, str]:
        d = D.nodes[v]
        value = d.get("metrics", {}).get(size)
        return (v not in first, value is None, -(value or 0.0), -D.degree(v), v)

    keep = sorted(D, key=rank)[:n]
    return nx.MultiDiGraph(D.subgraph(keep))


def collapse_communities(D: nx.MultiDiGraph, membership: dict[str, int]) -> nx.MultiDiGraph:
    """One node per community of ``membership`` (nodes outside it are left out)."""
    C = nx.MultiDiGraph()
    members: dict[int, list[str]] = {}
    for v in D:
        if v in membership:
            members.setdefault(membership[v], []).append(v)
    for c, vs in sorted(members.items()):
        helices = Counter(D.nodes[v].get("helix") or "none" for v in vs)
        top = sorted(vs, key=lambda v: -D.nodes[v].get("metrics", {}).get("pagerank", 0.0))
        sources = sorted({s for v in vs for s in D.nodes[v].get("sources", [])})
        C.add_node(
            f"community:{c}",
            id=f"community-{c}",
            label=f"community {c} ({len(vs)})",
            type="community",
            category="community",
            community=c,
            members=len(vs),
            helix=helices.most_common(1)[0][0] if helices else None,
            helix_mix=dict(helices),
            top_members=[D.nodes[v].get("label", v) for v in top[:8]],
            sources=sources,
        )
    for u, v, k, data in D.edges(keys=True, data=True):
        if u not in membership or v not in membership:
            continue
        cu, cv = f"community:{membership[u]}", f"community:{membership[v]}"
        if cu == cv:
            continue
        if not data.get("directed") and cu > cv:
            cu, cv = cv, cu
        if C.has_edge(cu, cv, k):
            e = C.edges[cu, cv, k]
            e["weight"] += data["weight"] or 0
            e["ties"] += 1
            e["sources"] = sorted(set(e["sources"]) | set(data.get("sources", [])))
        else:
            extra: dict[str, Any] = {"amount": data["amount"]} if "amount" in data else {}
            C.add_edge(
                cu,
                cv,
                key=k,
                relation=data["relation"],
                directed=data["directed"],
                weight=data["weight"] or 0,
                ties=1,
                sources=list(data.get("sources", [])),
                **extra,
            )
    for _u, _v, e in C.edges(data=True):
        if e["relation"] == "funding":
            e["amount"] = e["weight"]
    return C
