"""``/api/sources``: the source documents, listed by text or language, and what each states."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Query, Request, Response

from api import schemas
from api.deps import StoreDep
from api.paging import PagingDep
from api.problems import ProblemRoute
from api.representation import fields_query, listing, parse_fields, respond
from api.routes.resource_params import Id, LabelSort, Search, SortDoc, ok, ok_list
from helixgraph import catalog

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    SourceListFields: TypeAlias = list[str] | None
    SourceFields: TypeAlias = list[str] | None
else:  # the fields from the models
    SourceListFields = fields_query(schemas.SourceSummary)
    SourceFields = fields_query(schemas.Source)


@router.get(
    "/sources",
    response_model=schemas.SourcePage,
    tags=["sources"],
    summary="List source documents",
    responses=ok_list("A page of sources"),
)
def sources(
    request: Request,
    store: StoreDep,
    paging: PagingDep,
    q: Search = None,
    language: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", description="BCP 47 language code"),
    ] = None,
    sort: Annotated[Literal[LabelSort, "date", "-date"], Query(description=SortDoc)] = "id",
    fields: SourceListFields = None,
) -> Response:
    return listing(
        request,
        store,
        paging,
        schemas.SourcePage,
        fields,
        sort,
        catalog.list_sources,
        q=q,
        language=language,
    )


@router.get(
    "/sources/{id}",
    response_model=schemas.Source,
    tags=["sources"],
    summary="One source document and what it states",
    responses=ok(schemas.Source, "The source"),
)
def source(request: Request, store: StoreDep, id: Id, fields: SourceFields = None) -> Response:
    wanted = parse_fields(fields)
    return respond(request, store, lambda: catalog.source(store, id), schemas.Source, fields=wanted)
