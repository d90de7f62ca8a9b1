"""Initiatives (programmes, projects, calls, action plans…): list and record."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog import links, parts
from helixgraph.catalog.facts import lang_map, value
from helixgraph.catalog.listing import ID_KEY, LABEL_KEY, ListQuery, record, value_key
from helixgraph.catalog.page import BY_LABEL, Page
from helixgraph.catalog.terms import DCT, hx

Json = dict[str, Any]
SORT_KEYS = {"label": LABEL_KEY, "id": ID_KEY, "start": value_key("hx:startDate")}


def list_initiatives(
    store: ox.Store,
    page: Page = BY_LABEL,
    *,
    q: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    source: str | None = None,
) -> tuple[int, list[Json]]:
    lq = ListQuery("Initiative")
    lq.search(q)
    lq.kind("initiative_kind", kind)
    lq.within(region)
    lq.source(store, source)
    return page.of(store, lq, SORT_KEYS, summaries)


def summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    nodes = parts.located_headers(store, iris, "initiative_kind")
    for item, fx in nodes:
        item.update(start=value(fx, hx("startDate")), end=value(fx, hx("endDate")))
    return [item for item, _ in nodes]


def initiative(store: ox.Store, ident: str) -> Json:
    iri, fx, inc = record(store, "initiative", ident, "Initiative")
    item = summaries(store, [iri])[0]
    item.update(
        descriptions=lang_map(fx, DCT + "description"),
        part_of=parts.refs(store, fx, hx("partOf")),
        parts=parts.refs(store, inc, hx("partOf")),
        participants=parts.refs(store, inc, hx("participatesIn")),
        leads=parts.refs(store, inc, hx("leads")),
        hosts=parts.refs(store, inc, hx("hosts")),
        relations=links.relations(
            store, iri, fx, inc, ("participates_in", "leads", "hosts", "part_of")
        ),
        posts=parts.posts(store, [f.value.value for f in inc.get(hx("postIn"), [])]),
        funding_received=parts.awards_where(store, inc, "recipient"),
        awards_in_programme=parts.awards_where(store, inc, "programme"),
        figures=parts.figures(store, inc),
        source_documents=parts.sources_of(store, fx),
    )
    return item
