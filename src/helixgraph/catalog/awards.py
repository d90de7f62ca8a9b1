"""Funding awards: a list filtered by funder, recipient, programme or source, and one award."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog import parts
from helixgraph.catalog.facts import outgoing
from helixgraph.catalog.listing import ID_KEY, ListQuery, known_iri, value_key
from helixgraph.catalog.page import BY_ID, Page
from helixgraph.catalog.terms import entity_iri

Json = dict[str, Any]
SORT_KEYS = {"id": ID_KEY, "amount": value_key("hx:amount"), "date": value_key("hx:awardDate")}


def list_awards(
    store: ox.Store,
    page: Page = BY_ID,
    *,
    funder: str | None = None,
    recipient: str | None = None,
    programme: str | None = None,
    source: str | None = None,
) -> tuple[int, list[Json]]:
    lq = ListQuery("FundingAward")
    if funder:
        lq.patterns.append(f"?x hx:funder <{entity_iri('organisation', funder)}> .")
    if programme:
        lq.patterns.append(f"?x hx:programme <{entity_iri('initiative', programme)}> .")
    if recipient:
        lq.patterns.append(
            f"?x hx:recipient ?r . FILTER(?r IN "
            f"(<{entity_iri('organisation', recipient)}>, "
            f"<{entity_iri('initiative', recipient)}>))"
        )
    lq.source(store, source)
    return page.of(store, lq, SORT_KEYS, summaries)


def summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    """The awards' summaries in the order of ``iris``."""
    order = {i: n for n, i in enumerate(iris)}
    return sorted(parts.award_summaries(store, iris), key=lambda a: order[a["iri"]])


def award(store: ox.Store, ident: str) -> Json:
    iri = known_iri(store, "award", ident, "FundingAward")
    item = parts.award_summaries(store, [iri])[0]
    item["source_documents"] = parts.sources_of(store, outgoing(store, [iri]).get(iri, {}))
    return item
