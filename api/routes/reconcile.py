"""``/reconcile``: the W3C Entity Reconciliation Service API (v0.2, the community group's
final report) over the organisations, for OpenRefine and other tools.

``GET /reconcile`` answers the service manifest; ``queries=`` (GET, or a POST form field)
a batch of reconciliation queries; ``extend=`` a data extension query. Suggest services
(``/reconcile/suggest/{entity,type,property}``), the property proposals of data extension
(``/reconcile/properties``) and an HTML preview card (``/reconcile/preview?id=``) complete
it. The matching is :mod:`helixgraph.matching`, over the index of names
(:mod:`helixgraph.catalog.names`): a product of the build, computed by its precompute (or,
for a build without it, by an analytics worker, asked at startup), never in the web
process, which only loads it, once per graph version. Until it is there a request that
needs it is answered 503 with ``Retry-After``, as the metric routes are. Malformed input
is answered 400 with a problem document naming the query and the field.
"""

from __future__ import annotations

import logging
import os
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from helixgraph import __version__
from helixgraph.analytics import precompute
from helixgraph.analytics.jobs import Computations, Ready
from helixgraph.analytics.workers import Task
from helixgraph.catalog import names
from helixgraph.catalog.names import ORG_PREFIX, NameIndex, partner_counts
from helixgraph.matching import ID_SCHEMES, MatchError, fold
from helixgraph.matching import Query as MatchQuery
from helixgraph.vocab.namespace import HX

from ..deps import JobsDep, StoreJobs, computing_problem
from ..problems import ProblemDetail, ProblemRoute
from ..templating import templates
from .reconcile_protocol import (
    EXTEND_PROPERTIES,
    MAX_BATCH,
    PROPERTY_NAMES,
    TYPE_NAMES,
    extension,
    parse_extend,
    parse_queries,
    type_ref,
)

log = logging.getLogger("uvicorn.error")
router = APIRouter(prefix="/reconcile", tags=["reconciliation"], route_class=ProblemRoute)
Json = dict[str, Any]
PREVIEW_SIZE = (400, 200)
SCHEME_LABELS = {
    "ror": "ROR",
    "pic": "PIC",
    "wikidata": "Wikidata",
    "grid": "GRID",
    "isni": "ISNI",
    "fundref": "FundRef",
    "kvk": "KvK",
}
SUGGEST_LIMIT = 10


def index_task(computations: Computations, target: str, version: str) -> Task:
    return precompute.name_index_task(target, version, str(computations.cache.root))


def index_of(jobs: StoreJobs) -> NameIndex:
    """The name index of the request's graph version: kept, or loaded from the build's
    product (once, however many requests ask); a 503 problem while it is being computed."""
    found = names.kept(jobs.version)
    if found is not None:
        return found
    answer = jobs.computations.get(index_task(jobs.computations, jobs.target, jobs.version))
    if not isinstance(answer, Ready):
        raise computing_problem(answer, "the name index of /reconcile")
    data: bytes = answer.result
    try:
        return names.name_index(jobs.store, jobs.version, lambda: names.loads(data))
    except Exception as exc:  # an unreadable product: say so (not a 500), log what it was
        log.warning("reconcile: the name index of %s is unreadable: %r", jobs.version, exc)
        detail = "the name index of /reconcile could not be read; try again later"
        headers = {"Retry-After": "60", "Cache-Control": "no-store"}
        raise ProblemDetail(503, "Computation failed", detail, headers=headers) from None


def prepare(computations: Computations, target: str, version: str, precomputing: bool) -> None:
    """At startup: have a worker compute the build's name index unless it is there or
    the build's precompute (``precomputing``, or not turned off) will compute it."""
    task = index_task(computations, target, version)
    kept = any(
        c.has(version, task.name, task.params)
        for c in (computations.built(target, version), computations.cache)
    )
    if kept or precomputing or computations.size == 0:
        return
    state = precompute.state(target, version)
    if state == "computing" or (
        state == "missing" and not os.environ.get(precompute.NO_PRECOMPUTE_ENV)
    ):
        return  # the precompute computes it (the server starts one for a build without)
    computations.get(task)  # queued: a worker computes it


def manifest(base: str) -> Json:
    service = {"service_url": base}
    return {
        "versions": ["0.2"],
        "name": "helixgraph organisations",
        "identifierSpace": ORG_PREFIX,
        "schemaSpace": str(HX.Organisation),
        "serviceVersion": __version__,
        "documentation": f"{base}/docs",
        "defaultTypes": [type_ref("organisation")],
        "view": {"url": f"{base}/api/organisations/{{{{id}}}}"},
        "preview": {
            "url": f"{base}/reconcile/preview?id={{{{id}}}}",
            "width": PREVIEW_SIZE[0],
            "height": PREVIEW_SIZE[1],
        },
        "suggest": {
            "entity": {**service, "service_path": "/reconcile/suggest/entity"},
            "type": {**service, "service_path": "/reconcile/suggest/type"},
            "property": {**service, "service_path": "/reconcile/suggest/property"},
        },
        "extend": {
            "propose_properties": {**service, "service_path": "/reconcile/properties"},
            "property_settings": [],
        },
        "batchSize": MAX_BATCH,
    }


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def reconcile_batch(index: NameIndex, batch: dict[str, MatchQuery]) -> Json:
    out: Json = {}
    for qid, query in batch.items():
        try:
            candidates = index.matcher.match(query)
        except MatchError as exc:
            raise ProblemDetail(400, "Bad reconciliation query", f"queries.{qid}: {exc}") from None
        out[qid] = {
            "result": [
                {
                    "id": c.entity.id,
                    "name": c.entity.name,
                    "description": c.entity.description,
                    "score": c.score,
                    "match": c.match,
                    "type": [type_ref(t) for t in sorted(c.entity.types) if t in TYPE_NAMES],
                    "features": [{"id": k, "value": v} for k, v in c.features.items()],
                }
                for c in candidates
            ]
        }
    return out


