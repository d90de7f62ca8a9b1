"""Places (cities, provinces, regions, countries): what lies in them and where they lie."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog import parts
from helixgraph.catalog.facts import all_sources, select
from helixgraph.catalog.listing import ID_KEY, LABEL_KEY, ListQuery, record
from helixgraph.catalog.page import BY_LABEL, Page
from helixgraph.catalog.terms import entity_iri, hx

Json = dict[str, Any]
SORT_KEYS = {"label": LABEL_KEY, "id": ID_KEY}


def list_places(
    store: ox.Store,
    page: Page = BY_LABEL,
    *,
    q: str | None = None,
    kind: str | None = None,
    part_of: str | None = None,
    source: str | None = None,
) -> tuple[int, list[Json]]:
    lq = ListQuery("Place")
    lq.search(q)
    lq.kind("place_kind", kind)
    if part_of:
        lq.patterns.append(f"?x hx:partOf+ <{entity_iri('place', part_of)}> .")
    lq.source(store, source)
    return page.of(store, lq, SORT_KEYS, summaries)


def summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    out = []
    for item, fx in parts.headers(store, iris):
        kinds = parts.kinds(fx, "place_kind")
        item.update(
            kind=kinds[0]["id"] if kinds else None,
            part_of=parts.refs(store, fx, hx("partOf")),
            sources=all_sources(fx),
        )
        out.append(item)
    return out


def counts_within(store: ox.Store, iri: str) -> dict[str, int]:
    """Organisations and initiatives located in the place or any place within it."""
    out = {}
    for key, cls in (("organisations", "Organisation"), ("initiatives", "Initiative")):
        rows = select(
            store,
            f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a hx:{cls} ; "
            f"hx:locatedIn/hx:partOf* <{iri}> }}",
        )
        out[key] = int(rows[0]["n"].value)
    return out


def place(store: ox.Store, ident: str) -> Json:
    iri, fx, inc = record(store, "place", ident, "Place")
    item = summaries(store, [iri])[0]
    item.update(
        parts=parts.refs(store, inc, hx("partOf")),
        located_here=parts.refs(store, inc, hx("locatedIn")),
        counts_within=counts_within(store, iri),
        figures=parts.figures(store, inc),
        source_documents=parts.sources_of(store, fx),
    )
    return item
