"""``/api/initiatives``: the list (search, kind, region, source) and each record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Query

from helixgraph import catalog
from helixgraph.catalog.initiatives import SORT_KEYS
from helixgraph.catalog.terms import VOCAB

from .. import schemas
from ..deps import RegionFilter, SourceFilter
from ..problems import ProblemRoute
from .resource_params import Search
from .resource_routes import ListRoute, RecordRoute, add_resource

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    InitiativeKind: TypeAlias = str
else:  # the kinds from the controlled values
    InitiativeKind = Literal[tuple(VOCAB["initiative_kind"])]


def filters(
    q: Search = None,
    kind: Annotated[InitiativeKind | None, Query(description="Initiative kind")] = None,
    region: RegionFilter = None,
    source: SourceFilter = None,
) -> None:
    """The list's filters: the keywords of :func:`helixgraph.catalog.list_initiatives`."""


add_resource(
    router,
    "/initiatives",
    tags=["initiatives"],
    listed=ListRoute(
        name="initiatives",
        summary="List initiatives (programmes, projects, calls, plans…)",
        note="A page of initiatives",
        page_model=schemas.InitiativePage,
        item_model=schemas.InitiativeSummary,
        fetch=catalog.list_initiatives,
        filters=filters,
        sort_fields=SORT_KEYS,
        default_sort="label",
    ),
    record=RecordRoute(
        name="initiative",
        summary="One initiative: participants, parts, posts, funding, figures",
        note="The initiative",
        model=schemas.Initiative,
        fetch=catalog.initiative,
    ),
)
