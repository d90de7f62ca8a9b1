"""The SPARQL 1.1 Graph Store Protocol at /store: reads for all, writes with the token."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pyoxigraph as ox
import pytest

from tests.api.conftest import ADMIN_TOKEN, Server

S000 = "https://w3id.org/helixgraph/graph/source/s000"
NEW = "http://example.org/graph/new"
BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TURTLE = "@prefix ex: <http://example.org/> . ex:a ex:p ex:b , ex:c ."


@pytest.fixture
def admin(make_server: Callable[..., Server]) -> Iterator[httpx.Client]:
    live = make_server(HELIXGRAPH_ADMIN_TOKEN=ADMIN_TOKEN, HELIXGRAPH_QUERY_WORKERS="1")
    with live.client() as client:
        yield client


def test_get_a_named_graph(server: Server) -> None:
    with server.client() as client:
        r = client.get(
            "/store", params={"graph": S000}, headers={"Accept": "application/n-triples"}
        )
        assert r.status_code == 200
        assert len(list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))) == 11
        assert client.head("/store", params={"graph": S000}).status_code == 200
        assert client.get("/store", params={"graph": NEW}).status_code == 404
        assert client.get("/store").status_code == 400  # which graph?
        r = client.get("/store", params={"graph": S000}, headers={"Accept": "text/csv"})
        assert r.status_code == 406


def test_writes_refused_without_token(server: Server) -> None:
    with server.client() as client:
        r = client.put(
            "/store",
            params={"graph": NEW},
            content=TURTLE,
            headers={"Content-Type": "text/turtle", **BEARER},
        )
        assert r.status_code == 403
        assert client.delete("/store", params={"graph": S000}).status_code == 403
        assert client.get("/store", params={"graph": S000}).status_code == 200


def test_put_post_delete_with_token(admin: httpx.Client) -> None:
    headers = {"Content-Type": "text/turtle"}
    r = admin.put("/store", params={"graph": NEW}, content=TURTLE, headers=headers)
    assert r.status_code == 403  # no token
    r = admin.put("/store", params={"graph": NEW}, content=TURTLE, headers={**headers, **BEARER})
    assert r.status_code == 201
    nt = "<http://example.org/x> <http://example.org/p> <http://example.org/y> .\n"
    r = admin.post(
        "/store",
        params={"graph": NEW},
        content=nt,
        headers={"Content-Type": "application/n-triples", **BEARER},
    )
    assert r.status_code == 204
    got = admin.get("/store", params={"graph": NEW}, headers={"Accept": "application/n-triples"})
    assert len(got.text.splitlines()) == 3
    r = admin.put(
        "/store",
        params={"graph": NEW},
        content=nt,
        headers={"Content-Type": "application/n-triples", **BEARER},
    )
    assert r.status_code == 204  # replaced
    got = admin.get("/store", params={"graph": NEW}, headers={"Accept": "application/n-triples"})
    assert got.text == nt
    bad = admin.put(
        "/store", params={"graph": NEW}, content="ex:a ex:b", headers={**headers, **BEARER}
    )
    assert bad.status_code == 400
    assert admin.get("/store", params={"graph": NEW}).status_code == 200  # nothing lost
    assert admin.delete("/store", params={"graph": NEW}, headers=BEARER).status_code == 204
    assert admin.get("/store", params={"graph": NEW}).status_code == 404
    assert admin.delete("/store", params={"graph": NEW}, headers=BEARER).status_code == 404


def test_the_default_graph_is_the_merge_and_is_not_written(admin: httpx.Client) -> None:
    """?default reads the merge of the named graphs; writes go to named graphs, and the
    merge follows them."""
    nt = "<http://example.org/x> <http://example.org/p> <http://example.org/y> .\n"
    ntriples = {"Content-Type": "application/n-triples", **BEARER}
    r = admin.put("/store?default", content=nt, headers=ntriples)
    assert r.status_code == 405 and "merge of the named graphs" in r.text
    assert r.headers["allow"] == "GET, HEAD"
    assert admin.delete("/store?default", headers=BEARER).status_code == 405

    def merged() -> set[str]:
        r = admin.get("/store?default", headers={"Accept": "application/n-triples"})
        assert r.status_code == 200
        lines = r.text.splitlines()
        assert len(lines) == len(set(lines))  # a set
        return set(lines)

    before = merged()
    assert nt.strip() not in before
    for graph in (NEW, NEW + "2"):  # the same triple in two graphs: once in the merge
        assert (
            admin.put("/store", params={"graph": graph}, content=nt, headers=ntriples).status_code
            == 201
        )
    assert merged() == before | {nt.strip()}
    assert admin.delete("/store", params={"graph": NEW}, headers=BEARER).status_code == 204
    assert merged() == before | {nt.strip()}  # still stated by the other graph
    assert admin.delete("/store", params={"graph": NEW + "2"}, headers=BEARER).status_code == 204
    assert merged() == before
