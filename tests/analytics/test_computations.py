"""Metrics off the request path, on a real uvicorn server: single flight, 503 + Retry-After
while a view is computed, JSON routes unaffected by a long computation, the time limit,
the cache across a restart, and SIGTERM under load (see helixgraph.analytics.jobs).

Computations are counted from the journal the workers write (``computed.log`` beside
the cached results of each graph version)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from helixgraph.store.access import Current
from helixgraph_api.routes import metrics as metric_routes
from tests.analytics.slow_store import slow_trig
from tests.api.conftest import Server, build_store, start_server, stop_server
from tests.computing import being_computed, when_ready
from tests.processes import alive, children
from tests.remote_store import store_path

ROUTE = "/api/metrics/centrality"
STOPPED = re.compile(r"analytics: worker pid=(\d+) stopped \(timeout\)")


def journal(cache: Path) -> list[str]:
    """One line per computation the workers finished (the reconcile name index, which a
    server without it asks for at start, left out)."""
    return [
        line
        for f in sorted(cache.glob("metrics/*/computed.log"))
        for line in f.read_text().split("\n")
        if line and " call name-index-" not in line
    ]


# These tests need computations that take long: exact betweenness of 1,500 organisations
# takes about a minute on the networkx engine (seconds on igraph, the default).
SLOW_ENGINE = {"HELIXGRAPH_METRICS_ENGINE": "networkx"}


def start(store: Path, tmp: Path, name: str, **env: str) -> Server:
    return start_server(
        store, tmp / f"{name}.log", HELIXGRAPH_CACHE=str(tmp / "cache"), **{**SLOW_ENGINE, **env}
    )


@pytest.fixture(scope="module")
def slow_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("slow")
    return build_store(store_path(tmp / "store"), slow_trig(tmp / "slow.trig"))


def computed_in_the_request(store: Path, cache: Path, params: dict[str, Any]) -> httpx.Response:
    """The answer of an app without analytics workers (computed in the request, as before)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HELIXGRAPH_CACHE", str(cache))
        for name, value in SLOW_ENGINE.items():
            mp.setenv(name, value)
        app = FastAPI()
        app.state.store = Current(store)
        app.include_router(metric_routes.router)

        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                return await c.get(ROUTE, params=params)

        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, call()).result()


