"""``helixgraph serve``: check the store and the port, then hand over to uvicorn."""

from __future__ import annotations

import errno
import os
import re
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

from helixgraph import store as hstore
from helixgraph.cli.app import StoreOpt, commands, err, fail, open_or_fail
from helixgraph.cli.store import build_cmd

app = commands()


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
    root_path: Annotated[
        str,
        typer.Option(
            "--root-path",
            help="The path a proxy serves the site under, e.g. /observatory (the proxy strips "
            "it; every link then starts with it). See docs/deployment.md.",
        ),
    ] = "",
) -> None:
    """Serve the SPARQL endpoint, query page and API with uvicorn."""
    root = check_root_path(root_path)
    path = store or hstore.default_path()
    if rebuild and not hstore.exists(path):
        build_cmd(None, path, quiet=False)
    check_store(path)
    check_port(host, port)
    os.environ[hstore.ENV_VAR] = str(path.absolute())
    if timeout is not None:
        os.environ["HELIXGRAPH_QUERY_TIMEOUT"] = str(timeout)
    where = f"http://{host}:{port}/" + (f" (links under {root}/)" if root else "")
    err.print(f"serving {path} at {where}")
    os.execv(sys.executable, uvicorn_argv(host, port, *(["--root-path", root] if root else [])))


GRACE = 1  # seconds a request still running at SIGTERM may take before it is cancelled


def uvicorn_argv(host: str, port: int, *extra: str) -> list[str]:
    """The command line that serves the app: shutdown never waits on a slow request."""
    return [
        sys.executable, "-m", "uvicorn", "helixgraph_api.main:app", "--host", host, "--port", str(port),
        "--timeout-graceful-shutdown", str(GRACE), *extra,
    ]  # fmt: skip


ROOT_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)+")


def check_root_path(value: str) -> str:
    """``--root-path`` as the app takes it: ``""`` for none, else ``/a/b`` (no trailing
    slash); fail with one line on anything else (it goes into every link of every page)."""
    root = value.rstrip("/")
    if root and (not ROOT_PATH.fullmatch(root) or {".", ".."} & set(root.split("/"))):
        raise fail(
            f"--root-path {value!r}: give a path such as /observatory "
            "(segments of letters, digits, '.', '_', '~', '-')"
        )
    return root


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
