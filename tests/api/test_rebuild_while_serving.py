"""A server that keeps running while the store is rebuilt serves the new build on every
route: the JSON API, the maps and the home page follow ``/sparql``, with new ETags."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import FIXTURE, build_store, start_server, stop_server
from tests.computing import when_ready
from tests.remote_store import store_path

EXTRA = """
<https://w3id.org/helixgraph/graph/source/s009> {
  <https://w3id.org/helixgraph/id/org/newco> a <https://w3id.org/helixgraph/ontology#Organisation> ;
    <http://www.w3.org/2004/02/skos/core#prefLabel> "NewCo"@en ;
    <https://w3id.org/helixgraph/ontology#helix> <https://w3id.org/helixgraph/ontology#industry> .
}
"""
COUNT = "SELECT (COUNT(*) AS ?n) { ?o a <https://w3id.org/helixgraph/ontology#Organisation> }"


def test_a_running_server_follows_a_rebuild_on_every_route(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    server = start_server(store, tmp_path / "server.log")
    try:
        with server.client() as client:
            before = client.get("/api/organisations")
            assert before.status_code == 200, before.text
            total = before.json()["total"]
            data = when_ready(lambda: client.get("/map/data")).json()
            sparql = client.get("/sparql", params={"query": COUNT, "format": "csv"}).text

            more = tmp_path / "more.trig"
            more.write_text(FIXTURE.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
            build_store(store, more)

            after = client.get("/api/organisations")
            assert after.json()["total"] == total + 1
            assert after.headers["etag"] != before.headers["etag"]
            revalidated = client.get(
                "/api/organisations", headers={"If-None-Match": before.headers["etag"]}
            )
            assert revalidated.status_code == 200  # the old ETag no longer matches
            assert client.get("/api/organisations/newco").json()["label"] == "NewCo"
            again = when_ready(lambda: client.get("/map/data")).json()
            assert len(again["nodes"]["id"]) == len(data["nodes"]["id"]) + 1  # columns
            count = client.get("/sparql", params={"query": COUNT, "format": "csv"}).text
            assert int(count.split()[1]) == int(sparql.split()[1]) + 1
    finally:
        stop_server(server)


def test_a_store_version_is_not_taken_from_an_earlier_store_with_the_same_id() -> None:
    """Versions are remembered by ``id(store)``; CPython reuses the id of a freed object,
    so the entry must belong to this very store, else a rebuild could keep the old ETag."""
    import pyoxigraph as ox

    from helixgraph_api import etags

    earlier, store = ox.Store(), ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("http://example.org/a"),
            ox.NamedNode("http://example.org/p"),
            ox.Literal("1"),
        )
    )
    etags._versions[id(store)] = (earlier, "stale")
    assert etags.version_of(store) == etags.graph_version(store) != "stale"
