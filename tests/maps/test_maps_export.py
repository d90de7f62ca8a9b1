"""Exports parse back with networkx with the same nodes and edges; the CLI writes them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from helixgraph.cli.main import app
from helixgraph.maps import MapOptions, build_view, export
from helixgraph.store.access import open_store

ALL = ("collaboration", "membership", "funding", "posts")


@pytest.fixture(scope="module")
def graph(seed_store: Path) -> nx.MultiDiGraph:
    store = open_store(seed_store, read_only=True)
    return build_view(store, MapOptions(relations=ALL, brokers="liaison", color="community")).graph


def edges(G: nx.Graph) -> set[tuple[str, str, str]]:
    out = set()
    for u, v, d in G.edges(data=True):
        a, b = (u, v) if d.get("directed") in (True, "True") or u < v else (v, u)
        out.add((a, b, d["relation"]))
    return out


def test_graphml_round_trip(graph: nx.MultiDiGraph) -> None:
    back = nx.read_graphml(io.StringIO(export.graphml(graph)), force_multigraph=True)
    assert set(back) == set(graph) and edges(back) == edges(graph)
    assert back.is_directed()  # funding runs one way
    umcg = back.nodes["https://w3id.org/helixgraph/id/org/umcg"]
    assert umcg["label"] == "University Medical Center Groningen"
    assert umcg["sources"] == "s000;s001" and isinstance(umcg["pagerank"], float)


def test_gexf_round_trip(graph: nx.MultiDiGraph) -> None:
    back = nx.read_gexf(io.StringIO(export.gexf(graph)))
    assert set(back) == set(graph) and edges(back) == edges(graph)
    assert back.nodes["https://w3id.org/helixgraph/id/org/umcg"]["slug"] == "umcg"


def test_node_link_json_round_trip(graph: nx.MultiDiGraph) -> None:
    data = json.loads(export.node_link(graph))
    back = nx.node_link_graph(data, edges="edges")
    assert set(back) == set(graph) and edges(back) == edges(graph)


def test_csv_tables_round_trip(graph: nx.MultiDiGraph) -> None:
    back = export.read_csv(export.nodes_csv(graph), export.edges_csv(graph))
    assert set(back) == set(graph) and edges(back) == edges(graph)


def test_undirected_view_exports_undirected(seed_store: Path) -> None:
    G = build_view(
        open_store(seed_store, read_only=True), MapOptions(relations=("collaboration",))
    ).graph
    back = nx.read_graphml(io.StringIO(export.graphml(G)))
    assert not back.is_directed() and back.number_of_edges() == G.number_of_edges()


@pytest.mark.parametrize(
    "fmt, read",
    [
        ("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
        ("gexf", nx.read_gexf),
        ("json", lambda p: nx.node_link_graph(json.loads(p.read_text()), edges="edges")),
    ],
)
def test_cli_export_network_with_filters(seed_store: Path, tmp_path: Path, fmt: str, read) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"net.{fmt}"
    args = [
        "export-network",
        "--store",
        str(seed_store),
        "--format",
        fmt,
        "--out",
        str(out),
        "--region",
        "twente",
        "--relation",
        "collaboration",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    back = read(out)
    expected = build_view(
        open_store(seed_store, read_only=True),
        MapOptions.from_params(
            [("region", "twente"), ("relation", "collaboration"), ("max_nodes", "0")]
        ),
    ).graph
    assert set(back) == set(expected) and edges(back) == edges(expected)
    assert 0 < back.number_of_nodes() < 38


def test_cli_export_csv_writes_two_tables(seed_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "export-network",
            "--store",
            str(seed_store),
            "-f",
            "csv",
            "-o",
            str(tmp_path / "net.csv"),
            "--ego",
            "umcg",
        ],
    )
    assert result.exit_code == 0, result.output
    back = export.read_csv(
        (tmp_path / "net.nodes.csv").read_text(), (tmp_path / "net.edges.csv").read_text()
    )
    assert "https://w3id.org/helixgraph/id/org/umcg" in back and back.number_of_edges() > 0


def test_cli_map_writes_standalone_html(seed_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        app, ["map", "--store", str(seed_store), "--out", str(out), "--brokers", "betweenness"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!doctype html>") and 'id="map-data"' in html and "vis.Network" in html


def test_cli_rejects_bad_options(seed_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export-network", "--store", str(seed_store), "-f", "xml"])
    assert result.exit_code == 2 and "graphml" in result.output
    result = CliRunner().invoke(
        app,
        [
            "map",
            "--store",
            str(seed_store),
            "-o",
            str(tmp_path / "m.html"),
            "--hops",
            "9",
            "--ego",
            "umcg",
        ],
    )
    assert result.exit_code == 2 and "hops" in result.output
