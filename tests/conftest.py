"""Shared fixtures: stores built once per session from the mini fixture and the seed data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
    from helixgraph.build import build

    path = tmp_path_factory.mktemp("mini") / "store"
    build(MINI, store_path=path)
    return path


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from helixgraph.build import build

    path = tmp_path_factory.mktemp("seed") / "store"
    build(DATA, store_path=path)
    return path
