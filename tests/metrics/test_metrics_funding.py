from __future__ import annotations

import networkx as nx
import pytest
from metric_graphs import snapshot

from helixgraph.metrics.funding import funding_flows, funding_totals


def flows() -> nx.DiGraph:
    F = nx.DiGraph()
    F.add_node("eu", helix="government")
    F.add_node("province", helix="government", regions=["groningen", "nl"])
    F.add_node("rug", helix="academia", regions=["groningen", "nl"])
    F.add_node("philips", helix="industry", regions=["nl"])
    F.add_node("umcg", helix=["academia", "government"])
    F.add_edge("eu", "rug", amount=100.0, by_year={"2019": 60.0, "2020": 40.0}, awards=2)
    F.add_edge("province", "rug", amount=10.0, by_year={"2020": 10.0}, awards=1)
    F.add_edge("province", "philips", amount=5.0, by_year={}, awards=1)
    F.add_edge("eu", "umcg", amount=1.0, awards=1)
    return F


def test_funding_totals_by_hand() -> None:
    t = funding_totals(flows())
    assert t["total"] == 116.0 and t["awards"] == 5
    assert t["by_funder"] == {"eu": 101.0, "province": 15.0}
    assert list(t["by_funder"]) == ["eu", "province"]  # largest first
    assert t["by_recipient_helix"] == {"academia": 111.0, "industry": 5.0, "government": 1.0}
    assert t["by_region"] == {"nl": 115.0, "groningen": 110.0, "unknown": 1.0}
    assert t["by_year"] == {"2019": 60.0, "2020": 50.0, "unknown": 6.0}
    assert t["helix_flows"]["government"] == {"academia": 111.0, "industry": 5.0, "government": 1.0}


def test_funding_flows_are_sorted_and_filterable() -> None:
    records = funding_flows(flows())
    assert [r["amount"] for r in records] == [100.0, 10.0, 5.0, 1.0]
    assert records[0]["by_year"] == {"2019": 60.0, "2020": 40.0}
    assert {r["funder"] for r in funding_flows(flows(), funders=["province"])} == {"province"}


def test_funding_does_not_mutate() -> None:
    F = flows()
    before = snapshot(F)
    funding_totals(F), funding_flows(F)
    assert snapshot(F) == before
    assert funding_totals(nx.DiGraph())["total"] == pytest.approx(0.0)
