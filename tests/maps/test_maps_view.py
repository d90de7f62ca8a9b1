"""The display graph of a map view: relations, filters, ego, search, brokers, reduction."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph.maps import MapError, MapOptions, build_view, kinds, webdata
from helixgraph.maps.render import payload, standalone_html
from helixgraph.network import Filters
from helixgraph.store.access import open_store

ORG = "https://w3id.org/helixgraph/id/org/"


@pytest.fixture(scope="module")
def store(seed_store: Path) -> Iterator[ox.Store]:
    yield open_store(seed_store, read_only=True)


def test_default_view_has_every_organisation_and_three_relations(store: ox.Store) -> None:
    view = build_view(store, MapOptions())
    orgs = [v for v, d in view.graph.nodes(data=True) if d["type"] == "organisation"]
    assert len(orgs) == 38
    relations = {d["relation"] for _, _, d in view.graph.edges(data=True)}
    assert relations == {"collaboration", "membership", "funding"}
    assert all(d["sources"] for _, _, d in view.graph.edges(data=True))
    assert view.reduction is None


def test_funding_view_shows_amounts_and_the_unstated_funder(store: ox.Store) -> None:
    view = build_view(store, MapOptions(relations=("funding",)))
    edges = {(u, v): d for u, v, d in view.graph.edges(data=True)}
    assert set(view.graph) == {
        ORG + "snn",
        ORG + "lode-bv",
        "https://w3id.org/helixgraph/id/unstated-funder",
        "https://w3id.org/helixgraph/id/initiative/open-diagnostics-ecosysteem",
    }
    amounts = sorted(d["amount"] for d in edges.values())
    assert amounts == [0.0, 2_100_000.0]
    assert all(d["sources"] == ["s002"] and d["directed"] for d in edges.values())
    labels = {e["label"] for e in payload(view)["edges"]}
    assert labels == {"€2.1M", "amount not stated"}


def test_region_filter_keeps_only_that_region(store: ox.Store) -> None:
    twente = build_view(
        store, MapOptions(filters=Filters(region="twente"), relations=(), isolates=True)
    )
    assert twente.graph.number_of_nodes() > 3
    assert all("twente" in d["regions"] for _, d in twente.graph.nodes(data=True))
    everything = build_view(store, MapOptions(relations=(), isolates=True))
    assert twente.graph.number_of_nodes() < everything.graph.number_of_nodes()


def test_kind_filter_by_category_and_by_kind(store: ox.Store) -> None:
    firms = build_view(store, MapOptions(kinds=("firm",)))
    assert firms.graph.number_of_nodes() > 0
    assert all(
        d["category"] == "firm"
        for _, d in firms.graph.nodes(data=True)
        if d["type"] == "organisation" and not d.get("outside")
    )
    hospitals = build_view(
        store, MapOptions(kinds=("academic_hospital",), relations=(), isolates=True)
    )
    assert set(hospitals.graph) == {ORG + "umcg"}


def test_ego_view_is_the_neighbourhood(store: ox.Store) -> None:
    full = build_view(store, MapOptions())
    ego = build_view(store, MapOptions(ego="umcg", hops=1))
    neighbours = set(full.graph.to_undirected(as_view=True)[ORG + "umcg"])
    assert set(ego.graph) == neighbours | {ORG + "umcg"}
    assert ego.ego == ORG + "umcg" and ego.graph.nodes[ORG + "umcg"]["ego"]
    two = build_view(store, MapOptions(ego="umcg", hops=2))
    assert set(ego.graph) < set(two.graph)


def test_unknown_ego_names_the_parameter(store: ox.Store) -> None:
    with pytest.raises(MapError) as err:
        build_view(store, MapOptions(ego="no-such-org"))
    assert err.value.param == "ego"


def test_search_by_abbreviation_and_name(store: ox.Store) -> None:
    assert build_view(store, MapOptions(q="rug")).found == [ORG + "university-of-groningen"]
    found = build_view(store, MapOptions(q="twente")).found
    assert ORG + "university-of-twente" in found and len(found) > 2
    assert build_view(store, MapOptions(q="zzzz")).notices


def test_brokers_are_the_top_by_betweenness(store: ox.Store) -> None:
    view = build_view(store, MapOptions(brokers="betweenness", broker_top=3))
    brokers = [v for v, d in view.graph.nodes(data=True) if d.get("broker")]
    assert len(brokers) == 3
    scores = sorted(
        (d["metrics"]["betweenness"] for _, d in view.graph.nodes(data=True) if "metrics" in d),
        reverse=True,
    )
    assert {view.graph.nodes[v]["metrics"]["betweenness"] for v in brokers} <= set(scores[:3])


def test_top_reduction_keeps_the_most_central_and_says_so(store: ox.Store) -> None:
    ties = ("collaboration", "membership")  # (with funding, every funder is kept too)
    view = build_view(store, MapOptions(max_nodes=10, size="degree", relations=ties))
    assert view.graph.number_of_nodes() == 10
    full = build_view(store, MapOptions(relations=ties))
    of = full.graph.number_of_nodes()
    assert view.reduction == {"mode": "top", "by": "degree", "of": of, "shown": 10}
    degrees = sorted(
        (d["metrics"]["degree"] for _, d in full.graph.nodes(data=True) if "metrics" in d),
        reverse=True,
    )
    kept = [view.graph.nodes[v]["metrics"]["degree"] for v in view.graph]
    assert min(kept) >= degrees[9]
    assert "highest by degree" in payload(view)["reduction_text"]


def test_search_result_survives_the_reduction(store: ox.Store) -> None:
    view = build_view(store, MapOptions(max_nodes=3, q="Lode"))
    assert ORG + "lode-bv" in view.graph


def test_communities_collapse_into_super_nodes(store: ox.Store) -> None:
    view = build_view(store, MapOptions(max_nodes=5, reduce="communities"))
    assert all(d["type"] == "community" for _, d in view.graph.nodes(data=True))
    members = sum(d["members"] for _, d in view.graph.nodes(data=True))
    assert members == 38
    assert view.reduction is not None and view.reduction["mode"] == "communities"


def test_edge_cap_keeps_the_heaviest(store: ox.Store) -> None:
    view = build_view(store, MapOptions(max_edges=10))
    assert view.graph.number_of_edges() == 10
    assert view.reduction is not None and view.reduction["edges_of"] > 10


def test_isolates_are_marked_and_links_cut_by_the_cap_make_none(store: ox.Store) -> None:
    """An isolate has no tie in the view; a node whose links the edge cap drops keeps its
    place in the drawing and is no isolate (the page leaves isolates out of its first
    drawing)."""
    whole = build_view(store, MapOptions())
    isolates = {v for v in whole.graph if whole.graph.degree(v) == 0}
    assert whole.isolates == isolates
    capped = build_view(store, MapOptions(max_edges=5))
    cut = {v for v in capped.graph if capped.graph.degree(v) == 0} - isolates
    assert cut and capped.isolates == isolates
    for v in cut:  # where the whole view draws it, not on the isolates' ring
        assert capped.positions[v] == whole.positions[v]
        assert math.hypot(*capped.positions[v]) <= 1.0 + 1e-9
    data = webdata.payload(capped)
    flags = data["nodes"]["flag"]
    assert data["counts"]["isolates"] == len(isolates) == sum(1 for f in flags if f & 32)


def test_nodes_named_only_by_an_identifier_are_flagged() -> None:
    assert kinds.UNNAMED_LABEL.fullmatch("PIC 896908852")
    for named in ("PIC Holding BV", "PIC 12345", "Stichting PIC 896908852"):
        assert not kinds.UNNAMED_LABEL.fullmatch(named)


def test_posts_add_people(store: ox.Store) -> None:
    view = build_view(store, MapOptions(relations=("posts",)))
    people = [v for v, d in view.graph.nodes(data=True) if d["type"] == "person"]
    assert people
    assert all(d["relation"] == "posts" for _, _, d in view.graph.edges(data=True))


def test_options_round_trip_through_url_parameters() -> None:
    o = MapOptions(
        filters=Filters(region="twente", start=2019),
        kinds=("firm",),
        relations=("funding",),
        ego="umcg",
        hops=2,
        brokers="liaison",
        max_nodes=50,
    )
    assert MapOptions.from_params(o.to_params()) == o
    assert MapOptions.from_params([]) == MapOptions()
    assert MapOptions.from_params([("relation", "")]).relations == ()
    assert MapOptions.from_params([("relation", "funding,posts")]).relations == ("funding", "posts")


@pytest.mark.parametrize(
    "params, param",
    [
        ([("kind", "spaceship")], "kind"),
        ([("hops", "9")], "hops"),
        ([("hops", "x")], "hops"),
        ([("size", "height")], "size"),
        ([("helix", "clergy")], "helix"),
        ([("bogus", "1")], "bogus"),
        ([("start", "2020"), ("end", "2010")], "start"),
        ([("region", "<b>")], "region"),
        ([("ego", "a"), ("ego", "b")], "ego"),
    ],
)
def test_bad_parameters_name_themselves(params: list[tuple[str, str]], param: str) -> None:
    with pytest.raises(MapError) as err:
        MapOptions.from_params(params)
    assert err.value.param == param


def test_standalone_html_is_offline_and_escapes_labels(store: ox.Store) -> None:
    html = standalone_html(build_view(store, MapOptions()), title="<b>title</b>")
    assert "&lt;b&gt;title&lt;/b&gt;" in html
    assert "<script src=" not in html and "<link" not in html.replace('<link rel="icon"', "")
    assert not re.search(r"https?://[^\s\"']*(cdn|unpkg|jsdelivr)", html, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert "node_modules" not in html and "url(http" not in html
    assert "vis.Network" in html
