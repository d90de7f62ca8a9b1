"""Probes for a proxy or an orchestrator: ``/healthz`` (liveness) and ``/readyz`` (readiness).

``/healthz`` answers 200 as long as the server's event loop answers: it reads nothing, not
even the store, so a busy store never makes a live server look dead. ``/readyz`` answers
200 when the store opens and the build's default views -- the metrics, projections and
positions of the whole graph, each region and each helix (:mod:`helixgraph.analytics.precompute`)
-- are ready, else 503 with ``Retry-After`` and what is missing; a build whose default
views are neither there nor being computed gets them started.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from helixgraph.analytics import precompute
from helixgraph.analytics.jobs import Computations
from helixgraph.store.access import Current

from ..etags import version_of

router = APIRouter(tags=["health"])
NO_CACHE = {"Cache-Control": "no-store"}


@router.get("/healthz", summary="Liveness: the server answers (reads nothing)")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers=NO_CACHE)


def _readiness(request: Request) -> tuple[int, dict[str, Any]]:
    current: Current | None = getattr(request.app.state, "store", None)
    if current is None:
        return 503, {"status": "starting", "store": "not open"}
    try:
        store = current.get()
        version = version_of(store)
    except Exception as exc:  # the store does not open or answer: not ready, say why
        return 503, {"status": "store unavailable", "store": f"{type(exc).__name__}: {exc}"}
    target = str(current.path) if current.remote else current.target
    state = precompute.state(target, version)
    if state == "missing":
        jobs: Computations | None = getattr(request.app.state, "analytics", None)
        if jobs is not None and jobs.size and jobs.precompute(current.path, target, version):
            state = "computing"
    body = {"status": "ready" if state == "ready" else "not ready", "version": version}
    return (200 if state == "ready" else 503), {**body, "store": "open", "default_views": state}


@router.get("/readyz", summary="Readiness: the store opens and the default views are computed")
async def readyz(request: Request) -> JSONResponse:
    status, body = await run_in_threadpool(_readiness, request)
    headers = NO_CACHE if status == 200 else {**NO_CACHE, "Retry-After": "10"}
    return JSONResponse(body, status_code=status, headers=headers)
