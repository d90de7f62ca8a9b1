"""Source documents: their description and what each one states."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog.facts import incoming, labels, outgoing, ref, select, value
from helixgraph.catalog.listing import (
    ID_KEY,
    LABEL_KEY,
    ListQuery,
    known_iri,
    value_key,
)
from helixgraph.catalog.page import BY_ID, Page
from helixgraph.catalog.terms import DCT, RDFS, SCHEMA, TYPE_CLASS, hx
from helixgraph.vocab.namespace import source_graph

Json = dict[str, Any]
SORT_KEYS = {"label": LABEL_KEY, "id": ID_KEY, "date": value_key("dcterms:date")}
STATED = ("organisation", "person", "initiative", "place", "award")


def list_sources(
    store: ox.Store,
    page: Page = BY_ID,
    *,
    q: str | None = None,
    language: str | None = None,
) -> tuple[int, list[Json]]:
    lq = ListQuery("SourceDocument")
    lq.search(q)
    if language:
        lq.patterns.append(f"?x dcterms:language {ox.Literal(language)} .")
    return page.of(store, lq, SORT_KEYS, summaries)


def triple_counts(store: ox.Store, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    graphs = " ".join(f"<{source_graph(i)}>" for i in ids)
    rows = select(
        store,
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} "
        "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    )
    return {r["g"].value.rsplit("/", 1)[-1]: int(r["n"].value) for r in rows}


def summaries(store: ox.Store, iris: list[str]) -> list[Json]:
    nodes = outgoing(store, iris)
    ids = [i.rsplit("/", 1)[-1] for i in iris]
    counts = triple_counts(store, ids)
    translated = [
        f.value.value for i in iris for f in nodes.get(i, {}).get(hx("translationOf"), [])
    ]
    names = labels(store, translated)
    out = []
    for i, ident in zip(iris, ids, strict=True):
        fx = nodes.get(i, {})
        tr = fx.get(hx("translationOf"), [])
        out.append(
            {
                "type": "source",
                "id": ident,
                "iri": i,
                "label": str(value(fx, DCT + "title") or ident),
                "title": str(value(fx, DCT + "title") or ident),
                "language": value(fx, DCT + "language"),
                "publisher": value(fx, DCT + "publisher"),
                "date": value(fx, DCT + "date"),
                "url": value(fx, SCHEMA + "url"),
                "seed_file": value(fx, hx("seedFile")),
                "note": value(fx, RDFS + "comment"),
                "translation_of": ref(tr[0].value.value, names[tr[0].value.value]) if tr else None,
                "triples": counts.get(ident, 0),
            }
        )
    return out


def stated_entities(store: ox.Store, ident: str) -> dict[str, list[Json]]:
    """The organisations, people, … whose type the source's graph states, by type."""
    g = source_graph(ident)
    out: dict[str, list[Json]] = {}
    for type_ in STATED:
        cls = TYPE_CLASS[type_]
        rows = select(
            store, f"SELECT DISTINCT ?x WHERE {{ GRAPH <{g}> {{ ?x a hx:{cls} }} }} ORDER BY ?x"
        )
        iris = [r["x"].value for r in rows]
        names = labels(store, iris)
        out[type_] = [ref(i, names[i]) for i in iris]
    return out


def statement_counts(store: ox.Store, ident: str) -> dict[str, int]:
    g = source_graph(ident)
    out = {}
    for key, cls in (
        ("relations", "LinkEvidence"),
        ("posts", "Post"),
        ("figures", "Figure"),
        ("awards", "FundingAward"),
    ):
        rows = select(
            store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <{g}> {{ ?x a hx:{cls} }} }}"
        )
        out[key] = int(rows[0]["n"].value)
    return out


def source(store: ox.Store, ident: str) -> Json:
    iri = known_iri(store, "source", ident, "SourceDocument")
    item = summaries(store, [iri])[0]
    translations = [f.value.value for f in incoming(store, iri).get(hx("translationOf"), [])]
    names = labels(store, translations)
    item.update(
        translations=[ref(t, names[t]) for t in translations],
        states=stated_entities(store, ident),
        statement_counts=statement_counts(store, ident),
    )
    return item
