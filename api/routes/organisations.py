"""``/api/organisations``: the list (search, kind, helix, region, source) and each record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Query, Request, Response

from api import schemas
from api.deps import HelixFilter, RegionFilter, SourceFilter, StoreDep
from api.paging import PagingDep
from api.problems import ProblemRoute
from api.representation import fields_query, listing, parse_fields, respond
from api.routes.resource_params import Id, LabelSort, Search, SortDoc, ok, ok_list
from helixgraph import catalog
from helixgraph.catalog.terms import VOCAB

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    OrgKind: TypeAlias = str
    OrgListFields: TypeAlias = list[str] | None
    OrgFields: TypeAlias = list[str] | None
else:  # the kinds from the controlled values, the fields from the models
    OrgKind = Literal[tuple(VOCAB["org_kind"])]
    OrgListFields = fields_query(schemas.OrganisationSummary)
    OrgFields = fields_query(schemas.Organisation)


@router.get(
    "/organisations",
    response_model=schemas.OrganisationPage,
    tags=["organisations"],
    summary="List organisations",
    responses=ok_list("A page of organisations"),
)
def organisations(
    request: Request,
    store: StoreDep,
    paging: PagingDep,
    q: Search = None,
    kind: Annotated[OrgKind | None, Query(description="Organisation kind")] = None,
    helix: HelixFilter = None,
    region: RegionFilter = None,
    source: SourceFilter = None,
    sort: Annotated[
        Literal[LabelSort, "founded", "-founded"], Query(description=SortDoc)
    ] = "label",
    fields: OrgListFields = None,
) -> Response:
    return listing(
        request,
        store,
        paging,
        schemas.OrganisationPage,
        fields,
        sort,
        catalog.list_organisations,
        q=q,
        kind=kind,
        helix=helix,
        region=region,
        source=source,
    )


@router.get(
    "/organisations/{id}",
    response_model=schemas.Organisation,
    tags=["organisations"],
    summary="One organisation, with every fact and its sources",
    responses=ok(schemas.Organisation, "The organisation"),
)
def organisation(request: Request, store: StoreDep, id: Id, fields: OrgFields = None) -> Response:
    wanted = parse_fields(fields)
    return respond(
        request, store, lambda: catalog.organisation(store, id), schemas.Organisation, fields=wanted
    )
