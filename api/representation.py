"""How a JSON resource is answered: validated by its model, given API links, trimmed to
``fields``, rendered as JSON or JSON-LD, cached and revalidated by ETag.

A new resource's routes use it through :func:`api.routes.resource_routes.add_resource`
(see :mod:`api.routes.organisations`); a route of another shape calls :func:`listing` or
:func:`respond` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from helixgraph.catalog import Page

from . import jsonld
from .etags import etag, not_modified, version_of
from .paging import Paging, envelope, sort_key
from .response_cache import ResponseCache
from .templating import root_path

HREF_BASE = {
    "organisation": "/api/organisations/",
    "person": "/api/people/",
    "initiative": "/api/initiatives/",
    "award": "/api/awards/",
    "place": "/api/regions/",
    "source": "/api/sources/",
}
ALWAYS = ("type", "id", "iri", "href")
responses = ResponseCache()


def fields_query(model: type[BaseModel]) -> Any:
    """A ``fields`` parameter whose values are ``model``'s field names (repeat it for more)."""
    names = tuple(n for n in model.model_fields if n not in ALWAYS)
    return Annotated[
        list[Literal[names]] | None,  # type: ignore[valid-type]
        Query(
            description="Fields to return, e.g. `?fields=label&fields=kinds` "
            "(type, id, iri and href always are); all when absent"
        ),
    ]


def parse_fields(fields: list[str] | None) -> set[str] | None:
    return set(fields) | set(ALWAYS) if fields else None


def add_hrefs(data: Any, root: str = "") -> Any:
    """Give every node reference (a dict with a known ``type`` and ``id``) its API link,
    under ``root`` (the path the app is served under, :func:`api.templating.root_path`)."""
    if isinstance(data, dict):
        for value in data.values():
            add_hrefs(value, root)
        base = HREF_BASE.get(data.get("type", "")) if isinstance(data.get("type"), str) else None
        if base and isinstance(data.get("id"), str):
            data["href"] = root + base + data["id"]
    elif isinstance(data, list):
        for value in data:
            add_hrefs(value, root)
    return data


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
    """A list route's answer: ``fetch(store, page, **filters)`` (``page`` a
    :class:`helixgraph.catalog.Page`) in the paging :func:`envelope`, validated by
    ``model``, trimmed to ``fields``."""
    key, descending = sort_key(sort)

    def page() -> dict[str, Any]:
        wanted = Page(key, descending, paging.limit, paging.offset)
        total, items = fetch(store, wanted, **filters)
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
    if hit is None:
        with responses.flight(key):  # the same answer asked meanwhile: rendered once
            hit = responses.get(key)
            if hit is None:
                response = _render(request, build, model, fields, list_items, variant, headers)
                responses.put(key, bytes(response.body), response.media_type or "application/json")
                return response
    return Response(hit[0], headers=headers, media_type=hit[1])


def _render(
    request: Request,
    build: Callable[[], dict[str, Any]],
    model: type[BaseModel],
    fields: set[str] | None,
    list_items: bool,
    variant: str,
    headers: dict[str, str],
) -> JSONResponse:
    data = model.model_validate(add_hrefs(build(), root_path(request))).model_dump(mode="json")
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
