"""``helixgraph fetch``: the table of sources, a fetch with its summary, errors as one line."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helixgraph.cli.main import app
from helixgraph.ingest import fetch
from tests.fetch_server import FetchServer
from tests.ingest.test_fetch import H2020_PATH, cordis_zip, put

runner = CliRunner()


def test_fetch_without_a_source_lists_the_official_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fetch.ENV_DOWNLOADS, str(tmp_path / "dl"))
    result = runner.invoke(app, ["fetch"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "https://cordis.europa.eu/data/cordis-h2020projects-csv.zip" in result.output
    assert "https://zenodo.org/api/records/6347574" in result.output
    assert str(tmp_path / "dl") in result.output.replace("\n", "")


def test_fetch_downloads_then_says_it_is_already_there(web: FetchServer) -> None:
    put(web, H2020_PATH, cordis_zip())
    first = runner.invoke(app, ["fetch", "cordis-h2020"])
    assert first.exit_code == 0, first.output
    assert "cordis-h2020: fetched cordis-h2020projects-csv.zip" in first.output
    assert "import reads" in first.output
    again = runner.invoke(app, ["fetch", "cordis-h2020"])
    assert again.exit_code == 0 and "already fetched" in again.output
    forced = runner.invoke(app, ["fetch", "cordis-h2020", "--force"])
    assert forced.exit_code == 0 and ": fetched" in forced.output


def test_fetch_errors_are_one_line_with_the_cause(web: FetchServer) -> None:
    web.behaviour.status[H2020_PATH] = 500
    broken = runner.invoke(app, ["fetch", "cordis-h2020"])
    assert broken.exit_code == 1
    assert "error: cordis-h2020:" in broken.output and "HTTP 500" in broken.output
    unknown = runner.invoke(app, ["fetch", "cordis-fp9"])
    assert unknown.exit_code == 2 and "unknown source 'cordis-fp9'" in unknown.output


def test_fetch_offline_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv(fetch.ENV_BASE, f"http://127.0.0.1:{port}")
    monkeypatch.setenv(fetch.ENV_DOWNLOADS, str(tmp_path / "dl"))
    result = runner.invoke(app, ["fetch", "ror"])
    assert result.exit_code == 1
    assert "are you offline?" in result.output


def test_fetch_all_tries_every_source_and_names_those_that_failed(web: FetchServer) -> None:
    put(web, H2020_PATH, cordis_zip())
    put(web, "/cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip", cordis_zip(10))
    result = runner.invoke(app, ["fetch", "all"])
    assert result.exit_code == 1
    assert "cordis-h2020: fetched" in result.output
    assert "cordis-horizon-europe: fetched" in result.output
    assert "error: ror:" in result.output and "HTTP 404" in result.output
    assert "error: nl-structural-funds:" in result.output
    assert "not fetched: ror, nl-structural-funds (the others are)" in result.output
