"""Interactive network maps: ``/map`` (page), ``/map/embed`` (for an iframe), ``/map/data``
(its compact JSON, drawn with WebGL by sigma.js: ``api/static/bundles/map.js``),
``/map/node/{id}`` (one organisation's metrics and brokerage roles in the view),
``/map/export/{format}`` (downloads), ``/map/compare`` (two regions side by side, with
their figures) and ``/map/lib/{asset}`` (vis-network for the standalone HTML export).

Every view is a permalink: its filters are its query string (see
:class:`helixgraph.maps.MapOptions`, read by :data:`api.deps.MapOptionsDep`). The work
lives in :mod:`helixgraph.maps`; a view's centralities, communities and brokerage are
computed in the analytics workers (:data:`api.deps.JobsDep`): until they are there,
``/map/data`` and the exports answer 503 with ``Retry-After`` and the page says so and
reloads itself.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse
from starlette.concurrency import run_in_threadpool

from helixgraph import network
from helixgraph.analytics.jobs import Busy, Pending, Ready
from helixgraph.maps import MapError, MapOptions, build_view, export, prerender
from helixgraph.maps import options as mopts
from helixgraph.maps.base import Base, Shared, bases
from helixgraph.maps.compare import figures
from helixgraph.maps.facts import CATEGORIES
from helixgraph.maps.render import ASSETS, SHAPE_NAMES, standalone_html
from helixgraph.maps.view import resolve
from helixgraph.maps.webdata import payload
from helixgraph.vocab.namespace import SLUG

from ..deps import (
    NOT_YET,
    PENDING,
    JobsDep,
    MapOptionsDep,
    StoreJobs,
    computing_problem,
    get_jobs,
    get_map_options,
    map_error,
)
from ..etags import etag, not_modified
from ..problems import COMPUTE_ERRORS, ProblemDetail, ProblemRoute
from ..response_cache import Compressed, ResponseCache, accepts_gzip
from ..templating import templates

router = APIRouter(prefix="/map", route_class=ProblemRoute, tags=["maps"], responses=COMPUTE_ERRORS)

# the pages load nothing but their own origin's files; any page may frame them
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors *"
)
EXPORTS = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "nodes.csv": ("text/csv; charset=utf-8", "nodes.csv"),
    "edges.csv": ("text/csv; charset=utf-8", "edges.csv"),
    "json": ("application/json", "json"),
    "html": ("text/html; charset=utf-8", "html"),
}
PRESETS: tuple[tuple[str, list[tuple[str, str]]], ...] = (
    ("Whole ecosystem", []),
    ("Northern Netherlands", [("region", "noord-nederland")]),
    ("Twente", [("region", "twente")]),
    ("Brokers", [("brokers", "betweenness"), ("size", "betweenness")]),
    ("Communities", [("color", "community")]),
    ("Funding flows", [("relation", "funding"), ("size", "strength")]),
    ("UMCG and its partners", [("ego", "umcg"), ("hops", "1")]),
    (
        "Firms and knowledge institutions",
        [("kind", "firm"), ("kind", "knowledge"), ("kind", "hospital")],
    ),
)


def _base(jobs: StoreJobs, filters: network.Filters) -> Base:
    """The view's projections, built in the analytics workers (precomputed with the build
    for the default views): 503 until they are there."""
    found = bases.acquire(jobs.store, filters, jobs.computations, jobs.target, jobs.version)
    if isinstance(found, Base):
        return found
    if isinstance(found, Ready):  # not an answer acquire gives; for the type checker
        raise ProblemDetail(500, "Internal Server Error", "the map's network is unreadable")
    raise computing_problem(found, "the map's network")


def _view(jobs: StoreJobs, options: MapOptions) -> Any:
    """The view with its centralities; a 503 problem while they (or its projections) are
    being computed in the workers."""
    # the centralities first: while they are computed the answer is a 503 at once, without
    # loading the view's network (the whole graph's: seconds of unpickling in this process)
    metrics = jobs.map(options.filters)
    base = _base(jobs, options.filters)
    try:
        return build_view(jobs.store, options, metrics, base)
    except MapError as exc:
        raise map_error(exc) from None
    except network.ProjectionError as exc:
        raise ProblemDetail(422, "Invalid parameters", str(exc)) from None


def _query(params: list[tuple[str, str]]) -> str:
    return ("?" + urlencode(params)) if params else ""


_EMBEDDED: OrderedDict[tuple[str, str], tuple[dict[str, Any], str]] = OrderedDict()
_EMBEDDED_LOCK = threading.Lock()
EMBEDDED_KEPT = 8  # pages' embedded payloads kept (a few MB each)


def _embedded(raw: bytes, key: tuple[str, str], keep: bool) -> tuple[dict[str, Any], str]:
    """What a map page embeds of a rendered payload: the few fields its text shows and the
    payload escaped for a ``<script type="application/json">`` (no ``</script`` and no
    markup). Parsing and escaping a payload of several MB held the web process's GIL for
    tens of ms a page, so it is done once per graph version and view (``keep``: not a
    view drawn early, which changes)."""
    with _EMBEDDED_LOCK:
        found = _EMBEDDED.get(key)
        if found is not None:
            _EMBEDDED.move_to_end(key)
            return found
    body = raw.decode("utf-8")
    full = json.loads(body)
    ego = full.get("ego")
    labels = full.get("nodes", {}).get("label")
    shown = {
        "counts": full.get("counts", {}),
        "ego": ego,
        "nodes": {"label": {ego: labels[ego]} if ego is not None and labels else {}},
        "version": full.get("version"),
        "reduction_text": full.get("reduction_text"),
        "notices": full.get("notices", []),
    }
    escaped = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if keep:
        with _EMBEDDED_LOCK:
            _EMBEDDED[key] = (shown, escaped)
            while len(_EMBEDDED) > EMBEDDED_KEPT:
                _EMBEDDED.popitem(last=False)
    return shown, escaped


def _page(request: Request, jobs: StoreJobs, embed: bool) -> Response:
    """The page, rendered once per graph version, base URL and view and kept (with its
    gzip, :data:`GZIPPED`) once it is complete: a repeated request sends the kept bytes."""
    variant = f"{'map-embed' if embed else 'map'}|{request.base_url}{_query(_view_params(request))}"
    key = (jobs.version, "map-page", variant)
    tag = etag(jobs.version, variant)
    if not_modified(request, tag):
        return Response(status_code=304, headers={"ETag": tag, "Vary": "Accept-Encoding"})
    hit = PAGES.get(key)
    if hit is None:
        response, complete = _render_page(request, jobs, embed)
        if not complete:
            return response
        PAGES.put(key, bytes(response.body), response.media_type or "text/html")
        hit = (bytes(response.body), response.media_type or "text/html")
    headers = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache", "ETag": tag}
    return _send(request, key, hit[0], "text/html; charset=utf-8", headers)


def _view_params(request: Request) -> list[tuple[str, str]]:
    """The view's query string as given (a page's key: ``embed`` included)."""
    return sorted(request.query_params.multi_items())


def _send(
    request: Request, key: tuple[str, str, str], body: bytes, media: str, headers: dict[str, str]
) -> Response:
    """``body`` (the complete answer of ``key``) as is, or its gzip compressed once
    (:data:`GZIPPED`) to a client that accepts gzip; ``Vary: Accept-Encoding`` either way."""
    headers = {**headers, "Vary": "Accept-Encoding"}
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        headers["Content-Encoding"] = "gzip"  # GZipMiddleware leaves an encoded answer be
        return Response(GZIPPED.get(key, body, media), media_type=media, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _render_page(request: Request, jobs: StoreJobs, embed: bool) -> tuple[HTMLResponse, bool]:
    """The page rendered now, and whether it is complete (the view with its centralities,
    the places of the form known: the same for every request of this key)."""
    options: MapOptions | None = None
    error: str | None = None
    data: dict[str, Any] | None = None
    data_json = ""
    early = False
    status = 200
    computing: ProblemDetail | None = None
    try:
        options = MapOptions.from_params(request.query_params.multi_items())
        raw, early = _rendered(jobs, options)
        data, data_json = _embedded(raw, (jobs.version, str(options.to_params())), not early)
    except (MapError, network.ProjectionError) as exc:
        error, status = str(exc), 422
    except ProblemDetail as exc:  # being computed (202: accepted), or failed: say so, reload
        computing, status = exc, 202 if exc.title == PENDING else exc.status
    params = options.to_params() if options else []
    query = _query(params)
    base = str(request.base_url).rstrip("/")
    facts = bases.shared(jobs.store, jobs.computations, jobs.target, jobs.version)
    places = facts.facts.places if isinstance(facts, Shared) else {}  # else the next load
    complete = status == 200 and not early and data is not None and isinstance(facts, Shared)
    context = {
        "data": data,
        "data_json": data_json,
        "error": error,
        "computing": computing,
        "o": options or MapOptions(),
        "query": query,
        "permalink": f"{base}/map{query}",
        "embed_url": f"{base}/map/embed{query}",
        "embed_code": f'<iframe src="{base}/map/embed{query}" width="800" height="600" '
        'title="helixgraph map"></iframe>',
        "exports": [(name, f"/map/export/{name}{query}") for name in EXPORTS],
        "presets": [(name, "/map" + _query(p)) for name, p in PRESETS],
        "places": sorted(places.items(), key=lambda kv: kv[1]),
        "helices": network.HELICES,
        "categories": [(c, SHAPE_NAMES[c]) for c in CATEGORIES],
        "relations": mopts.RELATIONS,
        "sizes": mopts.SIZE_BY,
        "colors": mopts.COLOR_BY,
        "brokers": mopts.BROKERS,
        "reduces": mopts.REDUCE,
        "max_hops": mopts.MAX_HOPS,
    }
    name = "map_embed.html" if embed else "map.html"
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers["Content-Security-Policy"] = CSP
    if computing is not None and computing.headers:
        response.headers.update(computing.headers)
    elif early:  # drawn by degree meanwhile: complete once the centralities are there
        response.headers["Retry-After"] = "5"
        response.headers["Refresh"] = "10"
    return response, complete


@router.get("", response_class=HTMLResponse, summary="The interactive map (HTML)")
def map_page(request: Request, jobs: JobsDep) -> Response:
    """The map with its controls; ``embed=1`` gives the frameable map alone."""
    embed = request.query_params.get("embed", "") in ("1", "true", "yes")
    return _page(request, jobs, embed)


@router.get("/embed", response_class=HTMLResponse, summary="The map alone, for an iframe")
def map_embed(request: Request, jobs: JobsDep) -> Response:
    return _page(request, jobs, True)


@router.get("/compare", response_class=HTMLResponse, summary="Two regions side by side")
def map_compare(request: Request, jobs: JobsDep) -> HTMLResponse:
    """Two regions' maps (``left``, ``right``: place ids) and their figures side by side:
    organisations by helix, density, E-I index, T(UIG), top brokers, funding by helix."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("left", "right")]
    left = request.query_params.get("left", "noord-nederland")
    right = request.query_params.get("right", "twente")
    shared = bases.shared(jobs.store, jobs.computations, jobs.target, jobs.version)
    places = shared.facts.places if isinstance(shared, Shared) else {}  # else the next load
    panels, computing, status = [], None, 200
    for place in (left, right):
        if not SLUG.fullmatch(place):
            raise ProblemDetail(
                422, "Invalid parameters", f"left/right: {place!r} is not a place id"
            )
        name = places.get(place, place)
        src = "/map/embed" + _query([*params, ("region", place)])
        try:
            figs = _figures(jobs, place, name)
        except ProblemDetail as exc:  # being computed: say so, reload
            figs, computing, status = None, exc, 202 if exc.title == PENDING else exc.status
        panels.append({"place": place, "name": name, "src": src, "figures": figs})
    context = {
        "panels": panels,
        "computing": computing,
        "places": sorted(places.items(), key=lambda kv: kv[1]),
        "left": left,
        "right": right,
    }
    response = templates.TemplateResponse(request, "map_compare.html", context, status_code=status)
    response.headers["Content-Security-Policy"] = CSP
    if computing is not None and computing.headers:
        response.headers.update(computing.headers)
    return response


