"""The four projections of the store into networkx graphs, built from :mod:`.readers`:

- :func:`collaboration_graph` -- organisation--organisation ties, weighted, with evidence;
- :func:`bipartite_graph` -- organisations and the initiatives (projects, programmes...)
  they take part in or lead;
- :func:`funding_graph` -- funder -> recipient, amounts summed, by year;
- :func:`people_graph` -- people and the organisations where they hold posts or are members.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import combinations
from typing import Any

import networkx as nx
import pyoxigraph as ox

from helixgraph.network.filters import (
    DEFAULT_WEIGHTING,
    NO_FILTERS,
    Filters,
    ProjectionError,
    check_weighting,
    year,
)
from helixgraph.network.readers import (
    all_organisations,
    facts,
    initiatives,
    keep_sources,
    label,
    labels,
    organisations,
    participations,
    rows,
    slug,
    source_id,
)
from helixgraph.vocab.namespace import HX, ORG

# relation kinds of collaboration evidence
INITIATIVE = "initiative"  # both take part in (or lead) the same initiative
MEMBERSHIP = "membership"  # both are members of the same organisation
MEMBER_OF = "member_of"  # one is a member of the other
COLLABORATES_WITH = "collaborates_with"
PARTNER_OF = "partner_of"
EVIDENCE_KINDS = (INITIATIVE, MEMBERSHIP, MEMBER_OF, COLLABORATES_WITH, PARTNER_OF)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a projection runs.

    A projection makes millions of small dicts and lists and no reference cycles; at
    1x Horizon 2020 the collector's passes over them took half of the collaboration
    projection's time. Refcounting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _shared_initiatives(
    members: dict[str, dict[str, set[str]]], evidence: bool, newman: bool = False
) -> dict[tuple[str, str], Any]:
    """(a, b) with a < b -> the evidence list of the initiatives they share, or its weight
    (their number; with ``newman``, the sum of 1/(n - 1) over them, n their participants)."""
    ties: dict[tuple[str, str], Any] = {}
    if not evidence:
        counts: dict[tuple[str, str], float] = {}
        for parts in members.values():
            share = 1 / (len(parts) - 1) if newman and len(parts) > 1 else 1
            for pair in combinations(sorted(parts), 2):
                counts[pair] = counts.get(pair, 0) + share
        return counts
    for init in sorted(members):
        parts = members[init]
        names = sorted(parts)
        alone = [sorted(parts[a]) for a in names]
        for x, a in enumerate(names):
            sa = parts[a]
            for y in range(x + 1, len(names)):
                b = names[y]
                sb = parts[b]
                sources = alone[x][:] if sb == sa else sorted(sa | sb)
                item = {"kind": INITIATIVE, "via": init, "sources": sources}
                found = ties.get((a, b))
                if found is None:
                    ties[(a, b)] = [item]
                else:
                    found.append(item)
    return ties


def _finish(G: Any, projection: str, filters: Filters) -> Any:
    G.graph["projection"] = projection
    G.graph["filters"] = filters.as_dict()
    return G


@gc_paused()
def collaboration_graph(
    store: ox.Store,
    filters: Filters = NO_FILTERS,
    kinds: Iterable[str] = EVIDENCE_KINDS,
    evidence: bool = True,
    weighting: str = DEFAULT_WEIGHTING,
) -> nx.Graph:
    """Return the weighted organisation--organisation collaboration graph.

    Two organisations are tied by each piece of evidence of ``kinds``: a shared initiative
    (``initiative``: both take part in or lead it), a shared membership (``membership``:
    both are members of the same organisation), a direct ``member_of``, and a stated
    ``collaborates_with`` or ``partner_of``. Each edge has ``weight`` (the number of
    pieces of evidence) and ``evidence``: a list of ``{"kind", "via", "sources"}``
    (``via`` is the initiative or organisation they share, ``None`` for a direct tie).
    Every organisation that passes the filters is a node, tied or not. With
    ``evidence=False`` edges carry ``weight`` only (faster and smaller, for analytics).

    ``weighting`` (one of :data:`~helixgraph.network.filters.WEIGHTINGS`) says what
    ``weight`` is: ``count`` (the default) the number of pieces of evidence; ``newman``
    Newman's collaboration weighting, where each shared initiative with ``n``
    participants adds ``1 / (n - 1)`` (``n`` counts the organisations the filters keep)
    and each other piece of evidence adds 1; ``stated`` leaves shared initiatives out
    (as if ``kinds`` lacked ``initiative``), so only stated ties remain, 1 each. A
    weighting other than ``count`` is recorded in ``G.graph["weighting"]``.

    References: M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths,
    weighted networks, and centrality", *Phys. Rev. E* 64, 016132 (2001).
    """
    check_weighting(weighting)
    kinds = set(kinds)
    unknown = kinds - set(EVIDENCE_KINDS)
    if unknown:
        raise ProjectionError(
            f"unknown evidence kinds {sorted(unknown)}: expected {EVIDENCE_KINDS}"
        )
    if weighting == "stated":
        kinds.discard(INITIATIVE)
    newman = weighting == "newman"
    orgs = organisations(store, filters)
    G = nx.Graph()
    G.add_nodes_from(orgs.items())
    ties: dict[tuple[str, str], Any] = {}
    members: dict[str, dict[str, set[str]]] = {}
    if INITIATIVE in kinds:
        for (org, init), entry in participations(
            store, orgs, initiatives(store, filters), filters
        ).items():
            members.setdefault(init, {})[org] = entry["sources"]
        ties = _shared_initiatives(members, evidence, newman)

    def tie(a: str, b: str, kind: str, via: str | None, sources: set[str]) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        if not evidence:
            ties[key] = ties.get(key, 0) + 1
            return
        item = {"kind": kind, "via": via, "sources": sorted(sources)}
        ties.setdefault(key, []).append(item)

    dated_ok = not filters.windowed or filters.include_undated
    predicates = {
        MEMBER_OF: str(ORG.memberOf),
        COLLABORATES_WITH: str(HX.collaboratesWith),
        PARTNER_OF: str(HX.partnerOf),
    }
    wanted = [predicates[k] for k in (MEMBER_OF, COLLABORATES_WITH, PARTNER_OF) if k in kinds]
    if MEMBERSHIP in kinds:
        wanted.append(str(ORG.memberOf))
    if wanted and dated_ok:
        stated = facts(store, set(wanted))
        clubs: dict[str, dict[str, set[str]]] = {}
        for (s, p, o), sources in sorted(stated.items()):
            if s not in orgs or not keep_sources(sources, filters):
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
    if evidence and newman:
        share = {init: 1 / (len(parts) - 1) for init, parts in members.items() if len(parts) > 1}

        def weight(items: list[dict[str, Any]]) -> float:
            return sum(share[e["via"]] if e["kind"] == INITIATIVE else 1 for e in items)

        G.add_edges_from((a, b, {"weight": weight(v), "evidence": v}) for (a, b), v in ties.items())
    elif evidence:
        G.add_edges_from((a, b, {"weight": len(v), "evidence": v}) for (a, b), v in ties.items())
    else:
        G.add_edges_from((a, b, {"weight": n}) for (a, b), n in ties.items())
    if weighting != DEFAULT_WEIGHTING:
        G.graph["weighting"] = weighting
    return _finish(G, "collaboration", filters)


@gc_paused()
def bipartite_graph(store: ox.Store, filters: Filters = NO_FILTERS) -> nx.Graph:
    """Return the bipartite graph of organisations (``bipartite=0``) and initiatives (``1``).

    An edge means the organisation takes part in or leads the initiative; it carries
    ``relations`` (``participates_in``, ``leads``) and ``sources``. Initiatives without a
    participant left after the filters are dropped; organisations are all kept.
    """
    orgs = organisations(store, filters)
    inits = initiatives(store, filters)
    G = nx.Graph()
    G.add_nodes_from((o, {**attrs, "bipartite": 0}) for o, attrs in orgs.items())
    for (org, init), entry in sorted(participations(store, orgs, inits, filters).items()):
        if init not in G:
            G.add_node(init, **inits[init], bipartite=1)
        G.add_edge(
            org, init, relations=sorted(entry["relations"]), sources=sorted(entry["sources"])
        )
    return _finish(G, "bipartite", filters)


@gc_paused()
def funding_graph(
    store: ox.Store,
    filters: Filters = NO_FILTERS,
    currency: str = "EUR",
    unknown_funder: str | None = None,
) -> nx.DiGraph:
    """Return the funding flows: an edge funder -> recipient per pair, amounts summed.

    Edge attributes: ``amount`` (sum of the stated amounts), ``by_year`` (``{"2020": x}``,
    ``"unknown"`` for undated awards), ``awards`` (count), ``unknown_amount`` (awards
    whose amount the source does not state) and ``award_ids``. Region and helix filters
    apply to the recipient. Awards in another ``currency`` are left out. Awards whose
    funder is not stated are listed in ``G.graph["unattributed"]``; they are edges only
    when ``unknown_funder`` names a node to stand for the unstated funder (it gets
    ``kind="unknown"``), so that totals by recipient still count them.
    """
    orgs_all = all_organisations(store)
    recipients_ok = organisations(
        store, Filters(region=filters.region, helix=filters.helix), everything=orgs_all
    )
    inits = initiatives(store, Filters())
    q = """SELECT ?a ?g ?funder ?recipient ?amount ?currency ?date WHERE {
      GRAPH ?g { ?a a hx:FundingAward }
      ?a hx:recipient ?recipient .
      OPTIONAL { ?a hx:funder ?funder } OPTIONAL { ?a hx:amount ?amount }
      OPTIONAL { ?a hx:currency ?currency } OPTIONAL { ?a hx:awardDate ?date } }"""
    awards: dict[str, dict[str, Any]] = {}
    for r in rows(store, q):
        entry = awards.setdefault(str(r["a"]), {**r, "sources": set()})
        entry["sources"].add(source_id(str(r["g"])))
    F = nx.DiGraph()
    unattributed: list[dict[str, Any]] = []
    skipped = 0
    for award, a in sorted(awards.items()):
        recipient = str(a["recipient"])
        if recipient in orgs_all and recipient not in recipients_ok:
            continue
        if recipient not in orgs_all and (filters.region or filters.helix):
            continue  # an initiative has no region or helix of its own
        if not keep_sources(a["sources"], filters):
            continue
        y = year(a["date"])
        if not filters.in_window(y, y):
            continue
        if a["currency"] not in (None, currency):
            skipped += 1
            continue
        amount = float(a["amount"]) if a["amount"] is not None else None
        record = {
            "award": award,
            "recipient": recipient,
            "amount": amount,
            "year": y,
            "sources": sorted(a["sources"]),
        }
        if a["funder"] is None:
            unattributed.append(record)
            if unknown_funder is None:
                continue
            if unknown_funder not in F:
                F.add_node(
                    unknown_funder,
                    id=unknown_funder,
                    label="funder not stated",
                    kind="unknown",
                    helix=None,
                )
        funder = str(a["funder"]) if a["funder"] is not None else str(unknown_funder)
        for node in (funder, recipient):
            if node not in F:
                attrs = (
                    orgs_all.get(node) or inits.get(node) or {"id": slug(node), "label": slug(node)}
                )
                F.add_node(node, **attrs)
        if not F.has_edge(funder, recipient):
            F.add_edge(
                funder, recipient, amount=0.0, by_year={}, awards=0, unknown_amount=0, award_ids=[]
            )
        e = F[funder][recipient]
        e["awards"] += 1
        e["award_ids"].append(slug(award))
        if amount is None:
            e["unknown_amount"] += 1
        else:
            e["amount"] += amount
            key = str(y) if y is not None else "unknown"
            e["by_year"][key] = e["by_year"].get(key, 0.0) + amount
    F.graph["unattributed"] = unattributed
    F.graph["currency"] = currency
    F.graph["skipped_other_currency"] = skipped
    return _finish(F, "funding", filters)


@gc_paused()
def people_graph(store: ox.Store, filters: Filters = NO_FILTERS) -> nx.Graph:
    """Return the bipartite graph of people (``bipartite=0``) and organisations (``1``).

    A person is tied to an organisation where they hold a post (``org:holds`` /
    ``hx:postIn``; the edge's ``roles`` lists ``org:role`` local names) or of which they are
    a member. Edges carry ``roles``, ``relations`` and ``sources``. Posts carry no dates,
    so the time window does not apply; region and helix apply to the organisation.
    """
    orgs = organisations(store, filters)
    people = labels(store, str(HX.Person))
    G = nx.Graph()
    links: dict[tuple[str, str], dict[str, set[str]]] = {}
    q = """SELECT ?person ?org ?role ?g WHERE {
      GRAPH ?g { ?person org:holds ?post . ?post hx:postIn ?org }
      OPTIONAL { ?post org:role ?role } }"""
    for r in rows(store, q):
        person, org = str(r["person"]), str(r["org"])
        if org not in orgs or person not in people:
            continue
        entry = links.setdefault(
            (person, org), {"roles": set(), "relations": set(), "sources": set()}
        )
        entry["relations"].add("holds_post")
        entry["sources"].add(source_id(str(r["g"])))
        if r["role"] is not None:
            entry["roles"].add(slug(str(r["role"])).rsplit("#", 1)[-1])
    for (s, _p, o), sources in facts(store, [str(ORG.memberOf)]).items():
        if s in people and o in orgs:
            entry = links.setdefault((s, o), {"roles": set(), "relations": set(), "sources": set()})
            entry["relations"].add("member_of")
            entry["sources"] |= sources
    G.add_nodes_from((o, {**attrs, "bipartite": 1}) for o, attrs in orgs.items())
    for (person, org), entry in sorted(links.items()):
        if not keep_sources(entry["sources"], filters):
            continue
        if person not in G:
            G.add_node(
                person, id=slug(person), label=label(people, person), kind="person", bipartite=0
            )
        G.add_edge(person, org, **{k: sorted(v) for k, v in entry.items()})
    return _finish(G, "people", filters)
