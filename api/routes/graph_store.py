"""The SPARQL 1.1 Graph Store Protocol (``/store``), indirect graph identification:
``?graph=<IRI>`` or ``?default``. Reads are open (``?default``: the merge of the named
graphs, each triple once); writes (PUT replaces, POST adds, DELETE drops) need the admin
token, as updates do, and go to named graphs only: the default graph is derived from them."""

from __future__ import annotations

import json

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from helixgraph.sparql import STATUS, Job, Service

from ..deps import ServiceDep, SettingsDep
from .sparql_protocol import (
    ProtocolError,
    all_of,
    content_type,
    error,
    one,
    params_of,
    read_body,
    respond,
    token,
)

router = APIRouter(tags=["sparql"])


def _graph_target(params: list[tuple[str, str]]) -> str | None:
    """``?graph=IRI`` -> the IRI, ``?default`` -> None (the default graph)."""
    graph = one(params, "graph")
    default = any(k == "default" for k, _ in params)
    if (graph is None) == (not default):
        raise ProtocolError(400, "name exactly one graph: ?graph=<IRI> or ?default")
    if graph is not None and not graph.strip():
        raise ProtocolError(400, "?graph= needs an IRI")
    return graph


async def _graph_exists(service: Service, graph: str | None) -> bool:
    if graph is None:
        return True
    ask = Job(f"ASK {{ GRAPH <{graph}> {{ }} }}", format="json")
    outcome = await service.aquery(ask)
    if outcome.status != "ok":
        raise ProtocolError(STATUS.get(outcome.status, 500), outcome.message)
    return bool(json.loads(outcome.body)["boolean"])


@router.api_route("/store", methods=["GET", "HEAD"], summary="Graph Store Protocol: read a graph")
async def graph_get(request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
    try:
        params = params_of(request, settings.max_request_bytes)
        graph = _graph_target(params)
        if not await _graph_exists(service, graph):
            return error(404, f"no graph <{graph}>")
        where = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        job = Job(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}",
            accept=request.headers.get("accept"),
            format=",".join(all_of(params, "format")) or None,
            named_graphs=(graph,) if graph else (),
            default_graphs=("urn:x-helixgraph:none",) if graph else (),
        )
        response = respond(await service.aquery(job))
        if request.method == "HEAD":
            return Response(status_code=response.status_code, headers=dict(response.headers))
        return response
    except ProtocolError as exc:
        return error(exc.status, exc.message)


def _ntriples(body: bytes, media_type: str, base: str | None) -> str:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ProtocolError(415, f"Content-Type {media_type or '(none)'} is not an RDF format")
    try:
        triples = [q.triple for q in ox.parse(body, fmt, base_iri=base)]
    except SyntaxError as exc:
        raise ProtocolError(400, f"cannot parse the {fmt.name} body: {exc}") from None
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return data.decode() if data else ""


@router.api_route(
    "/store",
    methods=["PUT", "POST", "DELETE"],
    summary="Graph Store Protocol: replace, add to or delete a graph (admin token)",
)
async def graph_write(request: Request, service: ServiceDep, settings: SettingsDep) -> Response:
    try:
        params = params_of(request, settings.max_request_bytes)
        graph = _graph_target(params)
        if not service.writable:
            return error(
                403,
                "this endpoint is read-only: writes need a server started "
                "with HELIXGRAPH_ADMIN_TOKEN",
            )
        if not service.authorised(token(request)):
            return error(403, "writes need a valid admin token (Authorization: Bearer ...)")
        if graph is None:
            refused = error(
                405,
                "the default graph is the merge of the named graphs, kept by helixgraph: "
                "write a named graph (?graph=<IRI>) instead",
            )
            refused.headers["Allow"] = "GET, HEAD"
            return refused
        existed = await _graph_exists(service, graph)
        target = "DEFAULT" if graph is None else f"GRAPH <{graph}>"
        if request.method == "DELETE":
            if not existed:
                return error(404, f"no graph <{graph}>")
            update = f"DROP {target}"
        else:
            media_type, _ = content_type(request)
            body = await read_body(request, settings.max_request_bytes)
            data = _ntriples(body, media_type, graph)
            insert = (
                f"INSERT DATA {{ {data} }}"
                if graph is None
                else (f"INSERT DATA {{ GRAPH <{graph}> {{ {data} }} }}")
            )
            update = insert if request.method == "POST" else f"DROP SILENT {target} ; {insert}"
        outcome = await run_in_threadpool(service.update, Job(update), token(request))
        if outcome.status == "updated" and request.method != "DELETE" and not existed:
            return Response(status_code=201)
        return respond(outcome)
    except ProtocolError as exc:
        return error(exc.status, exc.message)
