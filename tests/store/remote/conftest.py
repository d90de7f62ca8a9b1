"""Shared fixture of the remote-store tests: a real ``oxigraph serve`` per test, or, under
``HELIXGRAPH_TEST_STORE=virtuoso``, the session's Virtuoso server emptied for the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helixgraph.store import remote
from tests.remote_store import OxigraphServer, start_oxigraph, virtuoso_mode
from tests.virtuoso_server import VirtuosoServer, shared_virtuoso


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OxigraphServer | VirtuosoServer]:
    if virtuoso_mode():
        yield shared_virtuoso()
        remote.close_clients()
        return
    live = start_oxigraph(tmp_path / "oxigraph")
    yield live
    remote.close_clients()
    live.stop()
