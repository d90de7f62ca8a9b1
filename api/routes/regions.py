"""``/api/regions``: places (cities, provinces, regions, countries), listed by kind or by
the place they lie in, and each place's record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Query

from helixgraph import catalog
from helixgraph.catalog.places import SORT_KEYS
from helixgraph.catalog.terms import VOCAB

from .. import schemas
from ..deps import SourceFilter, id_query
from ..problems import ProblemRoute
from .resource_params import Search
from .resource_routes import ListRoute, RecordRoute, add_resource

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    PlaceKind: TypeAlias = str
else:  # the kinds from the controlled values
    PlaceKind = Literal[tuple(VOCAB["place_kind"])]


def filters(
    q: Search = None,
    kind: Annotated[PlaceKind | None, Query(description="Kind of place")] = None,
    part_of: Annotated[str | None, id_query("A place id: places within it")] = None,
    source: SourceFilter = None,
) -> None:
    """The list's filters: the keywords of :func:`helixgraph.catalog.list_places`."""


add_resource(
    router,
    "/regions",
    tags=["regions"],
    listed=ListRoute(
        name="regions",
        summary="List places: cities, provinces, regions, countries",
        note="A page of places",
        page_model=schemas.RegionPage,
        item_model=schemas.RegionSummary,
        fetch=catalog.list_places,
        filters=filters,
        sort_fields=SORT_KEYS,
        default_sort="label",
    ),
    record=RecordRoute(
        name="region",
        summary="One place: what lies in it and where it lies",
        note="The place",
        model=schemas.Region,
        fetch=catalog.place,
    ),
)
