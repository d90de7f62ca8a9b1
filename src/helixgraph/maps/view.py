"""One map view: the display graph of :class:`MapOptions` over a :class:`~.base.Base`.

The display graph is a ``networkx.MultiDiGraph`` keyed by IRI, one edge per relation
between two nodes (``key`` = the relation). Collaboration, membership and posts are
undirected ties (``directed=False``, stored once); funding runs funder -> recipient.
Node and edge attributes are plain data (the exports write them, the renderer styles
them); every node and edge has ``sources``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox

from helixgraph import network
from helixgraph.maps.base import Base, bases
from helixgraph.maps.facts import CATEGORY_OF_KIND, category
from helixgraph.maps.options import MapError, MapOptions
from helixgraph.maps.reduce import reduce_view

ID = "https://w3id.org/helixgraph/id/"
UNSTATED_FUNDER = ID + "unstated-funder"
COLLABORATION_KINDS = (network.INITIATIVE, network.COLLABORATES_WITH, network.PARTNER_OF)
MEMBERSHIP_KINDS = (network.MEMBER_OF, network.MEMBERSHIP)


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


def build_view(store: ox.Store, options: MapOptions) -> MapView:
    """Project, filter, focus (ego, community, search) and reduce one map view."""
    base = bases.get(store, options.filters)
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
        view.graph = D = nx.MultiDiGraph(D.subgraph(members))
    if options.ego is not None:
        center = resolve(D, options.ego)
        if center is None:
            raise MapError("ego", f"no organisation {options.ego!r} in this view")
        near = nx.ego_graph(D.to_undirected(as_view=True), center, radius=options.hops)
        view.graph = D = nx.MultiDiGraph(D.subgraph(near.nodes))
        D.nodes[center]["ego"] = True
        view.ego = center
    if options.q:
        view.found = search(D, options.q)
        for v in view.found:
            D.nodes[v]["found"] = True
        if not view.found:
            view.notices.append(f"No organisation in this view matches {options.q!r}.")
    view.matched = {"nodes": D.number_of_nodes(), "edges": D.number_of_edges()}
    reduce_view(view, base)
    return view


def resolve(D: nx.MultiDiGraph, ident: str) -> str | None:
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


def display_graph(base: Base, options: MapOptions) -> nx.MultiDiGraph:
    """Nodes and edges of the relations asked for, before any focus or reduction."""
    D = nx.MultiDiGraph()
    kinds = set(options.kinds)
    for v, attrs in base.collaboration.nodes(data=True):
        node = _organisation(base, v, attrs)
        if not kinds or kinds & {*node["kinds"], node["category"]}:
            D.add_node(v, **node)
    relations = set(options.relations)
    if "collaboration" in relations:
        _ties(D, base, "collaboration", COLLABORATION_KINDS, options.min_weight)
    if "membership" in relations:
        _ties(D, base, "membership", MEMBERSHIP_KINDS, options.min_weight)
    if "funding" in relations:
        _funding(D, base, kinds)
    if "posts" in relations:
        _posts(D, base)
    if not options.show_isolates:
        D.remove_nodes_from([v for v in list(D) if D.degree(v) == 0])
    _metrics(D, base, options)
    return D


def _organisation(base: Base, v: str, attrs: dict[str, Any]) -> dict[str, Any]:
    kinds = base.facts.kinds.get(v, [])
    return {
        **attrs,
        "type": "organisation",
        "kinds": kinds,
        "category": category(kinds),
        "names": base.facts.names.get(v, []),
        "abbreviations": base.facts.abbreviations.get(v, []),
        "sources": base.facts.sources.get(v, []),
    }


def _other(base: Base, v: str) -> dict[str, Any]:
    """A node that is not an organisation of the filtered set (funder, initiative, person)."""
    if v in base.organisations:
        return {**_organisation(base, v, base.organisations[v]), "outside": True}
    if v == UNSTATED_FUNDER:
        return {
            "id": "unstated-funder",
            "label": "funder not stated",
            "type": "unstated",
            "category": "other",
            "sources": [],
        }
    kind = "initiative" if v in base.initiatives else "person"
    attrs = base.initiatives.get(v, {})
    label = attrs.get("label") or v.rsplit("/", 1)[-1]
    return {
        "id": v.rsplit("/", 1)[-1],
        "label": label,
        "type": kind,
        "category": kind,
        "names": base.facts.names.get(v, []),
        "sources": base.facts.sources.get(v, []),
    }


def _ties(
    D: nx.MultiDiGraph, base: Base, relation: str, kinds: tuple[str, ...], min_weight: int
) -> None:
    labels = {
        **{v: a["label"] for v, a in base.initiatives.items()},
        **{v: a["label"] for v, a in base.organisations.items()},
    }
    for a, b, data in base.collaboration.edges(data=True):
        items = [e for e in data["evidence"] if e["kind"] in kinds]
        if len(items) < min_weight or a not in D or b not in D:
            continue
        evidence = [
            {
                "kind": e["kind"],
                "via": labels.get(e["via"]) if e["via"] else None,
                "sources": e["sources"],
            }
            for e in items
        ]
        sources = sorted({s for e in items for s in e["sources"]})
        D.add_edge(
            a,
            b,
            key=relation,
            relation=relation,
            directed=False,
            weight=len(items),
            evidence=evidence,
            sources=sources,
        )


def _funding(D: nx.MultiDiGraph, base: Base, kinds: set[str]) -> None:
    def ok(v: str) -> bool:
        if v in D:
            return True
        if not kinds or v not in base.organisations:
            return True
        k = base.facts.kinds.get(v, [])
        return bool(kinds & {*k, category(k)})

    F = base.funding
    flows = [(u, v, dict(d)) for u, v, d in F.edges(data=True)]
    for rec in F.graph.get("unattributed", []):
        flows.append(
            (
                UNSTATED_FUNDER,
                rec["recipient"],
                {
                    "amount": rec["amount"] or 0.0,
                    "awards": 1,
                    "unknown_amount": 0 if rec["amount"] is not None else 1,
                    "award_ids": [rec["award"].rsplit("/", 1)[-1]],
                    "sources": rec["sources"],
                },
            )
        )
    for u, v, d in flows:
        if not (ok(u) and ok(v)):
            continue
        for node in (u, v):
            if node not in D:
                D.add_node(node, **_other(base, node))
        if D.has_edge(u, v, "funding"):
            e = D.edges[u, v, "funding"]
            e["amount"] += d["amount"]
            e["awards"] += d["awards"]
            e["unknown_amount"] += d["unknown_amount"]
            e["award_ids"] += d["award_ids"]
            continue
        D.add_edge(
            u,
            v,
            key="funding",
            relation="funding",
            directed=True,
            weight=d["amount"],
            amount=d["amount"],
            awards=d["awards"],
            unknown_amount=d["unknown_amount"],
            award_ids=list(d["award_ids"]),
            sources=d.get("sources", []),
        )
    for _u, _v, e in D.edges(data=True):
        if e["relation"] == "funding" and not e["sources"]:
            e["sources"] = sorted(
                {s for a in e["award_ids"] for s in base.facts.sources.get(ID + "award/" + a, [])}
            )


def _posts(D: nx.MultiDiGraph, base: Base) -> None:
    P = base.people
    for person, org, data in P.edges(data=True):
        if P.nodes[person].get("kind") != "person":
            person, org = org, person
        if org not in D:
            continue
        if person not in D:
            D.add_node(
                person,
                **{
                    **_other(base, person),
                    "type": "person",
                    "category": "person",
                    "label": P.nodes[person].get("label", person),
                },
            )
        D.add_edge(
            person,
            org,
            key="posts",
            relation="posts",
            directed=False,
            weight=1,
            roles=data.get("roles", []),
            sources=data.get("sources", []),
        )


def _metrics(D: nx.MultiDiGraph, base: Base, options: MapOptions) -> None:
    table = base.centrality()
    need_communities = options.color == "community" or options.reduce == "communities"
    membership = (
        base.communities()["membership"]
        if (need_communities or options.community is not None)
        else {}
    )
    for v, d in D.nodes(data=True):
        if v in table:
            d["metrics"] = table[v]
        if v in membership:
            d["community"] = membership[v]
    if options.brokers is not None:
        _brokers(D, base, options)


def _brokers(D: nx.MultiDiGraph, base: Base, options: MapOptions) -> None:
    role = options.brokers
    roles = base.brokerage()["nodes"]
    if role == "betweenness":
        scores = {v: base.centrality().get(v, {}).get("betweenness", 0.0) for v in D}
    else:
        scores = {v: float(roles[v]["raw"][role]) if v in roles else 0.0 for v in D}
    ranked = sorted((v for v in D if scores[v] > 0), key=lambda v: (-scores[v], v))
    for v in D:
        if v in roles:
            D.nodes[v]["brokerage"] = roles[v]["raw"]
    for v in ranked[: options.broker_top]:
        D.nodes[v]["broker"] = True
        D.nodes[v]["broker_score"] = scores[v]


__all__ = ["CATEGORY_OF_KIND", "MapView", "build_view", "display_graph", "resolve", "search"]
