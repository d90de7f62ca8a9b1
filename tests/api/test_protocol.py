"""SPARQL 1.1 Protocol behaviour of /sparql, against a live uvicorn server."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, Namespace

from tests.api.conftest import Server
from tests.remote_store import virtuoso_differs

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
S000 = "https://w3id.org/helixgraph/graph/source/s000"
S001 = "https://w3id.org/helixgraph/graph/source/s001"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def n(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as live:
        yield live


def test_query_by_get_form_post_and_direct_post(client: httpx.Client) -> None:
    by_get = n(client.get("/sparql", params={"query": COUNT}))
    by_form = n(client.post("/sparql", data={"query": COUNT}))
    direct = client.post(
        "/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query"}
    )
    assert by_get == by_form == n(direct) > 0


def test_default_graph_is_union_of_named_graphs(client: httpx.Client) -> None:
    union = n(client.get("/sparql", params={"query": COUNT}))
    per_graph = [
        n(client.get("/sparql", params={"query": COUNT, "default-graph-uri": g}))
        for g in (S000, S001, "https://w3id.org/helixgraph/graph/meta")
    ]
    assert union == sum(per_graph)
    assert all(c > 0 for c in per_graph)


def test_default_graph_uri_is_honoured(client: httpx.Client) -> None:
    only_s000 = n(client.get("/sparql", params={"query": COUNT, "default-graph-uri": S000}))
    both = n(
        client.get(
            "/sparql",
            params=[("query", COUNT), ("default-graph-uri", S000), ("default-graph-uri", S001)],
        )
    )
    assert 0 < only_s000 < both
    # form POST: the dataset parameters may sit in the body or in the URL
    assert n(client.post("/sparql", data={"query": COUNT, "default-graph-uri": S000})) == only_s000
    assert n(client.post(f"/sparql?default-graph-uri={S000}", data={"query": COUNT})) == only_s000


def test_named_graph_uri_is_honoured(client: httpx.Client) -> None:
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q, "named-graph-uri": S001})
    assert r.status_code == 200
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [S001]
    # a dataset with only named graphs has an empty default graph
    assert n(client.get("/sparql", params={"query": COUNT, "named-graph-uri": S001})) == 0


def test_from_in_the_query_replaces_the_union(client: httpx.Client) -> None:
    from_s000 = n(
        client.get("/sparql", params={"query": COUNT.replace("WHERE", f"FROM <{S000}> WHERE")})
    )
    assert from_s000 == n(client.get("/sparql", params={"query": COUNT, "default-graph-uri": S000}))


SELECT = (
    "SELECT ?org ?name WHERE { ?org a <https://w3id.org/helixgraph/ontology#Organisation> ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name FILTER(lang(?name) = 'en') }"
)
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <" + S000 + "> { ?s ?p ?o } }"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        (
            "text/csv;q=0.5, text/tab-separated-values;q=0.9",
            "text/tab-separated-values; charset=utf-8",
        ),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(client: httpx.Client, accept: str, media_type: str) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == media_type
    assert "accept" in r.headers["vary"].lower()
    if "json" in media_type:
        assert len(r.json()["results"]["bindings"]) == 4
    elif "xml" in media_type:
        rows = ox.parse_query_results(r.content, ox.QueryResultsFormat.XML)
        assert len(list(rows)) == 4  # type: ignore[arg-type]
    elif "csv" in media_type:
        assert len(list(csv.DictReader(io.StringIO(r.text)))) == 4
    else:
        assert r.text.splitlines()[0] == "?org\t?name"
        assert len(r.text.splitlines()) == 5


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/trig", ox.RdfFormat.TRIG),
    ],
)
def test_construct_content_negotiation(
    client: httpx.Client, accept: str, rdf_format: ox.RdfFormat
) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == accept
    expected = n(client.get("/sparql", params={"query": COUNT, "default-graph-uri": S000}))
    assert len(list(ox.parse(r.content, rdf_format))) == expected


def test_describe_defaults_to_turtle(client: httpx.Client) -> None:
    r = client.get(
        "/sparql", params={"query": "DESCRIBE <https://w3id.org/helixgraph/id/org/umcg>"}
    )
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    assert len(Graph().parse(data=r.text, format="turtle")) > 3


def test_ask_in_json_xml_csv_tsv(client: httpx.Client) -> None:
    for fmt in ("json", "xml", "csv", "tsv"):
        r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": fmt})
        assert r.status_code == 200
        assert "true" in r.text


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (SELECT, "text/turtle"),
        (SELECT, "text/html"),
        (SELECT, "application/sparql-results+json;q=0"),
        (CONSTRUCT, "application/sparql-results+json"),
        (CONSTRUCT, "text/csv"),
    ],
)
def test_406_when_accept_cannot_be_met(client: httpx.Client, query: str, accept: str) -> None:
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 406
    assert "Accept" in r.text


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": "text/csv"}
    )
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "ntriples"})
    assert r.headers["content-type"].startswith("application/n-triples")
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406


@virtuoso_differs("a syntax error names its line and token, not its column")
def test_malformed_query_is_400_with_position(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    assert "line 3, column" in r.text
    assert r.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("method", "kwargs", "status"),
    [
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ("GET", {"params": {"update": "CLEAR ALL"}}, 400),
        ("PUT", {"params": {"query": "ASK {}"}}, 405),
        ("POST", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ("POST", {"content": "query=ASK%20%7B%7D"}, 415),
        (
            "POST",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"},
            },
            415,
        ),
        (
            "POST",
            {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}},
            400,
        ),
        ("POST", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400),
        ("POST", {"data": {"format": "json"}}, 400),
    ],
)
def test_bad_requests(
    client: httpx.Client, method: str, kwargs: dict[str, object], status: int
) -> None:
    r = client.request(method, "/sparql", **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status, r.text


@virtuoso_differs("`GRAPH ?g { }` (how the service description lists the named graphs) finds no graph")
def test_service_description(client: httpx.Client, server: Server) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    g = Graph().parse(data=r.text, format="turtle")
    service = URIRef(server.sparql)
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.endpoint, service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g  # read-only server
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    assert {str(o) for o in g.objects(None, SD.name)} >= {S000, S001}
    # other RDF formats by negotiation; no Accept at all gives Turtle
    assert (
        client.get("/sparql", headers={"Accept": "application/rdf+xml"}).headers["content-type"]
        == "application/rdf+xml"
    )
    assert (
        client.get("/sparql", headers={"Accept": ""})
        .headers["content-type"]
        .startswith("text/turtle")
    )
    assert client.get("/sparql", headers={"Accept": "text/csv"}).status_code == 406


def test_browser_gets_the_query_page(client: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for url in ("/sparql", "/query"):
        r = client.get(url, headers={"Accept": browser})
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        assert "<textarea" in r.text


def test_cors(client: httpx.Client) -> None:
    origin = "https://yasgui.example"
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": origin})
    assert r.headers["access-control-allow-origin"] in ("*", origin)
    pre = client.options(
        "/sparql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "content-type" in pre.headers["access-control-allow-headers"].lower()


def test_examples_on_the_page_all_run(client: httpx.Client) -> None:
    from helixgraph_api.routes.query_page import EXAMPLES

    assert len(EXAMPLES) >= 12
    for example in EXAMPLES:
        r = client.post(
            "/sparql",
            data={"query": example["query"]},
            headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
        )
        assert r.status_code == 200, (example["title"], r.text)
    page = client.get("/query").text
    assert json.dumps(EXAMPLES[0]["title"])[1:-1] in page
