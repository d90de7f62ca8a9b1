"""The SPARQL 1.1 Protocol endpoint (``/sparql``): queries by GET or POST, updates by POST.

Thin: the request is turned into a :class:`helixgraph.sparql.Job`, the library runs it in
a worker process (off the event loop, under a timeout that stops it), and its outcome is
turned into a response. Errors are plain text with a fitting status: 400 malformed
request or query (with the parser's line:column), 403 writes without the admin token or
refused ``SERVICE``/``LOAD``, 406 no acceptable format, 413 request too large, 415
unsupported media type, 422 result over the cap, 503 busy, 504 timed out. Without a
query, ``GET /sparql`` answers with the query page (to a browser) or the service
description.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from helixgraph.sparql import Job, Service
from helixgraph.sparql.prefixes import PREDECLARED

from ..settings import Settings
from .query_page import query_page
from .service_description import service_description
from .sparql_protocol import (
    FORM,
    QUERY,
    UPDATE,
    PlainRoute,
    ProtocolError,
    all_of,
    content_type,
    decode,
    endpoint,
    error,
    one,
    params_of,
    read_body,
    respond,
    token,
    wants_html,
)

router = APIRouter(tags=["sparql"], route_class=PlainRoute)


async def _run(
    request: Request,
    service: Service,
    params: list[tuple[str, str]],
    query: str | None,
    update: str | None,
) -> Response:
    if query is not None and update is not None:
        raise ProtocolError(400, "a request carries either 'query' or 'update', not both")
    if query is None and update is None:
        raise ProtocolError(400, "missing 'query' or 'update'")
    if update is not None:
        job = Job(
            update,
            update=True,
            default_graphs=all_of(params, "using-graph-uri"),
            named_graphs=all_of(params, "using-named-graph-uri"),
            base_iri=endpoint(request),
            prefixes=PREDECLARED,
        )
        return respond(await run_in_threadpool(service.update, job, token(request)))
    assert query is not None
    job = Job(
        query,
        default_graphs=all_of(params, "default-graph-uri"),
        named_graphs=all_of(params, "named-graph-uri"),
        base_iri=endpoint(request),
        accept=request.headers.get("accept"),
        format=",".join(all_of(params, "format")) or None,
        prefixes=PREDECLARED,
    )
    return respond(await service.aquery(job))


def _state(request: Request) -> tuple[Service, Settings]:
    """The service and settings, read directly (see :class:`PlainRoute`)."""
    return request.app.state.service, request.app.state.settings


@router.get("/sparql", summary="SPARQL 1.1 query (GET), service description, or the query page")
async def sparql_get(request: Request) -> Response:
    service, settings = _state(request)
    try:
        params = params_of(request, settings.max_request_bytes)
        if one(params, "update") is not None:
            raise ProtocolError(400, "updates must be sent by POST, not GET")
        query = one(params, "query")
        if query is None:
            if wants_html(request):
                return query_page(request, service)
            fmt = ",".join(all_of(params, "format")) or None
            return await service_description(request, service, fmt)
        return await _run(request, service, params, query, None)
    except ProtocolError as exc:
        return error(exc.status, exc.message)


@router.post("/sparql", summary="SPARQL 1.1 query or update (POST)")
async def sparql_post(request: Request) -> Response:
    service, settings = _state(request)
    try:
        params = params_of(request, settings.max_request_bytes)
        media_type, charset = content_type(request)
        if charset not in (None, "utf-8", "utf8"):
            raise ProtocolError(415, f"charset={charset} is not supported: send UTF-8")
        body = await read_body(request, settings.max_request_bytes)
        query = update = None
        if media_type == FORM:
            try:
                form = parse_qsl(decode(body, "form body"), keep_blank_values=True)
            except ValueError as exc:
                raise ProtocolError(400, f"malformed form body: {exc}") from None
            params = params + form
            query, update = one(params, "query"), one(params, "update")
        elif media_type == QUERY:
            query = decode(body, "query")
        elif media_type == UPDATE:
            update = decode(body, "update")
        else:
            raise ProtocolError(
                415,
                f"Content-Type {media_type or '(none)'} is not accepted: send "
                f"{FORM}, {QUERY} or {UPDATE}",
            )
        if media_type != FORM and ("query" in dict(params) or "update" in dict(params)):
            raise ProtocolError(400, "the query or update goes in the body, not also in the URL")
        return await _run(request, service, params, query, update)
    except ProtocolError as exc:
        return error(exc.status, exc.message)
