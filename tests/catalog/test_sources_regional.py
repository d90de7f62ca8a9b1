"""On the default build, every source an organisation's page names has a page of its own:
the regional extracts' graphs (graph/import/regional-ror …) name their datasets (ror …)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helixgraph import store as hstore
from helixgraph.catalog.entity_page import page


def sources_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = set(value.get("sources", []) if isinstance(value.get("sources"), list) else [])
        for v in value.values():
            found |= sources_in(v)
        return found
    if isinstance(value, list):
        return set().union(*(sources_in(v) for v in value)) if value else set()
    return set()


def test_every_source_of_umcg_has_its_page(regional_store: Path) -> None:
    store = hstore.open_store(regional_store)  # embedded, or the remote pass's server
    named = sources_in(page(store, "org", "umcg"))
    assert {"ror", "cordis-h2020", "cordis-horizon-europe", "s000"} <= named
    assert not [s for s in named if s.startswith("regional-")]
    for source in named:
        assert page(store, "source", source)["record"]["id"] == source
