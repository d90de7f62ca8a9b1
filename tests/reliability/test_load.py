"""The server under load on a regional-shaped store (CI size): the seed with the Horizon 2020
projects of Twente (about 2,100 organisations, 32,000 ties), its default views precomputed
with the build. Concurrent clients mix the map (default and filtered views), the JSON
resources and metrics and SPARQL, with one runaway query: no error, no request hangs, the
runaway is stopped at its timeout, and SIGTERM under that load ends the server and its
workers within 5 s. The full figures (50 clients x 60 s on the regional store) are
benchmarks/load_test.py's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import ROOT, Server, start_server, stop_server
from tests.processes import alive, children
from tests.shared_data import SHARED

H2020 = SHARED / "data" / "cordis_h2020_eunets" / "h2020.csv.gz"
TIMEOUT = 3.0  # the server's SPARQL timeout
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PATHS = [
    ("/map/data", {}),
    ("/map/data", {"region": "twente"}),
    ("/map/data", {"start": "2018", "kind": "firm"}),  # not a default view: computed on demand
    ("/api/organisations", {"limit": "20"}),
    ("/api/metrics/centrality", {"limit": "10"}),
    ("/api/metrics/brokerage", {"start": "2019"}),  # on demand
    ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
]


def helixgraph(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "helixgraph", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture(scope="module")
def regional_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not H2020.is_file():
        pytest.skip(f"the shared CORDIS data is not at {H2020}")
    store = tmp_path_factory.mktemp("regional") / "store"
    env = {**os.environ, "HELIXGRAPH_STORE": str(store), "HELIXGRAPH_NO_PRECOMPUTE": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    helixgraph("build", "-q", "--data", str(ROOT / "data"), env=env)
    helixgraph("import", "cordis-h2020", str(H2020), "--region", "twente", env=env)
    helixgraph("analytics", "precompute", "-q", env=env)  # as build/import start it
    return store


def clients(
    url: str, n: int, stop: threading.Event, out: list[tuple[str, int, float]]
) -> list[threading.Thread]:
    def loop(i: int) -> None:
        with httpx.Client(base_url=url, timeout=20) as client:
            k = i
            while not stop.is_set():
                path, params = PATHS[k % len(PATHS)]
                k += 1
                start = time.monotonic()
                try:
                    r = client.get(path, params=params)
                    status = r.status_code
                    if status == 503 and "retry-after" in r.headers:
                        status = 1  # being computed, said at once: not an error
                except httpx.TimeoutException:
                    status = -1  # a request that hung
                except httpx.HTTPError:
                    status = 0  # the server closed the connection
                out.append((path, status, time.monotonic() - start))

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    return threads


def test_load_on_a_regional_store_then_sigterm(regional_store: Path, tmp_path: Path) -> None:
    server: Server = start_server(
        regional_store,
        tmp_path / "server.log",
        HELIXGRAPH_CACHE=str(tmp_path / "cache"),
        HELIXGRAPH_QUERY_TIMEOUT=str(TIMEOUT),
    )
    try:
        ready = httpx.get(server.url + "/readyz", timeout=10)
        assert ready.status_code == 200, ready.text  # the build's default views are there
        stop = threading.Event()
        samples: list[tuple[str, int, float]] = []
        threads = clients(server.url, 16, stop, samples)
        time.sleep(3)
        start = time.monotonic()
        runaway = httpx.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=60)
        runaway_seconds = time.monotonic() - start
        time.sleep(12)
        stop.set()
        for t in threads:
            t.join(30)
        assert runaway.status_code == 504, runaway.text[:200]
        assert runaway_seconds < TIMEOUT + 5
        bad = [s for s in samples if s[1] not in (1, 200)]
        assert not bad, bad[:10]
        assert len(samples) > 100
        slowest = max(s[2] for s in samples)
        assert slowest < 20  # no request hangs (the client's timeout)
        for path, params in PATHS[:2] + PATHS[3:5]:  # default views: answered, not pending
            assert httpx.get(server.url + path, params=params, timeout=20).status_code == 200

        # SIGTERM under load: the server and its workers are gone within 5 s
        stop = threading.Event()
        threads = clients(server.url, 16, stop, [])
        time.sleep(2)
        workers = children(server.proc.pid, b"helixgraph.analytics")
        assert workers
        sent = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(15)
        exited = time.monotonic() - sent
        stop.set()
        for t in threads:
            t.join(30)
        assert exited <= 5.0, exited
        deadline = time.monotonic() + 5
        while alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert alive(workers) == []
    finally:
        if server.proc.poll() is None:
            stop_server(server)
