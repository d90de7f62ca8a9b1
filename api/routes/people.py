"""``/api/people``: the list (search, source) and each person's record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, TypeAlias

from fastapi import APIRouter, Query, Request, Response

from api import schemas
from api.deps import SourceFilter, StoreDep
from api.paging import PagingDep
from api.problems import ProblemRoute
from api.representation import fields_query, listing, parse_fields, respond
from api.routes.resource_params import Id, LabelSort, Search, SortDoc, ok, ok_list
from helixgraph import catalog

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    PersonListFields: TypeAlias = list[str] | None
    PersonFields: TypeAlias = list[str] | None
else:  # the fields from the models
    PersonListFields = fields_query(schemas.PersonSummary)
    PersonFields = fields_query(schemas.Person)


@router.get(
    "/people",
    response_model=schemas.PersonPage,
    tags=["people"],
    summary="List people",
    responses=ok_list("A page of people"),
)
def people(
    request: Request,
    store: StoreDep,
    paging: PagingDep,
    q: Search = None,
    source: SourceFilter = None,
    sort: Annotated[LabelSort, Query(description=SortDoc)] = "label",
    fields: PersonListFields = None,
) -> Response:
    return listing(
        request,
        store,
        paging,
        schemas.PersonPage,
        fields,
        sort,
        catalog.list_people,
        q=q,
        source=source,
    )


@router.get(
    "/people/{id}",
    response_model=schemas.Person,
    tags=["people"],
    summary="One person: posts, memberships, initiatives",
    responses=ok(schemas.Person, "The person"),
)
def person(request: Request, store: StoreDep, id: Id, fields: PersonFields = None) -> Response:
    wanted = parse_fields(fields)
    return respond(request, store, lambda: catalog.person(store, id), schemas.Person, fields=wanted)
