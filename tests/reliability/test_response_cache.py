"""The JSON answers of the resource routes are rendered once per graph version and URL
(once, however many ask at the same time), and the landing page's counts computed once per
graph version (issue 18: a repeated request costs a lookup, not a query)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pydantic import BaseModel
from starlette.requests import Request

from helixgraph import store as hstore
from helixgraph.catalog.summary import headline
from helixgraph_api import representation
from helixgraph_api.response_cache import PerVersion, ResponseCache
from helixgraph_api.routes import home


class Thing(BaseModel):
    id: str
    n: int


def request(query: bytes = b"", accept: str = "application/json") -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "server": ("testserver", 80),
            "path": "/api/things/x",
            "query_string": query,
            "headers": [(b"host", b"testserver"), (b"accept", accept.encode())],
        }
    )


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> ResponseCache:
    cache = ResponseCache(budget=16 * 1024)
    monkeypatch.setattr(representation, "responses", cache)
    monkeypatch.setattr(representation, "version_of", lambda store: "v1")
    return cache


def test_repeated_request_is_answered_from_the_cache(fresh: ResponseCache) -> None:
    calls: list[int] = []

    def build() -> dict[str, Any]:
        calls.append(1)
        return {"id": "x", "n": len(calls)}

    store = ox.Store()
    first = representation.respond(request(), store, build, Thing)
    second = representation.respond(request(), store, build, Thing)
    assert calls == [1]
    assert first.body == second.body and json.loads(second.body) == {"id": "x", "n": 1}
    assert second.headers["etag"] == first.headers["etag"]
    representation.respond(request(b"fields=n"), store, build, Thing)  # another URL: built again
    assert len(calls) == 2


def test_cache_stays_within_its_budget(fresh: ResponseCache) -> None:
    for i in range(100):
        fresh.put(("t", "json", f"/u{i}"), b"x" * 500, "application/json")
    assert fresh.used <= fresh.budget
    assert fresh.get(("t", "json", "/u99")) is not None
    assert fresh.get(("t", "json", "/u0")) is None  # least recently used went first
    fresh.put(("t", "json", "/big"), b"x" * fresh.budget, "application/json")
    assert fresh.get(("t", "json", "/big")) is None  # too big to keep


def test_the_same_answer_asked_at_once_is_rendered_once(fresh: ResponseCache) -> None:
    calls: list[int] = []

    def build() -> dict[str, Any]:
        calls.append(1)
        time.sleep(0.3)  # a list query: the others arrive while it runs
        return {"id": "x", "n": 1}

    store = ox.Store()
    with ThreadPoolExecutor(8) as pool:
        bodies = list(
            pool.map(
                lambda _i: representation.respond(request(), store, build, Thing).body, range(8)
            )
        )
    assert calls == [1]
    assert len(set(bodies)) == 1
    assert not fresh.flights  # nothing left behind


def test_a_value_of_the_graph_version_is_computed_once_per_version() -> None:
    memo = PerVersion(keep=2)
    calls: list[str] = []

    def compute(version: str) -> str:
        calls.append(version)
        time.sleep(0.2)
        return f"figures of {version}"

    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(lambda _i: memo.get("v1", "headline", lambda: compute("v1")), range(6)))
    assert got == ["figures of v1"] * 6 and calls == ["v1"] and memo.computed == 1
    assert memo.get("v2", "headline", lambda: compute("v2")) == "figures of v2"
    memo.get("v3", "headline", lambda: compute("v3"))
    assert list(memo.values) == ["v2", "v3"]  # the oldest version went
    assert memo.get("v1", "headline", lambda: compute("v1")) == "figures of v1"
    assert calls == ["v1", "v2", "v3", "v1"]


class CountingStore:
    """A real store that counts the queries it is asked."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.queries = 0

    def query(self, *args: Any, **kwargs: Any) -> Any:
        self.queries += 1
        return self.store.query(*args, **kwargs)

    def __len__(self) -> int:
        return len(self.store)


def test_a_repeated_landing_page_does_not_query_the_store(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(home, "FIGURES", PerVersion())
    store = CountingStore(hstore.open_store(seed_store))
    first = home.figures_of(store)  # type: ignore[arg-type]
    assert store.queries > 1 and first["organisations"] == headline(store)["organisations"]  # type: ignore[arg-type]
    asked = store.queries
    for _ in range(3):
        assert home.figures_of(store) == first  # type: ignore[arg-type]
    assert store.queries == asked  # a lookup: no query
