"""Assemble the helixgraph web service: settings, store, middleware, routers.

Only assembly lives here: the routes are in :mod:`api.routes` (one module per resource),
their shared dependencies in :mod:`api.deps`, the problem+json errors in :mod:`api.problems`.

Run with ``helixgraph serve`` or ``python -m uvicorn api.main:app``; settings come from
``HELIXGRAPH_*`` environment variables (see :mod:`api.settings`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from helixgraph import __version__
from helixgraph.analytics.jobs import computations
from helixgraph.sparql import Limits, Service
from helixgraph.store.access import Current, StoreError

from .etags import version_of
from .response_cache import NegotiatedGZip
from .routes import (
    awards,
    docs,
    entities,
    graph_store,
    health,
    home,
    initiatives,
    jsonld_context,
    maps,
    metrics,
    ontology,
    organisations,
    people,
    query_page,
    reconcile,
    regions,
    sources,
    sparql,
    void,
)
from .security import SecurityHeaders
from .settings import Settings, SettingsError
from .shutdown import ShutdownAnswers
from .templating import STATIC_DIR

log = logging.getLogger("uvicorn.error")


def create_service(settings: Settings) -> Service:
    limits = Limits(
        timeout=settings.query_timeout,
        max_result_bytes=settings.max_result_bytes,
        allow_service=settings.allow_service,
        allow_load=settings.allow_load,
        cache_bytes=settings.cache_bytes,
        memory_copy_bytes=settings.memory_copy_bytes,
        inline_seconds=settings.inline_seconds,
    )
    return Service(
        settings.store,
        workers=settings.query_workers,
        limits=limits,
        admin_token=settings.admin_token,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            app.state.store = Current(settings.store)
            service = create_service(settings)
            await run_in_threadpool(service.start)
        except (StoreError, RuntimeError) as exc:  # one clear line before uvicorn's report
            log.error("helixgraph cannot start: %s", exc)
            raise
        app.state.service = service
        # metrics and map centralities: worker processes, never the request's thread
        app.state.analytics = computations(
            workers=settings.analytics_workers,
            timeout=settings.analytics_timeout,
            retry_failed=settings.analytics_retry,
        )
        current: Current = app.state.store  # a build without its default views: compute them
        target = str(current.path) if current.remote else current.target
        version = version_of(current.get())
        started = app.state.analytics.precompute(current.path, target, version)
        # /reconcile's name index: the build's product, or computed by a worker now
        reconcile.prepare(app.state.analytics, target, version, precomputing=started)
        try:
            yield
        finally:
            app.state.analytics.close()  # kills the workers: no computation outlives us
            await run_in_threadpool(service.close)

    app = FastAPI(
        title="helixgraph",
        version=__version__,
        summary="A knowledge graph of triple-helix innovation ecosystems",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(SecurityHeaders)
    # zlib's default level: 2-3x faster than Starlette's 9 for 5-10 % larger bodies (a 36 KB
    # SPARQL JSON result: 0.10 ms vs 0.39 ms; 11 MB: 74 ms vs 173 ms)
    # (NegotiatedGZip: not for gzip;q=0; the map's pages and data are sent compressed once)
    app.add_middleware(NegotiatedGZip, minimum_size=2048, compresslevel=6)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["Content-Disposition"],
        max_age=3600,
    )
    app.add_middleware(ShutdownAnswers)  # outermost: also a cancelled CORS or gzip answer
    for routes in (
        sparql,
        query_page,
        graph_store,
        jsonld_context,
        organisations,
        people,
        initiatives,
        awards,
        regions,
        sources,
        docs,
        metrics,
        home,
        maps,
        reconcile,
        entities,
        ontology,
        void,
        health,
    ):
        app.include_router(routes.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _app_or_exit() -> FastAPI:
    """The app from the environment's settings, or one clear line and exit status 2."""
    try:
        return create_app()
    except SettingsError as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(2) from None


app = _app_or_exit()
