"""``helixgraph fetch SOURCE``: download an official dataset for ``helixgraph import``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from helixgraph.cli.app import commands, err, fail, out
from helixgraph.ingest.downloads import DOWNLOADS

app = commands()


@app.command("fetch")
def fetch_cmd(
    source: Annotated[
        str | None,
        typer.Argument(help=f"One of: {', '.join(DOWNLOADS)}; 'all'; none: list them."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Download again even if already fetched.")
    ] = False,
) -> None:
    """Download an official dataset (CORDIS, ROR, structural funds) for `helixgraph import`.

    Files go to $HELIXGRAPH_DOWNLOADS or the user data directory (never the repository),
    through a .part file that is resumed when the download breaks off and renamed only
    when its size and checksum are right. `helixgraph import SOURCE` without a path then
    reads what was fetched.
    """
    from helixgraph.ingest import fetch as lib

    if source is None:
        for d in DOWNLOADS.values():  # plain lines: the URLs stay whole, for copying
            m = lib.read_manifest(d.source)
            state = f"fetched {m['fetched']}" if m else "not fetched"
            out.print(f"{d.source:<22} {d.url}  ({state})", highlight=False, soft_wrap=True)
        out.print(f"downloads folder: {lib.downloads_dir()}", highlight=False, soft_wrap=True)
        return
    if source != "all" and source not in DOWNLOADS:
        raise fail(f"unknown source {source!r}: one of {', '.join(DOWNLOADS)}, or all", 2)
    if source != "all":
        if not _fetch_one(source, force):
            raise typer.Exit(1)
        return
    failed = [name for name in DOWNLOADS if not _fetch_one(name, force)]
    if failed:
        raise fail(f"not fetched: {', '.join(failed)} (the others are)")


def _fetch_one(name: str, force: bool) -> bool:
    """Fetch ``name``, print what was got or one error line; False if it failed."""
    from helixgraph.ingest import fetch as lib

    columns = (
        TextColumn(name),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task: list[TaskID] = []

        def progress(done: int, total: int | None) -> None:
            if not task:
                task.append(bar.add_task(name, total=total))
            bar.update(task[0], completed=done, total=total)

        try:
            got = lib.fetch(name, force=force, progress=progress)
        except (lib.FetchError, ValueError, OSError) as exc:
            fail(f"{name}: {exc}")
            return False
    verb = "already fetched" if got.skipped else "fetched"
    out.print(
        f"{name}: {verb} {got.file.name} ({got.size:,} bytes, sha256 {got.sha256[:12]}…)"
        f" from {got.url}",
        highlight=False,
        soft_wrap=True,
    )
    out.print(f"  import reads {got.path}", highlight=False, soft_wrap=True)
    if got.note:
        err.print(f"  note: {got.note}", highlight=False, soft_wrap=True)
    return True
