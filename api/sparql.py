"""The SPARQL 1.1 Protocol endpoint (``/sparql``), the Graph Store Protocol (``/store``,
indirect graph identification: ``?graph=<IRI>`` or ``?default``) and the query page
(``/query``).

Thin: the request is turned into a :class:`helixgraph.sparql.Job`, the library runs it in
a worker process (off the event loop, under a timeout that stops it), and its outcome is
turned into a response. Errors are plain text with a fitting status: 400 malformed
request or query (with the parser's line:column), 403 writes without the admin token or
refused ``SERVICE``/``LOAD``, 406 no acceptable format, 413 request too large, 415
unsupported media type, 422 result over the cap, 503 busy, 504 timed out.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from api.deps import ServiceDep, SettingsDep
from api.settings import Settings
from helixgraph.sparql import (
    FORMATS,
    STATUS,
    Job,
    NotAcceptable,
    Outcome,
    Service,
    negotiate,
    parse_accept,
)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
EXAMPLES = json.loads((HERE / "static" / "examples.json").read_text(encoding="utf-8"))

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def _respond(outcome: Outcome) -> Response:
    status = STATUS.get(outcome.status, 500)
    if outcome.status == "ok":
        return Response(outcome.body, media_type=outcome.media_type, headers={"Vary": "Accept"})
    if outcome.status == "updated":
        return Response(status_code=204)
    return _error(status, outcome.message)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body larger than {limit:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8: {exc}") from None


def _content_type(request: Request) -> tuple[str, str | None]:
    raw = request.headers.get("content-type", "")
    media_type, *params = (p.strip() for p in raw.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _params(request: Request, settings_limit: int) -> list[tuple[str, str]]:
    query_string = request.url.query
    if len(query_string) > settings_limit:
        raise ProtocolError(413, f"query string longer than {settings_limit:,} bytes")
    params = request.query_params.multi_items()  # parsed once already, by FastAPI
    if not any("\ufffd" in k or "\ufffd" in v for k, v in params):
        return params
    try:  # a replacement character: invalid UTF-8, or one sent as such
        return parse_qsl(query_string, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"query string is not valid UTF-8: {exc}") from None


def _one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise ProtocolError(400, f"more than one '{name}' parameter")
    return values[0] if values else None


def _all(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    return tuple(v for k, v in params if k == name)


def _token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _endpoint(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


def _wants_html(request: Request) -> bool:
    ranges = dict(parse_accept(request.headers.get("accept", "")))
    html = ranges.get("text/html", 0.0)
    return html > 0 and html >= max(
        [q for r, q in ranges.items() if r not in ("text/html", "application/xhtml+xml", "*/*")],
        default=0.0,
    )


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
            default_graphs=_all(params, "using-graph-uri"),
            named_graphs=_all(params, "using-named-graph-uri"),
            base_iri=_endpoint(request),
        )
        return _respond(await run_in_threadpool(service.update, job, _token(request)))
    assert query is not None
    job = Job(
        query,
        default_graphs=_all(params, "default-graph-uri"),
        named_graphs=_all(params, "named-graph-uri"),
        base_iri=_endpoint(request),
        accept=request.headers.get("accept"),
        format=",".join(_all(params, "format")) or None,
    )
    return _respond(await service.aquery(job))


def _state(request: Request) -> tuple[Service, Settings]:
    """The service and settings, read directly: solving them as FastAPI dependencies
    costs about 20 µs a request, a sixth of a cached answer's time in the app."""
    return request.app.state.service, request.app.state.settings


@router.get("/sparql", summary="SPARQL 1.1 query (GET), service description, or the query page")
async def sparql_get(request: Request) -> Response:
    service, settings = _state(request)
    try:
        params = _params(request, settings.max_request_bytes)
        if _one(params, "update") is not None:
            raise ProtocolError(400, "updates must be sent by POST, not GET")
        query = _one(params, "query")
        if query is None:
            if _wants_html(request):
                return query_page(request, service)
            fmt = ",".join(_all(params, "format")) or None
            return await service_description(request, service, fmt)
        return await _run(request, service, params, query, None)
    except ProtocolError as exc:
        return _error(exc.status, exc.message)


@router.post("/sparql", summary="SPARQL 1.1 query or update (POST)")
async def sparql_post(request: Request) -> Response:
    service, settings = _state(request)
    try:
        params = _params(request, settings.max_request_bytes)
        media_type, charset = _content_type(request)
        if charset not in (None, "utf-8", "utf8"):
            raise ProtocolError(415, f"charset={charset} is not supported: send UTF-8")
        body = await _read_body(request, settings.max_request_bytes)
        query = update = None
        if media_type == FORM:
            try:
                form = parse_qsl(_decode(body, "form body"), keep_blank_values=True)
            except ValueError as exc:
                raise ProtocolError(400, f"malformed form body: {exc}") from None
            params = params + form
            query, update = _one(params, "query"), _one(params, "update")
        elif media_type == QUERY:
            query = _decode(body, "query")
        elif media_type == UPDATE:
            update = _decode(body, "update")
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
        return _error(exc.status, exc.message)


