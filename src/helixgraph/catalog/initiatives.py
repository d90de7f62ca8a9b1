"""Initiatives (programmes, projects, calls, action plans…): list and record."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog import links, parts
from helixgraph.catalog.facts import (
    all_sources,
    incoming,
    labels,
    lang_map,
    outgoing,
    ref,
    value,
)
from helixgraph.catalog.listing import (
    ID_KEY,
    LABEL_KEY,
    ListQuery,
    known_iri,
    page,
    value_key,
)
from helixgraph.catalog.organisations import source_filter
from helixgraph.catalog.terms import DCT, entity_iri, hx, slug_term

Json = dict[str, Any]
SORT_KEYS = {"label": LABEL_KEY, "id": ID_KEY, "start": value_key("hx:startDate")}


def list_initiatives(store: ox.Store, *, q: str | None = None, kind: str | None = None,
                     region: str | None = None, source: str | None = None,
                     sort: str = "label", descending: bool = False, limit: int = 50,
                     offset: int = 0) -> tuple[int, list[Json]]:
    lq = ListQuery("Initiative")
    lq.search(q)
    if kind:
        lq.patterns.append(f"?x a <{slug_term('initiative_kind', kind)}> .")
    if region:
        lq.patterns.append(f"?x hx:locatedIn/hx:partOf* <{entity_iri('place', region)}> .")
    if source:
        lq.patterns.append(source_filter(store, source))
    total, iris = page(store, lq, SORT_KEYS[sort], descending, limit, offset)
    return total, summaries(store, iris)


def summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    nodes = outgoing(store, iris)
    names = labels(store, [f.value.value for i in iris
                           for f in nodes.get(i, {}).get(hx("locatedIn"), [])])
    out = []
    for i in iris:
        fx = nodes.get(i, {})
        item = parts.header(i, fx)
        item.update(
            abbreviations=[f.text for f in fx.get(hx("abbreviation"), [])],
            kinds=parts.kinds(fx, "initiative_kind"),
            places=[ref(f.value.value, names[f.value.value], f.sources)
                    for f in fx.get(hx("locatedIn"), [])],
            start=value(fx, hx("startDate")),
            end=value(fx, hx("endDate")),
            sources=all_sources(fx),
        )
        out.append(item)
    return out


def initiative(store: ox.Store, ident: str) -> Json:
    iri = known_iri(store, "initiative", ident, "Initiative")
    fx = outgoing(store, [iri]).get(iri, {})
    inc = incoming(store, iri)
    item = summaries(store, [iri])[0]
    item.update(
        descriptions=lang_map(fx, DCT + "description"),
        part_of=parts.refs(store, fx, hx("partOf")),
        parts=parts.refs(store, inc, hx("partOf")),
        participants=parts.refs(store, inc, hx("participatesIn")),
        leads=parts.refs(store, inc, hx("leads")),
        hosts=parts.refs(store, inc, hx("hosts")),
        relations=links.relations(store, iri, fx, inc,
                                  ("participates_in", "leads", "hosts", "part_of")),
        posts=parts.posts(store, [f.value.value for f in inc.get(hx("postIn"), [])]),
        funding_received=parts.awards_where(store, inc, "recipient"),
        awards_in_programme=parts.awards_where(store, inc, "programme"),
        figures=parts.figures(store, inc),
        source_documents=parts.sources_of(store, fx),
    )
    return item
