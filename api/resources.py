"""The JSON API over the knowledge graph: one list and one record route per resource.

Routes stay thin: the library's :mod:`helixgraph.catalog` does the queries; the
conventions (problem+json, paging, ``fields``, ETag, JSON-LD) live in :mod:`api.common`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import FileResponse

from api import jsonld, schemas
from api.common import (
    ERRORS,
    LIST_ERRORS,
    PagingDep,
    ProblemRoute,
    fields_query,
    listing,
    parse_fields,
    respond,
)
from api.deps import StoreDep
from helixgraph import catalog
from helixgraph.catalog.terms import SLUG_PATTERN, VOCAB

router = APIRouter(prefix="/api", route_class=ProblemRoute)

Id = Annotated[
    str,
    Path(
        pattern=SLUG_PATTERN,
        max_length=200,
        examples=["uni"],
        description="The last segment of the node's IRI",
    ),
]


def ref_param(description: str) -> object:
    return Query(pattern=SLUG_PATTERN, max_length=200, description=description)


Search = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Text in a name, label or abbreviation (case-insensitive)",
        examples=["umcg"],
    ),
]
Region = Annotated[
    str | None,
    ref_param("A place id: nodes located in it or in a place within it (hx:locatedIn/hx:partOf*)"),
]
SourceId = Annotated[str | None, ref_param("A source id: nodes that source states")]
if TYPE_CHECKING:
    OrgKind: TypeAlias = str
    InitiativeKind: TypeAlias = str
    Helix: TypeAlias = str
    PlaceKind: TypeAlias = str
else:  # enums built from the data files' controlled values, so the schema lists them
    OrgKind = Literal[tuple(VOCAB["org_kind"])]
    InitiativeKind = Literal[tuple(VOCAB["initiative_kind"])]
    Helix = Literal[tuple(VOCAB["helix"])]
    PlaceKind = Literal[tuple(VOCAB["place_kind"])]
if TYPE_CHECKING:
    OrgListFields: TypeAlias = list[str] | None
    OrgFields: TypeAlias = list[str] | None
    PersonListFields: TypeAlias = list[str] | None
    PersonFields: TypeAlias = list[str] | None
    InitiativeListFields: TypeAlias = list[str] | None
    InitiativeFields: TypeAlias = list[str] | None
    AwardListFields: TypeAlias = list[str] | None
    AwardFields: TypeAlias = list[str] | None
    RegionListFields: TypeAlias = list[str] | None
    RegionFields: TypeAlias = list[str] | None
    SourceListFields: TypeAlias = list[str] | None
    SourceFields: TypeAlias = list[str] | None
else:  # each resource's own field names
    OrgListFields = fields_query(schemas.OrganisationSummary)
    OrgFields = fields_query(schemas.Organisation)
    PersonListFields = fields_query(schemas.PersonSummary)
    PersonFields = fields_query(schemas.Person)
    InitiativeListFields = fields_query(schemas.InitiativeSummary)
    InitiativeFields = fields_query(schemas.Initiative)
    AwardListFields = fields_query(schemas.Award)
    AwardFields = fields_query(schemas.AwardDetail)
    RegionListFields = fields_query(schemas.RegionSummary)
    RegionFields = fields_query(schemas.Region)
    SourceListFields = fields_query(schemas.SourceSummary)
    SourceFields = fields_query(schemas.Source)
LabelSort = Literal["label", "-label", "id", "-id"]
SortDoc = "Field to sort by; a leading '-' sorts descending"
JSON_LD: dict[str, object] = {"content": {jsonld.MEDIA_TYPE: {}}}


def ok(model: type, example_note: str) -> dict[int | str, dict[str, object]]:
    return {200: {"description": example_note, **JSON_LD}, **ERRORS}


def ok_list(note: str) -> dict[int | str, dict[str, object]]:
    return {200: {"description": note, **JSON_LD}, **LIST_ERRORS}


@router.get(
    "/context.jsonld",
    include_in_schema=True,
    tags=["meta"],
    summary="The JSON-LD @context of every response",
    response_class=FileResponse,
)
def context() -> FileResponse:
    return FileResponse(
        jsonld.CONTEXT_FILE,
        media_type=jsonld.MEDIA_TYPE,
        headers={"Cache-Control": "public, max-age=3600"},
    )


# ------------------------------------------------------------------------ organisations


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
    helix: Annotated[Helix | None, Query(description="Helix sphere")] = None,
    region: Region = None,
    source: SourceId = None,
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


# ------------------------------------------------------------------------ people


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
    source: SourceId = None,
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


# ------------------------------------------------------------------------ initiatives


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
    region: Region = None,
    source: SourceId = None,
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


# ------------------------------------------------------------------------ awards


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
    funder: Annotated[str | None, ref_param("Organisation id of the funder")] = None,
    recipient: Annotated[str | None, ref_param("Organisation or initiative id")] = None,
    programme: Annotated[str | None, ref_param("Initiative id of the programme")] = None,
    source: SourceId = None,
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


# ------------------------------------------------------------------------ regions


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
    part_of: Annotated[str | None, ref_param("A place id: places within it")] = None,
    source: SourceId = None,
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


# ------------------------------------------------------------------------ sources


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
