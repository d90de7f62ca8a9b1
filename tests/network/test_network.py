"""Projections from a small hand-written store (shaped as docs/data-model.md says) and the seed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from helixgraph import network
from helixgraph.network import Filters, ProjectionError
from helixgraph.store.access import open_store, replacing

ID = "https://w3id.org/helixgraph/id/"

TRIG = Path(__file__).parents[1] / "metrics" / "small_ecosystem.trig"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    path = tmp_path_factory.mktemp("net") / "store"
    with replacing(path) as st:
        st.load(TRIG.read_bytes(), ox.RdfFormat.TRIG)
    return open_store(path)


def o(slug: str) -> str:
    return f"{ID}org/{slug}"


def edges(G: Any) -> dict[frozenset[str], int]:
    return {
        frozenset((u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1])): d["weight"]
        for u, v, d in G.edges(data=True)
    }


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def test_collaboration_graph_nodes_attributes_and_weights(store: ox.Store) -> None:
    G = network.collaboration_graph(store)
    assert len(G) == 8 and G.graph["projection"] == "collaboration"
    rug = G.nodes[o("rug")]
    assert rug["label"] == "University of Groningen" and rug["id"] == "rug"
    assert rug["regions"] == ["groningen", "netherlands", "noord-nederland"]
    assert G.nodes[o("umcg")]["helices"] == ["academia", "civil_society"]
    assert G.nodes[o("umcg")]["helix"] == "academia"
    assert G.nodes[o("faculty")]["regions"] == rug["regions"]  # inherited from its parent
    assert G.nodes[o("philips")]["regions"] == []
    assert edges(G) == {
        pair("rug", "umcg"): 1,
        pair("rug", "philips"): 1,
        pair("umcg", "philips"): 2,
        pair("snn", "rug"): 2,
        pair("snn", "umcg"): 1,
        pair("snn", "philips"): 1,
        pair("rug", "ut"): 1,
        pair("ut", "demcon"): 2,
        pair("demcon", "cluster"): 1,
        pair("ut", "cluster"): 1,
    }
    assert G.degree(o("faculty")) == 0


def test_collaboration_evidence_names_the_shared_thing_and_its_sources(store: ox.Store) -> None:
    G = network.collaboration_graph(store)
    ev = sorted(G[o("umcg")][o("philips")]["evidence"], key=lambda e: e["kind"])
    assert ev == [
        {"kind": "initiative", "via": f"{ID}initiative/p1", "sources": ["s1"]},
        {"kind": "partner_of", "via": None, "sources": ["s2"]},
    ]
    kinds = {e["kind"] for e in G[o("ut")][o("demcon")]["evidence"]}
    assert kinds == {"initiative", "membership"}
    snn_rug = {e["kind"]: e["sources"] for e in G[o("snn")][o("rug")]["evidence"]}
    assert snn_rug == {"initiative": ["s1", "s2"], "collaborates_with": ["s1"]}


def test_collaboration_kinds_restrict_evidence(store: ox.Store) -> None:
    G = network.collaboration_graph(store, kinds=["membership"])
    assert edges(G) == {pair("ut", "demcon"): 1}
    with pytest.raises(ProjectionError, match="unknown evidence kinds"):
        network.collaboration_graph(store, kinds=["friendship"])


def test_region_filter_is_transitive_over_places_and_parents(store: ox.Store) -> None:
    G = network.collaboration_graph(store, Filters(region="noord-nederland"))
    assert {G.nodes[v]["id"] for v in G} == {"rug", "umcg", "snn", "faculty"}
    assert edges(G) == {pair("rug", "umcg"): 1, pair("snn", "rug"): 2, pair("snn", "umcg"): 1}
    twente = network.collaboration_graph(store, Filters(region=f"{ID}place/twente"))
    assert {twente.nodes[v]["id"] for v in twente} == {"ut", "demcon", "cluster"}


def test_helix_filter(store: ox.Store) -> None:
    G = network.collaboration_graph(store, Filters(helix="academia"))
    assert {G.nodes[v]["id"] for v in G} == {"rug", "umcg", "faculty", "ut"}
    assert edges(G) == {pair("rug", "umcg"): 1, pair("rug", "ut"): 1}
    with pytest.raises(ProjectionError, match="helix"):
        Filters(helix="academic")


def test_source_filter_keeps_only_facts_that_source_states(store: ox.Store) -> None:
    G = network.collaboration_graph(store, Filters(source="s2"))
    assert {G.nodes[v]["id"] for v in G} == {"umcg", "philips", "snn", "ut", "demcon", "cluster"}
    assert edges(G) == {
        pair("umcg", "philips"): 1,
        pair("ut", "demcon"): 2,
        pair("demcon", "cluster"): 1,
        pair("ut", "cluster"): 1,
    }


def test_time_window_keeps_overlapping_dated_initiatives(store: ox.Store) -> None:
    G = network.collaboration_graph(store, Filters(start=2019, end=2021))
    assert edges(G) == {
        pair("rug", "umcg"): 1,
        pair("rug", "philips"): 1,
        pair("umcg", "philips"): 1,
        pair("snn", "rug"): 1,
        pair("snn", "umcg"): 1,
        pair("snn", "philips"): 1,
    }
    later = network.collaboration_graph(store, Filters(start=2021))
    assert edges(later) == {pair("ut", "demcon"): 1}  # p2 starts 2022, open-ended
    undated = network.collaboration_graph(
        store, Filters(start=2019, end=2021, include_undated=True)
    )
    assert undated[o("rug")][o("ut")]["weight"] == 1 and undated[o("snn")][o("rug")]["weight"] == 2
    with pytest.raises(ProjectionError, match="ends before"):
        Filters(start=2022, end=2020)


def test_bipartite_graph(store: ox.Store) -> None:
    B = network.bipartite_graph(store)
    inits = {v for v, d in B.nodes(data=True) if d["bipartite"] == 1}
    assert {B.nodes[v]["id"] for v in inits} == {"p1", "p2", "p3"}
    p1 = f"{ID}initiative/p1"
    assert B.nodes[p1]["start"] == 2018 and B.nodes[p1]["end"] == 2020
    assert B.nodes[p1]["label"] == "Project one"
    assert B[o("snn")][p1] == {"relations": ["leads"], "sources": ["s2"]}
    assert {B.nodes[v]["id"] for v in B[p1]} == {"rug", "umcg", "philips", "snn"}
    assert nx.is_bipartite(B)
    windowed = network.bipartite_graph(store, Filters(end=2019))
    assert {
        windowed.nodes[v]["id"] for v, d in windowed.nodes(data=True) if d["bipartite"] == 1
    } == {"p1"}


def test_funding_graph_sums_by_pair_and_year(store: ox.Store) -> None:
    F = network.funding_graph(store)
    e = F[o("snn")][o("rug")]
    assert (
        e["amount"] == 1500.0
        and e["awards"] == 2
        and e["by_year"] == {"2019": 1000.0, "2020": 500.0}
    )
    assert F[o("snn")][f"{ID}initiative/p1"]["by_year"] == {"unknown": 200.0}
    assert (
        F[o("snn")][o("philips")]["unknown_amount"] == 1
        and F[o("snn")][o("philips")]["amount"] == 0
    )
    assert [a["award"].rsplit("/", 1)[-1] for a in F.graph["unattributed"]] == ["a4"]
    assert F.graph["skipped_other_currency"] == 1
    assert F.nodes[o("rug")]["helix"] == "academia"
    assert o("ut") not in F
    G = network.funding_graph(store, unknown_funder="not-stated")
    assert G["not-stated"][o("ut")]["amount"] == 42.0
    assert G.nodes["not-stated"]["kind"] == "unknown" and len(G.graph["unattributed"]) == 1


def test_funding_graph_filters(store: ox.Store) -> None:
    groningen = network.funding_graph(store, Filters(region="groningen"))
    assert list(groningen.edges()) == [(o("snn"), o("rug"))]
    assert (
        network.funding_graph(store, Filters(start=2020, end=2020))[o("snn")][o("rug")]["amount"]
        == 500.0
    )
    s2 = network.funding_graph(store, Filters(source="s2"))
    assert [(u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1]) for u, v in s2.edges()] == [("snn", "p1")]


def test_people_graph(store: ox.Store) -> None:
    P = network.people_graph(store)
    alice, bob = f"{ID}person/alice", f"{ID}person/bob"
    assert P[alice][o("umcg")] == {"roles": ["ceo"], "relations": ["holds_post"], "sources": ["s1"]}
    assert P[bob][o("ut")]["relations"] == ["member_of"]
    assert f"{ID}person/carol" not in P  # a post in an initiative, not an organisation
    assert P.nodes[alice]["label"] == "Alice" and P.nodes[alice]["bipartite"] == 0
    assert f"{ID}person/bob" not in network.people_graph(store, Filters(source="s1"))


def test_metrics_run_on_projections(store: ox.Store) -> None:
    from helixgraph.metrics import brokerage, ei_index, helix_synergy

    G = network.collaboration_graph(store)
    assert brokerage(G)["graph"]["raw"]["total"] > 0
    assert ei_index(G)["overall"] is not None
    B = network.bipartite_graph(store)
    projects = [v for v, d in B.nodes(data=True) if d["bipartite"] == 1]
    assert helix_synergy(B, projects, group="helices")["n"] == 3


def test_projections_on_the_real_seed_graph(seed_store: Path) -> None:
    seed = open_store(seed_store)
    G = network.collaboration_graph(seed)
    umcg = o("umcg")
    assert umcg in G and G.nodes[umcg]["helices"] == ["academia", "civil_society"]
    assert G.number_of_edges() > 0
    assert all(d["weight"] == len(d["evidence"]) > 0 for _, _, d in G.edges(data=True))
    groningen = network.collaboration_graph(seed, Filters(region="noord-nederland"))
    assert umcg in groningen and set(groningen) < set(G)
    assert network.bipartite_graph(seed).number_of_edges() > 0
    network.funding_graph(seed)
    network.people_graph(seed)
