"""Headline figures of the store: counts by kind, helix and source (``helixgraph stats``,
the home page)."""

from __future__ import annotations

import pyoxigraph as ox

from helixgraph.vocab.namespace import ID, META_GRAPH, ONTOLOGY_GRAPH, sparql_prefixes

HX_PREFIX = sparql_prefixes("hx")


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Run a SELECT over the default graph (the merge of all graphs); each row maps variable → value ('' if unbound)."""
    solutions = store.query(query)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in solutions]


STATS = [
    (
        "organisations by kind",
        ("kind", "organisations"),
        f"""
{sparql_prefixes("hx", "rdfs")}SELECT ?kind (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  ?o a hx:Organisation, ?type . FILTER(?type != hx:Organisation && STRSTARTS(STR(?type), STR(hx:)))
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?type rdfs:label ?kind FILTER(LANG(?kind) = "en") }}
}} GROUP BY ?kind ORDER BY DESC(?n) ?kind""",
    ),
    (
        "organisations by helix sphere",
        ("helix", "organisations"),
        f"""
{sparql_prefixes("hx", "rdfs")}SELECT ?helix (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  ?o a hx:Organisation ; hx:helix ?h .
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?h rdfs:label ?helix FILTER(LANG(?helix) = "en") }}
}} GROUP BY ?helix ORDER BY DESC(?n)""",
    ),
    (
        "entities",
        ("kind", "count"),
        f"""
{HX_PREFIX}SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  VALUES ?class {{ hx:Organisation hx:Person hx:Place hx:Initiative hx:FundingAward hx:Figure hx:Post hx:LinkEvidence }}
  ?x a ?class . BIND(STRAFTER(STR(?class), "#") AS ?kind)
}} GROUP BY ?kind ORDER BY ?kind""",
    ),
    (
        "sources",
        ("source", "title", "triples"),
        f"""
{sparql_prefixes("hx", "dcterms", "prov", "void")}SELECT ?source ?title ?n WHERE {{
  GRAPH <{META_GRAPH}> {{ ?g a hx:SourceGraph ; prov:wasDerivedFrom ?s .
    ?s dcterms:title ?title . OPTIONAL {{ ?g void:triples ?n }} }}
  BIND(STRAFTER(STR(?s), "{ID}source/") AS ?source)
}} ORDER BY ?source""",
    ),
]


def stats(store: ox.Store) -> list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]]:
    """Headline counts as (title, column names, rows) tables."""
    return [
        (title, headers, [tuple(row.values()) for row in select(store, query)])
        for title, headers, query in STATS
    ]


HEADLINE = f"""
{HX_PREFIX}SELECT ?helix (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  ?o a hx:Organisation . OPTIONAL {{ ?o hx:helix ?h }}
  BIND(COALESCE(STRAFTER(STR(?h), "#"), "none") AS ?helix)
}} GROUP BY ?helix"""
ORG_COUNT = f"{HX_PREFIX}SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a hx:Organisation }}"
HEADLINE_MORE = f"""
{HX_PREFIX}SELECT
  (COUNT(DISTINCT ?link) AS ?links) (COUNT(DISTINCT ?award) AS ?awards)
  (COUNT(DISTINCT ?source) AS ?sources)
WHERE {{
  {{ ?link a hx:LinkEvidence }} UNION {{ ?award a hx:FundingAward }} UNION {{ ?source a hx:SourceDocument }}
}}"""
FUNDING_TOTAL = f"""
{HX_PREFIX}SELECT ?currency (SUM(?amount) AS ?total) WHERE {{
  {{ SELECT DISTINCT ?award ?amount ?currency WHERE {{ ?award hx:amount ?amount ; hx:currency ?currency }} }}
}} GROUP BY ?currency ORDER BY ?currency"""


def headline(store: ox.Store) -> dict[str, object]:
    """Headline figures: organisations (and by helix), links, awards, funding totals, sources."""
    more = select(store, HEADLINE_MORE)[0]
    return {
        "organisations": int(select(store, ORG_COUNT)[0]["n"]),
        "by_helix": {row["helix"]: int(row["n"]) for row in select(store, HEADLINE)},
        "links": int(more["links"]),
        "awards": int(more["awards"]),
        "sources": int(more["sources"]),
        "funding": {row["currency"]: row["total"] for row in select(store, FUNDING_TOTAL)},
    }
