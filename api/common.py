"""Conventions every JSON resource follows: problem+json errors, paging, fields, ETags.

Reuse them in a new router::

    router = APIRouter(prefix="/api/things", route_class=ProblemRoute)

    @router.get("", response_model=ThingPage, responses=ERRORS)
    def things(request: Request, store: StoreDep, paging: PagingDep, fields: FieldsDep):
        return respond(request, store, lambda: envelope(request, paging, *list_things(...)),
                       ThingPage, fields=fields, item_model=Thing)
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import Depends, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel

from api import jsonld
from api.schemas import Problem
from helixgraph.catalog import UnknownId, graph_version
from helixgraph.store.remote import RemoteStore

PROBLEM = "application/problem+json"
REVISION = "1"  # bump when a representation changes for the same graph
MAX_LIMIT = 200
HREF_BASE = {
    "organisation": "/api/organisations/",
    "person": "/api/people/",
    "initiative": "/api/initiatives/",
    "award": "/api/awards/",
    "place": "/api/regions/",
    "source": "/api/sources/",
}


class ProblemDetail(Exception):
    """Raise to answer with an RFC 9457 problem document."""

    def __init__(
        self, status: int, title: str, detail: str, errors: list[dict[str, Any]] | None = None
    ):
        self.status, self.title, self.detail, self.errors = status, title, detail, errors
        super().__init__(detail)


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    body = Problem(
        type="about:blank",
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]


class ProblemRoute(APIRoute):
    """A route whose errors are problem+json: 422 bad parameters, 404 unknown ids."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                errors = _validation_errors(exc)
                where = ", ".join(".".join(e["loc"]) + ": " + e["msg"] for e in errors)
                return problem(request, 422, "Invalid parameters", where, errors)
            except UnknownId as exc:
                if exc.param:
                    return problem(
                        request,
                        422,
                        "Invalid parameters",
                        f"{exc.param}: {exc}",
                        [{"loc": ["query", exc.param], "msg": str(exc), "type": "unknown_id"}],
                    )
                return problem(request, 404, "Not Found", str(exc))
            except ProblemDetail as exc:
                return problem(request, exc.status, exc.title, exc.detail, exc.errors)
            except HTTPException as exc:
                return problem(request, exc.status_code, "Error", str(exc.detail))

        return route


PROBLEM_RESPONSE: dict[str, Any] = {
    "model": Problem,
    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {**PROBLEM_RESPONSE, "description": "No resource with this id"},
    422: {**PROBLEM_RESPONSE, "description": "A parameter is malformed or names nothing"},
}
LIST_ERRORS: dict[int | str, dict[str, Any]] = {422: ERRORS[422]}


# ---------------------------------------------------------------- store and version

# the last few stores and their versions; holding a store keeps its id from being reused
# by the store a rebuild opens next
_versions: OrderedDict[int, tuple[ox.Store, str]] = OrderedDict()
_versions_lock = threading.Lock()


def version_of(store: ox.Store) -> str:
    if isinstance(store, RemoteStore):  # the server's graphs change under a running API
        return store.version()
    with _versions_lock:
        entry = _versions.get(id(store))
        if entry is None or entry[0] is not store:
            entry = _versions[id(store)] = (store, graph_version(store))
            while len(_versions) > 4:
                _versions.popitem(last=False)
        return entry[1]


# ---------------------------------------------------------------- paging and fields


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


async def get_paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(get_paging)]

ALWAYS = ("type", "id", "iri", "href")


def fields_query(model: type[BaseModel]) -> Any:
    """A ``fields`` parameter whose values are ``model``'s field names (repeat it for more)."""
    names = tuple(n for n in model.model_fields if n not in ALWAYS)
    return Annotated[
        list[Literal[names]] | None,  # type: ignore[valid-type]
        Query(description="Fields to return, e.g. `?fields=label&fields=kinds` "
              "(type, id, iri and href always are); all when absent"),
    ]


def parse_fields(fields: list[str] | None) -> set[str] | None:
    return set(fields) | set(ALWAYS) if fields else None


def sort_key(sort: str) -> tuple[str, bool]:
    """``-label`` → (``label``, descending)."""
    return (sort[1:], True) if sort.startswith("-") else (sort, False)


