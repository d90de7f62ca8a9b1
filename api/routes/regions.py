"""``/api/regions``: places (cities, provinces, regions, countries), listed by kind or by
the place they lie in, and each place's record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Query, Request, Response

from api import schemas
from api.deps import SourceFilter, StoreDep, id_query
from api.paging import PagingDep
from api.problems import ProblemRoute
from api.representation import fields_query, listing, parse_fields, respond
from api.routes.resource_params import Id, LabelSort, Search, SortDoc, ok, ok_list
from helixgraph import catalog
from helixgraph.catalog.terms import VOCAB

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    PlaceKind: TypeAlias = str
    RegionListFields: TypeAlias = list[str] | None
    RegionFields: TypeAlias = list[str] | None
else:  # the kinds from the controlled values, the fields from the models
    PlaceKind = Literal[tuple(VOCAB["place_kind"])]
    RegionListFields = fields_query(schemas.RegionSummary)
    RegionFields = fields_query(schemas.Region)


@router.get(
    "/regions",
    response_model=schemas.RegionPage,
    tags=["regions"],
    summary="List places: cities, provinces, regions, countries",
    responses=ok_list("A page of places"),
)
def regions(
    request: Request,
    store: StoreDep,
    paging: PagingDep,
    q: Search = None,
    kind: Annotated[PlaceKind | None, Query(description="Kind of place")] = None,
    part_of: Annotated[str | None, id_query("A place id: places within it")] = None,
    source: SourceFilter = None,
    sort: Annotated[LabelSort, Query(description=SortDoc)] = "label",
    fields: RegionListFields = None,
) -> Response:
    return listing(
        request,
        store,
        paging,
        schemas.RegionPage,
        fields,
        sort,
        catalog.list_places,
        q=q,
        kind=kind,
        part_of=part_of,
        source=source,
    )


@router.get(
    "/regions/{id}",
    response_model=schemas.Region,
    tags=["regions"],
    summary="One place: what lies in it and where it lies",
    responses=ok(schemas.Region, "The place"),
)
def region(request: Request, store: StoreDep, id: Id, fields: RegionFields = None) -> Response:
    wanted = parse_fields(fields)
    return respond(request, store, lambda: catalog.place(store, id), schemas.Region, fields=wanted)
