"""``brokerage_summary`` says when a network has no open two-path to broker."""

from __future__ import annotations

import networkx as nx

from helixgraph.analytics.suite import NO_OPEN_TWO_PATHS, brokerage_summary


def test_a_complete_graph_has_no_brokerage_and_says_so() -> None:
    G = nx.complete_graph(5)
    nx.set_node_attributes(G, {v: ("academia", "industry")[v % 2] for v in G}, "helix")
    r = brokerage_summary(G)
    assert all(x == 0 for x in r["graph"]["raw"].values())
    assert r["note"] == NO_OPEN_TWO_PATHS
    assert "no open two-paths" in r["note"]


def test_an_open_two_path_leaves_no_note() -> None:
    G = nx.path_graph(3)
    nx.set_node_attributes(G, "academia", "helix")
    r = brokerage_summary(G)
    assert r["graph"]["raw"]["total"] == 2  # 0 -> 1 -> 2 and back
    assert r["note"] is None
