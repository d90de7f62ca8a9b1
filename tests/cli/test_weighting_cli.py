"""``helixgraph metrics --weighting`` and the brokerage note on a network without open
two-paths, on the tiny ecosystem of :mod:`tests.network.tiny_weighting`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helixgraph.analytics.suite import NO_OPEN_TWO_PATHS
from helixgraph.cli.analytics import app
from tests.network.tiny_weighting import tiny_store

runner = CliRunner()


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store"
    tiny_store(path)
    monkeypatch.setenv("HELIXGRAPH_CACHE", str(tmp_path / "cache"))
    return path


def strengths(store_path: Path, *weighting: str) -> dict[str, float]:
    args = ["metrics", "centrality", "--store", str(store_path), "--json", *weighting]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {v.rsplit("/", 1)[-1]: row["strength"] for v, row in data["result"].items()}


def test_metrics_weighting_changes_the_strengths_by_hand(store_path: Path) -> None:
    # count: a-b 2, a-c 1, b-c 1, c-d 1; newman: a-b 1.5, a-c 0.5, b-c 0.5, c-d 1
    assert strengths(store_path) == {"a": 3, "b": 3, "c": 3, "d": 1}
    assert strengths(store_path, "--weighting", "count") == {"a": 3, "b": 3, "c": 3, "d": 1}
    newman = strengths(store_path, "--weighting", "newman")
    assert newman == pytest.approx({"a": 2.0, "b": 2.0, "c": 2.0, "d": 1.0})
    assert strengths(store_path, "--weighting", "stated") == {"a": 0, "b": 0, "c": 1, "d": 1}


def test_metrics_rejects_an_unknown_weighting_by_name(store_path: Path) -> None:
    bad = runner.invoke(app, ["metrics", "--store", str(store_path), "--weighting", "jaccard"])
    assert bad.exit_code == 1 and "weighting 'jaccard'" in bad.stderr


def test_brokerage_without_open_two_paths_says_so_instead_of_zeros(store_path: Path) -> None:
    # stated ties only: the single tie c-d, so no organisation sits on an open two-path
    args = ["metrics", "brokerage", "--store", str(store_path), "--weighting", "stated"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "no open two-paths" in result.stdout and "graph raw" not in result.stdout
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert data["result"]["note"] == NO_OPEN_TWO_PATHS
    assert data["parameters"]["weighting"] == "stated"
    # with co-participation ties, c brokers between d and a, b: the table, no note
    tied = runner.invoke(app, ["metrics", "brokerage", "--store", str(store_path)])
    assert "graph raw" in tied.stdout and "no open two-paths" not in tied.stdout
