"""An independent oracle for the collaboration and bipartite projections.

It reads nothing through :mod:`helixgraph.network`: it takes the store's quads (one pass of
``quads_for_pattern``), and builds the expected graphs in plain Python from the definitions
in the projections' docstrings and docs/data-model.md -- no SPARQL, no grouping by the
store, no shared helper. The tests compare the projections with it.

Node order is the one thing it takes from the store as it comes: organisations and
initiatives in the order the store lists their ``rdf:type`` statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx
import pyoxigraph as ox

from helixgraph.network import Filters

HX = "https://w3id.org/helixgraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
)
PLACES = "https://w3id.org/helixgraph/id/place/"
SOURCES = "https://w3id.org/helixgraph/graph/source/"
SPHERES = {  # helix IRI -> slug, in the order that picks the primary helix
    HX + "academia": "academia",
    HX + "industry": "industry",
    HX + "government": "government",
    HX + "civilSociety": "civil_society",
}
KINDS = ("initiative", "membership", "member_of", "collaborates_with", "partner_of")
DIRECT = {ORG + "memberOf": "member_of", HX + "collaboratesWith": "collaborates_with",
          HX + "partnerOf": "partner_of"}  # fmt: skip


@dataclass
class Quads:
    """The store's statements: the union view (any graph) and, per named graph, its sources."""

    objects: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    stated: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    typed: dict[str, list[str]] = field(default_factory=dict)  # class -> instances, store order

    @classmethod
    def read(cls, store: ox.Store) -> Quads:
        q = cls()
        union: set[tuple[str, str, Any]] = set()
        for quad in store.quads_for_pattern(None, None, None, None):
            s, p, o = quad.subject.value, quad.predicate.value, quad.object
            if (s, p, o) not in union:
                union.add((s, p, o))
                q.objects.setdefault((s, p), []).append(o)
            if isinstance(quad.graph_name, ox.NamedNode):
                g = quad.graph_name.value
                source = g[len(SOURCES) :] if g.startswith(SOURCES) else g
                q.stated.setdefault((s, p, o.value), set()).add(source)
        for c in (HX + "Organisation", HX + "Initiative"):
            found = store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(c), None)
            q.typed[c] = list(dict.fromkeys(quad.subject.value for quad in found))
        return q

    def values(self, s: str, p: str) -> list[str]:
        return [o.value for o in self.objects.get((s, p), [])]

    def with_predicate(self, p: str) -> Iterable[tuple[str, str, set[str]]]:
        """(subject, object, sources) of every statement of ``p`` in a named graph."""
        return ((s, o, g) for (s, pp, o), g in self.stated.items() if pp == p)


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def label_of(q: Quads, node: str) -> str:
    """English label, else one without a language, else any, else the slug."""
    by_lang: dict[str, str] = {}
    for p in LABELS:
        for lit in q.objects.get((node, p), []):
            if isinstance(lit, ox.Literal):
                by_lang.setdefault(lit.language or "", lit.value)
    return by_lang.get("en") or by_lang.get("") or next(iter(by_lang.values()), slug(node))


def year_of(value: str | None) -> int | None:
    m = re.match(r"-?(\d{4})", value.strip()) if value else None
    return int(m.group(1)) if m else None


def reachable(start: Iterable[str], step: dict[str, set[str]]) -> set[str]:
    """Every node reached from ``start`` by one or more steps."""
    found: set[str] = set()
    todo = [n for s in start for n in step.get(s, ())]
    while todo:
        n = todo.pop()
        if n not in found:
            found.add(n)
            todo.extend(step.get(n, ()))
    return found


def source_wanted(filters: Filters) -> str | None:
    """The source id (or, for another named graph, the graph's IRI) the filter asks for."""
    src = filters.source
    if src is None or ":" not in src:
        return src
    return src[len(SOURCES) :] if src.startswith(SOURCES) else src


def in_window(filters: Filters, first: int | None, last: int | None) -> bool:
    """Whether the span first--last (either end may be unknown) overlaps the years."""
    if filters.start is None and filters.end is None:
        return True
    if first is None and last is None:
        return filters.include_undated
    lo = first if first is not None else last
    hi = last if last is not None else first
    assert lo is not None and hi is not None
    after_start = filters.start is None or hi >= filters.start
    return after_start and (filters.end is None or lo <= filters.end)


