"""Projections: the only bridge from the RDF store to networkx graphs.

Four projections, each read with SPARQL queries over the union of the named graphs (so
every fact keeps the sources that state it) and assembled in Python; the participations,
the largest part, come grouped by initiative (one row each, built by the store):

- :func:`collaboration_graph` -- organisation--organisation ties, weighted, with evidence;
- :func:`bipartite_graph` -- organisations and the initiatives (projects, programmes...)
  they take part in or lead;
- :func:`funding_graph` -- funder -> recipient, amounts summed, by year;
- :func:`people_graph` -- people and the organisations where they hold posts or are members.

Every projection takes the same :class:`Filters`: a region (a place; an organisation is
in it when it, or the organisation it is part of, is located in that place or in a place
inside it), a helix, a source (only facts stated by that source document) and a time
window in years. Nodes are IRIs (strings); each carries ``id`` (the slug), ``label``,
``kind`` and, for organisations, ``helices`` (all its spheres), ``helix`` (its primary
sphere: the first of academia, industry, government, civil_society it belongs to, or
``None``) and ``regions`` (every place it is located in, with the places those are part of).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

import networkx as nx
import pyoxigraph as ox

HX = "https://w3id.org/helixgraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ID = "https://w3id.org/helixgraph/id/"
SOURCE_GRAPH = "https://w3id.org/helixgraph/graph/source/"
PREFIXES = f"PREFIX hx: <{HX}>\nPREFIX org: <{ORG}>\nPREFIX rdfs: <{RDFS}>\nPREFIX skos: <{SKOS}>\n"

HELICES = ("academia", "industry", "government", "civil_society")
_HELIX_IRI = {
    HX + "academia": "academia",
    HX + "industry": "industry",
    HX + "government": "government",
    HX + "civilSociety": "civil_society",
}
_YEAR = re.compile(r"-?(\d{4})")

# relation kinds of collaboration evidence
INITIATIVE = "initiative"  # both take part in (or lead) the same initiative
MEMBERSHIP = "membership"  # both are members of the same organisation
MEMBER_OF = "member_of"  # one is a member of the other
COLLABORATES_WITH = "collaborates_with"
PARTNER_OF = "partner_of"
EVIDENCE_KINDS = (INITIATIVE, MEMBERSHIP, MEMBER_OF, COLLABORATES_WITH, PARTNER_OF)


class ProjectionError(ValueError):
    """A filter names something the projection cannot use."""


@dataclass(frozen=True)
class Filters:
    """Restrictions shared by every projection (all optional).

    ``region``: a place id (``groningen``) or IRI. ``helix``: one of :data:`HELICES`.
    ``source``: a source id (``s000``) or the IRI of its named graph. ``start``/``end``:
    years, inclusive; an initiative counts when its start--end span overlaps them, an
    award when its date falls in them. Facts without a date (undated initiatives,
    direct relations, undated awards) are left out under a time window unless
    ``include_undated``.
    """

    region: str | None = None
    helix: str | None = None
    source: str | None = None
    start: int | None = None
    end: int | None = None
    include_undated: bool = False

    def __post_init__(self) -> None:
        if self.helix is not None and self.helix not in HELICES:
            raise ProjectionError(f"helix {self.helix!r}: expected one of {', '.join(HELICES)}")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ProjectionError(f"time window {self.start}-{self.end} ends before it starts")

    @property
    def windowed(self) -> bool:
        return self.start is not None or self.end is not None

    def source_iri(self) -> str | None:
        if self.source is None:
            return None
        return self.source if ":" in self.source else SOURCE_GRAPH + self.source

    def region_id(self) -> str | None:
        if self.region is None:
            return None
        return self.region.rsplit("/", 1)[-1]

    def in_window(self, first: int | None, last: int | None) -> bool:
        """Whether a span of years (either end may be unknown) overlaps the window."""
        if not self.windowed:
            return True
        if first is None and last is None:
            return self.include_undated
        lo = first if first is not None else last
        hi = last if last is not None else first
        assert lo is not None and hi is not None
        return (self.start is None or hi >= self.start) and (self.end is None or lo <= self.end)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}


@contextmanager
def _gc_paused() -> Iterator[None]:
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


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _source_id(graph: str) -> str:
    return graph[len(SOURCE_GRAPH) :] if graph.startswith(SOURCE_GRAPH) else graph


def year(value: str | None) -> int | None:
    """The year of an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` lexical value."""
    if not value:
        return None
    m = _YEAR.match(value.strip())
    return int(m.group(1)) if m else None


def _rows(store: ox.Store, query: str) -> Iterator[dict[str, str | None]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    for solution in result:
        yield {n: (None if solution[n] is None else solution[n].value) for n in names}


def _facts(store: ox.Store, predicates: Iterable[str]) -> dict[tuple[str, str, str], set[str]]:
    """(subject, predicate, object) -> the source ids of the graphs that state it."""
    values = " ".join(f"<{p}>" for p in predicates)
    facts: dict[tuple[str, str, str], set[str]] = {}
    q = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    for r in _rows(store, q):
        key = (str(r["s"]), str(r["p"]), str(r["o"]))
        facts.setdefault(key, set()).add(_source_id(str(r["g"])))
    return facts


def _keep_sources(sources: set[str], filters: Filters) -> bool:
    iri = filters.source_iri()
    return iri is None or _source_id(iri) in sources


def _label(labels: dict[str, dict[str, str]], iri: str) -> str:
    by_lang = labels.get(iri, {})
    return by_lang.get("en") or by_lang.get("") or next(iter(by_lang.values()), _slug(iri))


def _labels(store: ox.Store, cls: str) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    names = "skos:prefLabel|rdfs:label|<http://xmlns.com/foaf/0.1/name>"
    q = f"SELECT ?x ?l WHERE {{ ?x a <{cls}> . OPTIONAL {{ ?x {names} ?l }} }}"
    result = store.query(PREFIXES + q, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    for solution in result:
        x, lit = solution["x"].value, solution["l"]
        entry = labels.setdefault(x, {})
        if isinstance(lit, ox.Literal):
            entry.setdefault(lit.language or "", lit.value)
    return labels


def _place_ancestors(store: ox.Store) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    q = f'SELECT ?p ?q WHERE {{ ?p hx:partOf ?q FILTER(STRSTARTS(STR(?p), "{ID}place/")) }}'
    for r in _rows(store, q):
        parents.setdefault(str(r["p"]), set()).add(str(r["q"]))
    closure: dict[str, set[str]] = {}

    def up(place: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if place not in closure:
            found = set()
            for q in parents.get(place, ()):
                if q not in seen:
                    found |= {q} | up(q, seen | {place})
            closure[place] = found
        return closure[place]

    for p in list(parents):
        up(p)
    return closure


def organisations(
    store: ox.Store,
    filters: Filters = Filters(),
    everything: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Return the organisations that pass ``filters`` with their node attributes.

    ``everything``: the unfiltered result, when the caller already has it.
    """
    orgs = _all_organisations(store) if everything is None else everything
    region = filters.region_id()
    in_source: set[str] | None = None
    if filters.source is not None:
        graph = filters.source_iri()
        q = f"SELECT DISTINCT ?o WHERE {{ GRAPH <{graph}> {{ ?o a hx:Organisation }} }}"
        in_source = {str(r["o"]) for r in _rows(store, q)}
    return {
        org: attrs
        for org, attrs in orgs.items()
        if (region is None or region in attrs["regions"])
        and (filters.helix is None or filters.helix in attrs["helices"])
        and (in_source is None or org in in_source)
    }


def _all_organisations(store: ox.Store) -> dict[str, dict[str, Any]]:
    labels = _labels(store, HX + "Organisation")
    helices: dict[str, set[str]] = {o: set() for o in labels}
    for r in _rows(store, "SELECT ?o ?h WHERE { ?o a hx:Organisation ; hx:helix ?h }"):
        if str(r["h"]) in _HELIX_IRI:
            helices[str(r["o"])].add(_HELIX_IRI[str(r["h"])])
    located: dict[str, set[str]] = {o: set() for o in labels}
    for r in _rows(store, "SELECT ?o ?p WHERE { ?o a hx:Organisation ; hx:locatedIn ?p }"):
        located[str(r["o"])].add(str(r["p"]))
    parent: dict[str, set[str]] = {}
    for r in _rows(store, "SELECT ?o ?p WHERE { ?o a hx:Organisation ; org:subOrganizationOf ?p }"):
        parent.setdefault(str(r["o"]), set()).add(str(r["p"]))
    ancestors = _place_ancestors(store)

    def places(org: str, seen: frozenset[str] = frozenset()) -> set[str]:
        found = set(located.get(org, ()))
        for p in parent.get(org, ()):
            if p not in seen:
                found |= places(p, seen | {org})
        return found

    out: dict[str, dict[str, Any]] = {}
    for org in labels:
        direct = places(org)
        regions = {_slug(p) for p in direct} | {
            _slug(a) for p in direct for a in ancestors.get(p, ())
        }
        hs = [h for h in HELICES if h in helices[org]]
        out[org] = {
            "id": _slug(org),
            "label": _label(labels, org),
            "kind": "organisation",
            "helices": hs,
            "helix": hs[0] if hs else None,
            "regions": sorted(regions),
        }
    return out


def initiatives(store: ox.Store, filters: Filters = Filters()) -> dict[str, dict[str, Any]]:
    """Return the initiatives whose dates pass the time window, with node attributes."""
    labels = _labels(store, HX + "Initiative")
    dates: dict[str, dict[str, int | None]] = {i: {"start": None, "end": None} for i in labels}
    q = """SELECT ?i ?s ?e WHERE { ?i a hx:Initiative .
      OPTIONAL { ?i hx:startDate ?s } OPTIONAL { ?i hx:endDate ?e } }"""
    for r in _rows(store, q):
        entry = dates[str(r["i"])]
        entry["start"] = entry["start"] or year(r["s"])
        entry["end"] = entry["end"] or year(r["e"])
    return {
        i: {"id": _slug(i), "label": _label(labels, i), "kind": "initiative", **dates[i]}
        for i in labels
        if filters.in_window(dates[i]["start"], dates[i]["end"])
    }


def _participations(
    store: ox.Store, orgs: dict[str, Any], inits: dict[str, Any], filters: Filters
) -> dict[tuple[str, str], dict[str, Any]]:
    """(organisation, initiative) -> relations and sources, after filters.

    The store groups the participations by initiative: one row each, not one per fact.
    A fact (organisation, relation, initiative) is kept when the source filter passes it.
    """
    q = """SELECT ?i (GROUP_CONCAT(CONCAT(STR(?p), " ", STR(?g), " ", STR(?a)); separator=" ")
        AS ?m) WHERE { VALUES ?p { hx:participatesIn hx:leads } GRAPH ?g { ?a ?p ?i }
        FILTER(isIRI(?a)) } GROUP BY ?i"""
    wanted = filters.source_iri()
    source = None if wanted is None else _source_id(wanted)
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for r in _rows(store, q):
        init = str(r["i"])
        if init not in inits or not r["m"]:
            continue
        facts: dict[tuple[str, str], set[str]] = {}
        words = r["m"].split(" ")
        for k in range(0, len(words), 3):
            p, g, a = words[k : k + 3]
            if a in orgs:
                facts.setdefault((a, p), set()).add(_source_id(g))
        for (a, p), sources in facts.items():
            if source is None or source in sources:
                entry = links.setdefault((a, init), {"relations": set(), "sources": set()})
                entry["relations"].add("leads" if p.endswith("leads") else "participates_in")
                entry["sources"] |= sources
    return links


def _shared_initiatives(
    members: dict[str, dict[str, set[str]]], evidence: bool
) -> dict[tuple[str, str], Any]:
    """(a, b) with a < b -> the evidence list of the initiatives they share, or its length."""
    ties: dict[tuple[str, str], Any] = {}
    if not evidence:
        counts: dict[tuple[str, str], int] = {}
        for parts in members.values():
            for pair in combinations(sorted(parts), 2):
                counts[pair] = counts.get(pair, 0) + 1
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


@_gc_paused()
def collaboration_graph(
    store: ox.Store,
    filters: Filters = Filters(),
    kinds: Iterable[str] = EVIDENCE_KINDS,
    evidence: bool = True,
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
    ties: dict[tuple[str, str], Any] = {}
    if INITIATIVE in kinds:
        members: dict[str, dict[str, set[str]]] = {}
        for (org, init), entry in _participations(
            store, orgs, initiatives(store, filters), filters
        ).items():
            members.setdefault(init, {})[org] = entry["sources"]
        ties = _shared_initiatives(members, evidence)

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
    if evidence:
        G.add_edges_from((a, b, {"weight": len(v), "evidence": v}) for (a, b), v in ties.items())
    else:
        G.add_edges_from((a, b, {"weight": n}) for (a, b), n in ties.items())
    return _finish(G, "collaboration", filters)


@_gc_paused()
def bipartite_graph(store: ox.Store, filters: Filters = Filters()) -> nx.Graph:
    """Return the bipartite graph of organisations (``bipartite=0``) and initiatives (``1``).

    An edge means the organisation takes part in or leads the initiative; it carries
    ``relations`` (``participates_in``, ``leads``) and ``sources``. Initiatives without a
    participant left after the filters are dropped; organisations are all kept.
    """
    orgs = organisations(store, filters)
    inits = initiatives(store, filters)
    G = nx.Graph()
    G.add_nodes_from((o, {**attrs, "bipartite": 0}) for o, attrs in orgs.items())
    for (org, init), entry in sorted(_participations(store, orgs, inits, filters).items()):
        if init not in G:
            G.add_node(init, **inits[init], bipartite=1)
        G.add_edge(
            org, init, relations=sorted(entry["relations"]), sources=sorted(entry["sources"])
        )
    return _finish(G, "bipartite", filters)


@_gc_paused()
def funding_graph(
    store: ox.Store,
    filters: Filters = Filters(),
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
    orgs_all = _all_organisations(store)
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
    for r in _rows(store, q):
        entry = awards.setdefault(str(r["a"]), {**r, "sources": set()})
        entry["sources"].add(_source_id(str(r["g"])))
    F = nx.DiGraph()
    unattributed: list[dict[str, Any]] = []
    skipped = 0
    for award, a in sorted(awards.items()):
        recipient = str(a["recipient"])
        if recipient in orgs_all and recipient not in recipients_ok:
            continue
        if recipient not in orgs_all and (filters.region or filters.helix):
            continue  # an initiative has no region or helix of its own
        if not _keep_sources(a["sources"], filters):
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
                    orgs_all.get(node)
                    or inits.get(node)
                    or {"id": _slug(node), "label": _slug(node)}
                )
                F.add_node(node, **attrs)
        if not F.has_edge(funder, recipient):
            F.add_edge(
                funder, recipient, amount=0.0, by_year={}, awards=0, unknown_amount=0, award_ids=[]
            )
        e = F[funder][recipient]
        e["awards"] += 1
        e["award_ids"].append(_slug(award))
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


@_gc_paused()
def people_graph(store: ox.Store, filters: Filters = Filters()) -> nx.Graph:
    """Return the bipartite graph of people (``bipartite=0``) and organisations (``1``).

    A person is tied to an organisation where they hold a post (``org:holds`` /
    ``hx:postIn``; the edge's ``roles`` lists ``org:role`` local names) or of which they are
    a member. Edges carry ``roles``, ``relations`` and ``sources``. Posts carry no dates,
    so the time window does not apply; region and helix apply to the organisation.
    """
    orgs = organisations(store, filters)
    people = _labels(store, HX + "Person")
    G = nx.Graph()
    links: dict[tuple[str, str], dict[str, set[str]]] = {}
    q = """SELECT ?person ?org ?role ?g WHERE {
      GRAPH ?g { ?person org:holds ?post . ?post hx:postIn ?org }
      OPTIONAL { ?post org:role ?role } }"""
    for r in _rows(store, q):
        person, org = str(r["person"]), str(r["org"])
        if org not in orgs or person not in people:
            continue
        entry = links.setdefault(
            (person, org), {"roles": set(), "relations": set(), "sources": set()}
        )
        entry["relations"].add("holds_post")
        entry["sources"].add(_source_id(str(r["g"])))
        if r["role"] is not None:
            entry["roles"].add(_slug(str(r["role"])).rsplit("#", 1)[-1])
    for (s, _p, o), sources in _facts(store, [ORG + "memberOf"]).items():
        if s in people and o in orgs:
            entry = links.setdefault((s, o), {"roles": set(), "relations": set(), "sources": set()})
            entry["relations"].add("member_of")
            entry["sources"] |= sources
    G.add_nodes_from((o, {**attrs, "bipartite": 1}) for o, attrs in orgs.items())
    for (person, org), entry in sorted(links.items()):
        if not _keep_sources(entry["sources"], filters):
            continue
        if person not in G:
            G.add_node(
                person, id=_slug(person), label=_label(people, person), kind="person", bipartite=0
            )
        G.add_edge(person, org, **{k: sorted(v) for k, v in entry.items()})
    return _finish(G, "people", filters)
