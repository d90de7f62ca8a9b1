"""Initiatives (programmes, projects, calls, action plans…): list and record."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog import links, parts
from helixgraph.catalog.facts import all_sources, lang_map, value
from helixgraph.catalog.listing import ID_KEY, LABEL_KEY, ListQuery, record, summary_page, value_key
from helixgraph.catalog.terms import DCT, hx

Json = dict[str, Any]
SORT_KEYS = {"label": LABEL_KEY, "id": ID_KEY, "start": value_key("hx:startDate")}


def list_initiatives(
    store: ox.Store,
    *,
    q: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    source: str | None = None,
    sort: str = "label",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Json]]:
    lq = ListQuery("Initiative")
    lq.search(q)
    lq.kind("initiative_kind", kind)
    lq.within(region)
    lq.source(store, source)
    return summary_page(store, lq, SORT_KEYS[sort], descending, limit, offset, summaries)


def summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    nodes = parts.headers(store, iris)
    places = parts.located_in(store, [fx for _, fx in nodes])
    for (item, fx), where in zip(nodes, places, strict=True):
        item.update(
            abbreviations=[f.text for f in fx.get(hx("abbreviation"), [])],
            kinds=parts.kinds(fx, "initiative_kind"),
            places=where,
            start=value(fx, hx("startDate")),
            end=value(fx, hx("endDate")),
            sources=all_sources(fx),
        )
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
