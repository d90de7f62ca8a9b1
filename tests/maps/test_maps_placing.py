"""Where the map draws its nodes (helixgraph.maps.placing): spread by rank, a thin ring
for the isolates, funders beside what they fund, an ego's partners in ranked rings."""

from __future__ import annotations

import math

import networkx as nx

from helixgraph.maps.placing import ego_layout, place


def tie(D: nx.MultiDiGraph, a: str, b: str, weight: int = 1) -> None:
    D.add_edge(a, b, key="collaboration", relation="collaboration", weight=weight)


def test_a_dense_core_is_spread_and_the_isolates_ring_it_thinly() -> None:
    D = nx.MultiDiGraph()
    core = [f"c{i}" for i in range(50)]
    for i, v in enumerate(core):
        tie(D, v, core[(i + 1) % 50])
    alone = [f"alone-{i:04}" for i in range(2000)]
    D.add_nodes_from(alone)
    group = {v: "b" if i % 2 else "a" for i, v in enumerate(alone)}
    # a crowded core: every tied node within 0.01 of the centre
    positions = {v: (i / 5000 * math.cos(i), i / 5000 * math.sin(i)) for i, v in enumerate(core)}
    pos = place(D, positions, group=group)
    radii = sorted(math.hypot(*pos[v]) for v in core)
    assert radii[-1] > 0.9 and radii[0] < 0.2  # spread over the whole disc
    # 2,000 isolates take a band 1.08-1.13 around it (three rows), not a block beside it
    ring = [math.hypot(*pos[v]) for v in alone]
    assert min(ring) > 1.0 and max(ring) < 1.15
    assert len(set(pos.values())) == len(pos)
    # each group is one arc: the angles of group "a" and of "b" do not interleave
    angle = {v: (math.atan2(pos[v][1], pos[v][0]) - math.pi / 2) % (2 * math.pi) for v in alone}
    a = [angle[v] for v in alone if group[v] == "a"]
    b = [angle[v] for v in alone if group[v] == "b"]
    assert max(a) < min(b)


def test_a_funder_sits_among_what_it_funds() -> None:
    D = nx.MultiDiGraph()
    tie(D, "a", "b")
    D.add_edge("funder", "a", key="funding", relation="funding", amount=1.0)
    D.add_edge("funder", "b", key="funding", relation="funding", amount=1.0)
    pos = place(D, {"a": (0.0, 0.0), "b": (1.0, 0.0)}, spread=False)
    assert pos["funder"] == (0.5, 0.0)


def test_ego_rings_put_the_strongest_partners_nearest() -> None:
    D = nx.MultiDiGraph()
    for i, w in enumerate([1, 5, 3, 2]):
        tie(D, "hub", f"p{i}", weight=w)
    tie(D, "p1", "far")
    pos, ranked = ego_layout(D, "hub")
    assert pos["hub"] == (0.0, 0.0)
    assert [r["node"] for r in ranked] == ["p1", "p2", "p3", "p0", "far"]
    assert ranked[-1] == {"node": "far", "hop": 2, "via": "p1", "weight": 1.0}
    dist = {v: math.hypot(*p) for v, p in pos.items()}
    assert dist["p1"] < dist["p2"] < dist["p3"] < dist["p0"] < dist["far"]
