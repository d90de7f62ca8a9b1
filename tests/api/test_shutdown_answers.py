"""A request cut off by the server's shutdown answers 503 with Retry-After, not 500 with a
traceback (issue 18: clean shutdown under load)."""

from __future__ import annotations

import concurrent.futures
import signal
import time
from pathlib import Path

import httpx

from tests.api.conftest import start_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_requests_cut_off_by_the_shutdown_answer_503(regional_store: Path, tmp_path: Path) -> None:
    server = start_server(
        regional_store,
        tmp_path / "server.log",
        HELIXGRAPH_QUERY_WORKERS="2",
        HELIXGRAPH_QUERY_TIMEOUT="60",
        HELIXGRAPH_CACHE_BYTES="0",
    )

    def ask() -> httpx.Response:
        with server.client() as client:
            return client.get("/sparql", params={"query": RUNAWAY})

    try:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            running = [pool.submit(ask) for _ in range(4)]  # two computing, two waiting
            time.sleep(2.0)
            assert not any(f.done() for f in running)
            server.proc.send_signal(signal.SIGTERM)
            started = time.monotonic()
            server.proc.wait(timeout=30)
            assert time.monotonic() - started < 5
            answers = [f.result() for f in running]
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
    for r in answers:
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] == "5"
        assert r.headers["content-type"] == "application/problem+json"
        assert "the server is stopping" in r.json()["detail"]
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log and " 500 " not in log
    assert log.count("cut off by the shutdown: answered 503") == 4
