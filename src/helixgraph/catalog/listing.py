"""One page of a filtered, sorted list of nodes, with the total count."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from helixgraph.catalog.facts import Facts, incoming, outgoing, select
from helixgraph.catalog.terms import SLUG, entity_iri, hx, slug_term, sparql_string
from helixgraph.vocab.namespace import source_graph


class UnknownId(LookupError):
    """An id (in a path or a filter) that names no node of the expected type."""

    def __init__(self, type_: str, ident: str, param: str | None = None):
        self.type, self.id, self.param = type_, ident, param
        super().__init__(f"no {type_} with id {ident!r}")


# sort key name → SPARQL pattern binding ?k for ?x (OPTIONAL inside)
LABEL_KEY = (
    "OPTIONAL { ?x skos:prefLabel ?len FILTER(LANGMATCHES(LANG(?len), 'en')) } "
    "OPTIONAL { ?x rdfs:label|foaf:name|dcterms:title ?lany } "
    "BIND(LCASE(STR(COALESCE(?len, ?lany, STR(?x)))) AS ?k)"
)
ID_KEY = "BIND(STR(?x) AS ?k)"


def value_key(pred: str) -> str:
    return f"OPTIONAL {{ ?x {pred} ?k }}"


SEARCH_PROPS = "rdfs:label|skos:altLabel|hx:abbreviation|foaf:name|dcterms:title"


@dataclass
class ListQuery:
    """Filters (SPARQL patterns over ?x) for nodes of one class."""

    cls: str
    patterns: list[str] = field(default_factory=list)

    def search(self, text: str | None) -> None:
        if text:
            needle = sparql_string(text.lower())
            self.patterns.append(
                f"FILTER EXISTS {{ ?x {SEARCH_PROPS} ?n . "
                f"FILTER(CONTAINS(LCASE(STR(?n)), {needle})) }}"
            )

    def kind(self, vocab: str, slug: str | None) -> None:
        if slug:
            self.patterns.append(f"?x a <{slug_term(vocab, slug)}> .")

    def within(self, region: str | None) -> None:
        """Located in the place or in a place within it."""
        if region:
            self.patterns.append(f"?x hx:locatedIn/hx:partOf* <{entity_iri('place', region)}> .")

    def source(self, store: ox.Store, source: str | None) -> None:
        if source:
            self.patterns.append(source_filter(store, source))

    def where(self) -> str:
        return f"?x a <{hx(self.cls)}> . " + " ".join(self.patterns)


def known_iri(store: ox.Store, type_: str, ident: str, cls: str) -> str:
    """The IRI of the ``cls`` node with this id; UnknownId when the graph has none."""
    if SLUG.fullmatch(ident):
        iri = entity_iri(type_, ident)
        if store.query(f"ASK {{ <{iri}> a <{hx(cls)}> }}"):
            return iri
    raise UnknownId(type_, ident)


def record(store: ox.Store, type_: str, ident: str, cls: str) -> tuple[str, Facts, Facts]:
    """:func:`known_iri` with the node's outgoing and incoming facts."""
    iri = known_iri(store, type_, ident, cls)
    return iri, outgoing(store, [iri]).get(iri, {}), incoming(store, iri)


def source_filter(store: ox.Store, source: str) -> str:
    """Nodes that the source's graph gives a type."""
    return f"GRAPH <{source_graph(source)}> {{ ?x a ?anyType }}"


def page(
    store: ox.Store, q: ListQuery, key: str, descending: bool, limit: int, offset: int
) -> tuple[int, list[str]]:
    """The total count and the IRIs of one page, ordered by ``key`` (then IRI)."""
    count = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {q.where()} }}")
    total = int(count[0]["n"].value) if count else 0
    if offset >= total:
        return total, []
    order = "DESC(?key)" if descending else "ASC(?key)"
    rows = select(
        store,
        f"SELECT ?x (MIN(?k) AS ?key) WHERE {{ {q.where()} {key} }} GROUP BY ?x "
        f"ORDER BY {order} ?x LIMIT {int(limit)} OFFSET {int(offset)}",
    )
    return total, [r["x"].value for r in rows]


def summary_page(
    store: ox.Store,
    q: ListQuery,
    key: str,
    descending: bool,
    limit: int,
    offset: int,
    summaries: Callable[[ox.Store, list[str]], list[dict[str, Any]]],
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`page` with the summaries of its nodes."""
    total, iris = page(store, q, key, descending, limit, offset)
    return total, summaries(store, iris)
