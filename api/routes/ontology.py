"""``/ontology`` (the IRI ``https://w3id.org/helixgraph/ontology`` served here): to a
browser, a page listing every class, property and concept with its labels (en/nl),
definition, domain and range, how often the graph uses it and a query that shows it; to
a client, the ontology graph in Turtle, JSON-LD, N-Triples or RDF/XML (``Accept`` or
``?format=``)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from helixgraph.catalog import graph_version
from helixgraph.catalog.ontology import terms
from helixgraph.sparql import FORMAT_ALIASES, Job, NotAcceptable, Service, negotiate
from helixgraph.sparql.prefixes import compact
from helixgraph.vocab.iris import ONTOLOGY_GRAPH

from ..problems import problem
from ..templating import templates
from .entities import FORMS, links
from .sparql_protocol import wants_html

router = APIRouter(tags=["linked data"])
GRAPH = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
# the terms of the last build seen (counting uses reads every statement: ~1 s on the
# regional store), keyed by its graph version
_CACHE: dict[str, dict[str, list[dict[str, Any]]]] = {}


def cached_terms(request: Request) -> dict[str, list[dict[str, Any]]]:
    store = request.app.state.store.get()
    key = graph_version(store)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = terms(store)
    return _CACHE[key]


@router.get("/ontology", summary="The ontology: its page or its graph")
async def ontology(
    request: Request,
    format: Annotated[
        str | None, Query(description="html, turtle, jsonld, ntriples, rdfxml")
    ] = None,
) -> Response:
    fmt = FORMAT_ALIASES.get(format, format) if format else None
    headers = {"Link": links(request.url.path), "Vary": "Accept"}
    if fmt == "html" or (fmt is None and wants_html(request)):
        found = await run_in_threadpool(cached_terms, request)
        context = {"terms": found, "compact": compact, "quote": quote, "forms": FORMS}
        return templates.TemplateResponse(request, "ontology.html", context, headers=headers)
    try:
        negotiate(request.headers.get("accept"), True, fmt)
    except NotAcceptable as exc:
        return problem(request, 406, "Not acceptable", str(exc), headers=headers)
    service: Service = request.app.state.service
    outcome = await service.aquery(Job(GRAPH, accept=request.headers.get("accept"), format=fmt))
    if outcome.status != "ok":
        return problem(request, 503, "Not available", outcome.message, headers=headers)
    return Response(outcome.body, media_type=outcome.media_type, headers=headers)
