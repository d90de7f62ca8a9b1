"""What the JSON resource routes share besides the filters (:mod:`api.deps`): the id
path parameter, the text search, the sort parameter's documentation and the documented
responses (JSON or JSON-LD, problem+json errors). The routes themselves are built by
:mod:`.resource_routes`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from helixgraph.catalog.terms import SLUG_PATTERN

from .. import jsonld
from ..problems import ERRORS, LIST_ERRORS

Id = Annotated[
    str,
    Path(
        pattern=SLUG_PATTERN,
        max_length=200,
        examples=["uni"],
        description="The last segment of the node's IRI",
    ),
]
Search = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Text in a name, label or abbreviation (case-insensitive)",
        examples=["umcg"],
    ),
]
SortDoc = "Field to sort by; a leading '-' sorts descending"
JSON_LD: dict[str, object] = {"content": {jsonld.MEDIA_TYPE: {}}}


def ok(model: type, example_note: str) -> dict[int | str, dict[str, object]]:
    """The documented responses of a record route."""
    return {200: {"description": example_note, **JSON_LD}, **ERRORS}


def ok_list(note: str) -> dict[int | str, dict[str, object]]:
    """The documented responses of a list route."""
    return {200: {"description": note, **JSON_LD}, **LIST_ERRORS}
