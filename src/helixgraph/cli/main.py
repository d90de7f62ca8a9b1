"""The ``helixgraph`` command."""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from helixgraph import __version__
from helixgraph import store as hstore
from helixgraph.catalog import summary
from helixgraph.cli import results
from helixgraph.ingest.build import BuildError, build, compile_all, data_dir
from helixgraph.ingest.validate import ontology_dir
from helixgraph.store.query_text import analyse, too_deep

app = typer.Typer(
    help="helixgraph: a knowledge graph of triple-helix innovation ecosystems.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Store path (default: $HELIXGRAPH_STORE or var/store).", show_default=False
    ),
]
DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="Data directory (default: $HELIXGRAPH_DATA or ./data).", show_default=False
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def open_or_fail(path: Path | None) -> ox.Store:
    try:
        return hstore.open_store(path)
    except hstore.StoreError as exc:
        raise fail(str(exc)) from None


@app.command("build")
def build_cmd(
    data: DataOpt = None,
    store: StoreOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Compile ontology + data into the store, validate with SHACL and print counts.

    On bad input nothing is replaced: the previous store stays as it was.
    """
    try:
        with err.status("building…") as status:
            report = build(data, store_path=store, progress=lambda m: status.update(m))
    except BuildError as exc:
        for problem in exc.problems:
            err.print(problem, highlight=False, markup=False, soft_wrap=True)
        raise fail(
            f"build failed ({len(exc.problems)} problem(s)); the previous store is unchanged"
        ) from None
    except hstore.StoreError as exc:
        raise fail(str(exc)) from None
    if not quiet:
        table = Table("graph", "triples", title=f"built {report.store_path} ({report.quads} quads)")
        for graph, n in sorted(report.graphs.items()):
            table.add_row(graph, str(n))
        out.print(table)


@app.command("validate")
def validate_cmd(data: DataOpt = None) -> None:
    """Check the data files and SHACL shapes without touching the store."""
    from helixgraph.ingest.build import check

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
    """Run a SPARQL query over the store (the default graph is the union of all graphs)."""
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
        result = st.query(sparql, use_default_graph_as_union=True)
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
            help="nquads | trig | jsonld (all graphs); turtle | nt (the union of all graphs)",
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


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    store: StoreOpt = None,
    rebuild: Annotated[
        bool,
        typer.Option("--build/--no-build", help="Build the store first when it does not exist."),
    ] = True,
    timeout: Annotated[float | None, typer.Option(help="Per-query timeout in seconds.")] = None,
) -> None:
    """Serve the SPARQL endpoint, query page and API with uvicorn."""
    path = store or hstore.default_path()
    if rebuild and not hstore.exists(path):
        build_cmd(None, path, quiet=False)
    check_store(path)
    check_port(host, port)
    os.environ[hstore.ENV_VAR] = str(path.absolute())
    if timeout is not None:
        os.environ["HELIXGRAPH_QUERY_TIMEOUT"] = str(timeout)
    err.print(f"serving {path} at http://{host}:{port}/")
    argv = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", host, "--port", str(port)]
    os.execv(sys.executable, argv)


def check_store(path: Path) -> None:
    """Fail with one line unless the store at ``path`` opens and answers a query."""
    st = open_or_fail(path)
    try:
        st.query("ASK { GRAPH ?g { ?s ?p ?o } }")
    except (OSError, RuntimeError) as exc:
        raise fail(f"the store at {path} is damaged ({exc}); rebuild it") from None
    finally:
        del st


def check_port(host: str, port: int) -> None:
    """Fail with one line when ``host:port`` cannot be listened on (e.g. it is in use)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise fail(f"cannot listen on {host}:{port}: unknown host ({exc})") from None
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise fail(
                    f"port {port} on {host} is in use: stop the other server or use --port"
                ) from None
            raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _register_analysis() -> None:
    from helixgraph.cli.analytics import register

    register(app)


_register_analysis()


def _register_import() -> None:
    from helixgraph.cli.imports import register

    register(app)


_register_import()


def _register_maps() -> None:
    from helixgraph.cli.maps import register

    register(app)


_register_maps()


def _version(value: bool) -> None:
    if value:
        out.print(f"helixgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    """helixgraph: a knowledge graph of triple-helix innovation ecosystems."""


def main() -> None:
    app()
