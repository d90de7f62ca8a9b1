"""Fixtures for the importers: a private seed store per test, and the fixture files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from helixgraph import store as hstore
from tests.remote_store import remote_mode, start_oxigraph

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="session")
def seed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from helixgraph.ingest.build import build

    path = tmp_path_factory.mktemp("seed-template") / "store"
    build(DATA, store_path=path, regional=False)
    return path


@pytest.fixture
def store(seed_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the seed store that a test may import into (on the remote pass, an
    Oxigraph server of its own loaded with the seed)."""
    if remote_mode():
        server = start_oxigraph(tmp_path / "oxigraph")
        path = server.config.write(tmp_path / "store")
        with hstore.replacing(path) as st:
            st.bulk_extend(hstore.open_store(seed_template).quads_for_pattern(None, None, None))
        yield path
        server.stop()
        return
    target = tmp_path / "store.builds" / "seed"
    shutil.copytree(seed_template.resolve(), target)
    link = tmp_path / "store"
    link.symlink_to(target)
    assert hstore.exists(link)
    yield link


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
