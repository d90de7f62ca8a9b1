"""The collaboration and bipartite projections as they were built before the store grouped
the participations (one flat row per fact): the reference the new path must equal."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from typing import Any

import networkx as nx
import pyoxigraph as ox

from helixgraph.network import (
    COLLABORATES_WITH,
    EVIDENCE_KINDS,
    HX,
    INITIATIVE,
    MEMBER_OF,
    MEMBERSHIP,
    ORG,
    PARTNER_OF,
    Filters,
    ProjectionError,
    _facts,
    _finish,
    _keep_sources,
    initiatives,
    organisations,
)


def reference_collaboration_graph(
    store: ox.Store,
    filters: Filters,
    kinds: Iterable[str] = EVIDENCE_KINDS,
) -> nx.Graph:
    """Return the weighted organisation--organisation collaboration graph.

    Two organisations are tied by each piece of evidence of ``kinds``: a shared initiative
    (``initiative``: both take part in or lead it), a shared membership (``membership``:
    both are members of the same organisation), a direct ``member_of``, and a stated
    ``collaborates_with`` or ``partner_of``. Each edge has ``weight`` (the number of
    pieces of evidence) and ``evidence``: a list of ``{"kind", "via", "sources"}``
    (``via`` is the initiative or organisation they share, ``None`` for a direct tie).
    Every organisation that passes the filters is a node, tied or not.
    """
    kinds = set(kinds)
    unknown = kinds - set(EVIDENCE_KINDS)
    if unknown:
        raise ProjectionError(
            f"unknown evidence kinds {sorted(unknown)}: expected {EVIDENCE_KINDS}"
        )
    orgs = organisations(store, filters)
    G = nx.Graph()
    G.add_nodes_from(orgs.items())
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def tie(a: str, b: str, kind: str, via: str | None, sources: set[str]) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        evidence.setdefault(key, []).append({"kind": kind, "via": via, "sources": sorted(sources)})

    if INITIATIVE in kinds:
        inits = initiatives(store, filters)
        members: dict[str, dict[str, set[str]]] = {}
        for (org, init), entry in reference_participations(store, orgs, inits, filters).items():
            members.setdefault(init, {})[org] = entry["sources"]
        for init, parts in members.items():
            for a, b in combinations(sorted(parts), 2):
                tie(a, b, INITIATIVE, init, parts[a] | parts[b])
    dated_ok = not filters.windowed or filters.include_undated
    predicates = {
        MEMBER_OF: ORG + "memberOf",
        COLLABORATES_WITH: HX + "collaboratesWith",
        PARTNER_OF: HX + "partnerOf",
    }
    wanted = [predicates[k] for k in (MEMBER_OF, COLLABORATES_WITH, PARTNER_OF) if k in kinds]
    if MEMBERSHIP in kinds:
        wanted.append(ORG + "memberOf")
    if wanted and dated_ok:
        facts = _facts(store, set(wanted))
        clubs: dict[str, dict[str, set[str]]] = {}
        for (s, p, o), sources in sorted(facts.items()):
            if s not in orgs or not _keep_sources(sources, filters):
                continue
            kind = next(k for k, v in predicates.items() if v == p)
            if kind == MEMBER_OF:
                clubs.setdefault(o, {})[s] = sources
            if kind in kinds and o in orgs:
                tie(s, o, kind, None, sources)
        if MEMBERSHIP in kinds:
            for club, parts in clubs.items():
                for a, b in combinations(sorted(parts), 2):
                    tie(a, b, MEMBERSHIP, club, parts[a] | parts[b])
    for (a, b), items in evidence.items():
        G.add_edge(a, b, weight=len(items), evidence=items)
    return _finish(G, "collaboration", filters)


def reference_participations(
    store: ox.Store, orgs: dict[str, Any], inits: dict[str, Any], filters: Filters
) -> dict[tuple[str, str], dict[str, Any]]:
    """(organisation, initiative) -> relations and sources, after filters."""
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for (s, p, o), sources in _facts(store, [HX + "participatesIn", HX + "leads"]).items():
        if s not in orgs or o not in inits or not _keep_sources(sources, filters):
            continue
        entry = links.setdefault((s, o), {"relations": set(), "sources": set()})
        entry["relations"].add("leads" if p.endswith("leads") else "participates_in")
        entry["sources"] |= sources
    return links


def reference_bipartite_graph(store: ox.Store, filters: Filters) -> nx.Graph:
    orgs = organisations(store, filters)
    inits = initiatives(store, filters)
    G = nx.Graph()
    G.add_nodes_from((o, {**attrs, "bipartite": 0}) for o, attrs in orgs.items())
    for (org, init), entry in sorted(reference_participations(store, orgs, inits, filters).items()):
        if init not in G:
            G.add_node(init, **inits[init], bipartite=1)
        G.add_edge(
            org, init, relations=sorted(entry["relations"]), sources=sorted(entry["sources"])
        )
    return _finish(G, "bipartite", filters)
