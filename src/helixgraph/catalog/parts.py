"""Pieces of a resource shared by several types: kinds, places, figures, awards, posts."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog.facts import (
    Fact,
    Facts,
    all_sources,
    display_label,
    first,
    incoming,
    labels,
    lang_map,
    outgoing,
    ref,
    value,
)
from helixgraph.catalog.terms import (
    ORG,
    PROV,
    RDF_TYPE,
    RDFS,
    SKOS,
    hx,
    parse_iri,
    term_slug,
)
from helixgraph.vocab import iris

Json = dict[str, Any]


def header(iri: str, facts: Facts) -> Json:
    parsed = parse_iri(iri)
    assert parsed is not None
    type_, ident = parsed
    return {
        "type": type_,
        "id": ident,
        "iri": iri,
        "label": display_label(facts, ident),
        "names": lang_map(facts, SKOS + "prefLabel"),
    }


def term(fact: Fact | None, vocab: str) -> Json | None:
    """A controlled value as {id, iri} (``hx:chair`` → ``{"id": "chair", ...}``)."""
    if fact is None:
        return None
    slug = term_slug(vocab, fact.value.value)
    return {"id": slug or fact.value.value, "iri": fact.value.value}


def vocab_terms(facts: Facts, pred: str, vocab: str) -> list[Json]:
    """Values of ``pred`` that are terms of a controlled vocabulary, as {id, iri, sources}."""
    out = []
    for f in facts.get(pred, []):
        slug = term_slug(vocab, f.value.value)
        if slug:
            out.append({"id": slug, "iri": f.value.value, "sources": f.sources})
    return out


def kinds(facts: Facts, vocab: str) -> list[Json]:
    return vocab_terms(facts, RDF_TYPE, vocab)


def refs(store: ox.Store, facts: Facts, pred: str) -> list[Json]:
    """Links to the nodes that are values of ``pred``, labelled, with sources."""
    found = [f for f in facts.get(pred, []) if isinstance(f.value, ox.NamedNode)]
    names = labels(store, [f.value.value for f in found])
    return [ref(f.value.value, names[f.value.value], f.sources) for f in found]


def headers(store: ox.Store, iris: list[str]) -> list[tuple[Json, Facts]]:
    """The header of each node with its facts, in the order of ``iris``."""
    nodes = outgoing(store, iris)
    return [(header(i, nodes.get(i, {})), nodes.get(i, {})) for i in iris]


def located_in(store: ox.Store, facts: list[Facts]) -> list[list[Json]]:
    """The ``hx:locatedIn`` places of each node as labelled links, with sources."""
    found = [fx.get(hx("locatedIn"), []) for fx in facts]
    names = labels(store, [f.value.value for fs in found for f in fs])
    return [[ref(f.value.value, names[f.value.value], f.sources) for f in fs] for fs in found]


def located_headers(store: ox.Store, iris: list[str], kind_vocab: str) -> list[tuple[Json, Facts]]:
    """:func:`headers` of located nodes (organisations, initiatives) with their
    abbreviations, kinds (from the controlled list ``kind_vocab``), places and sources."""
    nodes = headers(store, iris)
    places = located_in(store, [fx for _, fx in nodes])
    for (item, fx), where in zip(nodes, places, strict=True):
        item.update(
            abbreviations=[f.text for f in fx.get(hx("abbreviation"), [])],
            kinds=kinds(fx, kind_vocab),
            places=where,
            sources=all_sources(fx),
        )
    return nodes


def sources_of(store: ox.Store, facts: Facts) -> list[Json]:
    """The source documents behind a node (its ``prov:wasDerivedFrom`` and every graph)."""
    ids = set(all_sources(facts))
    ids |= {f.value.value.rsplit("/", 1)[-1] for f in facts.get(PROV + "wasDerivedFrom", [])}
    iris = [f"{src_base()}{i}" for i in sorted(ids)]
    names = labels(store, iris)
    return [ref(i, names[i]) for i in iris]


def src_base() -> str:
    return iris.ID + "source/"


def statements(facts: Facts, pred: str) -> list[Json]:
    return [{"text": f.text, "lang": f.lang, "sources": f.sources} for f in facts.get(pred, [])]


def figures(store: ox.Store, about: Facts) -> list[Json]:
    """The figures about a node (from its incoming ``hx:about`` statements)."""
    iris = [f.value.value for f in about.get(hx("about"), [])]
    nodes = outgoing(store, iris)
    out = []
    for i in sorted(iris):
        fx = nodes.get(i, {})
        measure = first(fx, hx("measure"))
        parsed = parse_iri(i)
        out.append(
            {
                "id": parsed[1] if parsed else i,
                "iri": i,
                "measure": term(measure, "measure"),
                "value": value(fx, hx("value")),
                "unit": value(fx, hx("unit")),
                "year": value(fx, hx("year")),
                "date": value(fx, hx("date")),
                "qualifier": value(fx, hx("qualifier")),
                "quote": statements(fx, hx("quote")),
                "sources": all_sources(fx),
            }
        )
    return out


def award_summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    nodes = outgoing(store, iris)
    ends = [
        f.value.value
        for i in iris
        for p in ("funder", "recipient", "programme")
        for f in nodes.get(i, {}).get(hx(p), [])
    ]
    names = labels(store, ends)
    out = []
    for i in sorted(iris):
        fx = nodes.get(i, {})
        item = {
            **header(i, fx),
            "amount": value(fx, hx("amount")),
            "currency": value(fx, hx("currency")),
            "date": value(fx, hx("awardDate")),
            "sources": all_sources(fx),
        }
        del item["names"]
        for p in ("funder", "recipient", "programme"):
            f = first(fx, hx(p))
            item[p] = ref(f.value.value, names[f.value.value]) if f else None
        item["purpose"] = lang_map(fx, hx("purpose"))
        item["quote"] = statements(fx, hx("quote"))
        out.append(item)
    return out


def awards_where(
    store: ox.Store, incoming_facts: Facts, role: str, limit: int | None = None
) -> list[Json]:
    """Awards that name a node as their ``role`` (funder, recipient or programme); the
    first ``limit`` of them by IRI if given (a funder may have given thousands)."""
    iris = sorted(f.value.value for f in incoming_facts.get(hx(role), []))
    return award_summaries(store, iris if limit is None else iris[:limit])


def posts(store: ox.Store, post_iris: list[str]) -> list[Json]:
    """Posts with role, title, holder, and where they are held."""
    nodes = outgoing(store, post_iris)
    holders: dict[str, list[str]] = {}
    for i in post_iris:
        for f in incoming(store, i).get(ORG + "holds", []):
            holders.setdefault(i, []).append(f.value.value)
    ends = [h for hs in holders.values() for h in hs]
    ends += [f.value.value for i in post_iris for f in nodes.get(i, {}).get(hx("postIn"), [])]
    names = labels(store, ends)
    out = []
    for i in sorted(post_iris):
        fx = nodes.get(i, {})
        role = first(fx, ORG + "role")
        where = first(fx, hx("postIn"))
        holder = holders.get(i, [])
        parsed = parse_iri(i)
        out.append(
            {
                "id": parsed[1] if parsed else i,
                "iri": i,
                "role": term(role, "role"),
                "title": statements(fx, RDFS + "label"),
                "holder": ref(holder[0], names[holder[0]]) if holder else None,
                "post_in": ref(where.value.value, names[where.value.value]) if where else None,
                "quote": statements(fx, hx("quote")),
                "sources": all_sources(fx),
            }
        )
    return out
