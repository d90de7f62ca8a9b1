from __future__ import annotations

import importlib
import itertools
import math
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from metric_graphs import random_graph, snapshot

from helixgraph.metrics.brokerage import BROKERAGE_ROLES, brokerage


def reference_counts(G: Any, group: str = "helix") -> dict[Any, dict[str, int]]:
    """Walk every ordered two-path i -> j -> k, as sna's C routine brokerage_R does."""
    D = G if G.is_directed() else G.to_directed()
    cl = {v: G.nodes[v].get(group) for v in G}
    out = {v: dict.fromkeys((*BROKERAGE_ROLES, "total"), 0) for v in G}
    for i in D:
        for j in D.successors(i):
            if j == i:
                continue
            for k in D.successors(j):
                if k in (i, j) or D.has_edge(i, k):
                    continue
                if cl[j] == cl[i]:
                    role = "coordinator" if cl[j] == cl[k] else "representative"
                elif cl[j] == cl[k]:
                    role = "gatekeeper"
                elif cl[i] == cl[k]:
                    role = "itinerant"
                else:
                    role = "liaison"
                out[j][role] += 1
                out[j]["total"] += 1
    return out


def test_each_role_on_a_hand_made_directed_graph() -> None:
    G = nx.DiGraph()
    helix = {"u1": "U", "u2": "U", "u3": "U", "i1": "I", "i2": "I", "g1": "G"}
    G.add_nodes_from((v, {"helix": h}) for v, h in helix.items())
    G.add_edges_from(
        [
            ("u1", "u2"),
            ("u2", "u3"),  # u2 coordinates u1 -> u3
            ("i1", "u1"),
            ("u1", "i2"),  # u1 itinerant between i1 and i2 (and u1 -> u2 -> u3 above)
            ("u3", "g1"),  # u3: u2 -> u3 -> g1 is representative
            ("g1", "i1"),  # g1: u3 -> g1 -> i1 liaison; i1: g1 -> i1 -> u1 liaison
        ]
    )
    r = brokerage(G)["nodes"]
    assert r["u2"]["raw"] == {
        "coordinator": 1,
        "itinerant": 0,
        "representative": 0,
        "gatekeeper": 0,
        "liaison": 0,
        "total": 1,
    }
    # u1 brokers i1 -> u1 -> i2 (itinerant), i1 -> u1 -> u2 (gatekeeper)
    assert r["u1"]["raw"]["itinerant"] == 1 and r["u1"]["raw"]["gatekeeper"] == 1
    assert r["u3"]["raw"]["representative"] == 1
    assert r["g1"]["raw"]["liaison"] == 1
    assert r["i1"]["raw"]["liaison"] == 1  # g1 -> i1 -> u1
    assert r == {v: r[v] for v in G}


def test_a_tie_from_a_to_c_closes_the_path_but_one_from_c_to_a_does_not() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, "U", "helix")
    G.add_edge("c", "a")
    assert brokerage(G)["nodes"]["b"]["raw"]["coordinator"] == 1
    G.add_edge("a", "c")
    assert brokerage(G)["nodes"]["b"]["raw"]["coordinator"] == 0


def test_undirected_open_paths_count_twice_and_representative_equals_gatekeeper() -> None:
    G = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "U", "b": "U", "c": "I"}, "helix")
    raw = brokerage(G)["nodes"]["b"]["raw"]
    assert raw["representative"] == 1 and raw["gatekeeper"] == 1 and raw["total"] == 2


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 14),
    p=st.floats(0.05, 0.6),
    seed=st.integers(0, 10_000),
    directed=st.booleans(),
)
def test_raw_counts_match_a_direct_walk_of_two_paths(
    n: int, p: float, seed: int, directed: bool
) -> None:
    G = random_graph(n, p, seed, directed=directed)
    result = brokerage(G)
    expected = reference_counts(G)
    assert {v: result["nodes"][v]["raw"] for v in G} == expected
    for role in (*BROKERAGE_ROLES, "total"):
        assert result["graph"]["raw"][role] == sum(expected[v][role] for v in G)


