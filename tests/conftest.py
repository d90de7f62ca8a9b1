"""Shared fixtures: stores built once per session from the mini fixture, the seed data, and
the seed with the regional extracts (the default build)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.remote_store import stop_all, store_mode, store_path

pytest_plugins = ["tests.fetch_server"]  # the `web` fixture of the fetch tests

# builds, imports and servers start no background precompute of the default views unless
# a test asks for one (tests/analytics/test_precompute.py)
os.environ.setdefault("HELIXGRAPH_NO_PRECOMPUTE", "1")

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini_data"
DATA = ROOT / "data"


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A private copy of the mini fixture data, safe to edit."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def mini_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from helixgraph.ingest.build import build

    path = store_path(tmp_path_factory.mktemp("mini") / "store")
    build(MINI, store_path=path)
    return path


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from helixgraph.ingest.build import build

    path = store_path(tmp_path_factory.mktemp("seed") / "store")
    build(DATA, store_path=path, regional=False)  # the seed only: tests assert its numbers
    return path


@pytest.fixture(scope="session")
def regional_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default build, as ``helixgraph build`` and ``serve`` make it: the seed and the
    regional extracts of data/regional/ (thousands of organisations). Slow (half a minute):
    built once per session; do not write to it."""
    from helixgraph.ingest.build import build

    path = store_path(tmp_path_factory.mktemp("regional") / "store")
    build(DATA, store_path=path, regional=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def _remote_servers() -> Iterator[None]:
    """Stop the Oxigraph servers the remote test pass started (HELIXGRAPH_TEST_STORE=remote)."""
    yield
    stop_all()


def pytest_report_header() -> str:
    return "store: " + {"remote": "remote (oxigraph serve)", "virtuoso": "remote (Virtuoso)"}.get(
        store_mode(), "embedded"
    )
