"""Real ``oxigraph serve`` (or Virtuoso) processes for the remote-store test passes.

``HELIXGRAPH_TEST_STORE=remote`` makes the shared store fixtures (``mini_store``,
``seed_store``, the API and map servers' stores) build into an Oxigraph server started
here on a free loopback port, through a remote store descriptor at the fixture's store
path, instead of into an embedded store. Every server is stopped at the end of the
session (or of the test that started it). ``HELIXGRAPH_TEST_STORE=virtuoso`` does the same
with OpenLink Virtuoso (Debian's ``virtuoso-opensource``; see :mod:`tests.virtuoso_server`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helixgraph.store.remote import RemoteConfig, close_clients
from tests.processes import free_port, stop, wait_answering
from tests.virtuoso_server import VirtuosoServer, start_virtuoso, stop_shared_virtuoso

MODE_VAR = "HELIXGRAPH_TEST_STORE"


def store_mode() -> str:
    mode = os.environ.get(MODE_VAR, "embedded")
    if mode not in ("embedded", "remote", "virtuoso"):
        raise ValueError(f"{MODE_VAR}={mode!r}: use 'embedded', 'remote' or 'virtuoso'")
    return mode


def remote_mode() -> bool:
    """The shared store fixtures live on a server (Oxigraph or Virtuoso)."""
    return store_mode() != "embedded"


def virtuoso_mode() -> bool:
    return store_mode() == "virtuoso"


def oxigraph_binary() -> str:
    """The ``oxigraph`` command installed next to this Python (``pip install oxigraph``)."""
    local = Path(sys.executable).with_name("oxigraph")
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: pip install 'oxigraph>=0.5.13'")
    return found


@dataclass
class OxigraphServer:
    url: str
    proc: subprocess.Popen[bytes]
    location: Path

    @property
    def config(self) -> RemoteConfig:
        return RemoteConfig(
            self.url + "/query", self.url + "/update", self.url + "/store", union="param"
        )

    def stop(self) -> None:
        stop(self.proc)


def start_oxigraph(location: Path, *flags: str) -> OxigraphServer:
    """``oxigraph serve`` on a free loopback port with its data in ``location``."""
    port = free_port()
    log = location.with_name(location.name + ".log")
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{port}",
                *flags,
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    wait_answering(
        proc, url + "/query", "oxigraph serve", params={"query": "ASK {}"}, log=log,
        timeout=30, interval=0.05,
    )  # fmt: skip
    return OxigraphServer(url, proc, location)


def start_server(location: Path) -> OxigraphServer | VirtuosoServer:
    """The pass's server (Oxigraph, or Virtuoso under ``HELIXGRAPH_TEST_STORE=virtuoso``)
    with its data in ``location``."""
    return start_virtuoso(location) if virtuoso_mode() else start_oxigraph(location)


_started: list[OxigraphServer | VirtuosoServer] = []


def remote_store_path(path: Path) -> Path:
    """Start a server for the store at ``path`` and write its descriptor there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    server = start_server(path.with_name(path.name + ".server"))
    _started.append(server)
    return server.config.write(path)


def store_path(path: Path) -> Path:
    """``path`` itself (embedded mode) or a remote descriptor there (remote mode)."""
    return remote_store_path(path) if remote_mode() else path


def stop_all() -> None:
    close_clients()
    while _started:
        _started.pop().stop()
    stop_shared_virtuoso()


def virtuoso_differs(reason: str) -> pytest.MarkDecorator:
    """Mark a test that fails on Virtuoso for ``reason`` (a Virtuoso difference not
    handled yet): an expected failure there only (strict: a pass there is reported)."""
    return pytest.mark.xfail(virtuoso_mode(), reason=f"Virtuoso 7.2: {reason}", strict=True)