def test_expected_values_by_hand_from_gould_fernandez_table() -> None:
    # N = 6 nodes in groups of 3, 2 and 1; 6 arcs -> d = 6 / 30 = 0.2, d^2 (1 - d) = 0.032
    G = nx.DiGraph([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0)])
    nx.set_node_attributes(G, {0: "A", 1: "A", 2: "A", 3: "B", 4: "B", 5: "C"}, "helix")
    r = brokerage(G)
    assert r["density"] == pytest.approx(0.2)
    e = r["nodes"][0]["expected"]  # broker in the group of 3
    assert e["coordinator"] == pytest.approx(0.032 * 2 * 1)
    assert e["itinerant"] == pytest.approx(0.032 * (2 * 1 + 1 * 0))
    assert e["representative"] == pytest.approx(0.032 * 3 * 2)
    assert e["gatekeeper"] == pytest.approx(0.032 * 3 * 2)
    assert e["liaison"] == pytest.approx(0.032 * (3 * 3 - (4 + 1)))
    assert e["total"] == pytest.approx(0.032 * 5 * 4)
    # variance of the coordinator count: E (1 - d^2 (1 - d)) + 2 (n-1)(n-2)(n-3) d^3 (1-d)^3
    assert r["nodes"][0]["sd"]["coordinator"] == pytest.approx(math.sqrt(0.064 * (1 - 0.032)))
    assert r["graph"]["expected"]["total"] == pytest.approx(0.032 * 6 * 5 * 4)
    z = r["nodes"][0]["z"]["total"]
    assert z == pytest.approx((r["nodes"][0]["raw"]["total"] - 0.64) / r["nodes"][0]["sd"]["total"])


def test_graph_expectations_are_the_sum_of_node_expectations() -> None:
    G = random_graph(40, 0.1, seed=12, directed=True)
    r = brokerage(G)
    for role in (*BROKERAGE_ROLES, "total"):
        total = sum(r["nodes"][v]["expected"][role] for v in G)
        assert r["graph"]["expected"][role] == pytest.approx(total)
    assert r["graph"]["sd"]["total"] > 0


def test_global_liaison_variance_matches_sna_formula_for_three_singletons() -> None:
    # three groups of one node, N = 3: only the permutation terms of sna's loop remain
    G = nx.DiGraph([(0, 1)])
    G.add_node(2)
    nx.set_node_attributes(G, {0: "A", 1: "B", 2: "C"}, "helix")
    d = 1 / 6
    c, c3, c4, c5 = d**2 * (1 - d), d**3 * (1 - d) ** 3, d**4 * (1 - d) ** 2, d**5 * (1 - d)
    e = c * 6 * 1  # sum over ordered pairs i != j of 1 * 1 * (3 - 2)
    per = (4 * 2 - 2 * 3) * c3 - (4 * 2 - 2 * 3) * c4 + (3 - 3) * c5
    r = brokerage(G)
    assert r["graph"]["expected"]["liaison"] == pytest.approx(e)
    assert r["graph"]["sd"]["liaison"] == pytest.approx(math.sqrt(e * (1 - c) + 6 * per))


def test_zero_variance_gives_none_z_and_missing_groups_form_their_own_group() -> None:
    G = nx.Graph()
    G.add_nodes_from(["a", "b", "c"])
    r = brokerage(G)
    assert r["density"] == 0 and r["nodes"]["a"]["z"]["total"] is None
    H = nx.Graph([("a", "b"), ("b", "c")])
    H.nodes["a"]["helix"] = "U"
    H.nodes["c"]["helix"] = "I"
    assert brokerage(H)["nodes"]["b"]["raw"]["liaison"] == 2
    assert None in brokerage(H)["groups"]


def test_brokerage_does_not_mutate_input() -> None:
    G = random_graph(20, 0.2, seed=2, directed=True)
    before = snapshot(G)
    brokerage(G)
    assert snapshot(G) == before


def test_itertools_sanity_of_roles() -> None:
    assert len(set(itertools.chain(BROKERAGE_ROLES))) == 5


@pytest.mark.parametrize("directed", [False, True])
def test_sparse_engine_counts_as_the_python_walk(
    directed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # from SPARSE_FROM ties on the default engine counts with sparse products; the
    # networkx engine walks the two-paths in Python: the same counts, node by node
    module = importlib.import_module("helixgraph.metrics.brokerage")
    monkeypatch.setattr(module, "SPARSE_FROM", 1)
    G = random_graph(60, 0.12, seed=21, directed=directed)
    G.add_edge(0, 0)  # a self-loop: no two-path
    G.add_node("alone")
    del G.nodes[1]["helix"]  # no group: a group of its own (None)
    fast = brokerage(G)
    assert fast == brokerage(G, engine="networkx")
    assert fast["graph"]["raw"]["total"] > 0
