"""Organisations: a filtered list and the full record of one."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from helixgraph.catalog import links, parts
from helixgraph.catalog.facts import Facts, all_sources, lang_texts, value
from helixgraph.catalog.listing import ID_KEY, LABEL_KEY, ListQuery, record, value_key
from helixgraph.catalog.page import BY_LABEL, Page
from helixgraph.catalog.terms import ORG, RDFS, SCHEMA, SKOS, hx, slug_term, source_of_graph
from helixgraph.vocab.namespace import REGISTRIES

Json = dict[str, Any]
SORT_KEYS = {"label": LABEL_KEY, "id": ID_KEY, "founded": value_key("hx:founded")}
RELATIONS = (
    "partner_of",
    "collaborates_with",
    "sub_organisation_of",
    "spin_off_of",
    "participates_in",
    "leads",
    "hosts",
)


def filters(
    store: ox.Store,
    q: str | None = None,
    kind: str | None = None,
    helix: str | None = None,
    region: str | None = None,
    source: str | None = None,
) -> ListQuery:
    lq = ListQuery("Organisation")
    lq.search(q)
    lq.kind("org_kind", kind)
    if helix:
        lq.patterns.append(f"?x hx:helix <{slug_term('helix', helix)}> .")
    lq.within(region)
    lq.source(store, source)
    return lq


def list_organisations(
    store: ox.Store,
    page: Page = BY_LABEL,
    **filter_args: Any,
) -> tuple[int, list[Json]]:
    return page.of(store, filters(store, **filter_args), SORT_KEYS, summaries)


def summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    nodes = parts.located_headers(store, iris, "org_kind")
    for item, fx in nodes:
        item["helices"] = parts.vocab_terms(fx, hx("helix"), "helix")
    return [item for item, _ in nodes]


def organisation(store: ox.Store, ident: str, award_limit: int | None = None) -> Json:
    """Everything the graph says about one organisation, each fact with its sources.

    ``award_limit`` lists only that many of the awards it received and gave (and adds
    ``funding_received_count``/``funding_given_count``): its page, not the API, uses it."""
    iri, fx, inc = record(store, "organisation", ident, "Organisation")
    item = summaries(store, [iri])[0]
    item.update(
        labels=labels_of(fx),
        identifiers=identifiers(iri, fx),
        founded=value(fx, hx("founded")),
        note=value(fx, RDFS + "comment"),
        parents=parts.refs(store, fx, ORG + "subOrganizationOf"),
        units=parts.refs(store, inc, ORG + "subOrganizationOf"),
        posts=parts.posts(store, [f.value.value for f in inc.get(hx("postIn"), [])]),
        memberships={
            "member_of": parts.refs(store, fx, ORG + "memberOf"),
            "members": parts.refs(store, inc, ORG + "memberOf"),
        },
        relations=links.relations(store, iri, fx, inc, RELATIONS),
        funding_received=parts.awards_where(store, inc, "recipient", award_limit),
        funding_given=parts.awards_where(store, inc, "funder", award_limit),
        figures=parts.figures(store, inc),
        source_documents=parts.sources_of(store, fx),
    )
    if award_limit is not None:
        item["funding_received_count"] = len(inc.get(hx("recipient"), []))
        item["funding_given_count"] = len(inc.get(hx("funder"), []))
    return item


def labels_of(fx: Facts) -> list[Json]:
    out = []
    for kind, pred in (("preferred", SKOS + "prefLabel"), ("alternative", SKOS + "altLabel")):
        out += [{**t, "kind": kind} for t in lang_texts(fx, pred)]
    abbrs = {f.text for f in fx.get(hx("abbreviation"), [])}
    for label in out:
        if label["kind"] == "alternative" and label["text"] in abbrs and not label["lang"]:
            label["kind"] = "abbreviation"
    return out


def identifiers(iri: str, fx: Facts) -> list[Json]:
    """The node's IRI, every registry identifier the graph holds (ROR, PIC, Wikidata,
    ISNI, GRID, FundRef, KvK: ``hx:ror`` ...) with the registry's name and URL, and its
    websites; each with the sources that state it."""
    out: list[Json] = [
        {
            "scheme": "iri",
            "value": iri,
            "registry": "helixgraph",
            "url": iri,
            "sources": all_sources(fx),
        }
    ]
    for scheme, (registry, url) in REGISTRIES.items():
        out += [
            {
                "scheme": scheme,
                "value": f.text,
                "registry": registry,
                "url": url.format(quote(f.text.replace(" ", ""), safe="")),
                "sources": f.sources,
            }
            for f in sorted(fx.get(hx(scheme), []), key=lambda f: f.text)
        ]
    out += [
        {
            "scheme": "website",
            "value": f.text,
            "registry": None,
            "url": f.text,
            "sources": f.sources,
        }
        for f in fx.get(SCHEMA + "url", [])
    ]
    return out


__all__ = ["list_organisations", "organisation", "source_of_graph"]
