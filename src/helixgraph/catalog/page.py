"""Which page of a list to return (sort field, direction, size, offset) and that page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from helixgraph.catalog.listing import ListQuery, summary_page

Json = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One page of a list: ``limit`` items from ``offset``, ordered by the field ``sort``."""

    sort: str
    descending: bool = False
    limit: int = 50
    offset: int = 0

    def of(
        self,
        store: ox.Store,
        q: ListQuery,
        sort_keys: Mapping[str, str],
        summaries: Callable[[ox.Store, list[str]], list[Json]],
    ) -> tuple[int, list[Json]]:
        """The total count of ``q``'s nodes and the summaries of this page's nodes;
        ``sort_keys`` maps a sort field to its SPARQL key (see :mod:`.listing`)."""
        key = sort_keys[self.sort]
        return summary_page(store, q, key, self.descending, self.limit, self.offset, summaries)


# the first page of a list, by label or by id (the lists' defaults)
BY_LABEL = Page("label")
BY_ID = Page("id")
