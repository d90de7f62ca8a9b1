"""The ``metrics`` and ``analyze`` commands, run through typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from helixgraph import metrics
from helixgraph.cli.analytics import app
from helixgraph.cli.network_csv import InputError, read_network
from helixgraph.store.access import replacing

TRIG = Path(__file__).parents[1] / "metrics" / "small_ecosystem.trig"

runner = CliRunner()


@pytest.fixture
def csv_network(tmp_path: Path) -> tuple[Path, Path]:
    edges = tmp_path / "edges.csv"
    edges.write_text(
        "from,to,w\nu1,u2,1\nu1,f1,2\nf1,g1,1\nu2,g1,3\ng1,f2,1\nu1,f1,1\n", encoding="utf-8"
    )
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(
        "id,sector,name\nu1,academia,Uni\nu2,academia,Uni2\nf1,industry,Firm\n"
        "f2,industry,Firm2\ng1,government,Gov\n",
        encoding="utf-8",
    )
    return edges, nodes


def test_read_network_sums_repeated_edges_and_copies_the_group(
    csv_network: tuple[Path, Path],
) -> None:
    edges, nodes = csv_network
    G = read_network(edges, nodes, group="sector", weight="w")
    assert G["u1"]["f1"]["weight"] == 3.0 and G.number_of_edges() == 5
    assert G.nodes["u1"] == {"sector": "academia", "name": "Uni", "helix": "academia"}
    D = read_network(edges, directed=True)
    assert D.is_directed() and D.has_edge("u1", "u2") and not D.has_edge("u2", "u1")


def test_gzipped_edge_lists_are_read(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "edges.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("source,target\na,b\nb,c\n")
    assert sorted(read_network(path).edges()) == [("a", "b"), ("b", "c")]


def test_analyze_prints_the_suite_as_json(csv_network: tuple[Path, Path]) -> None:
    edges, nodes = csv_network
    result = runner.invoke(
        app,
        [
            "analyze",
            "--edges",
            str(edges),
            "--nodes",
            str(nodes),
            "--group",
            "sector",
            "--weight",
            "w",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["graph"] == {"nodes": 5, "edges": 5, "directed": False}
    G = read_network(edges, nodes, group="sector", weight="w")
    assert data["brokerage"]["graph"]["raw"] == metrics.brokerage(G)["graph"]["raw"]
    assert data["helix"]["ei_index"]["overall"] == metrics.ei_index(G)["overall"]
    assert data["centrality"]["u1"]["pagerank"] == pytest.approx(metrics.pagerank(G)["u1"])
    assert data["structural_holes"]["u1"]["constraint"] == pytest.approx(
        metrics.constraint(G, weight="weight")["u1"]
    )
    assert set(data["seconds"]) == {
        "centrality",
        "structural_holes",
        "brokerage",
        "helix",
        "communities",
    }


def test_analyze_directed_with_chosen_families(csv_network: tuple[Path, Path]) -> None:
    edges, nodes = csv_network
    result = runner.invoke(
        app,
        [
            "analyze",
            "--edges",
            str(edges),
            "--nodes",
            str(nodes),
            "--group",
            "sector",
            "--directed",
            "--family",
            "brokerage",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"brokerage"} and "centrality" not in data
    assert data["brokerage"]["directed"] is True
    assert data["brokerage"]["nodes"]["f1"]["raw"]["liaison"] == 1  # u1 -> f1 -> g1


def test_analyze_without_groups_skips_group_metrics(csv_network: tuple[Path, Path]) -> None:
    edges, _ = csv_network
    result = runner.invoke(app, ["analyze", "--edges", str(edges), "--betweenness-k", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "brokerage" not in data and "centrality" in data
    assert data["parameters"]["betweenness_k"] == 2


@pytest.mark.parametrize(
    ("edges_text", "args", "message"),
    [
        (
            "a,b,w\nx,y,heavy\n",
            ["--weight", "w"],
            "edges.csv:2: column 'w': 'heavy' is not a number",
        ),
        ("a,b\nx,\n", [], "edges.csv:2: empty 'b'"),
        ("a\nx\n", [], "edges.csv:1: an edge list needs at least two columns"),
        ("a,b\nx,y\n", ["--group", "sector"], "--group needs --nodes"),
        ("a,b\nx,y\n", ["--weight", "w"], "edges.csv:1: no column 'w'"),
    ],
)
def test_analyze_reports_bad_input_with_file_and_line(
    tmp_path: Path, edges_text: str, args: list[str], message: str
) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text(edges_text, encoding="utf-8")
    result = runner.invoke(app, ["analyze", "--edges", str(edges), *args])
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())


def test_unknown_node_in_edges_is_named(csv_network: tuple[Path, Path], tmp_path: Path) -> None:
    _, nodes = csv_network
    edges = tmp_path / "e2.csv"
    edges.write_text("source,target\nu1,zz\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"e2.csv:2: node 'zz' is not in"):
        read_network(edges, nodes, group="sector")


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store"
    with replacing(path) as st:
        st.load(TRIG.read_bytes(), ox.RdfFormat.TRIG)
    monkeypatch.setenv("HELIXGRAPH_CACHE", str(tmp_path / "cache"))
    return path


@pytest.mark.parametrize(
    "family", ["centrality", "structural_holes", "brokerage", "helix", "communities", "funding"]
)
def test_metrics_prints_tables_for_each_family(store_path: Path, family: str) -> None:
    result = runner.invoke(app, ["metrics", family, "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert family in result.stdout


def test_metrics_json_with_filters_and_cache(store_path: Path, tmp_path: Path) -> None:
    args = ["metrics", "helix", "--store", str(store_path), "--region", "noord-nederland", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["filters"] == {"region": "noord-nederland"}
    assert data["graph"] == {"nodes": 4, "edges": 3}
    assert data["result"]["synergy"]["triple_helix"]["unit"] == "bits"
    cached = list((tmp_path / "cache" / "metrics").rglob("helix-*.json"))
    assert len(cached) == 1 and cached[0].parent.name == store_path.resolve().name
    again = runner.invoke(app, args)
    assert json.loads(again.stdout) == data


def test_metrics_reports_bad_filters_and_missing_store(store_path: Path, tmp_path: Path) -> None:
    bad = runner.invoke(app, ["metrics", "helix", "--store", str(store_path), "--helix", "academy"])
    assert bad.exit_code == 1 and "helix 'academy'" in bad.stderr
    none = runner.invoke(app, ["metrics", "--store", str(tmp_path / "nowhere")])
    assert none.exit_code == 1 and "no store" in none.stderr
    unknown = runner.invoke(app, ["metrics", "vibes", "--store", str(store_path)])
    assert unknown.exit_code == 1 and "unknown metric family" in unknown.stderr


def test_graph_is_unchanged_by_the_suite(csv_network: tuple[Path, Path]) -> None:
    from helixgraph.analytics.suite import metric_suite

    edges, nodes = csv_network
    G = read_network(edges, nodes, group="sector", weight="w")
    H = G.copy()
    metric_suite(G)
    assert nx.utils.graphs_equal(G, H)
