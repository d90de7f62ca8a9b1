"""The query page (``/query``, and ``/sparql`` opened in a browser): YASGUI's editor and
result view (bundled from frontend/src/query.js), the example queries and the result
formats; ``/query/terms``: what its completion offers (the predeclared prefixes, the
ontology's classes and properties), served here so the page calls no other site.

``/query?query=...`` opens the page with that query and runs it (a shareable link)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from helixgraph.sparql import FORMATS, Service
from helixgraph.vocab.namespace import QUERY_PREFIXES

from ..deps import ServiceDep
from ..templating import STATIC_DIR, templates
from .ontology import cached_terms

EXAMPLES = json.loads((STATIC_DIR / "examples.json").read_text(encoding="utf-8"))

router = APIRouter(tags=["sparql"])


def query_page(request: Request, service: Service) -> HTMLResponse:
    formats = [{"name": f.name, "media_type": f.media_type, "graph": f.graph} for f in FORMATS]
    context = {
        "examples": EXAMPLES,
        "formats": formats,
        "writable": service.writable,
        "prefixes": QUERY_PREFIXES,
        "initial": request.query_params.get("query") or EXAMPLES[0]["query"],
    }
    return templates.TemplateResponse(request, "query.html", context)


@router.get("/query", response_class=HTMLResponse, summary="The query page")
async def query_page_route(request: Request, service: ServiceDep) -> HTMLResponse:
    return query_page(request, service)


@router.get("/query/terms", summary="What the query page completes: prefixes, classes, properties")
async def query_terms(request: Request) -> dict[str, Any]:
    found = await run_in_threadpool(cached_terms, request)
    return {
        "prefixes": QUERY_PREFIXES,
        "classes": [t["iri"] for t in found["class"]],
        "properties": [t["iri"] for t in found["property"]],
    }