def expected_organisations(q: Quads, filters: Filters) -> dict[str, dict[str, Any]]:
    orgs = q.typed[HX + "Organisation"]
    parent_place: dict[str, set[str]] = {}
    for (s, p), objects in q.objects.items():
        if p == HX + "partOf" and s.startswith(PLACES):
            parent_place.setdefault(s, set()).update(o.value for o in objects)
    parent_org = {o: set(q.values(o, ORG + "subOrganizationOf")) for o in orgs}
    region = None if filters.region is None else slug(filters.region)
    source = source_wanted(filters)
    out: dict[str, dict[str, Any]] = {}
    for org in orgs:
        lineage = {org} | reachable([org], parent_org)
        located = {p for o in lineage for p in q.values(o, HX + "locatedIn")}
        regions = sorted({slug(p) for p in located | reachable(located, parent_place)})
        mine = set(q.values(org, HX + "helix"))
        helices = [name for iri, name in SPHERES.items() if iri in mine]
        if region is not None and region not in regions:
            continue
        if filters.helix is not None and filters.helix not in helices:
            continue
        if source is not None and source not in q.stated.get(
            (org, RDF_TYPE, HX + "Organisation"), ()
        ):
            continue
        out[org] = {
            "id": slug(org),
            "label": label_of(q, org),
            "kind": "organisation",
            "helices": helices,
            "helix": helices[0] if helices else None,
            "regions": regions,
        }
    return out


def expected_initiatives(q: Quads, filters: Filters) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for init in q.typed[HX + "Initiative"]:
        starts = [year_of(v) for v in q.values(init, HX + "startDate")]
        ends = [year_of(v) for v in q.values(init, HX + "endDate")]
        start = next((y for y in starts if y), None)
        end = next((y for y in ends if y), None)
        if in_window(filters, start, end):
            out[init] = {"id": slug(init), "label": label_of(q, init), "kind": "initiative",
                         "start": start, "end": end}  # fmt: skip
    return out


def expected_participations(
    q: Quads, orgs: dict[str, Any], inits: dict[str, Any], filters: Filters
) -> dict[tuple[str, str], dict[str, set[str]]]:
    source = source_wanted(filters)
    links: dict[tuple[str, str], dict[str, set[str]]] = {}
    for p, relation in ((HX + "participatesIn", "participates_in"), (HX + "leads", "leads")):
        for s, o, sources in q.with_predicate(p):
            if s in orgs and o in inits and (source is None or source in sources):
                entry = links.setdefault((s, o), {"relations": set(), "sources": set()})
                entry["relations"].add(relation)
                entry["sources"] |= sources
    return links


def reference_collaboration_graph(
    store: ox.Store, filters: Filters, kinds: Iterable[str] = KINDS
) -> nx.Graph:
    """Organisations tied by each piece of evidence of ``kinds`` (see
    :func:`helixgraph.network.collaboration_graph`)."""
    kinds = set(kinds)
    q = Quads.read(store)
    orgs = expected_organisations(q, filters)
    evidence: dict[frozenset[str], list[dict[str, Any]]] = {}

    def tie(a: str, b: str, kind: str, via: str | None, sources: set[str]) -> None:
        if a != b:
            item = {"kind": kind, "via": via, "sources": sorted(sources)}
            evidence.setdefault(frozenset((a, b)), []).append(item)

    if "initiative" in kinds:
        inits = expected_initiatives(q, filters)
        by_init: dict[str, dict[str, set[str]]] = {}
        for (org, init), entry in expected_participations(q, orgs, inits, filters).items():
            by_init.setdefault(init, {})[org] = entry["sources"]
        for init, members in by_init.items():
            for a, b in combinations(members, 2):
                tie(a, b, "initiative", init, members[a] | members[b])
    undated_ok = (filters.start is None and filters.end is None) or filters.include_undated
    if undated_ok:
        source = source_wanted(filters)
        clubs: dict[str, dict[str, set[str]]] = {}
        for p, kind in DIRECT.items():
            for s, o, sources in q.with_predicate(p):
                if s not in orgs or (source is not None and source not in sources):
                    continue
                if kind == "member_of":
                    clubs.setdefault(o, {})[s] = sources
                if kind in kinds and o in orgs:
                    tie(s, o, kind, None, sources)
        if "membership" in kinds:
            for club, members in clubs.items():
                for a, b in combinations(members, 2):
                    tie(a, b, "membership", club, members[a] | members[b])
    G = nx.Graph(projection="collaboration", filters=filters.as_dict())
    G.add_nodes_from(orgs.items())
    for pair, items in evidence.items():
        a, b = sorted(pair)
        G.add_edge(a, b, weight=len(items), evidence=items)
    return G


def reference_bipartite_graph(store: ox.Store, filters: Filters) -> nx.Graph:
    """Organisations (``bipartite=0``) and the initiatives they take part in or lead (``1``)."""
    q = Quads.read(store)
    orgs = expected_organisations(q, filters)
    inits = expected_initiatives(q, filters)
    G = nx.Graph(projection="bipartite", filters=filters.as_dict())
    G.add_nodes_from((o, {**attrs, "bipartite": 0}) for o, attrs in orgs.items())
    for (org, init), entry in sorted(expected_participations(q, orgs, inits, filters).items()):
        if init not in G:
            G.add_node(init, **inits[init], bipartite=1)
        G.add_edge(
            org, init, relations=sorted(entry["relations"]), sources=sorted(entry["sources"])
        )
    return G
