"""The analytics routes, on an app with only this router and a store from the small TriG."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI

from helixgraph.store.access import Current, replacing
from helixgraph_api.routes import metrics as routes

TRIG = Path(__file__).parent / "small_ecosystem.trig"
ORG = "https://w3id.org/helixgraph/id/org/"


class AppClient:
    """Synchronous calls into the ASGI app in process (httpx's ASGI transport)."""

    def __init__(self, app: FastAPI):
        self.app = app

    def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                return await c.get(path, params=params)

        # a thread of its own: another test may leave an event loop running in this one
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, call()).result()


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppClient:
    path = tmp_path / "store"
    with replacing(path) as st:
        st.load(TRIG.read_bytes(), ox.RdfFormat.TRIG)
    monkeypatch.setenv("HELIXGRAPH_CACHE", str(tmp_path / "cache"))
    app = FastAPI()
    app.state.store = Current(path)
    app.include_router(routes.router)
    return AppClient(app)


def test_centrality_ranks_and_filters(client: AppClient) -> None:
    r = client.get("/api/metrics/centrality", params={"sort": "degree", "limit": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["family"] == "centrality" and body["graph"] == {"nodes": 8, "edges": 10}
    assert len(body["items"]) == 3
    degrees = [row["degree"] for row in body["items"]]
    assert degrees == sorted(degrees, reverse=True)
    assert (
        body["items"][0]["iri"] == ORG + "rug"
        and body["items"][0]["label"] == "University of Groningen"
    )
    nn = client.get("/api/metrics/centrality", params={"region": "noord-nederland"}).json()
    assert nn["filters"] == {"region": "noord-nederland"} and nn["graph"]["nodes"] == 4


def test_brokerage_helix_communities_funding(client: AppClient) -> None:
    b = client.get("/api/metrics/brokerage").json()
    assert b["roles"][-1] == "total" and b["graph_level"]["raw"]["total"] > 0
    assert {row["group"] for row in b["items"]} <= {"academia", "industry", "government"}
    h = client.get("/api/metrics/helix").json()
    assert h["triads"]["count"] == 2 and h["synergy"]["triple_helix"]["unit"] == "bits"
    assert h["matrix"]["academia"]["industry"] == 4
    c = client.get("/api/metrics/communities", params={"seed": 3}).json()
    assert sum(c["sizes"]) == 8 and c["seed"] == 3
    f = client.get("/api/funding/flows", params={"start": 2019, "end": 2019}).json()
    assert f["totals"]["total"] == 1000.0 and f["flows"][0]["recipient"] == ORG + "rug"
    s = client.get("/api/metrics/structural-holes").json()
    assert s["items"][-1]["constraint"] is None  # the isolated faculty ranks last


def test_bad_filters_are_problem_json(client: AppClient) -> None:
    r = client.get("/api/metrics/centrality", params={"helix": "academy"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    r = client.get("/api/metrics/helix", params={"start": 2022, "end": 2020})
    assert r.status_code == 422 and "ends before it starts" in r.json()["detail"]


def test_results_are_cached_per_graph_version(client: AppClient, tmp_path: Path) -> None:
    first = client.get("/api/metrics/brokerage").json()
    files = list((tmp_path / "cache" / "metrics").rglob("brokerage-*.json"))
    assert len(files) == 1
    assert client.get("/api/metrics/brokerage").json() == first
    assert first["version"] == files[0].parent.name


def test_openapi_documents_every_route_and_filter(client: AppClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/metrics/centrality",
        "/api/metrics/brokerage",
        "/api/metrics/helix",
        "/api/metrics/communities",
        "/api/funding/flows",
        "/api/metrics/structural-holes",
    ):
        params = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert {"region", "helix", "source", "start", "end", "include_undated"} <= params, path