def _figures(jobs: StoreJobs, place: str, name: str) -> dict[str, Any]:
    filters = network.Filters(region=place)
    metrics = jobs.map(filters)
    helix = jobs.metrics("helix", filters, triad_limit=100)
    funding = jobs.metrics("funding", filters)
    return figures(place, name, _base(jobs, filters), metrics, helix, funding)


@router.get("/node/{ident}", summary="One organisation's metrics and brokerage roles in a map view")
def map_node(ident: str, jobs: JobsDep, options: MapOptionsDep) -> dict[str, Any]:
    """Centralities, community and Gould--Fernandez roles of one organisation (an id such
    as ``umcg`` or an IRI) in the network of the view's filters -- what the map's side
    panel shows beside the organisation's record (``/api/organisations/{id}``)."""
    metrics = jobs.map(options.filters)
    base = _base(jobs, options.filters)
    node = resolve(base.collaboration, ident)
    if node is None:
        raise ProblemDetail(404, "Not Found", f"no organisation {ident!r} in this view's network")
    raw = metrics["brokerage"].get("nodes", {}).get(node, {}).get("raw", {})
    return {
        "id": base.collaboration.nodes[node].get("id", ident),
        "iri": node,
        "label": base.collaboration.nodes[node].get("label", ident),
        "metrics": metrics["centrality"].get(node, {}),
        "community": metrics["communities"]["membership"].get(node),
        "brokerage": {k: n for k, n in raw.items()},
        "degree": base.collaboration.degree(node),
        "version": jobs.version,
    }


