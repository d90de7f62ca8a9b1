"""Properties of the matcher for any text: it answers (no exception), at most ``limit``
candidates, scores 0–100 best first, and ``match`` only on the first."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helixgraph.matching import Matcher, Query, key
from helixgraph.matching.normalise import fold
from tests.matching.test_matcher import ORGS

MATCHER = Matcher(ORGS)
NAMES = st.sampled_from([e.name for e in ORGS] + [n for e in ORGS for n, _ in e.names])


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=60), limit=st.integers(1, 10))
def test_any_text_gets_a_well_formed_answer(text: str, limit: int) -> None:
    candidates = MATCHER.match(Query(text, limit=limit))
    assert len(candidates) <= limit
    scores = [c.score for c in candidates]
    assert all(0 <= s <= 100 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert not any(c.match for c in candidates[1:])


@settings(max_examples=200, deadline=None)
@given(name=NAMES, upper=st.booleans(), dots=st.booleans())
def test_case_and_punctuation_do_not_change_a_key(name: str, upper: bool, dots: bool) -> None:
    variant = name.upper() if upper else name.lower()
    if dots:
        variant = variant.replace(" ", ", ")
    assert key(variant) == key(name)
    assert MATCHER.match(Query(variant))[0].score == 100


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