def _answer(request: Request, jobs: StoreJobs, queries: str | None, extend: str | None) -> Json:
    if queries is not None and extend is not None:
        raise ProblemDetail(400, "Bad request", "send either queries or extend, not both")
    if queries is not None:
        batch = parse_queries(queries)  # a bad batch is a 400 before the index is needed
        return reconcile_batch(index_of(jobs), batch)
    if extend is not None:
        ids, props = parse_extend(extend)
        store = jobs.store
        return extension(index_of(jobs), ids, props, lambda i: partner_counts(store, i))
    return manifest(_base(request))


@router.get("", summary="Service manifest, or a batch of reconciliation / extension queries")
def reconcile_get(
    request: Request,
    jobs: JobsDep,
    queries: Annotated[str | None, Query(description="A reconciliation query batch (JSON)")] = None,
    extend: Annotated[str | None, Query(description="A data extension query (JSON)")] = None,
) -> JSONResponse:
    return JSONResponse(_answer(request, jobs, queries, extend))


@router.post("", summary="A batch of reconciliation queries, or a data extension query")
def reconcile_post(
    request: Request,
    jobs: JobsDep,
    queries: Annotated[str | None, Form(description="A reconciliation query batch (JSON)")] = None,
    extend: Annotated[str | None, Form(description="A data extension query (JSON)")] = None,
) -> JSONResponse:
    if queries is None and extend is None:
        raise ProblemDetail(400, "Bad request", "a POST needs a form field queries or extend")
    return JSONResponse(_answer(request, jobs, queries, extend))


Prefix = Annotated[str, Query(description="What the user has typed", max_length=200)]
Cursor = Annotated[int, Query(ge=0, le=10_000, description="Suggestions to skip")]


@router.get("/suggest/entity", summary="Organisations whose name starts with the prefix")
def suggest_entity(jobs: JobsDep, prefix: Prefix, cursor: Cursor = 0) -> Json:
    found = index_of(jobs).matcher.suggest(prefix, SUGGEST_LIMIT, cursor)
    return {
        "result": [
            {
                "id": e.id,
                "name": e.name,
                "description": e.description,
                "notable": [type_ref(t) for t in sorted(e.types) if t in TYPE_NAMES],
            }
            for e in found
        ]
    }


def _suggest_from(names: dict[str, str], prefix: str, cursor: int) -> list[Json]:
    p = fold(prefix).strip()
    hits = [
        {"id": k, "name": v}
        for k, v in names.items()
        if fold(v).startswith(p) or fold(k).startswith(p) or f" {p}" in fold(v)
    ]
    return hits[cursor : cursor + SUGGEST_LIMIT]


@router.get("/suggest/type", summary="Types (organisation kinds) matching the prefix")
def suggest_type(prefix: Prefix, cursor: Cursor = 0) -> Json:
    return {"result": [type_ref(h["id"]) for h in _suggest_from(TYPE_NAMES, prefix, cursor)]}


@router.get("/suggest/property", summary="Properties matching the prefix")
def suggest_property(prefix: Prefix, cursor: Cursor = 0) -> Json:
    return {"result": _suggest_from(PROPERTY_NAMES, prefix, cursor)}


@router.get("/properties", summary="The properties data extension offers for a type")
def propose_properties(
    type: Annotated[str, Query(description="A type id (see /reconcile/suggest/type)")],
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> Json:
    if type not in TYPE_NAMES:
        raise ProblemDetail(400, "Unknown type", f"type: unknown type {type!r}")
    props = [{"id": k, "name": v} for k, v in EXTEND_PROPERTIES.items()]
    out: Json = {"type": type, "properties": props[:limit] if limit else props}
    if limit:
        out["limit"] = limit
    return out


@router.get("/preview", response_class=HTMLResponse, summary="A small HTML card of an organisation")
def preview(
    request: Request,
    jobs: JobsDep,
    id: Annotated[str, Query(description="An organisation id", max_length=200)],
) -> HTMLResponse:
    index = index_of(jobs)
    entity = index.matcher.by_id.get(id)
    if entity is None:
        raise ProblemDetail(404, "Not found", f"id: no organisation {id!r}")
    order = list(ID_SCHEMES)  # ROR, PIC and Wikidata first
    ids = sorted(
        ((s, v) for s, values in entity.ids.items() for v in values),
        key=lambda sv: (order.index(sv[0]) if sv[0] in order else len(order), sv),
    )
    return templates.TemplateResponse(
        request,
        "reconcile_preview.html",
        {
            "entity": entity,
            "kinds": [TYPE_NAMES.get(k, k) for k in index.kinds.get(id, [])],
            "helices": index.helices.get(id, []),
            "places": index.places.get(id, []),
            "identifiers": ids,
            "scheme_names": SCHEME_LABELS,
            "partners": partner_counts(jobs.store, [id])[id],
            "width": PREVIEW_SIZE[0],
            "height": PREVIEW_SIZE[1],
            "link": f"{_base(request)}/api/organisations/{id}",
        },
    )
