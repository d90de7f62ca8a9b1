"""The landing page (``/``): links to the query page, the API and its docs, and headline figures."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.templating import templates
from helixgraph.catalog.summary import headline

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
    return templates.TemplateResponse(request, "home.html", {"f": figures, "helices": helices})
