"""A live uvicorn server over a store built from the mini fixture, for the resource API tests."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import start_server
from tests.processes import stop
from tests.remote_store import store_path

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini_data"


@dataclass
class ApiServer:
    url: str
    store: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)


def start(store: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn over ``store`` on a free loopback port (one query worker); (process, URL)."""
    server = start_server(store, log, HELIXGRAPH_QUERY_WORKERS="1")
    return server.proc, server.url


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """uvicorn on a free loopback port, HELIXGRAPH_STORE = a store built from mini_data."""
    from helixgraph.ingest.build import build

    tmp = tmp_path_factory.mktemp("resource-api")
    store = store_path(tmp / "store")
    build(MINI, store_path=store)
    proc, url = start(store, tmp / "server.log")
    try:
        yield ApiServer(url, store)
    finally:
        stop(proc)
