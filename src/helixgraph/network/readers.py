"""The SPARQL readers the projections are built from.

Each reads the named graphs (so every fact keeps the sources that state it):
:func:`organisations` and :func:`initiatives` (the nodes, with their attributes),
:func:`participations` (who takes part in or leads which initiative, grouped by the store),
:func:`facts` (statements of some predicates with their sources) and :func:`labels`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox

from helixgraph.network.filters import HELICES, NO_FILTERS, Filters, year
from helixgraph.vocab import iris
from helixgraph.vocab.namespace import HX, sparql_prefixes
from helixgraph.vocab.values import HELICES as HELIX_TERMS

PREFIXES = sparql_prefixes("hx", "org", "rdfs", "skos", "foaf")
HELIX_OF_TERM = {str(HX[local]): slug for slug, local in HELIX_TERMS.items()}
"""The IRI of each helix sphere -> its slug."""


def slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def source_id(graph: str) -> str:
    """The source id of a source graph's IRI (other graphs' IRIs as they are)."""
    return graph[len(iris.SOURCE_GRAPH) :] if graph.startswith(iris.SOURCE_GRAPH) else graph


def rows(store: ox.Store, query: str) -> Iterator[dict[str, str | None]]:
    """The solutions of a SELECT over the store (its default graph is the merge), as variable -> value.

    A store that keeps its answers as rows (a ``kept_rows(query)`` method: the build's
    precompute reads one unchanging build through :class:`helixgraph.analytics.replay.ReplayStore`)
    gives them as kept, each row a fresh dict."""
    kept = getattr(store, "kept_rows", None)
    if kept is not None:
        for row in kept(PREFIXES + query):
            yield dict(row)
        return
    result = store.query(PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    for solution in result:
        yield {n: (None if solution[n] is None else solution[n].value) for n in names}


def facts(store: ox.Store, predicates: Iterable[str]) -> dict[tuple[str, str, str], set[str]]:
    """(subject, predicate, object) -> the source ids of the graphs that state it."""
    values = " ".join(f"<{p}>" for p in predicates)
    found: dict[tuple[str, str, str], set[str]] = {}
    q = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    for r in rows(store, q):
        key = (str(r["s"]), str(r["p"]), str(r["o"]))
        found.setdefault(key, set()).add(source_id(str(r["g"])))
    return found


def keep_sources(sources: set[str], filters: Filters) -> bool:
    """Whether facts stated by ``sources`` pass the source filter."""
    iri = filters.source_iri()
    return iri is None or source_id(iri) in sources


def label(labels: dict[str, dict[str, str]], iri: str) -> str:
    """The English label of ``iri`` (else one without a language, else any, else its slug)."""
    by_lang = labels.get(iri, {})
    return by_lang.get("en") or by_lang.get("") or next(iter(by_lang.values()), slug(iri))


def labels(store: ox.Store, cls: str) -> dict[str, dict[str, str]]:
    """Every instance of ``cls`` -> its labels by language (one per language)."""
    found: dict[str, dict[str, str]] = {}
    names = "skos:prefLabel|rdfs:label|foaf:name"
    q = f"SELECT ?x ?l WHERE {{ ?x a <{cls}> . OPTIONAL {{ ?x {names} ?l }} }}"
    result = store.query(PREFIXES + q)
    assert isinstance(result, ox.QuerySolutions)
    for solution in result:
        x, lit = solution["x"].value, solution["l"]
        entry = found.setdefault(x, {})
        if isinstance(lit, ox.Literal):
            entry.setdefault(lit.language or "", lit.value)
    return found


def _place_ancestors(store: ox.Store) -> dict[str, set[str]]:
    parents: dict[str, set[str]] = {}
    q = f'SELECT ?p ?q WHERE {{ ?p hx:partOf ?q FILTER(STRSTARTS(STR(?p), "{iris.ID}place/")) }}'
    for r in rows(store, q):
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
    filters: Filters = NO_FILTERS,
    everything: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Return the organisations that pass ``filters`` with their node attributes.

    ``everything``: the unfiltered result, when the caller already has it.
    """
    orgs = all_organisations(store) if everything is None else everything
    region = filters.region_id()
    in_source: set[str] | None = None
    if filters.source is not None:
        graph = filters.source_iri()
        q = f"SELECT DISTINCT ?o WHERE {{ GRAPH <{graph}> {{ ?o a hx:Organisation }} }}"
        in_source = {str(r["o"]) for r in rows(store, q)}
    return {
        org: attrs
        for org, attrs in orgs.items()
        if (region is None or region in attrs["regions"])
        and (filters.helix is None or filters.helix in attrs["helices"])
        and (in_source is None or org in in_source)
    }


