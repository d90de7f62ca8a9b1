"""The matcher's measured quality on the labelled evaluation set (tests/fixtures/reconcile/),
over the index :mod:`helixgraph.catalog.names` reads from a store of the seed and ROR's Dutch
organisations: top-1 ≥ 0.95 and precision of ``match: true`` ≥ 0.99 (issue 20). The same
figures on the regional store: ``benchmarks/reconcile_quality.py``."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph.catalog import graph_version
from helixgraph.catalog.names import name_index, read_index
from helixgraph.matching import Matcher
from helixgraph.matching.evaluation import evaluate, read_cases
from tests.api.reconcile_store import ROOT, ror_store

__all__ = ["ror_store"]
CASES = ROOT / "tests" / "fixtures" / "reconcile"


@pytest.fixture(scope="module")
def matcher(ror_store: Path) -> Matcher:
    store = ox.Store.read_only(str(ror_store.resolve()))
    return read_index(store, graph_version(store)).matcher


def test_the_index_holds_names_acronyms_identifiers_and_places(matcher: Matcher) -> None:
    umcg = matcher.by_id["umcg"]
    assert ("UMCG", "acronym") in umcg.names
    assert umcg.ids["ror"] == frozenset({"03cv38k47"})
    assert umcg.country == "NL" and "groningen" in umcg.cities
    assert {"organisation", "academic_hospital"} <= umcg.types
    assert len(matcher.entities) > 700  # the seed and ROR's Dutch organisations


def test_the_index_is_built_once_per_graph_version(ror_store: Path) -> None:
    store = ox.Store.read_only(str(ror_store.resolve()))
    version = graph_version(store)
    first = name_index(store, version)
    assert name_index(store, version) is first
    assert name_index(store, version + "-next") is not first


def test_ror_names_and_variants(matcher: Matcher) -> None:
    q = evaluate(matcher, read_cases(CASES / "ror_nl_queries.csv"))
    assert q.answerable > 2000
    assert q.accuracy >= 0.95, q.misses[:20]
    assert q.precision >= 0.99, [m for m in q.misses if m[3]][:20]
    assert q.recall >= 0.9
    for variant, (n, ok) in q.by_variant.items():
        assert ok / n >= 0.95, (variant, n, ok)


def test_hand_checked_cordis_pairs_are_never_matched_wrongly(matcher: Matcher) -> None:
    q = evaluate(matcher, read_cases(CASES / "cordis_ror_pairs.csv"), use_city=True)
    assert q.answerable >= 35  # the others have no ROR organisation: negatives
    assert q.precision >= 0.99, [m for m in q.misses if m[3]]
    assert q.accuracy >= 0.8, q.misses
