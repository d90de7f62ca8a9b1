"""People: a list searchable by name and the record of one (posts, memberships, roles)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog import links, parts
from helixgraph.catalog.facts import all_sources, value
from helixgraph.catalog.listing import ID_KEY, LABEL_KEY, ListQuery, record
from helixgraph.catalog.page import BY_LABEL, Page
from helixgraph.catalog.terms import FOAF, ORG

Json = dict[str, Any]
SORT_KEYS = {"label": LABEL_KEY, "id": ID_KEY}


def list_people(
    store: ox.Store,
    page: Page = BY_LABEL,
    *,
    q: str | None = None,
    source: str | None = None,
) -> tuple[int, list[Json]]:
    lq = ListQuery("Person")
    lq.search(q)
    lq.source(store, source)
    return page.of(store, lq, SORT_KEYS, summaries)


def summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    out = []
    for item, fx in parts.headers(store, iris):
        del item["names"]
        item["name"] = value(fx, FOAF + "name")
        item["sources"] = all_sources(fx)
        out.append(item)
    return out


def person(store: ox.Store, ident: str) -> Json:
    iri, fx, inc = record(store, "person", ident, "Person")
    item = summaries(store, [iri])[0]
    item.update(
        posts=parts.posts(store, [f.value.value for f in fx.get(ORG + "holds", [])]),
        member_of=parts.refs(store, fx, ORG + "memberOf"),
        relations=links.relations(store, iri, fx, inc, ("participates_in", "leads")),
        source_documents=parts.sources_of(store, fx),
    )
    return item
