"""The precompute's reads: a SELECT asked again is answered from its kept solutions
(helixgraph.analytics.replay), and each view is projected once for all its metric
families (helixgraph.analytics.views) -- with the same results as reading the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from helixgraph import network
from helixgraph.analytics import suite
from helixgraph.analytics.replay import ReplayStore
from helixgraph.analytics.views import Projections
from helixgraph.store.access import open_store, replacing

TRIG = Path(__file__).parents[1] / "metrics" / "small_ecosystem.trig"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    path = tmp_path_factory.mktemp("replay") / "store"
    with replacing(path) as st:
        st.load(TRIG.read_bytes(), ox.RdfFormat.TRIG)
    return open_store(path)


def solutions(result: ox.QuerySolutions) -> list[list[object]]:
    names = [v.value for v in result.variables]
    return [[s[n] for n in names] for s in result]


def test_a_select_asked_again_is_replayed_with_the_same_solutions(store: ox.Store) -> None:
    reads = ReplayStore(store)
    q = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?p ?o"
    direct = solutions(store.query(q))  # type: ignore[arg-type]
    assert direct
    first, second, third = (solutions(reads.query(q)) for _ in range(3))
    assert first == second == third == direct  # terms intact: literals, languages, types
    assert (reads.misses, reads.hits) == (2, 1)  # kept from its second asking on
    assert reads.query(f"ASK {{ GRAPH ?g {{ {direct[0][0]} ?p ?o }} }}")  # not a SELECT
    assert list(reads.named_graphs()) == list(store.named_graphs())  # the store's own


def test_replay_keeps_nothing_past_its_limit(store: ox.Store) -> None:
    reads = ReplayStore(store, limit=10)
    q = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    for _ in range(3):
        assert solutions(reads.query(q))
    assert reads.kept == 0 and reads.hits == 0


def test_projections_are_made_once_per_view_and_equal_the_network_ones(store: ox.Store) -> None:
    project = Projections(ReplayStore(store), views=2)
    whole, twente = network.Filters(), network.Filters(region="twente")
    G = project.collaboration(whole)
    assert project.collaboration(whole) is G
    reference = network.collaboration_graph(store, whole, evidence=False)
    assert list(G.nodes(data=True)) == list(reference.nodes(data=True))
    assert list(G.edges(data=True)) == list(reference.edges(data=True))
    assert nx.utils.graphs_equal(project.bipartite(twente), network.bipartite_graph(store, twente))
    assert G.number_of_edges() and project.made == 2
    project.funding(network.Filters(helix="industry"))  # a third view: the first one goes
    assert project.collaboration(whole) is not G and project.made == 4


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 12)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def test_store_metrics_on_shared_projections_equal_fresh_ones(store: ox.Store) -> None:
    project = Projections(ReplayStore(store))
    f = network.Filters()
    for family in suite.STORE_FAMILIES:
        shared = suite.store_metrics(store, family, f, projections=project)
        # (ARPACK's eigenvector differs in the last digits from one call to the next)
        assert rounded(shared) == rounded(suite.store_metrics(store, family, f)), family
    # the map's metrics and the families share communities and brokerage, as copies
    G = project.collaboration(f)
    first = suite.brokerage_summary(G)
    first["nodes"].clear()
    assert suite.brokerage_summary(G)["nodes"]


def test_kept_rows_are_the_readers_rows_and_each_caller_gets_its_own(store: ox.Store) -> None:
    from helixgraph.network import readers

    reads: Any = ReplayStore(store)  # a store as the readers read one
    q = "SELECT ?o ?h WHERE { ?o a hx:Organisation ; hx:helix ?h } ORDER BY ?o ?h"
    direct = list(readers.rows(store, q))
    assert direct
    first = list(readers.rows(reads, q))
    first[0]["o"] = "changed by a caller"
    assert list(readers.rows(reads, q)) == direct  # kept, and not changed by the caller
    assert reads.hits == 1 and reads.row_cells == 2 * len(direct)
    tight: Any = ReplayStore(store, row_limit=1)  # past its limit: read each time, the same rows
    assert list(readers.rows(tight, q)) == list(readers.rows(tight, q)) == direct
    assert tight.row_cells == 0
    with pytest.raises(TypeError, match="not a SELECT"):
        reads.kept_rows("ASK { ?s ?p ?o }")


def test_all_organisations_read_once_per_replay_and_copied_for_each_caller(
    store: ox.Store,
) -> None:
    from helixgraph.network import readers

    reads: Any = ReplayStore(store)
    direct = readers.all_organisations(store)
    first = readers.all_organisations(reads)
    assert first == direct and list(first) == list(direct)
    org = next(iter(first))
    first[org]["helices"].append("changed by a caller")
    first[org]["label"] = "changed"
    again = readers.all_organisations(reads)
    assert again == direct  # the kept value is not the caller's
    assert list(reads._memo) == ["all_organisations"]
