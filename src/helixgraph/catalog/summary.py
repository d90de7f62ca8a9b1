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
    """Headline counts as (title, column names, rows) tables, imports included."""
    tables = [
        (title, headers, [tuple(row.values()) for row in select(store, query)])
        for title, headers, query in STATS
    ]
    h = headline(store)
    totals: list[tuple[str, ...]] = [
        (label, str(h[key]))
        for key, label in (
            ("organisations", "organisations"),
            ("links", "links (relations between organisations and to initiatives)"),
            ("evidenced_links", "links with a quoted source (link evidence)"),
            ("projects", "projects"),
            ("awards", "funding awards"),
            ("sources", "source documents"),
            ("imports", "import graphs"),
        )
    ]
    imports: list[tuple[str, ...]] = [tuple(row.values()) for row in select(store, IMPORTS)]
    header: tuple[str, ...] = ("what", "count")
    return (
        [("totals (seed and imports)", header, totals)]
        + tables
        + [("import graphs", ("graph", "dataset", "triples"), imports)]
    )


HEADLINE = f"""
{HX_PREFIX}SELECT ?helix (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  ?o a hx:Organisation . OPTIONAL {{ ?o hx:helix ?h }}
  BIND(COALESCE(STRAFTER(STR(?h), "#"), "none") AS ?helix)
}} GROUP BY ?helix"""
ORG_COUNT = f"{HX_PREFIX}SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a hx:Organisation }}"
# The links between organisations and to initiatives, as relations.csv states them and
# the imports add them (ROR's parent/related records, CORDIS participations), each
# distinct (subject, relation, object) once; where and what a node is part of are not links.
LINK_PREDICATES = (
    "org:memberOf hx:partnerOf hx:collaboratesWith org:subOrganizationOf hx:spinOffOf "
    "hx:participatesIn hx:leads hx:hosts"
)
HEADLINE_MORE = f"""
{sparql_prefixes("hx", "org")}SELECT
  (COUNT(DISTINCT ?award) AS ?awards) (COUNT(DISTINCT ?source) AS ?sources)
  (COUNT(DISTINCT ?evidence) AS ?evidence) (COUNT(DISTINCT ?project) AS ?projects)
WHERE {{
  {{ ?award a hx:FundingAward }} UNION {{ ?source a hx:SourceDocument }}
  UNION {{ ?evidence a hx:LinkEvidence }} UNION {{ ?project a hx:Project }}
}}"""
LINKS = f"""
{sparql_prefixes("hx", "org")}SELECT (COUNT(*) AS ?links) WHERE {{
  VALUES ?p {{ {LINK_PREDICATES} }} ?s ?p ?o
}}"""
IMPORTS = f"""
{sparql_prefixes("hx", "prov", "void")}SELECT ?graph ?source ?n WHERE {{
  GRAPH <{META_GRAPH}> {{ ?g a hx:ImportGraph ; prov:wasDerivedFrom ?s . OPTIONAL {{ ?g void:triples ?n }} }}
  BIND(STRAFTER(STR(?g), "/graph/import/") AS ?graph)
  BIND(STRAFTER(STR(?s), "{ID}source/") AS ?source)
}} ORDER BY ?graph"""
FUNDING_TOTAL = f"""
{HX_PREFIX}SELECT ?currency (SUM(?amount) AS ?total) WHERE {{
  {{ SELECT DISTINCT ?award ?amount ?currency WHERE {{ ?award hx:amount ?amount ; hx:currency ?currency }} }}
}} GROUP BY ?currency ORDER BY ?currency"""


def headline(store: ox.Store) -> dict[str, object]:
    """Headline figures, imports included: organisations (and by helix), links (relations
    between organisations and to initiatives, stated or imported), the links with quoted
    evidence, projects, awards, funding totals, source documents and import graphs."""
    more = select(store, HEADLINE_MORE)[0]
    return {
        "organisations": int(select(store, ORG_COUNT)[0]["n"]),
        "by_helix": {row["helix"]: int(row["n"]) for row in select(store, HEADLINE)},
        "links": int(select(store, LINKS)[0]["links"]),
        "evidenced_links": int(more["evidence"]),
        "projects": int(more["projects"]),
        "awards": int(more["awards"]),
        "sources": int(more["sources"]),
        "imports": len(select(store, IMPORTS)),
        "funding": {row["currency"]: row["total"] for row in select(store, FUNDING_TOTAL)},
    }
