"""Every example of the query page runs on the built default store (the seed and the
regional extracts, what ``helixgraph serve`` gives) as the
endpoint runs it (predeclared prefixes) and returns at least one row; names fall back
from English to Dutch to any language."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from helixgraph.sparql import Job, execute
from helixgraph.sparql.prefixes import PREDECLARED
from helixgraph.store.access import open_store
from helixgraph_api.templating import STATIC_DIR

EXAMPLES: list[dict[str, Any]] = json.loads((STATIC_DIR / "examples.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def store(regional_store: Path) -> ox.Store:
    return open_store(regional_store)


def rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    outcome = execute(store, Job(query, format="csv", prefixes=PREDECLARED))
    assert outcome.status == "ok", outcome.message
    return list(csv.DictReader(io.StringIO(outcome.body.decode())))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["title"] for e in EXAMPLES])
def test_example_returns_rows(store: ox.Store, example: dict[str, Any]) -> None:
    assert example["title"] and example["description"]
    assert rows(store, example["query"]), example["title"]


def test_funding_by_funder_names_every_funder(store: ox.Store) -> None:
    (example,) = [e for e in EXAMPLES if e["title"] == "Funding by funder"]
    found = rows(store, example["query"])
    assert all(r["name"] for r in found), found
    # SNN has a Dutch name only: the fallback finds it
    snn = [r for r in found if r["funder"].endswith("/org/snn")]
    assert snn and snn[0]["name"].startswith("Samenwerkingsverband Noord-Nederland")
