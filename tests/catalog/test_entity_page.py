"""The entity page's model: every kind of node, funding by year from one aggregate (also
when the listed awards are capped), a dated timeline, unknown ids."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph import catalog
from helixgraph.catalog.entity_page import page
from helixgraph.store.access import open_store


@pytest.fixture(scope="module")
def store(seed_store: Path) -> ox.Store:
    return open_store(seed_store)


def test_funding_counts_every_award_when_the_list_is_capped(store: ox.Store) -> None:
    capped = catalog.organisation(store, "snn", award_limit=0)
    assert capped["funding_given"] == [] and capped["funding_given_count"] == 1
    full = catalog.organisation(store, "snn")
    assert len(full["funding_given"]) == 1 and "funding_given_count" not in full
    model = page(store, "org", "snn")
    (row,) = model["funding_by_year"]
    assert (row["year"], row["awards_given"], row["awards_received"]) == ("undated", 1, 0)
    assert row["sources"] == full["funding_given"][0]["sources"]


def test_an_initiative_receives_through_its_award(store: ox.Store) -> None:
    model = page(store, "initiative", "open-diagnostics-ecosysteem")
    (row,) = model["funding_by_year"]
    assert row["received"] == 2_100_000 and row["currency"] == "EUR"
    assert model["record"]["label"] == "Open Diagnostics Ecosysteem"


def test_statements_and_sources_of_a_node_without_a_record(store: ox.Store) -> None:
    rows = store.query(
        "SELECT ?x WHERE { ?x a <https://w3id.org/helixgraph/ontology#LinkEvidence> } LIMIT 1"
    )
    link = next(iter(rows))["x"].value  # type: ignore[index]
    model = page(store, "link", link.rsplit("/", 1)[1])
    assert model["statements"] and model["record"]["sources"]
    assert all(s["sources"] for s in model["statements"])


def test_timeline_is_dated_and_ordered(store: ox.Store) -> None:
    events = page(store, "org", "lifelines")["timeline"]
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert all(e["sources"] for e in events)


@pytest.mark.parametrize(("segment", "ident"), [("org", "nope"), ("org", "Bad"), ("zz", "x")])
def test_unknown_ids(store: ox.Store, segment: str, ident: str) -> None:
    with pytest.raises(catalog.UnknownId):
        page(store, segment, ident)


def test_ego_map_places_the_neighbours_around_the_node(store: ox.Store) -> None:
    model = page(store, "org", "umcg")
    ego = model["ego"]
    record = model["record"]
    targets = {r["target"]["iri"] for r in record["relations"]} | {
        u["iri"] for u in record["units"] + record["parents"] + record["memberships"]["member_of"]
    }
    assert ego and {n["node"]["iri"] for n in ego} <= targets
    assert "https://w3id.org/helixgraph/id/org/htric" in {n["node"]["iri"] for n in ego}
    assert all(0 <= n["x"] <= 100 and 0 <= n["y"] <= 100 for n in ego)
    assert len({(n["x"], n["y"]) for n in ego}) == len(ego)
