"""What a map needs beyond the projections: kinds, names and sources of the nodes.

An adapter over the store, read with flat SPARQL queries over the union of the named
graphs. :mod:`helixgraph.network` gives organisations their helix and regions but not
their kinds, abbreviations or the sources that state them; the map shows those in
shapes, search and tooltips.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from helixgraph.maps.kinds import CATEGORIES, CATEGORY_OF_KIND, KIND_SLUGS, category
from helixgraph.vocab import iris
from helixgraph.vocab.namespace import sparql_prefixes

# the kind tables live in maps.kinds; these names stay importable from here
__all__ = [
    "CATEGORIES",
    "CATEGORY_OF_KIND",
    "KIND_SLUGS",
    "NodeFacts",
    "category",
    "node_facts",
]

HX = iris.HX
PLACE = iris.ID + "place/"
SOURCE_GRAPH = iris.SOURCE_GRAPH
PREFIXES = sparql_prefixes("hx", "skos", "dcterms")


@dataclass
class NodeFacts:
    """Per-IRI facts: kinds, other names, the sources stating it; source titles."""

    kinds: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    abbreviations: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    source_titles: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)


def _select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def _source_id(graph: str) -> str:
    return graph[len(SOURCE_GRAPH) :] if graph.startswith(SOURCE_GRAPH) else graph


def node_facts(store: ox.Store) -> NodeFacts:
    """Read the kinds, names and sources of every organisation, initiative and person."""
    facts = NodeFacts()
    for r in _select(store, "SELECT ?o ?t WHERE { ?o a hx:Organisation ; a ?t }"):
        slug = KIND_SLUGS.get(r["t"].removeprefix(HX))
        if slug is not None and r["t"].startswith(HX):
            facts.kinds.setdefault(r["o"], []).append(slug)
    for r in _select(store, "SELECT ?o ?a WHERE { ?o hx:abbreviation ?a }"):
        facts.abbreviations.setdefault(r["o"], []).append(r["a"])
    q = "SELECT ?o ?n WHERE { ?o skos:prefLabel|skos:altLabel ?n }"
    for r in _select(store, q):
        facts.names.setdefault(r["o"], []).append(r["n"])
    q = """SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x a ?c }
           VALUES ?c { hx:Organisation hx:Initiative hx:Person hx:FundingAward } }"""
    for r in _select(store, q):
        if r["g"].startswith(SOURCE_GRAPH):
            facts.sources.setdefault(r["x"], []).append(_source_id(r["g"]))
    q = "SELECT ?s ?t WHERE { ?s a hx:SourceDocument ; dcterms:title ?t }"
    for r in _select(store, q):
        facts.source_titles.setdefault(r["s"].rsplit("/", 1)[-1], r["t"])
    q = f"""SELECT ?p ?l WHERE {{ ?p skos:prefLabel ?l
           FILTER(STRSTARTS(STR(?p), "{PLACE}") && LANGMATCHES(LANG(?l), "en")) }}"""
    for r in _select(store, q):
        facts.places[r["p"].removeprefix(PLACE)] = r["l"]
    for table in (facts.kinds, facts.names, facts.abbreviations, facts.sources):
        for key, values in table.items():
            table[key] = sorted(set(values))
    return facts