@router.get("/data", summary="The map's nodes, edges, legend and reduction (JSON)")
def map_data(request: Request, jobs: JobsDep, options: MapOptionsDep) -> Response:
    """Compact columnar nodes and edges with server-side positions and years, the
    legend, brokers, an ego's ranked neighbours, the funding summary and what the server
    left out (see :mod:`helixgraph.maps.webdata`); same parameters as ``/map``."""
    tag = etag(jobs.version, "map-data" + _query(options.to_params()))
    if not_modified(request, tag):
        return Response(status_code=304, headers={"ETag": tag})
    body, early = _rendered(jobs, options)
    if early:  # drawn before its centralities: not the view's last word, so no validator
        headers = {"Cache-Control": "no-store", "Retry-After": "5"}
        return Response(body, media_type="application/json", headers=headers)
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    key = (jobs.version, "map-data", _query(options.to_params()))
    return _send(request, key, body, "application/json", headers)


def _rendered(jobs: StoreJobs, options: MapOptions) -> tuple[bytes, bool]:
    """The view's payload as JSON, and whether it is provisional (:func:`_view`): rendered
    once per graph version and view (the default views by the build's precompute,
    :mod:`helixgraph.maps.prerender`) and kept; one rendering per view at a time."""
    key = (jobs.version, "map-data", _query(options.to_params()))
    hit = RENDERED.get(key)
    if hit is not None:
        return hit[0], False
    with _rendering(key):
        hit = RENDERED.get(key)
        if hit is not None:
            return hit[0], False
        if options == MapOptions(filters=options.filters):  # a default styling: rendered ahead?
            cache = str(jobs.computations.cache.root)
            task = prerender.task(jobs.target, jobs.version, cache, options.filters)
            ahead = jobs.computations.lookup(task)
            if isinstance(ahead, bytes):
                RENDERED.put(key, ahead, "application/json")
                return ahead, False
        early = EARLY.get(key)
        if early is not None and _still_pending(jobs, options):
            return early[0], True  # drawn early already, and still being computed
        try:
            view = _view(jobs, options)
        except ProblemDetail as exc:  # being computed: drawn early meanwhile, in a worker
            if exc.title not in NOT_YET:
                raise
            cache = str(jobs.computations.cache.root)
            task = prerender.early_task(jobs.target, jobs.version, cache, options)
            answer = jobs.computations.get(task)
            if not isinstance(answer, Ready):
                raise exc from None  # not even that yet: say so at once, with Retry-After
            EARLY.put(key, answer.result, "application/json")
            return answer.result, True
        body = prerender.encode(payload(view))
        RENDERED.put(key, body, "application/json")
        return body, False


