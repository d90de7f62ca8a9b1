"""``/api/sources``: the source documents, listed by text or language, and what each states."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from helixgraph import catalog
from helixgraph.catalog.sources import SORT_KEYS

from .. import schemas
from ..problems import ProblemRoute
from .resource_params import Search
from .resource_routes import ListRoute, RecordRoute, add_resource

router = APIRouter(prefix="/api", route_class=ProblemRoute)


def filters(
    q: Search = None,
    language: Annotated[
        str | None,
        Query(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", description="BCP 47 language code"),
    ] = None,
) -> None:
    """The list's filters: the keywords of :func:`helixgraph.catalog.list_sources`."""


add_resource(
    router,
    "/sources",
    tags=["sources"],
    listed=ListRoute(
        name="sources",
        summary="List source documents",
        note="A page of sources",
        page_model=schemas.SourcePage,
        item_model=schemas.SourceSummary,
        fetch=catalog.list_sources,
        filters=filters,
        sort_fields=SORT_KEYS,
        default_sort="id",
    ),
    record=RecordRoute(
        name="source",
        summary="One source document and what it states",
        note="The source",
        model=schemas.Source,
        fetch=catalog.source,
    ),
)