def envelope(
    request: Request, paging: Paging, total: int, items: list[dict[str, Any]]
) -> dict[str, Any]:
    """The page of a list: its items, the total count and links to its neighbours."""

    def at(offset: int) -> str:
        return str(request.url.include_query_params(offset=offset, limit=paging.limit))

    last = max(0, (total - 1) // paging.limit * paging.limit)
    return {
        "total": total,
        "limit": paging.limit,
        "offset": paging.offset,
        "items": items,
        "links": {
            "self": str(request.url),
            "first": at(0),
            "last": at(last),
            "next": at(paging.offset + paging.limit)
            if paging.offset + paging.limit < total
            else None,
            "prev": at(max(0, paging.offset - paging.limit)) if paging.offset > 0 else None,
        },
    }


def add_hrefs(data: Any) -> Any:
    """Give every node reference (a dict with a known ``type`` and ``id``) its API link."""
    if isinstance(data, dict):
        for value in data.values():
            add_hrefs(value)
        base = HREF_BASE.get(data.get("type", "")) if isinstance(data.get("type"), str) else None
        if base and isinstance(data.get("id"), str):
            data["href"] = base + data["id"]
    elif isinstance(data, list):
        for value in data:
            add_hrefs(value)
    return data


# ---------------------------------------------------------------- responses


def etag(version: str, variant: str) -> str:
    digest = hashlib.sha1(f"{version}|{REVISION}|{variant}".encode()).hexdigest()[:20]
    return f'"{digest}"'


def not_modified(request: Request, tag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    candidates = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in candidates or tag in candidates


class ResponseCache:
    """The rendered bodies of recent JSON answers, at most ``budget`` bytes, keyed by
    graph version, variant and full URL (links in a body name the URL): a repeated
    request costs a lookup, not a query and a validation."""

    def __init__(self, budget: int = 32 * 1024 * 1024) -> None:
        self.budget = budget
        self.used = 0
        self.entries: OrderedDict[tuple[str, str, str], tuple[bytes, str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> tuple[bytes, str] | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
            return hit

    def put(self, key: tuple[str, str, str], body: bytes, media_type: str) -> None:
        if len(body) > self.budget // 16:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.used += len(body) - (len(old[0]) if old else 0)
            self.entries[key] = (body, media_type)
            while self.used > self.budget:
                _, (dropped, _) = self.entries.popitem(last=False)
                self.used -= len(dropped)


responses = ResponseCache()


def listing(
    request: Request,
    store: ox.Store,
    paging: Paging,
    model: type[BaseModel],
    fields: list[str] | None,
    sort: str,
    fetch: Callable[..., tuple[int, list[dict[str, Any]]]],
    **filters: Any,
) -> Response:
    """A list route's answer: ``fetch(store, **filters, sort=, descending=, limit=,
    offset=)`` in the paging :func:`envelope`, validated by ``model``, trimmed to ``fields``."""
    key, descending = sort_key(sort)

    def page() -> dict[str, Any]:
        total, items = fetch(
            store,
            sort=key,
            descending=descending,
            limit=paging.limit,
            offset=paging.offset,
            **filters,
        )
        return envelope(request, paging, total, items)

    return respond(request, store, page, model, fields=parse_fields(fields), list_items=True)


def respond(
    request: Request,
    store: ox.Store,
    build: Callable[[], dict[str, Any]],
    model: type[BaseModel],
    *,
    fields: set[str] | None = None,
    list_items: bool = False,
) -> Response:
    """Validate, trim to ``fields``, render JSON or JSON-LD, with ETag revalidation."""
    variant = "jsonld" if jsonld.wanted(request.headers.get("accept")) else "json"
    tag = etag(version_of(store), variant)
    headers = {"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept"}
    if not_modified(request, tag):
        return Response(status_code=304, headers=headers)
    key = (tag, variant, str(request.url))
    hit = responses.get(key)
    if hit is not None:
        return Response(hit[0], headers=headers, media_type=hit[1])
    response = _render(request, build, model, fields, list_items, variant, headers)
    responses.put(key, bytes(response.body), response.media_type or "application/json")
    return response


def _render(
    request: Request,
    build: Callable[[], dict[str, Any]],
    model: type[BaseModel],
    fields: set[str] | None,
    list_items: bool,
    variant: str,
    headers: dict[str, str],
) -> JSONResponse:
    data = model.model_validate(add_hrefs(build())).model_dump(mode="json")
    if fields is not None:
        if list_items:
            data["items"] = [
                {k: v for k, v in item.items() if k in fields} for item in data["items"]
            ]
        else:
            data = {k: v for k, v in data.items() if k in fields}
    if variant == "jsonld":
        return JSONResponse(
            jsonld.document(request, data, model.__name__),
            headers=headers,
            media_type=jsonld.MEDIA_TYPE,
        )
    return JSONResponse(data, headers=headers)
