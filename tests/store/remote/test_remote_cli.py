"""The ``helixgraph`` command on a remote store chosen by ``HELIXGRAPH_SPARQL_*``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helixgraph.cli.main import app
from tests.conftest import MINI
from tests.remote_store import OxigraphServer

runner = CliRunner()
Q = (
    "PREFIX hx: <https://w3id.org/helixgraph/ontology#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?name WHERE { ?o hx:helix hx:industry ; skos:prefLabel ?name "
    'FILTER(LANG(?name) = "en") } ORDER BY ?name'
)


def test_build_query_and_stats_by_environment(
    server: OxigraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = server.config
    monkeypatch.setenv("HELIXGRAPH_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("HELIXGRAPH_SPARQL_QUERY_URL", config.query_url)
    monkeypatch.setenv("HELIXGRAPH_SPARQL_UPDATE_URL", config.update_url or "")
    monkeypatch.setenv("HELIXGRAPH_SPARQL_GSP_URL", config.gsp_url or "")
    monkeypatch.setenv("HELIXGRAPH_SPARQL_ENGINE", config.engine)
    result = runner.invoke(app, ["build", "--data", str(MINI), "--quiet"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "store").exists()  # the build went to the server
    result = runner.invoke(app, ["query", Q, "--format", "json"])
    assert result.exit_code == 0, result.output
    names = [b["name"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]]
    assert names == ["Test Cooperative", "Test Firm B.V."]
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0 and "Test" in result.stdout or "organisations" in result.stdout


def test_a_server_that_is_down_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELIXGRAPH_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("HELIXGRAPH_SPARQL_QUERY_URL", "http://127.0.0.1:9/query")
    monkeypatch.setenv("HELIXGRAPH_SPARQL_GSP_URL", "http://127.0.0.1:9/store")
    result = runner.invoke(app, ["query", Q])
    assert result.exit_code != 0
    assert "did not answer" in result.stderr and "Traceback" not in result.stderr
    result = runner.invoke(app, ["build", "--data", str(MINI), "--quiet"])
    assert result.exit_code == 1
    assert "did not answer" in result.stderr and "Traceback" not in result.stderr
