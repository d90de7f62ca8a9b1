"""A store for the reconciliation tests: the seed and ROR's Dutch organisations (the shared
data), imported as a user would, once per session; and the published 0.2 JSON schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.shared_data import SHARED

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "tests" / "fixtures" / "reconcile" / "schemas-0.2"


def _registry() -> tuple[Registry, dict[str, dict[str, Any]]]:
    by_name = {p.stem: json.loads(p.read_text()) for p in SCHEMAS.glob("*.json")}
    resources = [
        (s["$id"], Resource.from_contents(s, default_specification=DRAFT7))
        for s in by_name.values()
    ]
    return Registry().with_resources(resources), by_name


REGISTRY, SCHEMA = _registry()


def validate(document: Any, schema: str) -> None:
    """Raise if ``document`` does not follow the published schema ``schema`` (file stem)."""
    Draft7Validator(SCHEMA[schema], registry=REGISTRY).validate(document)


def build_ror_store(path: Path) -> Path:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELIXGRAPH_")}
    env["HELIXGRAPH_STORE"] = str(path)
    cli = [sys.executable, "-m", "helixgraph"]
    seed = ["build", "--seed-only", "-q"]  # the seed and ROR alone: the tests count on them
    for args in (seed, ["import", "ror", str(SHARED / "data" / "ror")]):
        run = subprocess.run(cli + args, cwd=ROOT, env=env, capture_output=True, timeout=600)
        assert run.returncode == 0, run.stderr.decode()[-2000:]
    return path


@pytest.fixture(scope="session")
def ror_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SHARED / "data" / "ror" / "ror_nl_organizations.csv").exists():
        pytest.skip("the shared ROR data is not here")
    return build_ror_store(tmp_path_factory.mktemp("reconcile") / "store")
