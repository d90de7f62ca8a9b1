"""``helixgraph import SOURCE PATH``: bring an external dataset into the store."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from helixgraph import store as hstore
from helixgraph.cli.analytics import start_precompute
from helixgraph.cli.app import StoreOpt, commands, err, fail, fail_with_problems, out

if TYPE_CHECKING:  # the import pipeline loads SHACL: imported when the command runs
    from helixgraph.ingest.run import ImportReport
    from helixgraph.ingest.toolkit import Extract, Problems

app = commands()
SOURCES = (
    "cordis-h2020",
    "cordis-horizon-europe",
    "cordis-csv",
    "ror",
    "nl-structural-funds",
    "csv",
)


def read_source(
    source: str,
    path: Path,
    problems: Problems,
    *,
    country: list[str],
    region: str | None,
    names: Path | None,
    mapping: Path | None,
    progress: Callable[[str, int, int], None],
) -> Extract:
    """Run the importer of ``source`` on ``path`` (raises ValueError on bad arguments)."""
    if source == "cordis-h2020":
        from helixgraph.ingest.sources import cordis

        return cordis.read(
            path, problems, names=names, countries=tuple(country), region=region, progress=progress
        )
    if source in ("cordis-horizon-europe", "cordis-csv"):
        from helixgraph.ingest.sources import cordis_csv

        extract = cordis_csv.read(
            path, problems, countries=tuple(country), region=region, progress=progress
        )
        if source == "cordis-horizon-europe" and extract.dataset.id != source:
            raise ValueError(
                f"{path}: these are {extract.dataset.title}, not Horizon Europe "
                "(use 'cordis-csv' for any programme of CORDIS's CSV export)"
            )
        return extract
    if source == "ror":
        from helixgraph.ingest.sources import ror

        return ror.read(path, problems, countries=tuple(country))
    if source == "nl-structural-funds":
        from helixgraph.ingest.sources import structural_funds

        return structural_funds.read(path, problems)
    if source == "csv":
        from helixgraph.ingest.sources import generic

        if mapping is None:
            raise ValueError("'csv' needs --mapping FILE (see docs/data-model.md, 'Generic CSV')")
        return generic.read(path, mapping, problems)
    raise ValueError(f"unknown source {source!r}: one of {', '.join(SOURCES)}")


def print_report(report: ImportReport, problems: Problems, report_file: Path | None) -> None:
    table = Table("", "", title=f"imported {report.graph}", show_header=False)
    table.add_row("rows read", str(report.rows_read))
    table.add_row("rows skipped", str(report.rows_skipped))
    for k, v in report.counts.items():
        table.add_row(k, str(v))
    res = report.resolution
    table.add_row("organisations merged into existing nodes", str(len(res.merges)))
    table.add_row("ambiguous (reported)", str(len(res.ambiguous)))
    table.add_row("triples in the import graph", str(report.triples))
    table.add_row("quads in the store", str(report.store_quads))
    table.add_row("validation", report.validation)
    table.add_row("seconds", ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
    out.print(table)
    if problems.kinds:
        skipped = Table("skipped rows by problem", "rows")
        for kind, n in problems.kinds.most_common():
            skipped.add_row(kind, str(n))
        out.print(skipped)
        for line in problems.lines[:20]:
            err.print(line, markup=False, highlight=False, soft_wrap=True)
        if len(problems.lines) > 20:
            err.print(f"... and {len(problems.lines) - 20} more (see --report)")
    if res.merges:
        merged = Table("record", "name", "node", "by", title="merges (first 25)")
        for m in res.merges[:25]:
            merged.add_row(m.key, m.name, m.target.rsplit("/", 1)[-1], m.by)
        out.print(merged)
    if res.ambiguous:
        amb = Table("record", "name", "candidates", "why", title="ambiguous (first 25)")
        for a in res.ambiguous[:25]:
            amb.add_row(
                a.key, a.name, " ".join(c.rsplit("/", 1)[-1] for c in a.candidates), a.reason
            )
        out.print(amb)
    if report_file:
        from helixgraph.ingest.resolve import report_rows

        rows = report_rows(res) + [
            {
                "outcome": "skipped",
                "record": "",
                "name": "",
                "node": "",
                "node_label": "",
                "rule": line,
                "candidates": "",
                "origin": line.split(": ", 1)[0],
            }
            for line in problems.lines
        ]
        cols = ["outcome", "record", "name", "node", "node_label", "rule", "candidates", "origin"]
        with report_file.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, cols)
            writer.writeheader()
            writer.writerows(rows)
        err.print(f"wrote the merge and problem report to {report_file}")


@app.command("import")
def import_cmd(
    source: Annotated[str, typer.Argument(help=f"One of: {', '.join(SOURCES)}.")],
    path: Annotated[
        Path | None,
        typer.Argument(help="The dataset's file or folder (default: what `fetch` got)."),
    ] = None,
    store: StoreOpt = None,
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            help="Keep projects with a participant in this country (ISO code; "
            "repeatable). ROR: keep organisations of this country.",
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="CORDIS: keep projects with a participant in north-nl, twente or "
            "seed-regions (by NUTS code, else by city).",
        ),
    ] = None,
    names: Annotated[
        Path | None,
        typer.Option(
            "--names",
            help="CORDIS: PIC → name table (default: "
            "../derived/pic_name_lookup.csv.gz next to the data).",
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="csv: the mapping file (TOML).")
    ] = None,
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Name of the import graph (default: the dataset id)."),
    ] = None,
    on_error: Annotated[
        str,
        typer.Option(
            "--on-error", help="stop: a bad row stops the import; skip: skip it and count it."
        ),
    ] = "stop",
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Write every merge, ambiguous case and skipped row to this CSV."
        ),
    ] = None,
) -> None:
    """Import an external dataset into its own named graph (atomic, idempotent).

    Organisations are matched to existing nodes by identifier, then by name; a bad
    row stops the import (or is skipped with --on-error skip); a failed import leaves
    the store as it was.
    """
    from helixgraph.ingest.run import run_import
    from helixgraph.ingest.toolkit import ImportFailed, Problems

    if on_error not in ("stop", "skip"):
        raise fail("--on-error must be 'stop' or 'skip'", 2)
    problems = Problems(on_error)
    if path is None:  # what `helixgraph fetch SOURCE` downloaded
        from helixgraph.ingest.fetch import fetched_path

        try:
            path = fetched_path(source)
        except FileNotFoundError as exc:
            raise fail(str(exc)) from None
        if source == "cordis-h2020":  # fetched: CORDIS's official CSV export, not the EU-nets table
            source = "cordis-csv"
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=err, transient=True) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(task: str, done: int, total: int) -> None:
                if task not in tasks:
                    tasks[task] = bar.add_task(task, total=total or None)
                bar.update(tasks[task], completed=done, total=total or None)

            extract = read_source(
                source,
                path,
                problems,
                country=country or [],
                region=region,
                names=names,
                mapping=mapping,
                progress=progress,
            )
            report = run_import(extract, name=graph, store_path=store, progress=progress)
    except ImportFailed as exc:
        raise fail_with_problems(
            exc.problems, f"import failed ({len(exc.problems)} problem(s)); the store is unchanged"
        ) from None
    except (FileNotFoundError, ValueError, hstore.StoreError) as exc:
        raise fail(str(exc)) from None
    start_precompute(store)  # the default views' metrics, in the background
    print_report(report, problems, report_file)


@app.command("make-extracts")
def make_extracts_cmd(
    shared: Annotated[
        Path,
        typer.Argument(
            help="Folder of the full datasets: cordis_h2020_eunets/, cordis_horizon_europe/, "
            "derived/pic_name_lookup.csv.gz, ror/ (the layout of the project's shared data)."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write them (default: data/regional/)."),
    ] = None,
) -> None:
    """Cut the regional extracts that 'helixgraph build' loads (CORDIS H2020 and Horizon
    Europe projects with a participant in Groningen, Friesland, Drenthe or Twente, with all
    partners; ROR's Dutch records) from the full files, with their SHA-256 in MANIFEST.csv."""
    from helixgraph.ingest import regional
    from helixgraph.ingest.build import data_dir

    target = output or regional.folder(data_dir())
    try:
        manifest = regional.make(shared, target)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        raise fail(f"cannot make the extracts: {exc}") from None
    table = Table("role", "file", "rows", "sha256", title=f"wrote {target}")
    for row in manifest:
        table.add_row(row["role"], row["file"], row["rows"], row["sha256"][:16] + "…")
    out.print(table)
