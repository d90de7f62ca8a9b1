"""Shared fixture of the remote-store tests: a real ``oxigraph serve`` per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helixgraph.store import remote
from tests.remote_store import OxigraphServer, start_oxigraph


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    live = start_oxigraph(tmp_path / "oxigraph")
    yield live
    remote.close_clients()
    live.stop()
