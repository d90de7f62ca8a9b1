"""``helixgraph import SOURCE`` without a path reads what ``helixgraph fetch`` got."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helixgraph.cli.main import app
from helixgraph.ingest import downloads
from tests.fetch_server import FetchServer
from tests.ingest.test_fetch import FIX, SF_PATH, put, ror_zip, sf_bytes, zenodo_record

runner = CliRunner()


def test_import_ror_without_a_path_reads_the_fetched_dump(web: FetchServer, store: Path) -> None:
    records = json.loads((FIX / "ror-v2-sample.json").read_text())
    zenodo_record(web, "v2.1-2026-01-01-ror-data.zip", ror_zip(records))
    assert runner.invoke(app, ["fetch", "ror"]).exit_code == 0
    result = runner.invoke(app, ["import", "ror", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "imported https://w3id.org/helixgraph/graph/import/ror" in result.output
    assert "organisations" in result.output


def test_import_structural_funds_without_a_path_reads_the_fetched_list(
    web: FetchServer, store: Path
) -> None:
    put(web, SF_PATH, sf_bytes())
    assert runner.invoke(app, ["fetch", "nl-structural-funds"]).exit_code == 0
    args = ["import", "nl-structural-funds", "--store", str(store)]
    stop = runner.invoke(app, args)  # the real list has a row without its beneficiary
    assert stop.exit_code == 1 and "StructuralFundsNL2007NOW.csv:4230: Begunstigde" in stop.output
    result = runner.invoke(app, [*args, "--on-error", "skip"])
    assert result.exit_code == 0, result.output
    assert "graph/import/nl-structural-funds" in result.output


def test_import_without_a_path_and_nothing_fetched_names_the_fetch_command(
    web: FetchServer, store: Path
) -> None:
    result = runner.invoke(app, ["import", "cordis-horizon-europe", "--store", str(store)])
    assert result.exit_code == 1
    assert "helixgraph fetch cordis-horizon-europe" in result.output
    csv_result = runner.invoke(app, ["import", "csv", "--store", str(store)])
    assert csv_result.exit_code == 1 and "needs the dataset's path" in csv_result.output


HE_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "cordis_horizon_europe"


def _official_zip(programme: str | None = None) -> bytes:
    """The Horizon Europe fixture zipped as CORDIS ships its CSV export (``csv/`` folder);
    with ``programme``, its projects relabelled as that framework programme."""
    import csv
    import io
    import zipfile

    project = (HE_FIXTURE / "project.csv").read_text(encoding="utf-8")
    if programme:
        rows = list(csv.DictReader(io.StringIO(project), delimiter=";"))
        out = io.StringIO()
        w = csv.DictWriter(out, list(rows[0]), delimiter=";", quoting=csv.QUOTE_ALL)
        w.writeheader()
        for row in rows:
            w.writerow({**row, "frameworkProgramme": programme})
        project = out.getvalue()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("csv/project.csv", project)
        zf.writestr("csv/organization.csv", (HE_FIXTURE / "organization.csv").read_bytes())
    return buf.getvalue()


@pytest.mark.parametrize(
    ("source", "programme", "graph"),
    [
        ("cordis-horizon-europe", None, "cordis-horizon-europe"),
        ("cordis-h2020", "H2020", "cordis-h2020-projects"),
    ],
)
def test_import_cordis_without_a_path_reads_the_fetched_official_export(
    web: FetchServer, store: Path, source: str, programme: str | None, graph: str
) -> None:
    url = downloads.DOWNLOADS[source].url
    put(web, "/" + url.split("://", 1)[1], _official_zip(programme))
    fetched = runner.invoke(app, ["fetch", source])
    assert fetched.exit_code == 0, fetched.output
    result = runner.invoke(app, ["import", source, "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert f"graph/import/{graph}" in result.output
