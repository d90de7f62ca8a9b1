"""``/api/awards``: funding awards, listed by funder, recipient, programme or source, and
each award's record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from helixgraph import catalog
from helixgraph.catalog.awards import SORT_KEYS

from .. import schemas
from ..deps import SourceFilter, id_query
from ..problems import ProblemRoute
from .resource_routes import ListRoute, RecordRoute, add_resource

router = APIRouter(prefix="/api", route_class=ProblemRoute)


def filters(
    funder: Annotated[str | None, id_query("Organisation id of the funder")] = None,
    recipient: Annotated[str | None, id_query("Organisation or initiative id")] = None,
    programme: Annotated[str | None, id_query("Initiative id of the programme")] = None,
    source: SourceFilter = None,
) -> None:
    """The list's filters: the keywords of :func:`helixgraph.catalog.list_awards`."""


add_resource(
    router,
    "/awards",
    tags=["funding"],
    listed=ListRoute(
        name="awards",
        summary="List funding awards",
        note="A page of awards",
        page_model=schemas.AwardPage,
        item_model=schemas.Award,
        fetch=catalog.list_awards,
        filters=filters,
        sort_fields=SORT_KEYS,
        default_sort="id",
    ),
    record=RecordRoute(
        name="award",
        summary="One funding award",
        note="The award",
        model=schemas.AwardDetail,
        fetch=catalog.award,
    ),
)