# ------------------------------------------------------------------- service description

SD = """
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  dcterms:title "helixgraph SPARQL endpoint" ;
  dcterms:description "Triple-helix innovation ecosystems (MedTech, Groningen and Twente). \
The default graph is the union of all named graphs (one per source) unless the request \
names a dataset (default-graph-uri / named-graph-uri, or FROM / FROM NAMED)." ;
  sd:supportedLanguage sd:SPARQL11Query {update_language};
  sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
  sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML,
    formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV, formats:Turtle,
    formats:N-Triples, formats:JSON-LD, formats:RDF_XML, formats:N-Quads, formats:TriG ;
  sd:defaultDataset [
    a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ] {named}
  ] .
"""


async def service_description(request: Request, service: Service, fmt: str | None) -> Response:
    try:
        chosen, media_type = negotiate(request.headers.get("accept"), True, fmt)
    except NotAcceptable as exc:
        return _error(406, str(exc))
    graphs = await service.aquery(
        Job("SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g", format="json")
    )
    names: list[str] = []
    if graphs.status == "ok":
        rows = json.loads(graphs.body)["results"]["bindings"]
        names = [r["g"]["value"] for r in rows if r["g"]["type"] == "uri"]
    named = "".join(f";\n    sd:namedGraph [ a sd:NamedGraph ; sd:name <{n}> ]" for n in names)
    text = SD.format(
        endpoint=_endpoint(request),
        update_language=", sd:SPARQL11Update " if service.writable else "",
        named=named,
    )
    if not service.limits.allow_service:
        text = text.replace(", sd:BasicFederatedQuery", "")
    quads = ox.parse(text.encode(), ox.RdfFormat.TURTLE)
    body = ox.serialize(
        [q.triple for q in quads],
        format=chosen.ox_format,  # type: ignore[arg-type]
        prefixes={
            "sd": "http://www.w3.org/ns/sparql-service-description#",
            "formats": "http://www.w3.org/ns/formats/",
            "dcterms": "http://purl.org/dc/terms/",
        },
    )
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


# ---------------------------------------------------------------------------- query page


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


# ------------------------------------------------------------- graph store protocol (GSP)


def _graph_target(params: list[tuple[str, str]]) -> str | None:
    """``?graph=IRI`` -> the IRI, ``?default`` -> None (the default graph)."""
    graph = _one(params, "graph")
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
        params = _params(request, settings.max_request_bytes)
        graph = _graph_target(params)
        if not await _graph_exists(service, graph):
            return _error(404, f"no graph <{graph}>")
        where = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        job = Job(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}",
            accept=request.headers.get("accept"),
            format=",".join(_all(params, "format")) or None,
            named_graphs=(graph,) if graph else (),
            default_graphs=("urn:x-helixgraph:none",) if graph else (),
        )
        response = _respond(await service.aquery(job))
        if request.method == "HEAD":
            return Response(status_code=response.status_code, headers=dict(response.headers))
        return response
    except ProtocolError as exc:
        return _error(exc.status, exc.message)


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
        params = _params(request, settings.max_request_bytes)
        graph = _graph_target(params)
        if not service.writable:
            return _error(
                403,
                "this endpoint is read-only: writes need a server started "
                "with HELIXGRAPH_ADMIN_TOKEN",
            )
        if not service.authorised(_token(request)):
            return _error(403, "writes need a valid admin token (Authorization: Bearer ...)")
        existed = await _graph_exists(service, graph)
        target = "DEFAULT" if graph is None else f"GRAPH <{graph}>"
        if request.method == "DELETE":
            if not existed:
                return _error(404, f"no graph <{graph}>")
            update = f"DROP {target}"
        else:
            media_type, _ = _content_type(request)
            body = await _read_body(request, settings.max_request_bytes)
            data = _ntriples(body, media_type, graph)
            insert = (
                f"INSERT DATA {{ {data} }}"
                if graph is None
                else (f"INSERT DATA {{ GRAPH <{graph}> {{ {data} }} }}")
            )
            update = insert if request.method == "POST" else f"DROP SILENT {target} ; {insert}"
        outcome = await run_in_threadpool(service.update, Job(update), _token(request))
        if outcome.status == "updated" and request.method != "DELETE" and not existed:
            return Response(status_code=201)
        return _respond(outcome)
    except ProtocolError as exc:
        return _error(exc.status, exc.message)
