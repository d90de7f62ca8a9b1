"""The projections from participations grouped by the store equal an independent oracle.

Compared with :mod:`tests.network.reference` (plain Python over the store's quads) on the
hand-written ecosystem, the seed graph and a seeded synthetic ecosystem with several
sources, duplicate facts, leads and participations, undated initiatives and participants
that are not organisations, under every kind of filter.
"""

from __future__ import annotations

import gc
import json
import random
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from helixgraph import network
from helixgraph.network import Filters
from helixgraph.store.access import open_store, replacing
from tests.network.reference import reference_bipartite_graph, reference_collaboration_graph
from tests.remote_store import store_path

ID = "https://w3id.org/helixgraph/id/"
SRC = "https://w3id.org/helixgraph/graph/source/"
IMPORT = "https://w3id.org/helixgraph/graph/import/synthetic"
TRIG = Path(__file__).parents[1] / "metrics" / "small_ecosystem.trig"
HELIX = ("academia", "industry", "government", "civilSociety")

FILTERS = [
    Filters(),
    Filters(region="r0"),
    Filters(region="north"),
    Filters(helix="industry"),
    Filters(source="s1"),
    Filters(source=IMPORT),
    Filters(start=2018, end=2019),
    Filters(start=2020),
    Filters(end=2017, include_undated=True),
    Filters(region="north", helix="academia", source="s2", start=2016, include_undated=True),
]
KINDS = [network.EVIDENCE_KINDS, ["initiative"], ["initiative", "membership", "partner_of"]]


def synthetic_trig(seed: int = 7, n_orgs: int = 120, n_inits: int = 50) -> str:
    """A random ecosystem in the shape of docs/data-model.md, in four named graphs."""
    rnd = random.Random(seed)
    graphs = [f"<{SRC}s{i}>" for i in range(3)] + [f"<{IMPORT}>"]
    lines: dict[str, list[str]] = {g: [] for g in graphs}

    def say(triple: str, where: str | None = None) -> None:
        lines[where or rnd.choice(graphs)].append(triple + " .")

    for r in range(4):
        say(f"<{ID}place/r{r}> hx:partOf <{ID}place/{'north' if r < 2 else 'south'}>")
    orgs = [f"<{ID}org/o{i}>" for i in range(n_orgs)]
    for i, o in enumerate(orgs):
        say(f'{o} a hx:Organisation ; skos:prefLabel "Org {i}"@en')
        for h in rnd.sample(HELIX, rnd.randint(0, 2)):
            say(f"{o} hx:helix hx:{h}")
        if rnd.random() < 0.8:
            say(f"{o} hx:locatedIn <{ID}place/r{rnd.randrange(4)}>")
        if rnd.random() < 0.1:
            say(f"{o} org:subOrganizationOf {rnd.choice(orgs)}")
    people = [f"<{ID}person/p{i}>" for i in range(5)]  # participants, not organisations
    for j in range(n_inits):
        init = f"<{ID}initiative/i{j}>"
        say(f'{init} a hx:Initiative ; rdfs:label "Initiative {j}"')
        if rnd.random() < 0.8:
            y = rnd.randint(2014, 2022)
            say(f'{init} hx:startDate "{y}-03-01"^^xsd:date')
            if rnd.random() < 0.7:
                say(f'{init} hx:endDate "{y + rnd.randint(0, 4)}-12-31"^^xsd:date')
        for o in rnd.sample(orgs + people, rnd.randint(1, 12)):
            for g in rnd.sample(graphs, rnd.choice((1, 1, 1, 2))):
                say(f"{o} {rnd.choice(('hx:participatesIn', 'hx:leads'))} {init}", g)
    stray = f"<{ID}initiative/untyped>"  # no rdf:type: not an initiative
    for o in orgs[:3]:
        say(f"{o} hx:participatesIn {stray}")
    for _ in range(60):
        a, b = rnd.sample(orgs, 2)
        say(f"{a} {rnd.choice(('org:memberOf', 'hx:partnerOf', 'hx:collaboratesWith'))} {b}")
    prefixes = (
        "@prefix hx: <https://w3id.org/helixgraph/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    )
    body = "".join(f"{g} {{\n" + "\n".join(ls) + "\n}\n" for g, ls in lines.items())
    return prefixes + body


def make_store(tmp: Path, trig: str) -> ox.Store:
    path = store_path(tmp / "store")
    with replacing(path) as st:
        st.load(trig.encode(), ox.RdfFormat.TRIG)
    return open_store(path)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return make_store(tmp_path_factory.mktemp("synthetic"), synthetic_trig())


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return make_store(tmp_path_factory.mktemp("small"), TRIG.read_text())


def canonical(G: Any) -> tuple[Any, ...]:
    """Nodes in order with attributes, graph attributes, and edges with evidence sorted
    (the order of evidence items was the store's row order before; now it is sorted)."""
    edges = {}
    for u, v, d in G.edges(data=True):
        d = dict(d)
        if "evidence" in d:
            d["evidence"] = sorted(d["evidence"], key=lambda e: json.dumps(e, sort_keys=True))
        edges[(min(u, v), max(u, v))] = d
    return list(G.nodes(data=True)), G.graph, edges


def test_synthetic_store_exercises_every_evidence_kind(synthetic: ox.Store) -> None:
    G = network.collaboration_graph(synthetic)
    kinds = {e["kind"] for _, _, d in G.edges(data=True) for e in d["evidence"]}
    assert kinds == set(network.EVIDENCE_KINDS)
    assert any(len(e["sources"]) > 1 for _, _, d in G.edges(data=True) for e in d["evidence"])
    assert G.number_of_edges() > 500


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: json.dumps(f.as_dict()))
@pytest.mark.parametrize("kinds", KINDS, ids=len)
def test_same_graph_as_before_on_synthetic_store(
    synthetic: ox.Store, filters: Filters, kinds: list[str]
) -> None:
    new = network.collaboration_graph(synthetic, filters, kinds)
    assert canonical(new) == canonical(reference_collaboration_graph(synthetic, filters, kinds))


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: json.dumps(f.as_dict()))
def test_same_bipartite_graph_as_before_on_synthetic_store(
    synthetic: ox.Store, filters: Filters
) -> None:
    new = network.bipartite_graph(synthetic, filters)
    assert canonical(new) == canonical(reference_bipartite_graph(synthetic, filters))
    assert list(new.edges()) == list(reference_bipartite_graph(synthetic, filters).edges())


