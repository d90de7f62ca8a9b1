"""A map whose centralities are not computed yet is drawn at once with what is known:
sized by degree, without communities, saying that centralities are being computed, with
``Retry-After`` and no validator, drawn by an analytics worker (never in the web process:
projecting and laying out a region takes seconds of CPU); then the full view."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from helixgraph.maps.prerender import EARLY_NAME, PROVISIONAL
from tests.analytics.slow_store import slow_trig
from tests.api.conftest import build_store, start_server, stop_server
from tests.remote_store import store_path


@pytest.fixture(scope="module")
def slow_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("slow")
    return build_store(store_path(tmp / "store"), slow_trig(tmp / "slow.trig"))


def test_a_pending_map_is_drawn_by_degree_then_completed(slow_store: Path, tmp_path: Path) -> None:
    server = start_server(
        slow_store,
        tmp_path / "server.log",
        HELIXGRAPH_CACHE=str(tmp_path / "cache"),
        HELIXGRAPH_METRICS_ENGINE="networkx",  # the map's centralities take a while
    )
    params = {"color": "community", "max_nodes": "50"}
    try:
        with server.client() as client:
            deadline = time.monotonic() + 60
            r = client.get("/map/data", params=params)
            while r.status_code == 503 and time.monotonic() < deadline:  # projecting
                assert r.json()["title"] == "Being computed" and "retry-after" in r.headers
                time.sleep(0.2)
                r = client.get("/map/data", params=params)
            assert r.status_code == 200, r.text[:300]
            early = r.json()
            assert early["notices"][0] == PROVISIONAL
            assert r.headers["retry-after"] == "5" and r.headers["cache-control"] == "no-store"
            assert "etag" not in r.headers
            # drawn by an analytics worker (kept in its cache), not in the web process
            assert list((tmp_path / "cache").rglob(f"{EARLY_NAME}-*.bin"))
            # sized by degree: the 50 nodes kept are those of the highest degree
            assert ("size", "degree") in [tuple(p) for p in early["params"]]
            assert early["counts"]["nodes"] == 50
            # the page draws it too, at once (200, not the 202 reload notice)
            page = client.get("/map", params=params)
            assert page.status_code == 200 and "Centralities are being computed" in page.text
            # then the full view: its own sizing and colours, a validator, no notice
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                r = client.get("/map/data", params=params)
                if "etag" in r.headers:
                    break
                time.sleep(1)
            assert r.status_code == 200 and "etag" in r.headers, r.headers
            full = r.json()
            assert PROVISIONAL not in full["notices"]
            assert ["color", "community"] in full["params"]
    finally:
        stop_server(server)
