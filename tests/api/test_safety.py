"""Safety of /sparql: read-only by default, admin token, timeout, caps, refused SERVICE/LOAD,
slow queries beside fast ones. Each test runs against a live uvicorn server."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.api.conftest import ADMIN_TOKEN, Server, build_store, start_server, stop_server
from tests.processes import children, cpu_seconds

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
FAST = "SELECT ?s WHERE { ?s a <https://w3id.org/helixgraph/ontology#Organisation> }"
EX = "http://example.org/"
INSERT = f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}new> a <{EX}T> }} }}"
ASK_NEW = "ASK { <http://example.org/new> a <http://example.org/T> }"
BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with an admin token, a 1 s timeout and small caps."""
    root = tmp_path_factory.mktemp("strict")
    live = start_server(
        build_store(root / "store"),
        root / "server.log",
        HELIXGRAPH_ADMIN_TOKEN=ADMIN_TOKEN,
        HELIXGRAPH_QUERY_TIMEOUT="1",
        HELIXGRAPH_MAX_RESULT_BYTES="3000",
        HELIXGRAPH_MAX_REQUEST_BYTES="2000",
        HELIXGRAPH_QUERY_WORKERS="2",
    )
    yield live
    stop_server(live)


@pytest.fixture
def client(strict: Server) -> Iterator[httpx.Client]:
    with strict.client() as live:
        yield live


def asks(client: httpx.Client, query: str) -> bool:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def test_read_only_without_admin_token(server: Server) -> None:
    with server.client() as client:
        for headers in ({}, BEARER):
            r = client.post("/sparql", data={"update": INSERT}, headers=headers)
            assert r.status_code == 403
            assert "read-only" in r.text
        assert not asks(client, ASK_NEW)


def test_update_needs_the_right_token(client: httpx.Client) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": ADMIN_TOKEN}):
        r = client.post("/sparql", data={"update": INSERT}, headers=headers)
        assert r.status_code == 403, headers
    assert not asks(client, ASK_NEW)
    r = client.post(
        "/sparql", content=INSERT, headers={**BEARER, "Content-Type": "application/sparql-update"}
    )
    assert r.status_code == 204, r.text
    assert asks(client, ASK_NEW)
    r = client.post("/sparql", data={"update": "DROP GRAPH <http://example.org/g>"}, headers=BEARER)
    assert r.status_code == 204
    assert not asks(client, ASK_NEW)


def test_failed_update_is_atomic(client: httpx.Client) -> None:
    update = INSERT + " ; CREATE GRAPH <http://example.org/x> ; CREATE GRAPH <http://example.org/x>"
    r = client.post("/sparql", data={"update": update}, headers=BEARER)
    assert r.status_code == 400
    assert "nothing was changed" in r.text
    assert not asks(client, ASK_NEW)


def test_update_syntax_error(client: httpx.Client) -> None:
    r = client.post("/sparql", data={"update": "INSERT DATA { <a> }"}, headers=BEARER)
    assert r.status_code == 400
    assert "update syntax error at line 1, column" in r.text


def test_token_never_logged(client: httpx.Client, strict: Server) -> None:
    client.post(
        "/sparql", data={"update": "CLEAR SILENT GRAPH <http://example.org/none>"}, headers=BEARER
    )
    client.post(
        "/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer guessed-token"}
    )
    log = strict.log.read_text()
    assert "POST /sparql" in log
    assert ADMIN_TOKEN not in log and "guessed-token" not in log


def worker_cpu_seconds(server: Server) -> float:
    """CPU time used so far by the server's SPARQL worker processes."""
    return cpu_seconds(children(server.proc.pid, b"helixgraph.sparql"))


def test_timeout_really_stops_the_query(client: httpx.Client, strict: Server) -> None:
    started = time.monotonic()
    r = client.get("/sparql", params={"query": SLOW})
    elapsed = time.monotonic() - started
    assert r.status_code == 504
    assert "longer than 1 s and was stopped" in r.text
    assert elapsed < 3
    time.sleep(0.5)  # let the replacement worker finish starting
    before = worker_cpu_seconds(strict)
    time.sleep(2)
    assert worker_cpu_seconds(strict) - before < 0.5  # nobody still computing the product
    assert client.get("/sparql", params={"query": FAST}).status_code == 200


def test_slow_query_does_not_delay_fast_ones(client: httpx.Client, strict: Server) -> None:
    with concurrent.futures.ThreadPoolExecutor(4) as pool, strict.client() as other:
        slow = pool.submit(other.get, "/sparql", params={"query": SLOW})
        time.sleep(0.2)  # the slow query is running
        latencies = []
        for i in range(20):
            started = time.monotonic()
            r = client.get("/sparql", params={"query": FAST + f" LIMIT {i + 1}"})
            latencies.append(time.monotonic() - started)
            assert r.status_code == 200
        assert not slow.done()  # still running while the fast ones were answered
        assert max(latencies) < 0.5, latencies
        assert slow.result().status_code == 504


def test_result_cap(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 422
    assert "larger than the cap of 3,000 bytes" in r.text
    assert client.get("/sparql", params={"query": FAST}).status_code == 200


def test_request_cap(client: httpx.Client) -> None:
    big = FAST + " #" + "x" * 3000
    r = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert "2,000 bytes" in r.text
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.get("/sparql", params={"query": big}).status_code == 413


def test_service_refused(client: httpx.Client) -> None:
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 403
    assert "SERVICE" in r.text and "disabled" in r.text
    # a variable or a prefixed name called "service" is not SERVICE
    ok = "PREFIX service: <http://example.org/> SELECT ?service WHERE { ?service service:x ?o }"
    assert client.get("/sparql", params={"query": ok}).status_code == 200


def test_load_refused_even_for_admin(client: httpx.Client) -> None:
    r = client.post(
        "/sparql", data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"}, headers=BEARER
    )
    assert r.status_code == 403
    assert "LOAD is disabled" in r.text


def test_service_allowed_when_configured(make_server: Callable[..., Server]) -> None:
    live = make_server(HELIXGRAPH_ALLOW_SERVICE="1", HELIXGRAPH_QUERY_WORKERS="1")
    with live.client() as client:
        q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        r = client.get("/sparql", params={"query": q})
        assert r.status_code != 403  # attempted (and failed: nothing listens on port 9)
        assert "disabled" not in r.text


def test_queries_waiting_for_workers_do_not_starve_the_json_api(
    make_server: Callable[..., Server],
) -> None:
    """More slow queries than the web server's thread pool has threads (40): they wait for
    a query worker without holding a thread, so the JSON API (whose routes run in that
    pool) still answers at once."""
    live = make_server(HELIXGRAPH_QUERY_WORKERS="1", HELIXGRAPH_QUERY_TIMEOUT="4")
    with concurrent.futures.ThreadPoolExecutor(48) as pool, live.client() as client:
        clients = [live.client() for _ in range(48)]
        try:
            slow = [pool.submit(c.get, "/sparql", params={"query": SLOW}) for c in clients]
            time.sleep(1.0)  # every slow request is in: one computing, 47 waiting
            started = time.monotonic()
            r = client.get("/api/organisations", params={"limit": 1})
            elapsed = time.monotonic() - started
            assert r.status_code == 200
            assert not all(f.done() for f in slow)  # they were still waiting
            assert elapsed < 1.5, elapsed
            statuses = {f.result().status_code for f in slow}
            assert statuses <= {200, 503, 504}, statuses  # answered, busy or timed out
        finally:
            for c in clients:
                c.close()