def test_single_flight_503_then_the_same_body(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    server = start(store, tmp_path, "server")
    params = {"limit": "5", "sort": "degree"}
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            first = list(
                pool.map(
                    lambda _: httpx.get(server.url + ROUTE, params=params, timeout=30), range(20)
                )
            )
        pending = [r for r in first if r.status_code == 503]
        assert pending and all(r.status_code in (200, 503) for r in first)
        for r in pending:
            assert being_computed(r)
            assert r.headers["content-type"] == "application/problem+json"
            assert int(r.headers["retry-after"]) >= 1
            assert "being computed" in r.json()["detail"]
        ready = when_ready(lambda: httpx.get(server.url + ROUTE, params=params, timeout=30))
        assert ready.status_code == 200
        assert len(journal(tmp_path / "cache")) == 1  # 20 requests, one computation
        expected = computed_in_the_request(store, tmp_path / "inline", params)
        assert expected.status_code == 200 and ready.json() == expected.json()
        # another view is another computation
        other = when_ready(lambda: httpx.get(server.url + "/api/metrics/brokerage", timeout=30))
        assert other.status_code == 200 and len(journal(tmp_path / "cache")) == 2
    finally:
        stop_server(server)


def test_restart_reuses_the_cached_result(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    first = start(store, tmp_path, "first")
    try:
        body = when_ready(lambda: httpx.get(first.url + ROUTE, timeout=30)).json()
    finally:
        stop_server(first)
    second = start(store, tmp_path, "second")
    try:
        r = httpx.get(second.url + ROUTE, timeout=30)  # at once: read from the disk cache
        assert r.status_code == 200 and r.json() == body
        assert len(journal(tmp_path / "cache")) == 1
    finally:
        stop_server(second)


def test_json_routes_stay_fast_and_the_time_limit_stops_a_computation(
    slow_store: Path, tmp_path: Path
) -> None:
    server = start(
        slow_store,
        tmp_path,
        "server",
        HELIXGRAPH_ANALYTICS_TIMEOUT="4",
        HELIXGRAPH_ANALYTICS_RETRY="600",
    )
    try:
        with server.client() as client:
            r = client.get(ROUTE)  # exact betweenness of 1,500 organisations: about a minute
            assert r.status_code == 503 and being_computed(r)
            workers = children(server.proc.pid, b"helixgraph.analytics")
            assert len(workers) == 2
            slowest = 0.0
            for _ in range(10):
                start_at = time.monotonic()
                listed = client.get("/api/organisations", params={"limit": 5})
                again = client.get(ROUTE)
                drawn = client.get("/map/data")  # the map's metrics and network, likewise
                slowest = max(slowest, (time.monotonic() - start_at) / 3)
                assert listed.status_code == 200
                if again.status_code == 504:  # the time limit came meanwhile: checked below
                    break
                assert being_computed(again) and being_computed(drawn)
                time.sleep(0.2)
            assert slowest < 3.0  # generous: the machine is shared; it took ~0.02 s
            stopped = when_ready(lambda: client.get(ROUTE), timeout=60)
            assert stopped.status_code == 504, stopped.text
            assert "longer than 4 s" in stopped.json()["detail"]
            assert int(stopped.headers["retry-after"]) > 1
            # not retried in a loop: the same answer, no new computation
            assert client.get(ROUTE).status_code == 504
            # no metric finished (the map's projections, ``call`` tasks, did: seconds)
            assert [line for line in journal(tmp_path / "cache") if " call " not in line] == []
            # the map's metrics reach the limit too
            drawn = when_ready(lambda: client.get("/map/data"), timeout=90)
            assert drawn.status_code == 504, drawn.text[:300]
            # and the view's network was never loaded for the web process meanwhile (it is
            # asked for once the centralities are there: unpickling the whole graph's took
            # seconds of the web process's first /map)
            assert not [line for line in journal(tmp_path / "cache") if " call map-base-" in line]
            # the workers that computed (the metrics, and the map's) were killed and replaced;
            # the map's may have run on the first one's replacement, and on a busy machine a
            # map projection may reach the limit too: the log names every worker stopped
            stopped_pids = [int(p) for p in STOPPED.findall(server.log.read_text())]
            assert len(stopped_pids) >= 2 and set(stopped_pids) & set(workers)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and alive(stopped_pids):
                time.sleep(0.1)
            assert alive(stopped_pids) == []
            fresh = children(server.proc.pid, b"helixgraph.analytics")
            while time.monotonic() < deadline + 10 and len(fresh) < 2:  # replaced after the kill
                time.sleep(0.1)
                fresh = children(server.proc.pid, b"helixgraph.analytics")
            assert len(fresh) == 2 and not set(fresh) & set(stopped_pids)
    finally:
        stop_server(server)


@contextlib.contextmanager
def load(url: str, paths: list[str]) -> Iterator[list[int]]:
    """Clients requesting ``paths`` in a closed loop until the block ends (or the server)."""
    stop = threading.Event()
    statuses: list[int] = []

    def loop(path: str) -> None:
        with httpx.Client(base_url=url, timeout=10) as client:
            while not stop.is_set():
                try:
                    statuses.append(client.get(path).status_code)
                except httpx.HTTPError:
                    time.sleep(0.05)

    threads = [threading.Thread(target=loop, args=(p,), daemon=True) for p in paths]
    for t in threads:
        t.start()
    try:
        yield statuses
    finally:
        stop.set()
        for t in threads:
            t.join(15)


def test_sigterm_under_load_ends_the_server_and_its_workers(
    slow_store: Path, tmp_path: Path
) -> None:
    server = start(slow_store, tmp_path, "server", HELIXGRAPH_ANALYTICS_TIMEOUT="600")
    paths = [
        ROUTE,
        "/api/metrics/structural-holes",
        "/api/metrics/centrality?helix=industry",
        "/map/data",
        "/map",
        "/api/organisations?limit=5",
    ]
    try:
        with load(server.url, paths) as statuses:
            time.sleep(3.0)  # both workers are computing, more views wait for them
            workers = children(server.proc.pid, b"helixgraph.analytics")
            others = children(server.proc.pid, b"helixgraph.sparql")
            assert len(workers) == 2 and others
            stopped_at = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            server.proc.wait(30)
            took = time.monotonic() - stopped_at
        assert took < 5.0, f"the server took {took:.1f} s to exit"
        assert alive(workers) == [], "an analytics worker outlived the server"
        deadline = time.monotonic() + 5
        while alive(others) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert alive(others) == []
        assert statuses and set(statuses) <= {200, 202, 503}
        log = (tmp_path / "server.log").read_text()
        assert "Application shutdown complete." in log and "Traceback" not in log
    finally:
        stop_server(server)
