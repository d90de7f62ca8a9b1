"""``/api/organisations``: the list (search, kind, helix, region, source) and each record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from fastapi import APIRouter, Query

from helixgraph import catalog
from helixgraph.catalog.organisations import SORT_KEYS
from helixgraph.catalog.terms import VOCAB

from .. import schemas
from ..deps import HelixFilter, RegionFilter, SourceFilter
from ..problems import ProblemRoute
from .resource_params import Search
from .resource_routes import ListRoute, RecordRoute, add_resource

router = APIRouter(prefix="/api", route_class=ProblemRoute)

if TYPE_CHECKING:
    OrgKind: TypeAlias = str
else:  # the kinds from the controlled values
    OrgKind = Literal[tuple(VOCAB["org_kind"])]


def filters(
    q: Search = None,
    kind: Annotated[OrgKind | None, Query(description="Organisation kind")] = None,
    helix: HelixFilter = None,
    region: RegionFilter = None,
    source: SourceFilter = None,
) -> None:
    """The list's filters: the keywords of :func:`helixgraph.catalog.list_organisations`."""


add_resource(
    router,
    "/organisations",
    tags=["organisations"],
    listed=ListRoute(
        name="organisations",
        summary="List organisations",
        note="A page of organisations",
        page_model=schemas.OrganisationPage,
        item_model=schemas.OrganisationSummary,
        fetch=catalog.list_organisations,
        filters=filters,
        sort_fields=SORT_KEYS,
        default_sort="label",
    ),
    record=RecordRoute(
        name="organisation",
        summary="One organisation, with every fact and its sources",
        note="The organisation",
        model=schemas.Organisation,
        fetch=catalog.organisation,
    ),
)
