"""Every IRI the graph mints, served here: ``https://w3id.org/helixgraph/id/{kind}/{id}``
is ``/id/{kind}/{id}`` (docs/linked-data.md; docs/w3id.htaccess redirects the w3id base).

Content negotiation: a browser (``Accept: text/html``) gets the entity's page; a client
gets its statements (those about it, and those that point at it) as Turtle, JSON-LD,
N-Triples or RDF/XML; ``?format=`` (html, turtle, jsonld, ntriples, rdfxml) overrides
``Accept``. Every answer carries ``Link`` headers to the other forms. An unknown id is a
404: an HTML page to a browser, problem+json to a client. The statements are read by the
SPARQL service's workers, the page's record by the catalog in a thread, never on the loop.
"""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from helixgraph import network
from helixgraph.analytics.jobs import Busy, Pending, Ready
from helixgraph.catalog.entity_page import entity_iri, page
from helixgraph.catalog.listing import UnknownId
from helixgraph.catalog.terms import TYPE_SEGMENT
from helixgraph.sparql import FORMAT_ALIASES, Job, NotAcceptable, Service, negotiate
from helixgraph.sparql.prefixes import compact
from helixgraph.vocab.namespace import QUERY_PREFIXES

from ..deps import get_jobs
from ..problems import problem
from ..templating import root_path, templates
from .sparql_protocol import wants_html

router = APIRouter(tags=["linked data"])

# format name -> media type, for the Link headers and the page's links
FORMS = {
    "html": "text/html",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
FormatParam = Annotated[
    str | None,
    Query(description="html, turtle, jsonld, ntriples or rdfxml: overrides Accept"),
]
# the statements about a node and those that point at it (at most 2,000 of those: a
# funder is the object of every award it gave)
DESCRIBE = """CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{
  {{ <{iri}> ?p ?o }} UNION {{ SELECT ?s ?q WHERE {{ ?s ?q <{iri}> }} LIMIT 2000 }}
}}"""
EXISTS = "ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"


def links(path: str) -> str:
    """The ``Link`` header naming every form of the resource at ``path``."""
    return ", ".join(
        f'<{path}?format={name}>; rel="alternate"; type="{media}"' for name, media in FORMS.items()
    )


def not_found(request: Request, html: bool, what: str) -> Response:
    detail = f"the graph has no {what}"
    if html:
        return templates.TemplateResponse(
            request, "not_found.html", {"detail": detail}, status_code=404
        )
    return problem(request, 404, "Not found", detail)


@router.get("/id/{segment}/{ident}", summary="An entity: its page or its statements")
async def entity(
    request: Request, segment: str, ident: str, format: FormatParam = None
) -> Response:
    fmt = FORMAT_ALIASES.get(format, format) if format else None
    html = fmt == "html" or (fmt is None and wants_html(request))
    path = request.url.path
    headers = {"Link": links(path), "Vary": "Accept"}
    what = f"node /id/{segment}/{ident}"
    try:
        iri = entity_iri(segment, ident)
    except UnknownId:
        return not_found(request, html, what)
    if html:
        store = request.app.state.store.get()
        try:
            model = await run_in_threadpool(page, store, segment, ident)
        except UnknownId:
            return not_found(request, html, what)
        metrics = (
            await run_in_threadpool(network_position, request, iri) if segment == "org" else None
        )
        context = {
            **model,
            "path": path,
            "forms": FORMS,
            "compact": compact,
            "href": lambda node: href(node, root_path(request)),
            "metrics": metrics,
        }
        return templates.TemplateResponse(request, "entity.html", context, headers=headers)
    service: Service = request.app.state.service
    try:
        negotiate(request.headers.get("accept"), True, fmt)
    except NotAcceptable as exc:
        return problem(request, 406, "Not acceptable", str(exc), headers=headers)
    known = await service.aquery(Job(EXISTS.format(iri=iri), format="json"))
    if known.status != "ok":
        return problem(request, 503, "Not available", known.message, headers=headers)
    if b"true" not in known.body:
        return not_found(request, False, what)
    outcome = await service.aquery(
        Job(DESCRIBE.format(iri=iri), accept=request.headers.get("accept"), format=fmt)
    )
    if outcome.status != "ok":
        return problem(request, 503, "Not available", outcome.message, headers=headers)
    if outcome.media_type.startswith("text/turtle"):  # readable: with the prefixes
        body = await run_in_threadpool(with_prefixes, outcome.body)
        return Response(body, media_type=outcome.media_type, headers=headers)
    return Response(outcome.body, media_type=outcome.media_type, headers=headers)


CENTRALITIES = ("degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank")


def network_position(request: Request, iri: str) -> dict[str, object]:
    """The organisation's centralities and brokerage roles in the whole collaboration
    network, from the analytics workers' results (those /api/metrics gives) when they are
    ready; while they are computed (in a worker, never here), a note saying so."""
    jobs = get_jobs(request)
    out: dict[str, object] = {}
    pending: list[str] = []
    for family, options in (
        ("centrality", {"betweenness_k": None, "seed": 0}),
        ("brokerage", {}),
    ):
        task = jobs.computations.metrics_task(
            jobs.target, jobs.version, family, network.Filters(), **options
        )
        answer = jobs.computations.get(task)
        if isinstance(answer, (Pending, Busy)):
            pending.append(f"{family} (ready in about {answer.retry_after} s: reload)")
            continue
        if not isinstance(answer, Ready):
            pending.append(f"{family} (not available: {answer.reason})")
            continue
        body = answer.result["result"]
        row = (body.get("nodes", body) or {}).get(iri)
        if not row:
            continue
        if family == "centrality":
            for name in CENTRALITIES:
                if row.get(name) is not None:
                    value = row[name]
                    out[name] = f"{value:.4g}" if isinstance(value, float) else value
        else:
            raw = row.get("raw") or {}
            roles = ", ".join(f"{k}: {v:g}" for k, v in raw.items() if v and k != "total")
            out["brokerage roles (Gould & Fernandez)"] = roles or "none"
    if pending:
        out["being computed"] = "; ".join(pending)
    return out


def with_prefixes(turtle: bytes) -> bytes:
    """Turtle written again with the project's prefixes (the workers write full IRIs)."""
    triples = [q.triple for q in ox.parse(turtle, ox.RdfFormat.TURTLE)]
    out = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=QUERY_PREFIXES)
    assert out is not None
    return out


def href(node: dict[str, object] | None, root: str = "") -> str:
    """The local page of a node (a ref of the catalog) under ``root`` (the path the app is
    served under), else its IRI."""
    if not node:
        return "#"
    segment = TYPE_SEGMENT.get(str(node.get("type")))
    if segment and node.get("id"):
        return f"{root}/id/{segment}/{node['id']}"
    return str(node.get("iri") or "#")
