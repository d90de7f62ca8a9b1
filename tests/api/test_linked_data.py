"""Linked Data on the seed store: every minted IRI resolves locally (HTML to browsers, RDF
by content negotiation), unknown ids are 404s, VoID at the well-known path, the ontology
page and graph, the landing page and the favicon."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF

from helixgraph import __version__
from tests.api.conftest import Server

HX = Namespace("https://w3id.org/helixgraph/ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
UMCG = URIRef("https://w3id.org/helixgraph/id/org/umcg")
HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
IDS = {
    HX.ror: "03cv38k47",
    HX.pic: "999914801",
    HX.wikidata: "Q2057113",
    HX.grid: "grid.4494.d",
    HX.isni: "0000 0000 9558 4598",
    HX.fundref: "501100005075",
}
RDF_FORMS = {
    "turtle": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "ntriples": ("application/n-triples", "nt"),
    "rdfxml": ("application/rdf+xml", "xml"),
}


@pytest.fixture(scope="module")
def client(seed_server: Server) -> Iterator[httpx.Client]:
    with seed_server.client() as live:
        yield live


def test_turtle_of_an_organisation_has_its_identifiers(client: httpx.Client) -> None:
    r = client.get("/id/org/umcg", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    for prop, value in IDS.items():
        assert (UMCG, prop, Literal(value)) in g, prop
    assert (UMCG, RDF.type, HX.Organisation) in g
    links = r.headers["link"]
    for name, (media, _) in RDF_FORMS.items():
        assert f'</id/org/umcg?format={name}>; rel="alternate"; type="{media}"' in links
    assert 'type="text/html"' in links


@pytest.mark.parametrize("name", list(RDF_FORMS))
def test_every_rdf_form_by_accept_and_by_format(client: httpx.Client, name: str) -> None:
    media, rdflib_format = RDF_FORMS[name]
    for r in (
        client.get("/id/org/umcg", headers={"Accept": media}),
        client.get("/id/org/umcg", params={"format": name}, headers={"Accept": HTML}),
    ):
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), r.text
        g = Graph().parse(data=r.text, format=rdflib_format)
        assert (UMCG, HX.ror, Literal(IDS[HX.ror])) in g


def test_the_html_page_shows_the_same_facts_with_their_sources(client: httpx.Client) -> None:
    r = client.get("/id/org/umcg", headers={"Accept": HTML})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    for value in IDS.values():
        assert value in html
    assert 'href="https://ror.org/03cv38k47"' in html
    assert 'href="https://www.wikidata.org/wiki/Q2057113"' in html
    assert "Universitair Medisch Centrum Groningen" in html  # both languages
    assert "University Medical Center Groningen" in html
    assert 'href="/id/source/s000"' in html  # facts link their sources
    assert 'href="/id/place/groningen"' in html
    assert 'href="/ontology"' in html and 'rel="icon"' in html
    assert 'id="relations"' in html and "<blockquote" in html  # evidence, quoted
    ego = re.search(r'<svg id="ego-map".*?</svg>', html, re.S)
    assert ego and 'href="/id/org/life-cooperative"' in ego.group(0)


@pytest.mark.parametrize(
    "path",
    [
        "/id/initiative/medtech-twente-2030",
        "/id/place/groningen",
        "/id/source/s000",
        "/id/org/snn",
    ],
)
def test_every_kind_of_entity_has_a_page(client: httpx.Client, path: str) -> None:
    r = client.get(path, headers={"Accept": HTML})
    assert r.status_code == 200, r.text
    assert 'id="entity-label"' in r.text and 'id="statements"' in r.text


def test_nodes_without_a_record_are_served_too(client: httpx.Client) -> None:
    q = "SELECT ?x WHERE { ?x a hx:LinkEvidence } LIMIT 1"
    link = client.get("/sparql", params={"query": q, "format": "csv"}).text.split()[1]
    path = link.removeprefix("https://w3id.org/helixgraph")
    assert client.get(path, headers={"Accept": HTML}).status_code == 200
    g = Graph().parse(data=client.get(path).text, format="turtle")
    assert (URIRef(link), RDF.type, HX.LinkEvidence) in g


@pytest.mark.parametrize("path", ["/id/org/nope", "/id/org/Bad_Id", "/id/nokind/umcg"])
def test_unknown_ids_are_404_html_or_problem_json(client: httpx.Client, path: str) -> None:
    r = client.get(path, headers={"Accept": HTML})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "the graph has no node" in r.text
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 404


def test_void_describes_the_dataset(client: httpx.Client, seed_server: Server) -> None:
    r = client.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    ds = URIRef("https://w3id.org/helixgraph/dataset")
    assert (ds, VOID.sparqlEndpoint, URIRef(seed_server.url + "/sparql")) in g
    assert int(g.value(ds, VOID.triples)) > 1000
    subsets = set(g.objects(ds, VOID.subset))
    assert URIRef("https://w3id.org/helixgraph/graph/source/s000") in subsets
    sizes = [int(g.value(s, VOID.triples)) for s in subsets]
    assert all(n > 0 for n in sizes)
    assert set(g.objects(None, URIRef("http://purl.org/dc/terms/license")))  # licences
    dumps = [str(d) for d in g.objects(ds, VOID.dataDump)]
    assert dumps and g.value(ds, URIRef("http://purl.org/dc/terms/modified")) is not None
    nt = next(d for d in dumps if "format=ntriples" in d)
    dumped = Graph().parse(data=client.get(nt).text, format="nt")
    assert (UMCG, HX.ror, Literal(IDS[HX.ror])) in dumped
    s000 = URIRef("https://w3id.org/helixgraph/graph/source/s000")
    assert client.get(str(g.value(s000, VOID.dataDump))).status_code == 200
    jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")


def test_ontology_page_and_graph(client: httpx.Client) -> None:
    r = client.get("/ontology", headers={"Accept": HTML})
    assert r.status_code == 200
    html = r.text
    row = re.search(r'<tr id="Organisation">(.*?)</tr>', html, re.S)
    assert row, "hx:Organisation is listed"
    assert "organisation" in row.group(1) and "organisatie" in row.group(1)  # en / nl
    uses = int(re.search(r'class="uses">(\d+)<', row.group(1)).group(1))  # type: ignore[union-attr]
    orgs = client.get("/api/organisations", params={"limit": 1}).json()["total"]
    assert uses == orgs
    prop = re.search(r'<tr id="partnerOf">(.*?)</tr>', html, re.S)
    assert prop and "hx:Organisation" in prop.group(1)  # domain / range
    assert "/query?query=" in html
    g = Graph().parse(data=client.get("/ontology").text, format="turtle")
    assert (HX.Organisation, RDF.type, OWL.Class) in g


def test_landing_page_and_favicon(client: httpx.Client) -> None:
    html = client.get("/").text
    for href in ("/map", "/map/compare", "/query", "/ontology", "/docs", "/.well-known/void"):
        assert f'href="{href}"' in html, href
    assert f"version {__version__}" in html
    assert 'rel="icon" href="/favicon.ico"' in html
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert client.get("/static/favicon.svg").status_code == 200


def test_organisation_page_shows_its_network_position_from_the_workers(
    client: httpx.Client,
) -> None:
    deadline = time.monotonic() + 120
    while True:
        html = client.get("/id/org/umcg", headers={"Accept": HTML}).text
        if "being computed" not in html or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    block = re.search(r'<dl class="facts" id="metrics">(.*?)</dl>', html, re.S)
    assert block, "the page has a network position"
    assert "<dt>degree</dt>" in block.group(1) and "<dt>pagerank</dt>" in block.group(1)
    degree = int(re.search(r"<dt>degree</dt><dd>(\d+)</dd>", block.group(1)).group(1))  # type: ignore[union-attr]
    api = client.get("/api/metrics/centrality", params={"limit": 100000}).json()
    (row,) = [r for r in api["items"] if r["iri"] == str(UMCG)]
    assert degree == row["degree"]


def test_build_and_import_runs_resolve_too(client: httpx.Client) -> None:
    q = "SELECT ?b WHERE { GRAPH ?g { ?b a prov:Activity } } LIMIT 1"
    run = client.get("/sparql", params={"query": q, "format": "csv"}).text.split()[1]
    path = run.removeprefix("https://w3id.org/helixgraph")
    assert path.startswith("/id/") and any(c.isupper() for c in path)  # named by its time
    g = Graph().parse(data=client.get(path).text, format="turtle")
    assert (URIRef(run), RDF.type, URIRef("http://www.w3.org/ns/prov#Activity")) in g
    assert client.get(path, headers={"Accept": HTML}).status_code == 200
