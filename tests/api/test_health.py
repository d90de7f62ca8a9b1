"""/healthz (liveness: reads nothing) and /readyz (the store opens and the build's default
views are computed) for a proxy or an orchestrator (api/routes/health.py); the server that
computes them itself and becomes ready is tests/analytics/test_precompute.py's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from helixgraph import store as hstore
from tests.api.conftest import Server


def test_healthz_answers_without_the_store(make_server: Callable[..., Server]) -> None:
    live = make_server()
    r = httpx.get(live.url + "/healthz", timeout=10)
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert r.headers["cache-control"] == "no-store"
    ready = httpx.get(live.url + "/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json()["default_views"] == "missing"
    assert ready.headers["retry-after"] == "10" and ready.headers["cache-control"] == "no-store"


def test_readyz_is_200_once_the_default_views_are_there(
    make_server: Callable[..., Server], tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from helixgraph.cli.main import app

    live = make_server()
    path = next(tmp_path.glob("store0"))
    assert hstore.exists(path)
    r = CliRunner().invoke(app, ["analytics", "precompute", "-q", "--store", str(path)])
    assert r.exit_code == 0, r.output
    ready = httpx.get(live.url + "/readyz", timeout=10)
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ready" and body["store"] == "open" and body["version"]
