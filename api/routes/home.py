"""The landing page (``/``): headline figures, the version, links to the map, the region
comparison, the query page, the ontology and the API; and ``/favicon.ico``.

The figures are counts over the whole graph (several queries, tens of ms to seconds on
the regional store): computed once per graph version (:data:`FIGURES`), so a repeated
visit costs a lookup."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from starlette.concurrency import run_in_threadpool

import helixgraph
from helixgraph.catalog.summary import headline

from ..etags import version_of
from ..response_cache import PerVersion
from ..templating import STATIC_DIR, templates

router = APIRouter(include_in_schema=False)
HELIX_NAMES = {
    "academia": "academia",
    "industry": "industry",
    "government": "government",
    "civilSociety": "civil society",
    "none": "not stated",
}


FIGURES = PerVersion()


def figures_of(store: ox.Store) -> dict[str, Any]:
    """The headline figures of the store's graph version, computed once per version."""
    return FIGURES.get(version_of(store), "headline", lambda: headline(store))


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    figures = await run_in_threadpool(figures_of, request.app.state.store.get())
    by_helix = figures["by_helix"]
    assert isinstance(by_helix, dict)
    helices = [
        (HELIX_NAMES.get(k, k), n) for k, n in sorted(by_helix.items(), key=lambda kv: -kv[1])
    ]
    context = {"f": figures, "helices": helices, "version": helixgraph.__version__}
    return templates.TemplateResponse(request, "home.html", context)


@router.get("/favicon.ico")
async def favicon() -> FileResponse:
    return FileResponse(
        STATIC_DIR / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )
