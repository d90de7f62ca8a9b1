"""``helixgraph query``: predeclared prefixes, one-line undefined prefix, IRIs compacted."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from helixgraph.cli.main import app

runner = CliRunner()


def test_query_without_prefix_lines(mini_store: Path) -> None:
    q = (
        "SELECT ?name WHERE { ?o hx:helix hx:industry ; skos:prefLabel ?name "
        'FILTER(LANG(?name) = "en") } ORDER BY ?name'
    )
    result = runner.invoke(app, ["query", q, "--format", "csv", "--store", str(mini_store)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:3] == ["name", "Test Cooperative", "Test Firm B.V."]


def test_undefined_prefix_is_one_line(mini_store: Path) -> None:
    result = runner.invoke(app, ["query", "ASK { ?s nope:p ?o }", "--store", str(mini_store)])
    assert result.exit_code == 2
    assert "undefined prefix nope:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_table_compacts_iris_and_does_not_cut_them(mini_store: Path) -> None:
    q = "SELECT ?o ?h WHERE { ?o hx:helix ?h } ORDER BY ?o"
    result = runner.invoke(app, ["query", q, "--store", str(mini_store)], env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.stderr
    assert "hxorg:firm" in result.stdout and "hx:industry" in result.stdout
    assert "…" not in result.stdout and "https://w3id.org/helix" not in result.stdout
