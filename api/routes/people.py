"""``/api/people``: the list (search, source) and each person's record."""

from __future__ import annotations

from fastapi import APIRouter

from helixgraph import catalog
from helixgraph.catalog.people import SORT_KEYS

from .. import schemas
from ..deps import SourceFilter
from ..problems import ProblemRoute
from .resource_params import Search
from .resource_routes import ListRoute, RecordRoute, add_resource

router = APIRouter(prefix="/api", route_class=ProblemRoute)


def filters(q: Search = None, source: SourceFilter = None) -> None:
    """The list's filters: the keywords of :func:`helixgraph.catalog.list_people`."""


add_resource(
    router,
    "/people",
    tags=["people"],
    listed=ListRoute(
        name="people",
        summary="List people",
        note="A page of people",
        page_model=schemas.PersonPage,
        item_model=schemas.PersonSummary,
        fetch=catalog.list_people,
        filters=filters,
        sort_fields=SORT_KEYS,
        default_sort="label",
    ),
    record=RecordRoute(
        name="person",
        summary="One person: posts, memberships, initiatives",
        note="The person",
        model=schemas.Person,
        fetch=catalog.person,
    ),
)
