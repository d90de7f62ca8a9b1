"""The catalog library over the mini fixture store, and its agreement with plain SPARQL."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph import catalog
from helixgraph.store.access import open_store

HX = "https://w3id.org/helixgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module")
def store(mini_store: Path) -> ox.Store:
    return open_store(mini_store)


def sparql(store: ox.Store, query: str) -> set[tuple[str, ...]]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return {tuple(str(row[n].value) if row[n] is not None else "" for n in names)
            for row in result}


def test_region_filter_is_transitive(store: ox.Store) -> None:
    total, items = catalog.list_organisations(store, region="north")
    assert total == 5 and len(items) == 5
    total, _ = catalog.list_organisations(store, region="groningen")
    assert total == 3


def test_unknown_id_raises(store: ox.Store) -> None:
    with pytest.raises(catalog.UnknownId):
        catalog.organisation(store, "nope")
    with pytest.raises(catalog.UnknownId):
        catalog.source(store, "Bad Id")


def test_graph_version_is_the_build_id(store: ox.Store) -> None:
    version = catalog.graph_version(store)
    assert version == catalog.graph_version(store)
    found = sparql(store, "SELECT ?r WHERE { GRAPH <https://w3id.org/helixgraph/graph/meta> "
                          "{ ?r a <http://www.w3.org/ns/prov#Activity> } }")
    assert {r[0].rsplit("/", 1)[-1] for r in found} == {version}


@pytest.mark.parametrize("ident", ["uni", "hosp", "coop", "firm", "gov"])
def test_organisation_agrees_with_sparql(store: ox.Store, ident: str) -> None:
    org = catalog.organisation(store, ident)
    iri = f"<{org['iri']}>"
    names = sparql(store, f"SELECT ?l (LANG(?l) AS ?g) WHERE {{ {iri} <{SKOS}prefLabel> ?l }}")
    assert {(v, k) for k, v in org["names"].items()} == names
    types = sparql(store, f"SELECT ?t WHERE {{ {iri} a ?t FILTER(?t != <{HX}Organisation>) }}")
    assert {k["iri"] for k in org["kinds"]} == {t[0] for t in types}
    helices = sparql(store, f"SELECT ?h WHERE {{ {iri} <{HX}helix> ?h }}")
    assert {h["iri"] for h in org["helices"]} == {h[0] for h in helices}
    places = sparql(store, f"SELECT ?p WHERE {{ {iri} <{HX}locatedIn> ?p }}")
    assert {p["iri"] for p in org["places"]} == {p[0] for p in places}
    members = sparql(store, f"SELECT ?m WHERE {{ ?m <http://www.w3.org/ns/org#memberOf> {iri} }}")
    assert {m["iri"] for m in org["memberships"]["members"]} == {m[0] for m in members}
    awards = sparql(store, f"SELECT ?a WHERE {{ ?a <{HX}recipient> {iri} }}")
    assert {a["iri"] for a in org["funding_received"]} == {a[0] for a in awards}
    figures = sparql(store, f"SELECT ?f WHERE {{ ?f <{HX}about> {iri} }}")
    assert {f["iri"] for f in org["figures"]} == {f[0] for f in figures}
    graphs = sparql(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {iri} ?p ?o }} }}")
    assert set(org["sources"]) == {g[0].rsplit("/", 1)[-1] for g in graphs}
