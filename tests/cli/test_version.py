"""One version, written once (``helixgraph.__version__``), everywhere it is shown: the
package metadata, ``helixgraph --version``, the OpenAPI document and the
build record."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
import warnings
from pathlib import Path

from typer.testing import CliRunner

from helixgraph import __version__
from helixgraph import store as hstore
from helixgraph.cli.main import app
from helixgraph.vocab.namespace import PROV, RDF, SCHEMA

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_the_version_is_a_release_number() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]|rc)?\d*", __version__), __version__


def test_the_project_file_reads_the_version_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "helixgraph.__version__"}
    assert importlib.metadata.version("helixgraph") == __version__


def test_helixgraph_version_prints_it() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"helixgraph {__version__}"


def test_the_openapi_document_states_it(tmp_path: Path) -> None:
    from helixgraph_api.main import create_app
    from helixgraph_api.settings import Settings

    with warnings.catch_warnings():  # the graph store routes share an operation id (GET/HEAD)
        warnings.filterwarnings("ignore", "Duplicate Operation ID", UserWarning)
        spec = create_app(Settings(store=tmp_path / "store")).openapi()
    assert spec["info"]["version"] == __version__


def test_the_build_record_states_it(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", "-q", "--store", str(store)])
    assert result.exit_code == 0, result.output
    rows = list(
        hstore.open_store(store).query(
            f"SELECT ?v WHERE {{ GRAPH ?g {{ ?run <{RDF.type}> <{PROV.Activity}> ; "
            f"<{SCHEMA.softwareVersion}> ?v }} }}"
        )
    )
    assert [row["v"].value for row in rows] == [__version__]
