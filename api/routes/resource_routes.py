"""The two routes of a JSON resource, built from its description: the list
(``GET /api/<things>``: its filters, ``sort``, paging, ``fields``) and the record
(``GET /api/<things>/{id}``: ``fields``).

A resource module (:mod:`.organisations`, :mod:`.people`, …) states only what is its own:
the filters, as the keyword parameters of a function that does nothing else (they become
the list's query parameters and the catalog list's keywords), the sort fields (the
catalog's ``SORT_KEYS``), the models, the words of the documentation and the catalog calls::

    def filters(q: Search = None, source: SourceFilter = None) -> None:
        \"\"\"The list's filters: the keywords of :func:`list_things`.\"\"\"

    add_resource(router, "/things", ["things"], ListRoute(...), RecordRoute(...))
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from ..deps import StoreDep
from ..paging import Paging, PagingDep
from ..representation import fields_query, listing, parse_fields, respond
from .resource_params import Id, SortDoc, ok, ok_list

Json = dict[str, Any]
P = inspect.Parameter


@dataclass(frozen=True)
class ListRoute:
    """``GET <path>``: one page of the resource's list."""

    name: str  # the endpoint's name, so part of its OpenAPI operation id
    summary: str
    note: str  # what the 200 answer is
    page_model: type[BaseModel]
    item_model: type[BaseModel]  # its fields are the values of ``fields``
    fetch: Callable[..., tuple[int, list[Json]]]  # fetch(store, page, **filters)
    filters: Callable[..., None]  # its keyword parameters are the filters
    sort_fields: Collection[str]  # each also with a leading '-' (descending)
    default_sort: str


@dataclass(frozen=True)
class RecordRoute:
    """``GET <path>/{id}``: one node's record."""

    name: str
    summary: str
    note: str
    model: type[BaseModel]
    fetch: Callable[[ox.Store, str], Json]


def add_resource(
    router: APIRouter, path: str, tags: list[str], listed: ListRoute, record: RecordRoute
) -> None:
    """Add the list at ``path`` and the record at ``path/{id}`` to ``router``."""
    for route_path, endpoint, name, model, summary, responses in (
        (path, list_endpoint(listed), listed.name, listed.page_model, listed.summary,
         ok_list(listed.note)),
        (path + "/{id}", record_endpoint(record), record.name, record.model, record.summary,
         ok(record.model, record.note)),
    ):  # fmt: skip
        router.add_api_route(
            route_path,
            endpoint,
            methods=["GET"],
            name=name,
            response_model=model,
            tags=list(tags),
            summary=summary,
            responses=responses,
        )


def list_endpoint(spec: ListRoute) -> Callable[..., Response]:
    """The list route's function; its signature (read by FastAPI) declares the request,
    the store, the paging, the filters, ``sort`` and ``fields``."""

    def endpoint(
        request: Request,
        store: ox.Store,
        paging: Paging,
        sort: str,
        fields: list[str] | None,
        **filters: Any,
    ) -> Response:
        return listing(request, store, paging, spec.page_model, fields, sort, spec.fetch, **filters)

    values = [f for name in spec.sort_fields for f in (name, "-" + name)]
    sort = Annotated[Literal[tuple(values)], Query(description=SortDoc)]  # type: ignore[valid-type]
    filters = inspect.signature(spec.filters, eval_str=True).parameters.values()
    return _declare(
        endpoint,
        spec.name,
        [
            _param("request", Request),
            _param("store", StoreDep),
            _param("paging", PagingDep),
            *(f.replace(kind=P.KEYWORD_ONLY) for f in filters),
            _param("sort", sort, spec.default_sort),
            _param("fields", fields_query(spec.item_model), None),
        ],
    )


def record_endpoint(spec: RecordRoute) -> Callable[..., Response]:
    """The record route's function: the request, the store, the id and ``fields``."""

    def endpoint(request: Request, store: ox.Store, id: str, fields: list[str] | None) -> Response:
        wanted = parse_fields(fields)
        return respond(request, store, lambda: spec.fetch(store, id), spec.model, fields=wanted)

    return _declare(
        endpoint,
        spec.name,
        [
            _param("request", Request),
            _param("store", StoreDep),
            _param("id", Id),
            _param("fields", fields_query(spec.model), None),
        ],
    )


def _param(name: str, annotation: Any, default: Any = P.empty) -> inspect.Parameter:
    return P(name, P.KEYWORD_ONLY, annotation=annotation, default=default)


def _declare(
    endpoint: Callable[..., Response], name: str, params: list[inspect.Parameter]
) -> Callable[..., Response]:
    """Give ``endpoint`` the name and the signature FastAPI reads (no docstring: the
    OpenAPI description stays empty)."""
    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__doc__ = None
    endpoint.__signature__ = inspect.Signature(params, return_annotation=Response)  # type: ignore[attr-defined]
    return endpoint
