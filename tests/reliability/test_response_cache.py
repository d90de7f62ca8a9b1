"""The JSON answers of the resource routes are rendered once per graph version and URL."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
import pytest
from pydantic import BaseModel
from starlette.requests import Request

from helixgraph_api import representation
from helixgraph_api.response_cache import ResponseCache


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
