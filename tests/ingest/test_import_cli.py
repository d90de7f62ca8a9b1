"""``helixgraph import``: exit codes, bad-row messages, counts and the report file."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from typer.testing import CliRunner

from helixgraph import store as hstore
from helixgraph.cli.main import app

runner = CliRunner()


def test_import_prints_counts_and_writes_the_report(
    fixtures: Path, store: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.csv"
    result = runner.invoke(
        app,
        [
            "import",
            "cordis-h2020",
            str(fixtures / "cordis_h2020_eunets"),
            "--store",
            str(store),
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "imported https://w3id.org/helixgraph/graph/import/cordis-h2020" in result.output
    with report.open() as fh:
        merged = {r["record"]: r for r in csv.DictReader(fh) if r["outcome"] == "merged"}
    assert merged["pic:999914801"]["node"].endswith("/org/umcg")
    assert merged["pic:999914801"]["rule"] == "pic"


def test_bad_row_stops_with_file_row_column(fixtures: Path, store: Path, tmp_path: Path) -> None:
    target = tmp_path / "c"
    shutil.copytree(fixtures / "cordis_h2020_eunets", target)
    table = target / "h2020.csv"
    text = table.read_text().splitlines(keepends=True)
    text[4] = (
        text[4].replace("2019-", "19-", 1) if "2019-" in text[4] else text[4].replace("-0", "-x", 1)
    )
    table.write_text("".join(text))
    args = [
        "import",
        "cordis-h2020",
        str(target),
        "--store",
        str(store),
        "--names",
        str(fixtures / "derived" / "pic_name_lookup.csv"),
    ]
    stop = runner.invoke(app, args)
    assert stop.exit_code == 1
    assert f"{table}:5: start_date:" in stop.output or f"{table}:5: end_date:" in stop.output
    assert "the store is unchanged" in stop.output
    skip = runner.invoke(app, [*args, "--on-error", "skip"])
    assert skip.exit_code == 0, skip.output
    assert "rows skipped" in skip.output and "skipped rows by problem" in skip.output


def test_unknown_source_and_bad_option(fixtures: Path, store: Path) -> None:
    r = runner.invoke(app, ["import", "orcid", str(fixtures), "--store", str(store)])
    assert r.exit_code == 1 and "unknown source 'orcid'" in r.output
    r = runner.invoke(
        app, ["import", "ror", str(fixtures / "ror"), "--store", str(store), "--on-error", "ignore"]
    )
    assert r.exit_code == 2


def test_import_prints_and_reports_what_a_name_merge_rests_on(
    fixtures: Path, store: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "generic"
    shutil.copytree(fixtures / "generic", folder)
    with (folder / "members.csv").open("a", encoding="utf-8") as fh:
        fh.write("m5,UNIVERSITEIT GRONINGEN,,university,academia,Groningen,,,\n")
    report = tmp_path / "report.csv"
    args = ["import", "csv", str(folder), "--mapping", str(folder / "mapping.toml")]
    result = runner.invoke(
        app, [*args, "--store", str(store), "--report", str(report)], terminal_width=250
    )
    assert result.exit_code == 0, result.output
    with report.open() as fh:
        merged = {r["name"]: r for r in csv.DictReader(fh) if r["outcome"] == "merged"}
    rug = merged["UNIVERSITEIT GRONINGEN"]  # Dutch for the seed's "Rijksuniversiteit Groningen"
    assert rug["node"].endswith("/org/university-of-groningen")
    assert rug["rule"].startswith("name 100 (")
    assert merged["DEMCON ADVANCED MECHATRONICS BV"]["rule"] == "pic"
    assert "name 100" in result.output  # the table may wrap the name it matched


def test_import_command_loads_no_network_science(fixtures: Path, store: Path) -> None:
    """``helixgraph import`` runs without networkx, SciPy or igraph (issue 23: the CLI
    loaded them for every command)."""
    from tests.cli.test_lazy_imports import loaded_after

    code = (
        "from helixgraph.cli.main import app\n"
        "app(['import', 'cordis-h2020', sys.argv[1], '--store', sys.argv[2]])"
    )
    h2020 = str(fixtures / "cordis_h2020_eunets")
    assert loaded_after(code, h2020, str(store)) == []
    # and it did import (the subprocess's exit status is not what loaded_after reads)
    assert hstore.open_store(store).query(
        "ASK { GRAPH <https://w3id.org/helixgraph/graph/import/cordis-h2020> { ?s ?p ?o } }"
    )
