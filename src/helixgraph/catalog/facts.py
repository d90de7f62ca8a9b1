"""What the store says about a few nodes, with the sources that say it.

Every query here reads the named graphs (``GRAPH ?g``) and keeps, for each statement, the ids
of the source graphs that hold it (the metadata graph counts as no source).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from helixgraph.catalog.terms import (
    DCT,
    FOAF,
    PREFIXES,
    RDFS,
    SKOS,
    literal_value,
    parse_iri,
    source_of_graph,
)

Term = ox.NamedNode | ox.Literal | ox.BlankNode


@dataclass
class Fact:
    value: Term
    sources: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.value.value

    @property
    def lang(self) -> str | None:
        return self.value.language if isinstance(self.value, ox.Literal) else None


# predicate IRI → the facts with that predicate, merged over graphs
Facts = dict[str, list[Fact]]


def select(store: ox.Store, query: str) -> list[dict[str, Term]]:
    result = store.query(PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in result]


def values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _merge(rows: Iterable[tuple[str, str, Term, Term | None]]) -> dict[str, Facts]:
    by_node: dict[str, dict[str, dict[Term, Fact]]] = defaultdict(lambda: defaultdict(dict))
    for node, pred, obj, graph in rows:
        fact = by_node[node][pred].setdefault(obj, Fact(obj))
        src = source_of_graph(graph.value) if isinstance(graph, ox.NamedNode) else None
        if src and src not in fact.sources:
            fact.sources.append(src)
    out: dict[str, Facts] = {}
    for node, preds in by_node.items():
        out[node] = {p: sorted(fs.values(), key=_fact_key) for p, fs in preds.items()}
        for facts in out[node].values():
            for f in facts:
                f.sources.sort()
    return out


def _fact_key(f: Fact) -> tuple[str, str]:
    return (f.value.value, f.lang or "")


def outgoing(store: ox.Store, iris: Iterable[str]) -> dict[str, Facts]:
    """For each node: predicate → objects (with sources)."""
    iris = list(dict.fromkeys(iris))
    if not iris:
        return {}
    rows = select(
        store,
        f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values(iris)} }} GRAPH ?g {{ ?s ?p ?o }} }}",
    )
    return _merge((r["s"].value, r["p"].value, r["o"], r.get("g")) for r in rows)


def incoming(store: ox.Store, iri: str) -> Facts:
    """Predicate → subjects (with sources) of the statements whose object is ``iri``."""
    rows = select(store, f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }}")
    return _merge((iri, r["p"].value, r["s"], r.get("g")) for r in rows).get(iri, {})


def first(facts: Facts, pred: str) -> Fact | None:
    found = facts.get(pred)
    return found[0] if found else None


def value(facts: Facts, pred: str) -> str | int | float | None:
    fact = first(facts, pred)
    return literal_value(fact.value) if fact else None


def lang_map(facts: Facts, pred: str) -> dict[str, str]:
    """Language-tagged literals as ``{lang: text}`` (the first text of each language)."""
    out: dict[str, str] = {}
    for f in facts.get(pred, []):
        out.setdefault(f.lang or "und", f.text)
    return out


def lang_texts(facts: Facts, pred: str) -> list[dict[str, object]]:
    return [{"text": f.text, "lang": f.lang, "sources": f.sources} for f in facts.get(pred, [])]


def all_sources(facts: Facts) -> list[str]:
    return sorted({s for fs in facts.values() for f in fs for s in f.sources})


def display_label(facts: Facts, fallback: str) -> str:
    """English preferred label, else any preferred label, name, label or title."""
    for pred in (SKOS + "prefLabel", FOAF + "name", RDFS + "label", DCT + "title"):
        found = facts.get(pred, [])
        for lang in ("en", "nl"):
            for f in found:
                if f.lang == lang:
                    return f.text
        if found:
            return found[0].text
    return fallback


def labels(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    """Display labels of the given nodes (the id when a node has none)."""
    iris = list(dict.fromkeys(iris))
    if not iris:
        return {}
    rows = select(
        store,
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values(iris)} }} "
        "VALUES ?p { skos:prefLabel foaf:name rdfs:label dcterms:title } "
        "?s ?p ?o }",
    )
    facts = _merge((r["s"].value, r["p"].value, r["o"], None) for r in rows)
    out = {}
    for i in iris:
        parsed = parse_iri(i)
        out[i] = display_label(facts.get(i, {}), parsed[1] if parsed else i)
    return out


def ref(iri: str, label: str | None = None, sources: list[str] | None = None) -> dict[str, object]:
    """A link to another node: type, id, IRI and label (and the sources of the link)."""
    parsed = parse_iri(iri)
    type_, ident = parsed if parsed else ("external", iri)
    out: dict[str, object] = {"type": type_, "id": ident, "iri": iri, "label": label or ident}
    if sources is not None:
        out["sources"] = sources
    return out