def all_organisations(store: ox.Store) -> dict[str, dict[str, Any]]:
    """Every organisation with its node attributes (no filters).

    A store that keeps what is read of it (a ``memo(name, make)`` method: the precompute's
    :class:`helixgraph.analytics.replay.ReplayStore` of one unchanging build) reads them
    once; each call gets its own copy."""
    memo = getattr(store, "memo", None)
    if memo is None:
        return _all_organisations(store)
    kept: dict[str, dict[str, Any]] = memo("all_organisations", lambda: _all_organisations(store))
    return {
        org: {**attrs, "helices": list(attrs["helices"]), "regions": list(attrs["regions"])}
        for org, attrs in kept.items()
    }


def _all_organisations(store: ox.Store) -> dict[str, dict[str, Any]]:
    names = labels(store, str(HX.Organisation))
    helices: dict[str, set[str]] = {o: set() for o in names}
    for r in rows(store, "SELECT ?o ?h WHERE { ?o a hx:Organisation ; hx:helix ?h }"):
        if str(r["h"]) in HELIX_OF_TERM:
            helices[str(r["o"])].add(HELIX_OF_TERM[str(r["h"])])
    located: dict[str, set[str]] = {o: set() for o in names}
    for r in rows(store, "SELECT ?o ?p WHERE { ?o a hx:Organisation ; hx:locatedIn ?p }"):
        located[str(r["o"])].add(str(r["p"]))
    parent: dict[str, set[str]] = {}
    for r in rows(store, "SELECT ?o ?p WHERE { ?o a hx:Organisation ; org:subOrganizationOf ?p }"):
        parent.setdefault(str(r["o"]), set()).add(str(r["p"]))
    ancestors = _place_ancestors(store)

    def places(org: str, seen: frozenset[str] = frozenset()) -> set[str]:
        found = set(located.get(org, ()))
        for p in parent.get(org, ()):
            if p not in seen:
                found |= places(p, seen | {org})
        return found

    out: dict[str, dict[str, Any]] = {}
    for org in names:
        direct = places(org)
        regions = {slug(p) for p in direct} | {
            slug(a) for p in direct for a in ancestors.get(p, ())
        }
        hs = [h for h in HELICES if h in helices[org]]
        out[org] = {
            "id": slug(org),
            "label": label(names, org),
            "kind": "organisation",
            "helices": hs,
            "helix": hs[0] if hs else None,
            "regions": sorted(regions),
        }
    return out


def initiatives(store: ox.Store, filters: Filters = NO_FILTERS) -> dict[str, dict[str, Any]]:
    """Return the initiatives whose dates pass the time window, with node attributes."""
    names = labels(store, str(HX.Initiative))
    dates: dict[str, dict[str, int | None]] = {i: {"start": None, "end": None} for i in names}
    q = """SELECT ?i ?s ?e WHERE { ?i a hx:Initiative .
      OPTIONAL { ?i hx:startDate ?s } OPTIONAL { ?i hx:endDate ?e } }"""
    for r in rows(store, q):
        entry = dates[str(r["i"])]
        entry["start"] = entry["start"] or year(r["s"])
        entry["end"] = entry["end"] or year(r["e"])
    return {
        i: {"id": slug(i), "label": label(names, i), "kind": "initiative", **dates[i]}
        for i in names
        if filters.in_window(dates[i]["start"], dates[i]["end"])
    }


def participations(
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
    source = None if wanted is None else source_id(wanted)
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows(store, q):
        init = str(r["i"])
        if init not in inits or not r["m"]:
            continue
        stated: dict[tuple[str, str], set[str]] = {}
        words = r["m"].split(" ")
        for k in range(0, len(words), 3):
            p, g, a = words[k : k + 3]
            if a in orgs:
                stated.setdefault((a, p), set()).add(source_id(g))
        for (a, p), sources in stated.items():
            if source is None or source in sources:
                entry = links.setdefault((a, init), {"relations": set(), "sources": set()})
                entry["relations"].add("leads" if p.endswith("leads") else "participates_in")
                entry["sources"] |= sources
    return links
