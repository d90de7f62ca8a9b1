"""The root of the ``helixgraph`` command: the Typer app, its consoles, the options every
command shares (``--store``, ``--data``) and the helpers that end a command with one
``error:`` line.

Command modules (``store``, ``serve``, ``analytics``, ``imports``, ``maps``) each define
their commands at module level on a Typer of their own; :mod:`helixgraph.cli.main` adds
them to :data:`app` in the order ``--help`` lists them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.console import Console

from helixgraph import __version__
from helixgraph import store as hstore

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


def commands() -> typer.Typer:
    """A Typer for one command group's commands (added to :data:`app` without a name)."""
    return typer.Typer(add_completion=False, pretty_exceptions_enable=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on one line of stderr; ``raise`` the returned exit."""
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def fail_with_problems(problems: Sequence[str], message: str) -> typer.Exit:
    """Print each problem as it is (no markup), then :func:`fail` with ``message``."""
    for problem in problems:
        err.print(problem, markup=False, highlight=False, soft_wrap=True)
    return fail(message)


def open_or_fail(path: Path | None) -> ox.Store:
    """The store at ``path``, opened read-only, or exit 1 with one line saying why not."""
    try:
        return hstore.open_store(path)
    except hstore.StoreError as exc:
        raise fail(str(exc)) from None


def _version(value: bool) -> None:
    if value:
        out.print(f"helixgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    """helixgraph: a knowledge graph of triple-helix innovation ecosystems."""
