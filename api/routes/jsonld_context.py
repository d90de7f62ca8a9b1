"""``/api/context.jsonld``: the JSON-LD ``@context`` every JSON resource refers to."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from .. import jsonld
from ..problems import ProblemRoute

router = APIRouter(prefix="/api", route_class=ProblemRoute)


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
