"""Real SPARQL clients against the live server: SPARQLWrapper and rdflib's SPARQLStore,
every result format parsed back."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

from tests.api.conftest import ADMIN_TOKEN, Server
from tests.remote_store import virtuoso_differs

HX = "https://w3id.org/helixgraph/ontology#"
SELECT = f"""
PREFIX hx: <{HX}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?org ?name WHERE {{
  ?org a hx:Organisation ; skos:prefLabel ?name FILTER(lang(?name) = "en")
}}
ORDER BY ?name
"""
NAMES = ["HTRIC", "Philips", "Province of Groningen", "University Medical Center Groningen"]
CONSTRUCT = f"CONSTRUCT {{ ?o <{HX}helix> ?h }} WHERE {{ ?o <{HX}helix> ?h }}"


def wrapper(server: Server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.sparql)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json(server: Server, method: str) -> None:
    result = wrapper(server, SELECT, JSON, method).queryAndConvert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == NAMES  # type: ignore[index]


def test_sparqlwrapper_select_xml(server: Server) -> None:
    doc = wrapper(server, SELECT, XML).queryAndConvert()
    names = [lit.firstChild.data for lit in doc.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert names == NAMES


@pytest.mark.parametrize(("fmt", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_tsv(server: Server, fmt: str, delimiter: str) -> None:
    raw = wrapper(server, SELECT, fmt).queryAndConvert()
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    quoting = csv.QUOTE_NONE if fmt == TSV else csv.QUOTE_MINIMAL
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting))
    names = [row[1] for row in rows[1:]]
    if fmt == TSV:
        assert names == [f'"{n}"@en' for n in NAMES]
    else:
        assert names == NAMES


def test_sparqlwrapper_ask(server: Server) -> None:
    sparql = wrapper(server, f"ASK {{ ?s a <{HX}Organisation> }}", JSON)
    assert sparql.queryAndConvert()["boolean"] is True  # type: ignore[index]


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, XML])
def test_sparqlwrapper_construct(server: Server, fmt: str) -> None:
    with warnings.catch_warnings():  # SPARQLWrapper's own use of ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = wrapper(server, CONSTRUCT, fmt).queryAndConvert()
    if isinstance(graph, bytes):  # SPARQLWrapper hands Turtle and N3 back unparsed
        graph = Graph().parse(data=graph, format="turtle")
    assert isinstance(graph, Graph)
    assert len(graph) == 5
    assert (
        URIRef("https://w3id.org/helixgraph/id/org/philips"),
        URIRef(HX + "helix"),
        URIRef(HX + "industry"),
    ) in graph


def test_sparqlwrapper_describe(server: Server) -> None:
    graph = wrapper(server, "DESCRIBE <https://w3id.org/helixgraph/id/org/umcg>", TURTLE)
    result = Graph().parse(data=graph.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(result) >= 5


@virtuoso_differs("a syntax error names its line and token, not its column")
def test_sparqlwrapper_bad_query_raises_querybadformed(server: Server) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed, match="line 1, column"):
        wrapper(server, "SELECT * WHERE { ?s ?p }", JSON).query()


def test_rdflib_sparqlstore_select_ask_construct(server: Server) -> None:
    store = SPARQLStore(server.sparql)
    graph = Graph(store=store)
    rows = list(graph.query(SELECT))
    assert [str(row[1]) for row in rows] == NAMES  # type: ignore[index]
    assert rows[0][1] == Literal("HTRIC", lang="en")  # type: ignore[index]
    assert graph.query(f"ASK {{ ?s a <{HX}Organisation> }}").askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and len(constructed) == 5
    assert (None, URIRef(HX + "helix"), URIRef(HX + "government")) in graph  # triples()
    store.close()


@pytest.mark.parametrize("fmt", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore_result_formats(server: Server, fmt: str) -> None:
    store = SPARQLStore(server.sparql, returnFormat=fmt, method="POST_FORM")
    rows = list(Graph(store=store).query(SELECT))
    assert sorted(str(row[1]) for row in rows) == NAMES  # type: ignore[index]
    store.close()


def test_rdflib_sparqlupdatestore_with_token(make_server: Callable[..., Server]) -> None:
    live = make_server(HELIXGRAPH_ADMIN_TOKEN=ADMIN_TOKEN, HELIXGRAPH_QUERY_WORKERS="1")
    store = SPARQLUpdateStore(
        live.sparql, live.sparql, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    graph = Graph(store=store, identifier=URIRef("http://example.org/g"))
    triple = (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal(1))
    graph.add(triple)
    assert triple in graph
    graph.remove(triple)
    assert triple not in graph
    store.close()