@pytest.mark.parametrize("filters", FILTERS[:1] + [Filters(source="s2"), Filters(start=2021)])
def test_same_graph_as_before_on_small_store(small: ox.Store, filters: Filters) -> None:
    new = network.collaboration_graph(small, filters)
    old = reference_collaboration_graph(small, filters, network.EVIDENCE_KINDS)
    assert canonical(new) == canonical(old)


def test_same_graph_as_before_on_seed(seed_store: Path) -> None:
    seed = open_store(seed_store)
    for filters in (Filters(), Filters(region="noord-nederland"), Filters(start=2020)):
        new = network.collaboration_graph(seed, filters)
        old = reference_collaboration_graph(seed, filters, network.EVIDENCE_KINDS)
        assert canonical(new) == canonical(old)
        bipartite = network.bipartite_graph(seed, filters)
        assert canonical(bipartite) == canonical(reference_bipartite_graph(seed, filters))


@pytest.mark.parametrize("filters", [Filters(), Filters(region="north", start=2018)])
def test_without_evidence_edges_and_weights_are_the_same(
    synthetic: ox.Store, filters: Filters
) -> None:
    full = network.collaboration_graph(synthetic, filters)
    bare = network.collaboration_graph(synthetic, filters, evidence=False)
    assert list(bare.nodes(data=True)) == list(full.nodes(data=True))
    weights = {(min(u, v), max(u, v)): d for u, v, d in bare.edges(data=True)}
    assert weights == {
        (min(u, v), max(u, v)): {"weight": d["weight"]} for u, v, d in full.edges(data=True)
    }


def test_evidence_items_are_ordered_by_initiative(synthetic: ox.Store) -> None:
    G = network.collaboration_graph(synthetic, kinds=["initiative"])
    for _, _, d in G.edges(data=True):
        vias = [e["via"] for e in d["evidence"]]
        assert vias == sorted(vias)


def test_the_garbage_collector_is_paused_during_a_projection(synthetic: ox.Store) -> None:
    projections = {"collaboration_graph", "bipartite_graph", "funding_graph", "people_graph"}
    inside: list[str] = []

    def record(phase: str, info: dict[str, int]) -> None:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_name in projections and phase == "start":
                inside.append(frame.f_code.co_name)
            frame = frame.f_back  # type: ignore[assignment]

    threshold = gc.get_threshold()
    gc.set_threshold(1)  # without the pause the collector would run many times
    gc.callbacks.append(record)
    try:
        for name in sorted(projections):
            getattr(network, name)(synthetic)
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*threshold)
    assert inside == [] and gc.isenabled()
