"""Contract tests of the JSON API against a live uvicorn server over the mini fixture."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from tests.api.resource_server import ApiServer, api_server  # noqa: F401

ORG = "https://w3id.org/helixgraph/id/org/"
HX = "https://w3id.org/helixgraph/ontology#"


@pytest.fixture(scope="module")
def client(api_server: ApiServer) -> Iterator[httpx.Client]:  # noqa: F811
    with api_server.client() as c:
        yield c


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


def get(client: httpx.Client, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    data: dict[str, Any] = response.json()
    return data


# ------------------------------------------------------------------ lists

def test_list_sorted_by_label_with_total(client: httpx.Client) -> None:
    page = get(client, "/api/organisations")
    assert page["total"] == 5
    assert ids(page) == ["coop", "firm", "hosp", "gov", "uni"]
    assert ids(get(client, "/api/organisations", sort="-label")) == ["uni", "gov", "hosp", "firm",
                                                                      "coop"]
    assert ids(get(client, "/api/organisations", sort="id")) == sorted(ids(page))


def test_pagination_links_and_total(client: httpx.Client) -> None:
    first = get(client, "/api/organisations", limit=2)
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (5, 2, 0, 2)
    assert first["links"]["prev"] is None
    second = client.get(first["links"]["next"]).json()
    assert second["offset"] == 2 and ids(second) == ["hosp", "gov"]
    last = client.get(first["links"]["last"]).json()
    assert last["offset"] == 4 and ids(last) == ["uni"] and last["links"]["next"] is None
    beyond = get(client, "/api/organisations", offset=50)
    assert beyond["total"] == 5 and beyond["items"] == []


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "hospital"}, ["hosp"]),
    ({"q": "TH"}, ["hosp"]),  # abbreviation, any case
    ({"q": "universitas"}, ["uni"]),  # other name
    ({"kind": "sme"}, ["firm"]),
    ({"kind": "academic_hospital"}, ["hosp"]),
    ({"helix": "academia"}, ["hosp", "uni"]),
    ({"region": "groningen"}, ["firm", "hosp", "uni"]),
    ({"region": "north"}, ["coop", "firm", "hosp", "gov", "uni"]),  # groningen partOf north
    ({"region": "nowhere"}, []),
    ({"source": "s2"}, ["uni"]),
    ({"helix": "industry", "region": "groningen"}, ["firm"]),
])
def test_organisation_filters(client: httpx.Client, params: dict[str, str],
                              expected: list[str]) -> None:
    page = get(client, "/api/organisations", **params)
    assert ids(page) == expected and page["total"] == len(expected)


def test_other_lists(client: httpx.Client) -> None:
    assert ids(get(client, "/api/people")) == ["ann"]
    assert ids(get(client, "/api/initiatives", kind="funding_call", region="north")) == ["call"]
    assert ids(get(client, "/api/awards", sort="-amount")) == ["gov-uni-2020", "gov-firm-2020"]
    assert ids(get(client, "/api/awards", recipient="firm")) == ["gov-firm-2020"]
    assert ids(get(client, "/api/awards", funder="gov", programme="call"))== ["gov-firm-2020",
                                                                              "gov-uni-2020"]
    assert ids(get(client, "/api/regions", part_of="north")) == ["groningen"]
    assert ids(get(client, "/api/regions", kind="region")) == ["north"]
    assert ids(get(client, "/api/sources", language="en")) == ["s2"]


def test_fields_trim_items_but_keep_identity(client: httpx.Client) -> None:
    response = client.get("/api/organisations", params=[("fields", "label"), ("limit", "1")])
    item = response.json()["items"][0]
    assert set(item) == {"type", "id", "iri", "href", "label"}
    detail = get(client, "/api/organisations/uni", fields=["kinds"])
    assert set(detail) == {"type", "id", "iri", "href", "kinds"}


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("path", ["/api/organisations/nope", "/api/people/nope",
                                  "/api/initiatives/nope", "/api/awards/nope",
                                  "/api/regions/nope", "/api/sources/nope"])
def test_unknown_id_is_404_problem(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["instance"] == path and "nope" in body["detail"]


@pytest.mark.parametrize(("path", "params", "where"), [
    ("/api/organisations", {"limit": "0"}, "limit"),
    ("/api/organisations", {"limit": "201"}, "limit"),
    ("/api/organisations", {"offset": "-1"}, "offset"),
    ("/api/organisations", {"kind": "spaceship"}, "kind"),
    ("/api/organisations", {"sort": "colour"}, "sort"),
    ("/api/organisations", {"fields": "colour"}, "fields"),
    ("/api/organisations", {"region": "Not A Slug"}, "region"),
    ("/api/organisations/UPPER", {}, "id"),
    ("/api/sources", {"language": "!!"}, "language"),
])
def test_bad_parameters_are_422_problems(client: httpx.Client, path: str,
                                         params: dict[str, str], where: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422 and body["title"] == "Invalid parameters"
    assert any(where in e["loc"] for e in body["errors"])


# ------------------------------------------------------------------ records and links

def test_organisation_record(client: httpx.Client) -> None:
    coop = get(client, "/api/organisations/coop")
    assert coop["iri"] == ORG + "coop" and coop["names"] == {"en": "Test Cooperative",
                                                              "nl": "Testcoöperatie"}
    assert [m["id"] for m in coop["memberships"]["members"]] == ["firm"]
    assert [(p["role"]["id"], p["holder"]["id"]) for p in coop["posts"]] == [("chair", "ann")]
    rel = {(r["relation"], r["target"]["id"]): r for r in coop["relations"]}
    assert set(rel) == {("collaborates_with", "uni"), ("collaborates_with", "hosp")}
    assert rel[("collaborates_with", "uni")]["evidence"][0]["quote"][0]["text"] == \
        "samen met de universiteit"
    assert {f["measure"]["id"]: f["value"] for f in coop["figures"]} == {
        "jobs": 4000, "revenue": 400000000, "member_count": 40}
    assert coop["founded"] == "2015"
    uni = get(client, "/api/organisations/uni")
    assert [k["sources"] for k in uni["kinds"]] == [["s1", "s2"]]
    assert {"scheme": "website", "value": "https://example.org/uni", "registry": None,
            "url": "https://example.org/uni", "sources": ["s1", "s2"]} in uni["identifiers"]
    assert [(a["id"], a["amount"], a["funder"]["id"]) for a in uni["funding_received"]] == [
        ("gov-uni-2020", 250000.5, "gov")]
    gov = get(client, "/api/organisations/gov")
    assert sorted(a["id"] for a in gov["funding_given"]) == ["gov-firm-2020", "gov-uni-2020"]
    assert [s["id"] for s in uni["source_documents"]] == ["s1", "s2"]


def test_source_states_what_it_says(client: httpx.Client) -> None:
    s2 = get(client, "/api/sources/s2")
    assert s2["translation_of"]["id"] == "s1" and s2["language"] == "en"
    assert [o["id"] for o in s2["states"]["organisation"]] == ["uni"]
    s1 = get(client, "/api/sources/s1")
    assert s1["statement_counts"]["relations"] == 4 and s1["triples"] > 0


def refs_in(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        found = [data] if "href" in data and data.get("href") else []
        return found + [r for v in data.values() for r in refs_in(v)]
    if isinstance(data, list):
        return [r for v in data for r in refs_in(v)]
    return []


@pytest.mark.parametrize("path", ["/api/organisations/coop", "/api/organisations/uni",
                                  "/api/people/ann", "/api/initiatives/call",
                                  "/api/awards/gov-uni-2020", "/api/regions/north",
                                  "/api/sources/s1"])
def test_every_neighbour_link_resolves_to_its_iri(client: httpx.Client, path: str) -> None:
    refs = refs_in(get(client, path))
    assert len(refs) > 1
    for ref in refs:
        target = get(client, ref["href"], fields=["label"])
        assert target["iri"] == ref["iri"] and target["id"] == ref["iri"].rsplit("/", 1)[-1]


# ------------------------------------------------------------------ caching

def test_etag_revalidation(client: httpx.Client) -> None:
    first = client.get("/api/organisations/uni")
    tag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{20}"', tag)
    assert "Accept" in first.headers["vary"]
    assert client.get("/api/organisations").headers["etag"] == tag  # one version per graph
    again = client.get("/api/organisations/uni", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/organisations/uni",
                      headers={"If-None-Match": '"other"'}).status_code == 200
    ld = client.get("/api/organisations/uni", headers={"Accept": "application/ld+json"})
    assert ld.headers["etag"] != tag


# ------------------------------------------------------------------ JSON-LD

def jsonld_graph(client: httpx.Client, path: str) -> Graph:
    response = client.get(path, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    doc = response.json()
    published = client.get("/api/context.jsonld").json()["@context"]
    ctx = doc["@context"]
    assert (ctx[0] if isinstance(ctx, list) else ctx).endswith("/api/context.jsonld")
    doc["@context"] = [published, *ctx[1:]] if isinstance(ctx, list) else published
    with warnings.catch_warnings():  # rdflib's JSON-LD parser builds a ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=json.dumps(doc), format="json-ld")


def test_jsonld_expands_to_the_graph_statements(client: httpx.Client,
                                                api_server: ApiServer) -> None:  # noqa: F811
    g = jsonld_graph(client, "/api/organisations/coop")
    coop = URIRef(ORG + "coop")
    assert (coop, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            Literal("Testcoöperatie", lang="nl")) in g
    assert (coop, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            URIRef(HX + "Cooperative")) in g
    assert (coop, URIRef(HX + "helix"), URIRef(HX + "industry")) in g
    north = URIRef("https://w3id.org/helixgraph/id/place/north")
    assert (coop, URIRef(HX + "locatedIn"), north) in g
    assert (URIRef(ORG + "firm"), URIRef("http://www.w3.org/ns/org#memberOf"), coop) in g
    person = jsonld_graph(client, "/api/people/ann")
    holds = list(person.objects(URIRef("https://w3id.org/helixgraph/id/person/ann"),
                                URIRef("http://www.w3.org/ns/org#holds")))
    assert len(holds) == 1
    # every statement about coop with an ontology predicate is one the store holds
    sparql = client.post("/sparql", data={"query": f"CONSTRUCT {{ <{coop}> ?p ?o }} "
                                          f"WHERE {{ <{coop}> ?p ?o }}"},
                         headers={"Accept": "application/n-triples"})
    assert sparql.status_code == 200, sparql.text
    store = Graph().parse(data=sparql.text, format="nt")
    # (a date's datatype, gYear or date, depends on its shape: compare those by text)
    held = {(p, o if not isinstance(o, Literal) or o.language else str(o))
            for _, p, o in store.triples((coop, None, None))}
    checked = 0
    for _, p, o in g.triples((coop, None, None)):
        if str(p).startswith(HX) or "skos" in str(p) or "org#" in str(p):
            assert (p, o if not isinstance(o, Literal) or o.language else str(o)) in held, (p, o)
            checked += 1
    assert checked >= 5


def test_docs_page_is_offline(client: httpx.Client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r'(?:src|href|url)\s*[=:]\s*"([^"]+)"', page.text)
    assert urls and all(u.startswith("/") for u in urls), urls
    assert "http://" not in page.text and "https://" not in page.text
    for url in urls:
        assert client.get(url).status_code == 200, url
