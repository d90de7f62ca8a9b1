"""The server stops cleanly, leaves no worker behind (even when killed mid-query), and
after a restart serves the same answers."""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from pathlib import Path

import httpx

from tests.api.conftest import Server, build_store, start_server, stop_server
from tests.computing import when_ready
from tests.processes import alive, children

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
REQUESTS = [
    (
        "/sparql",
        {
            "query": "SELECT ?o ?l WHERE { ?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?o ?l"
        },
    ),
    ("/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"}),
    ("/api/organisations", {}),
    ("/api/metrics/centrality", {}),
    ("/store", {"default": ""}),
]


def wait_gone(pids: list[int], seconds: float) -> list[int]:
    """Bounded wait for the processes to exit; returns those still running."""
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


def answers(server: Server) -> list[tuple[int, bytes]]:
    with server.client() as client:
        out = []
        for path, params in REQUESTS:
            r = when_ready(lambda: client.get(path, params=params))  # noqa: B023 (called at once)
            # links and the service description name the server's own (new) port
            out.append((r.status_code, r.content.replace(server.url.encode(), b"SERVER")))
    return out


def test_restart_serves_the_same_answers(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store")
    first = start_server(store, tmp_path / "first.log")
    try:
        before = answers(first)
        workers = children(first.proc.pid, b"helixgraph.sparql")
        assert len(workers) == 3
    finally:
        stop_server(first)
    # SIGTERM: a graceful shutdown (uvicorn then re-raises the signal: status -15)
    assert first.proc.returncode in (0, -signal.SIGTERM)
    assert "Application shutdown complete." in (tmp_path / "first.log").read_text()
    assert wait_gone(workers, 10) == []
    assert all(status == 200 for status, _ in before), before
    second = start_server(store, tmp_path / "second.log")
    try:
        assert answers(second) == before
    finally:
        stop_server(second)
    assert "Traceback" not in (tmp_path / "first.log").read_text()


def test_killed_server_leaves_no_runaway_query(tmp_path: Path) -> None:
    """SIGKILL while a worker computes a cartesian product: the worker stops too (it
    watches its parent), and the next server starts on the same store."""
    store = build_store(tmp_path / "store")
    live = start_server(store, tmp_path / "server.log", HELIXGRAPH_QUERY_TIMEOUT="120")
    workers = children(live.proc.pid, b"helixgraph.sparql")

    def slow() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server is killed under it
            httpx.get(live.sparql, params={"query": SLOW}, timeout=120)

    thread = threading.Thread(target=slow, daemon=True)
    thread.start()
    time.sleep(1.0)  # the query is running in one of the workers
    live.proc.send_signal(signal.SIGKILL)
    live.proc.wait(10)
    assert wait_gone(workers, 10) == [], "a worker kept running after its server died"
    thread.join(10)
    again = start_server(store, tmp_path / "again.log")
    try:
        with again.client() as client:
            r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert r.status_code == 200 and r.json()["boolean"] is True
    finally:
        stop_server(again)
