"""Real ``oxigraph serve`` processes for the remote-store test pass.

``HELIXGRAPH_TEST_STORE=remote`` makes the shared store fixtures (``mini_store``,
``seed_store``, the API and map servers' stores) build into an Oxigraph server started
here on a free loopback port, through a remote store descriptor at the fixture's store
path, instead of into an embedded store. Every server is stopped at the end of the
session (or of the test that started it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from helixgraph.remote import RemoteConfig, close_clients

MODE_VAR = "HELIXGRAPH_TEST_STORE"


def remote_mode() -> bool:
    mode = os.environ.get(MODE_VAR, "embedded")
    if mode not in ("embedded", "remote"):
        raise ValueError(f"{MODE_VAR}={mode!r}: use 'embedded' or 'remote'")
    return mode == "remote"


def oxigraph_binary() -> str:
    """The ``oxigraph`` command installed next to this Python (``pip install oxigraph``)."""
    local = Path(sys.executable).with_name("oxigraph")
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: pip install 'oxigraph>=0.5.13'")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_oxigraph(location: Path, *flags: str) -> OxigraphServer:
    """``oxigraph serve`` on a free loopback port with its data in ``location``."""
    port = _free_port()
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
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited: {log.read_text()}")
        try:
            if httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return OxigraphServer(url, proc, location)
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    raise RuntimeError(f"oxigraph serve did not start: {log.read_text()}")


_started: list[OxigraphServer] = []


def remote_store_path(path: Path) -> Path:
    """Start a server for the store at ``path`` and write its descriptor there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    server = start_oxigraph(path.with_name(path.name + ".oxigraph"))
    _started.append(server)
    return server.config.write(path)


def store_path(path: Path) -> Path:
    """``path`` itself (embedded mode) or a remote descriptor there (remote mode)."""
    return remote_store_path(path) if remote_mode() else path


def stop_all() -> None:
    close_clients()
    while _started:
        _started.pop().stop()
