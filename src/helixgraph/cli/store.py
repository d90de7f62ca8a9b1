"""``helixgraph build | validate | query | export | stats``: make the store and read it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from helixgraph import store as hstore
from helixgraph.catalog import summary
from helixgraph.cli import results
from helixgraph.cli.analytics import start_precompute
from helixgraph.cli.app import (
    DataOpt,
    StoreOpt,
    commands,
    err,
    fail,
    fail_with_problems,
    open_or_fail,
    out,
)
from helixgraph.sparql import prefixes
from helixgraph.store.query_text import analyse, too_deep

app = commands()


@app.command("build")
def build_cmd(
    data: DataOpt = None,
    store: StoreOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    seed_only: Annotated[
        bool,
        typer.Option(
            "--seed-only",
            help="Build the seed files only, without the regional extracts of data/regional/.",
        ),
    ] = False,
) -> None:
    """Compile ontology + data (the seed and the regional extracts of CORDIS and ROR in
    data/regional/) into the store, validate with SHACL and print counts.

    On bad input nothing is replaced: the previous store stays as it was.
    """
    from helixgraph.ingest.build import BuildError, build  # lazy: SHACL loads slowly

    try:
        with err.status("building…") as status:
            report = build(
                data,
                store_path=store,
                progress=lambda m: status.update(m),
                regional=not seed_only,
            )
    except BuildError as exc:
        raise fail_with_problems(
            exc.problems,
            f"build failed ({len(exc.problems)} problem(s)); the previous store is unchanged",
        ) from None
    except hstore.StoreError as exc:
        raise fail(str(exc)) from None
    start_precompute(store)  # the default views' metrics, in the background
    if not quiet:
        table = Table(
            "graph",
            "triples",
            "organisations",
            title=f"built {report.store_path} ({report.quads} quads)",
        )
        for graph, n in sorted(report.graphs.items()):
            table.add_row(graph, str(n), report.resolved(graph))
        out.print(table)


@app.command("validate")
def validate_cmd(data: DataOpt = None) -> None:
    """Check the data files and SHACL shapes without touching the store."""
    from helixgraph.ingest.build import BuildError, check, compile_all, data_dir
    from helixgraph.ingest.validate import ontology_dir

    try:
        sg = compile_all(data or data_dir(), ontology_dir())
        check(sg, ontology_dir())
    except BuildError as exc:
        for problem in exc.problems:
            err.print(problem, highlight=False, markup=False, soft_wrap=True)
        raise fail(f"{len(exc.problems)} problem(s)") from None
    out.print(f"valid: {len(sg.dataset)} triples in {data or data_dir()}")


@app.command("query")
def query_cmd(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read it from a file.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table | json | csv | tsv | xml; for CONSTRUCT/DESCRIBE: "
            "table | turtle | nt | jsonld",
        ),
    ] = "table",
    store: StoreOpt = None,
) -> None:
    """Run a SPARQL query over the store (the default graph is the merge of all graphs:
    each distinct triple once)."""
    if sparql.startswith("@"):
        try:
            sparql = Path(sparql[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot read query file {sparql[1:]}: {exc.strerror}") from None
    deep = too_deep(analyse(sparql))
    if deep:  # the parser would overflow its stack
        raise fail(f"malformed query: {deep}", 2)
    st = open_or_fail(store)
    try:
        result = prefixes.query(st, sparql)
        text = results.render(result, fmt)
    except SyntaxError as exc:
        raise fail(f"malformed query: {exc}", 2) from None
    except results.FormatError as exc:
        raise fail(str(exc), 2) from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB found the store damaged
        raise fail(f"cannot read the store: {exc}") from None
    if isinstance(text, Table):
        out.print(text)
    else:
        sys.stdout.write(text)


@app.command("export")
def export_cmd(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="nquads | trig | jsonld (the named graphs); turtle | nt (their merge)",
        ),
    ] = "nquads",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: stdout).")
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Write the whole graph in an RDF format."""
    st = open_or_fail(store)
    try:
        data = results.export(st, fmt)
    except results.FormatError as exc:
        raise fail(str(exc), 2) from None
    except (OSError, RuntimeError) as exc:
        raise fail(f"cannot read the store: {exc}") from None
    try:
        if output:
            output.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    except OSError as exc:  # a full disk, a missing directory, a closed pipe
        raise fail(f"cannot write {output or 'standard output'}: {exc.strerror or exc}") from None
    if output:
        err.print(f"wrote {len(data)} bytes to {output}")


@app.command("stats")
def stats_cmd(store: StoreOpt = None) -> None:
    """Counts by organisation kind, helix sphere and source."""
    st = open_or_fail(store)
    try:
        tables = list(summary.stats(st))
    except (OSError, RuntimeError) as exc:
        raise fail(f"cannot read the store: {exc}") from None
    for title, headers, rows in tables:
        table = Table(*headers, title=title)
        for row in rows:
            table.add_row(*row)
        out.print(table)
