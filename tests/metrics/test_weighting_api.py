"""``/api/metrics/*?weighting=`` and the brokerage note, on the tiny ecosystem of
:mod:`tests.network.tiny_weighting` (a 3-partner and a 2-partner project, one stated tie)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from helixgraph.analytics.suite import NO_OPEN_TWO_PATHS
from helixgraph.store.access import Current
from helixgraph_api.routes import metrics as routes
from tests.metrics.test_metrics_api import AppClient
from tests.network.tiny_weighting import ID, tiny_store

COLLABORATION_ROUTES = (
    "/api/metrics/centrality",
    "/api/metrics/structural-holes",
    "/api/metrics/brokerage",
    "/api/metrics/helix",
    "/api/metrics/communities",
)


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppClient:
    path = tmp_path / "store"
    tiny_store(path)
    monkeypatch.setenv("HELIXGRAPH_CACHE", str(tmp_path / "cache"))
    app = FastAPI()
    app.state.store = Current(path)
    app.include_router(routes.router)
    return AppClient(app)


def strengths(client: AppClient, **params: str) -> dict[str, float]:
    r = client.get("/api/metrics/centrality", params=params)
    assert r.status_code == 200, r.text
    return {row["iri"].removeprefix(f"{ID}org/"): row["strength"] for row in r.json()["items"]}


def test_weighting_parameter_gives_the_hand_computed_strengths(client: AppClient) -> None:
    assert strengths(client) == {"a": 3, "b": 3, "c": 3, "d": 1}
    assert strengths(client, weighting="count") == strengths(client)
    newman = strengths(client, weighting="newman")
    assert newman == pytest.approx({"a": 2.0, "b": 2.0, "c": 2.0, "d": 1.0})
    assert strengths(client, weighting="stated") == {"a": 0, "b": 0, "c": 1, "d": 1}


def test_unknown_weighting_is_a_422_naming_it(client: AppClient) -> None:
    r = client.get("/api/metrics/centrality", params={"weighting": "jaccard"})
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["loc"] == ["query", "weighting"] and "'newman'" in error["msg"]


def test_brokerage_note_when_there_is_no_open_two_path(client: AppClient) -> None:
    quiet = client.get("/api/metrics/brokerage", params={"weighting": "stated"}).json()
    assert quiet["note"] == NO_OPEN_TWO_PATHS and quiet["graph_level"]["raw"]["total"] == 0
    busy = client.get("/api/metrics/brokerage").json()
    assert busy["note"] is None and busy["graph_level"]["raw"]["total"] > 0


def test_openapi_documents_the_weighting(client: AppClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in COLLABORATION_ROUTES:
        (p,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "weighting"]
        assert "Newman" in p["description"] and p["schema"]["default"] == "count", path
        assert p["schema"]["enum"] == ["count", "newman", "stated"], path
    names = {p["name"] for p in spec["paths"]["/api/funding/flows"]["get"]["parameters"]}
    assert "weighting" not in names  # funding is not the collaboration network
