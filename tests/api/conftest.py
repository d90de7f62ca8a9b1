"""A live uvicorn server on a free loopback port, over a store built from a TriG fixture."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from helixgraph.cli.serve import uvicorn_argv
from helixgraph.store.access import replacing
from tests.processes import free_port, stop, wait_answering
from tests.remote_store import store_path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
FIXTURE = HERE / "ecosystem.trig"
ADMIN_TOKEN = "test-admin-token-5f1c"


def build_store(path: Path, data: Path = FIXTURE) -> Path:
    with replacing(path) as store:
        store.load(path=str(data), format=ox.RdfFormat.TRIG)
    return path


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)  # type: ignore[arg-type]


def start_server(store: Path, log: Path, **env: str) -> Server:
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("HELIXGRAPH_")}
    environ["HELIXGRAPH_NO_PRECOMPUTE"] = (
        "1"  # unless a test asks (tests/analytics/test_precompute.py)
    )
    environ.update({"HELIXGRAPH_STORE": str(store), "HELIXGRAPH_QUERY_WORKERS": "3"}, **env)
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            uvicorn_argv("127.0.0.1", port, "--log-level", "info"),
            cwd=ROOT,
            env=environ,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_answering(proc, url + "/sparql", "the server", params={"query": "ASK {}"}, log=log)
    return Server(url, proc, log)


def stop_server(server: Server) -> None:
    stop(server.proc)


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(store_path(tmp_path_factory.mktemp("endpoint") / "store"))


@pytest.fixture(scope="session")
def server(fixture_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A read-only server with the default settings (no admin token)."""
    live = start_server(fixture_store, tmp_path_factory.mktemp("log") / "server.log")
    yield live
    stop_server(live)


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start a server with its own fresh store and settings; stopped after the test."""
    started: list[Server] = []

    def make(data: Path = FIXTURE, **env: str) -> Server:
        store = build_store(store_path(tmp_path / f"store{len(started)}"), data)
        live = start_server(store, tmp_path / f"server{len(started)}.log", **env)
        started.append(live)
        return live

    yield make
    for live in started:
        stop_server(live)


@pytest.fixture(scope="session")
def seed_server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A read-only server over the seed store built from data/ (the default store)."""
    live = start_server(seed_store, tmp_path_factory.mktemp("seed-log") / "server.log")
    yield live
    stop_server(live)
