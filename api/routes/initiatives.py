"""``/api/initiatives``: the list (search, kind, region, source) and each record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Query, Request, Response

from api import schemas
from api.deps import RegionFilter, SourceFilter, StoreDep
from api.paging import PagingDep
from api.problems import ProblemRoute
from api.representation import fields_query, listing, parse_fields, respond
from api.routes.resource_params import Id, LabelSort, Search, SortDoc, ok, ok_list
from helixgraph import catalog
from helixgraph.catalog.terms import VOCAB

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    InitiativeKind: TypeAlias = str
    InitiativeListFields: TypeAlias = list[str] | None
    InitiativeFields: TypeAlias = list[str] | None
else:  # the kinds from the controlled values, the fields from the models
    InitiativeKind = Literal[tuple(VOCAB["initiative_kind"])]
    InitiativeListFields = fields_query(schemas.InitiativeSummary)
    InitiativeFields = fields_query(schemas.Initiative)


@router.get(
    "/initiatives",
    response_model=schemas.InitiativePage,
    tags=["initiatives"],
    summary="List initiatives (programmes, projects, calls, plans…)",
    responses=ok_list("A page of initiatives"),
)
def initiatives(
    request: Request,
    store: StoreDep,
    paging: PagingDep,
    q: Search = None,
    kind: Annotated[InitiativeKind | None, Query(description="Initiative kind")] = None,
    region: RegionFilter = None,
    source: SourceFilter = None,
    sort: Annotated[Literal[LabelSort, "start", "-start"], Query(description=SortDoc)] = "label",
    fields: InitiativeListFields = None,
) -> Response:
    return listing(
        request,
        store,
        paging,
        schemas.InitiativePage,
        fields,
        sort,
        catalog.list_initiatives,
        q=q,
        kind=kind,
        region=region,
        source=source,
    )


@router.get(
    "/initiatives/{id}",
    response_model=schemas.Initiative,
    tags=["initiatives"],
    summary="One initiative: participants, parts, posts, funding, figures",
    responses=ok(schemas.Initiative, "The initiative"),
)
def initiative(
    request: Request, store: StoreDep, id: Id, fields: InitiativeFields = None
) -> Response:
    wanted = parse_fields(fields)
    return respond(
        request, store, lambda: catalog.initiative(store, id), schemas.Initiative, fields=wanted
    )