def _still_pending(jobs: StoreJobs, options: MapOptions) -> bool:
    """Whether the view's centralities are still being computed (not ready, not failed)."""
    task = jobs.computations.map_task(jobs.target, jobs.version, options.filters)
    return isinstance(jobs.computations.get(task), (Pending, Busy))


RENDERED = ResponseCache(64 * 1024 * 1024)  # /map/data bodies by graph version and view
PAGES = ResponseCache(64 * 1024 * 1024)  # complete /map and /map/embed pages, the same
GZIPPED = Compressed(48 * 1024 * 1024)  # both, compressed once
EARLY = ResponseCache(16 * 1024 * 1024)  # those drawn before their centralities, meanwhile
_render_locks: dict[tuple[str, str, str], threading.Lock] = {}
_render_guard = threading.Lock()


@contextmanager
def _rendering(key: tuple[str, str, str]) -> Iterator[None]:
    with _render_guard:
        lock = _render_locks.setdefault(key, threading.Lock())
    with lock:
        yield
    with _render_guard:
        if len(_render_locks) > 256:
            _render_locks.clear()


@router.get("/export/{fmt}", summary="Download the map's network: GraphML, GEXF, CSV, JSON, HTML")
async def map_export(fmt: str, request: Request) -> Response:
    """``graphml``/``gexf`` for Gephi, ``nodes.csv``/``edges.csv``, node-link ``json`` or a
    standalone ``html`` map, with the map's filters. Exports are not reduced unless
    ``max_nodes`` is given."""
    if fmt not in EXPORTS:
        raise ProblemDetail(404, "Not Found", f"no export format {fmt!r}: try {', '.join(EXPORTS)}")
    options = await get_map_options(request)  # after the format: an unknown one is a 404
    if "max_nodes" not in request.query_params:
        options = options.with_(max_nodes=0, max_edges=0)
    jobs = await run_in_threadpool(get_jobs, request)
    view = await run_in_threadpool(_view, jobs, options)
    writers = {
        "graphml": lambda: export.graphml(view.graph),
        "gexf": lambda: export.gexf(view.graph),
        "nodes.csv": lambda: export.nodes_csv(view.graph),
        "edges.csv": lambda: export.edges_csv(view.graph),
        "json": lambda: export.node_link(view.graph),
        "html": lambda: standalone_html(view),
    }
    body = await run_in_threadpool(writers[fmt])
    media, ext = EXPORTS[fmt]
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="helixgraph-map.{ext}"'},
    )


@router.get("/lib/{name}", include_in_schema=False)
def map_asset(name: str) -> FileResponse:
    """vis-network (from the installed pyvis package) and the map's own script and style."""
    if name not in ASSETS:
        raise ProblemDetail(404, "Not Found", f"no map asset {name!r}")
    media = "text/javascript" if name.endswith(".js") else "text/css"
    return FileResponse(
        ASSETS[name], media_type=media, headers={"Cache-Control": "public, max-age=3600"}
    )
