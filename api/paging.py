"""Paging of the JSON lists: the ``limit``/``offset`` dependency, the page envelope with
links to its neighbours, and the ``sort`` parameter's reading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

MAX_LIMIT = 200


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


async def get_paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")] = 0,
) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(get_paging)]


def sort_key(sort: str) -> tuple[str, bool]:
    """``-label`` → (``label``, descending)."""
    return (sort[1:], True) if sort.startswith("-") else (sort, False)


def envelope(
    request: Request, paging: Paging, total: int, items: list[dict[str, Any]]
) -> dict[str, Any]:
    """The page of a list: its items, the total count and links to its neighbours."""

    def at(offset: int) -> str:
        return str(request.url.include_query_params(offset=offset, limit=paging.limit))

    last = max(0, (total - 1) // paging.limit * paging.limit)
    return {
        "total": total,
        "limit": paging.limit,
        "offset": paging.offset,
        "items": items,
        "links": {
            "self": str(request.url),
            "first": at(0),
            "last": at(last),
            "next": at(paging.offset + paging.limit)
            if paging.offset + paging.limit < total
            else None,
            "prev": at(max(0, paging.offset - paging.limit)) if paging.offset > 0 else None,
        },
    }
