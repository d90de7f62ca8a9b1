"""Run, render and export: what the command line does with the store."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rich.table import Table

from helixgraph.namespace import HX, ID, META_GRAPH, ONTOLOGY_GRAPH

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
PREFIXES = {
    "hx": str(HX),
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class FormatError(ValueError):
    """An output format that does not fit the query or export."""


def term_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Run a SELECT over the union of all graphs; each row maps variable → value ('' if unbound)."""
    solutions = store.query(query, use_default_graph_as_union=True)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in solutions]


def _bytes(data: bytes | None) -> bytes:
    assert data is not None  # no output file given: pyoxigraph returns the bytes
    return data


def render(result: object, fmt: str) -> str | Table:
    """Render a pyoxigraph query result as a table or in a standard format."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return "true\n" if bool(result) else "false\n"
        if fmt not in RESULT_FORMATS:
            raise FormatError(
                f"format {fmt!r} does not fit an ASK query: use {', '.join(RESULT_FORMATS)}"
            )
        return _bytes(result.serialize(format=RESULT_FORMATS[fmt])).decode()
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            names = [v.value for v in result.variables]
            table = Table(*names)
            for solution in result:
                table.add_row(*(term_text(solution[n]) for n in names))
            return table
        if fmt not in RESULT_FORMATS:
            raise FormatError(
                f"format {fmt!r} does not fit a SELECT query: use table, {', '.join(RESULT_FORMATS)}"
            )
        return _bytes(result.serialize(format=RESULT_FORMATS[fmt])).decode()
    if fmt == "table":
        fmt = "turtle"
    if fmt not in GRAPH_FORMATS:
        raise FormatError(
            f"format {fmt!r} does not fit a CONSTRUCT/DESCRIBE query: use {', '.join(GRAPH_FORMATS)}"
        )
    data = ox.serialize(result, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES)  # type: ignore[arg-type]
    return _bytes(data).decode()


def union_triples(store: ox.Store) -> Iterator[ox.Triple]:
    q = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    solutions = store.query(q)
    assert isinstance(solutions, ox.QuerySolutions)
    for s in solutions:
        yield ox.Triple(s["s"], s["p"], s["o"])


def export(store: ox.Store, fmt: str) -> bytes:
    """All graphs (quad formats) or their union (triple formats), serialised."""
    if fmt in DATASET_FORMATS:
        data = store.dump(
            format=DATASET_FORMATS[fmt], prefixes=None if fmt == "nquads" else PREFIXES
        )
    elif fmt in GRAPH_FORMATS:
        data = ox.serialize(
            union_triples(store),
            format=GRAPH_FORMATS[fmt],
            prefixes=None if fmt == "nt" else PREFIXES,
        )
    else:
        raise FormatError(
            f"unknown export format {fmt!r}: use {', '.join([*DATASET_FORMATS, 'turtle', 'nt'])}"
        )
    return _bytes(data)


STATS = [
    (
        "organisations by kind",
        ("kind", "organisations"),
        f"""
PREFIX hx: <{HX}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  ?o a hx:Organisation, ?type . FILTER(?type != hx:Organisation && STRSTARTS(STR(?type), STR(hx:)))
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?type rdfs:label ?kind FILTER(LANG(?kind) = "en") }}
}} GROUP BY ?kind ORDER BY DESC(?n) ?kind""",
    ),
    (
        "organisations by helix sphere",
        ("helix", "organisations"),
        f"""
PREFIX hx: <{HX}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?helix (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  ?o a hx:Organisation ; hx:helix ?h .
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?h rdfs:label ?helix FILTER(LANG(?helix) = "en") }}
}} GROUP BY ?helix ORDER BY DESC(?n)""",
    ),
    (
        "entities",
        ("kind", "count"),
        f"""
PREFIX hx: <{HX}>
SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  VALUES ?class {{ hx:Organisation hx:Person hx:Place hx:Initiative hx:FundingAward hx:Figure hx:Post hx:LinkEvidence }}
  ?x a ?class . BIND(STRAFTER(STR(?class), "#") AS ?kind)
}} GROUP BY ?kind ORDER BY ?kind""",
    ),
    (
        "sources",
        ("source", "title", "triples"),
        f"""
PREFIX hx: <{HX}> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?source ?title ?n WHERE {{
  GRAPH <{META_GRAPH}> {{ ?g a hx:SourceGraph ; prov:wasDerivedFrom ?s .
    ?s dcterms:title ?title . OPTIONAL {{ ?g <http://rdfs.org/ns/void#triples> ?n }} }}
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
PREFIX hx: <{HX}>
SELECT ?helix (COUNT(DISTINCT ?o) AS ?n) WHERE {{
  ?o a hx:Organisation . OPTIONAL {{ ?o hx:helix ?h }}
  BIND(COALESCE(STRAFTER(STR(?h), "#"), "none") AS ?helix)
}} GROUP BY ?helix"""
ORG_COUNT = f"PREFIX hx: <{HX}> SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a hx:Organisation }}"
HEADLINE_MORE = f"""
PREFIX hx: <{HX}>
SELECT
  (COUNT(DISTINCT ?link) AS ?links) (COUNT(DISTINCT ?award) AS ?awards)
  (COUNT(DISTINCT ?source) AS ?sources)
WHERE {{
  {{ ?link a hx:LinkEvidence }} UNION {{ ?award a hx:FundingAward }} UNION {{ ?source a hx:SourceDocument }}
}}"""
FUNDING_TOTAL = f"""
PREFIX hx: <{HX}>
SELECT ?currency (SUM(?amount) AS ?total) WHERE {{
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
