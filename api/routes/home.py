"""The landing page (``/``): headline figures, the version, links to the map, the region
comparison, the query page, the ontology and the API; and ``/favicon.ico``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from starlette.concurrency import run_in_threadpool

import helixgraph
from helixgraph.catalog.summary import headline

from ..templating import STATIC_DIR, templates

router = APIRouter(include_in_schema=False)
HELIX_NAMES = {
    "academia": "academia",
    "industry": "industry",
    "government": "government",
    "civilSociety": "civil society",
    "none": "not stated",
}


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    figures = await run_in_threadpool(headline, request.app.state.store.get())
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
