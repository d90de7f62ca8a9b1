"""Run, render and export: what the command line does with the store."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rich.table import Table

from helixgraph.sparql.prefixes import compact
from helixgraph.vocab import namespace

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
# the prefixes written in Turtle/TriG/JSON-LD output: a fixed subset of the vocabulary's, in
# this order, so the output does not change when the vocabulary gains a prefix
PREFIXES = {
    name: namespace.PREFIXES[name]
    for name in ("hx", "org", "skos", "rdfs", "prov", "foaf", "dcterms", "xsd")
}


class FormatError(ValueError):
    """An output format that does not fit the query or export."""


def term_text(term: object) -> str:
    """A term as a table cell: IRIs compacted with the predeclared prefixes
    (``hxorg:umcg``), never cut; literals with their language."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return str(term)


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
            for column in table.columns:  # a long cell wraps, never cut with an ellipsis
                column.overflow = "fold"
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


def named_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """The quads of the named graphs: the default graph only repeats them (their merge)."""
    for q in store.quads_for_pattern(None, None, None, None):
        if not isinstance(q.graph_name, ox.DefaultGraph):
            yield q


def export(store: ox.Store, fmt: str) -> bytes:
    """The named graphs (quad formats) or their merge (triple formats), serialised."""
    if fmt in DATASET_FORMATS:
        data = ox.serialize(
            named_quads(store),
            format=DATASET_FORMATS[fmt],
            prefixes=None if fmt == "nquads" else PREFIXES,
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
