"""The display graph of a map: the nodes and edges of the relations asked for.

A ``networkx.MultiDiGraph`` keyed by IRI, one edge per relation between two nodes
(``key`` = the relation), drawn from the projections of a :class:`~.base.Base`.
Collaboration, membership and posts are undirected ties (``directed=False``, stored
once); funding runs funder -> recipient. Node and edge attributes are plain data (the
exports write them, the renderer styles them); every node and edge has ``sources``.
Organisations carry their centralities, community and brokerage roles when asked for.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from helixgraph import network
from helixgraph.maps.base import Base
from helixgraph.maps.kinds import category
from helixgraph.maps.options import MapOptions
from helixgraph.network.projections import gc_paused
from helixgraph.vocab.iris import ID

UNSTATED_FUNDER = ID + "unstated-funder"
COLLABORATION_KINDS = (network.INITIATIVE, network.COLLABORATES_WITH, network.PARTNER_OF)
MEMBERSHIP_KINDS = (network.MEMBER_OF, network.MEMBERSHIP)


@gc_paused()  # its evidence dicts: collector passes were most of _ties' time
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
        years = [base.initiatives[e["via"]]["start"] for e in items if e["via"] in base.initiatives]
        dated = [y for y in years if y is not None]
        D.add_edge(
            a,
            b,
            key=relation,
            relation=relation,
            directed=False,
            weight=len(items),
            evidence=evidence,
            sources=sources,
            **({"start": min(dated)} if dated else {}),
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
                    "by_year": _by_year(rec["year"], rec["amount"]),
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
            for y, x in d.get("by_year", {}).items():
                e["by_year"][y] = e["by_year"].get(y, 0.0) + x
            _start(e)
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
            by_year=dict(d.get("by_year", {})),
            sources=d.get("sources", []),
        )
        _start(D.edges[u, v, "funding"])
    for _u, _v, e in D.edges(data=True):
        if e["relation"] == "funding" and not e["sources"]:
            e["sources"] = sorted(
                {s for a in e["award_ids"] for s in base.facts.sources.get(ID + "award/" + a, [])}
            )


def _by_year(y: int | None, amount: float | None) -> dict[str, float]:
    return {str(y) if y is not None else "unknown": amount} if amount is not None else {}


def _start(e: dict[str, Any]) -> None:
    """A funding edge's ``start``: the year of its first dated award (the time slider's)."""
    years = [int(y) for y in e["by_year"] if y.isdigit()]
    if years:
        e["start"] = min(years)


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
