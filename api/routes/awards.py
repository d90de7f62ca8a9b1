"""``/api/awards``: funding awards, listed by funder, recipient, programme or source, and
each award's record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Query, Request, Response

from api import schemas
from api.deps import SourceFilter, StoreDep, id_query
from api.paging import PagingDep
from api.problems import ProblemRoute
from api.representation import fields_query, listing, parse_fields, respond
from api.routes.resource_params import Id, SortDoc, ok, ok_list
from helixgraph import catalog

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    AwardListFields: TypeAlias = list[str] | None
    AwardFields: TypeAlias = list[str] | None
else:  # the fields from the models
    AwardListFields = fields_query(schemas.Award)
    AwardFields = fields_query(schemas.AwardDetail)


@router.get(
    "/awards",
    response_model=schemas.AwardPage,
    tags=["funding"],
    summary="List funding awards",
    responses=ok_list("A page of awards"),
)
def awards(
    request: Request,
    store: StoreDep,
    paging: PagingDep,
    funder: Annotated[str | None, id_query("Organisation id of the funder")] = None,
    recipient: Annotated[str | None, id_query("Organisation or initiative id")] = None,
    programme: Annotated[str | None, id_query("Initiative id of the programme")] = None,
    source: SourceFilter = None,
    sort: Annotated[
        Literal["id", "-id", "amount", "-amount", "date", "-date"], Query(description=SortDoc)
    ] = "id",
    fields: AwardListFields = None,
) -> Response:
    return listing(
        request,
        store,
        paging,
        schemas.AwardPage,
        fields,
        sort,
        catalog.list_awards,
        funder=funder,
        recipient=recipient,
        programme=programme,
        source=source,
    )


@router.get(
    "/awards/{id}",
    response_model=schemas.AwardDetail,
    tags=["funding"],
    summary="One funding award",
    responses=ok(schemas.AwardDetail, "The award"),
)
def award(request: Request, store: StoreDep, id: Id, fields: AwardFields = None) -> Response:
    wanted = parse_fields(fields)
    return respond(
        request, store, lambda: catalog.award(store, id), schemas.AwardDetail, fields=wanted
    )
