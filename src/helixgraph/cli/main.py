"""The ``helixgraph`` command: the command groups assembled on one app, in ``--help`` order."""

from __future__ import annotations

from helixgraph.cli import analytics, fetch, imports, maps, serve, store
from helixgraph.cli.app import app

for group in (store, serve, analytics, fetch, imports, maps):
    app.add_typer(group.app)

__all__ = ["app", "main"]


def main() -> None:
    app()
