"""The collaboration projection's tie weightings (count, newman, stated), by hand."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from helixgraph import network
from helixgraph.network import ProjectionError
from tests.network.tiny_weighting import ID, WEIGHTS, tiny_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return tiny_store(tmp_path_factory.mktemp("weighting") / "store")


def weights(G: Any) -> dict[tuple[str, str], float]:
    out = {}
    for u, v, d in G.edges(data=True):
        a, b = sorted((u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1]))
        out[(a, b)] = d["weight"]
    return out


@pytest.mark.parametrize("evidence", [True, False])
@pytest.mark.parametrize("weighting", network.WEIGHTINGS)
def test_each_weighting_gives_the_hand_computed_weights(
    store: ox.Store, weighting: str, evidence: bool
) -> None:
    G = network.collaboration_graph(store, weighting=weighting, evidence=evidence)
    assert weights(G) == pytest.approx(WEIGHTS[weighting])
    assert set(G) == {f"{ID}org/{x}" for x in "abcd"}  # untied organisations stay nodes


def test_count_is_the_default_and_gives_integer_evidence_counts(store: ox.Store) -> None:
    G = network.collaboration_graph(store)
    assert G.graph.get("weighting") is None  # the default adds nothing to the graph
    assert weights(G) == WEIGHTS["count"]
    assert all(type(w) is int for w in weights(G).values())
    assert weights(network.collaboration_graph(store, evidence=False)) == weights(G)
    assert network.DEFAULT_WEIGHTING == "count"


def test_newman_gives_each_initiative_one_unit_of_strength_per_participant(
    store: ox.Store,
) -> None:
    G = network.collaboration_graph(store, weighting="newman", kinds=["initiative"])
    strength = dict(G.degree(weight="weight"))
    # a and b: p3 and p2 (1 + 1); c: p3 only; d: nothing
    expected = {"a": 2, "b": 2, "c": 1, "d": 0}
    assert strength == pytest.approx({f"{ID}org/{x}": s for x, s in expected.items()})
    assert G.graph["weighting"] == "newman"


def test_newman_and_stated_keep_the_evidence(store: ox.Store) -> None:
    G = network.collaboration_graph(store, weighting="newman")
    ab = G[f"{ID}org/a"][f"{ID}org/b"]["evidence"]
    assert sorted(e["via"].rsplit("/", 1)[-1] for e in ab) == ["p2", "p3"]
    S = network.collaboration_graph(store, weighting="stated")
    (cd,) = S[f"{ID}org/c"][f"{ID}org/d"]["evidence"]
    assert cd["kind"] == network.COLLABORATES_WITH


def test_an_unknown_weighting_is_rejected_by_name(store: ox.Store) -> None:
    with pytest.raises(ProjectionError, match="'jaccard'") as exc:
        network.collaboration_graph(store, weighting="jaccard")
    assert "count, newman, stated" in str(exc.value)
    with pytest.raises(ValueError, match="'vibes'"):
        network.check_weighting("vibes")
