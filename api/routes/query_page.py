"""The query page (``/query``, and ``/sparql`` opened in a browser): an editor with
example queries and the result formats."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import ServiceDep
from api.templating import STATIC_DIR, templates
from helixgraph.sparql import FORMATS, Service

EXAMPLES = json.loads((STATIC_DIR / "examples.json").read_text(encoding="utf-8"))

router = APIRouter(tags=["sparql"])


def query_page(request: Request, service: Service) -> HTMLResponse:
    formats = [{"name": f.name, "media_type": f.media_type, "graph": f.graph} for f in FORMATS]
    return templates.TemplateResponse(
        request,
        "query.html",
        {"examples": EXAMPLES, "formats": formats, "writable": service.writable},
    )


@router.get("/query", response_class=HTMLResponse, summary="The query page")
async def query_page_route(request: Request, service: ServiceDep) -> HTMLResponse:
    return query_page(request, service)
