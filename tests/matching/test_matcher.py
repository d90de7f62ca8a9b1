"""The matcher on a handful of organisations: names, acronyms, identifiers, constraints,
types, suggest, and ``match`` only when certain."""

from __future__ import annotations

import pytest

from helixgraph.matching import (
    ACRONYM,
    ALIAS,
    THRESHOLD,
    Constraint,
    Entity,
    Matcher,
    MatchError,
    Query,
    canonical_id,
    identifiers_in,
)


def org(ident: str, name: str, *names: tuple[str, str], **extra: object) -> Entity:
    return Entity(ident, name, tuple(names), **extra)  # type: ignore[arg-type]


ORGS = [
    org(
        "rug",
        "University of Groningen",
        ("Rijksuniversiteit Groningen", ALIAS),
        ("RUG", ACRONYM),
        ids={"ror": frozenset({"012p63287"}), "pic": frozenset({"999989782"})},
        country="NL",
        cities=frozenset({"groningen"}),
        types=frozenset({"organisation", "university"}),
    ),
    org(
        "umcg",
        "University Medical Center Groningen",
        ("UMCG", ACRONYM),
        ids={"ror": frozenset({"03cv38k47"}), "wikidata": frozenset({"Q2057113"})},
        country="NL",
        cities=frozenset({"groningen"}),
        types=frozenset({"organisation", "academic_hospital"}),
    ),
    org(
        "hanze",
        "Hanze University of Applied Sciences",
        ("Hanzehogeschool Groningen", ALIAS),
        country="NL",
        cities=frozenset({"groningen"}),
        types=frozenset({"organisation", "university_of_applied_sciences"}),
    ),
    org(
        "utwente",
        "University of Twente",
        ("UT", ACRONYM),
        country="NL",
        types=frozenset({"organisation", "university"}),
    ),
    org(
        "acme-nl",
        "Acme",
        country="NL",
        cities=frozenset({"delft"}),
        types=frozenset({"organisation"}),
    ),
    org(
        "acme-de",
        "Acme GmbH",
        country="DE",
        cities=frozenset({"berlin"}),
        types=frozenset({"organisation"}),
    ),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(ORGS)


def first(m: Matcher, text: str, **kw: object) -> tuple[str, float, bool]:
    c = m.match(Query(text, **kw))[0]  # type: ignore[arg-type]
    return c.entity.id, c.score, c.match


def test_any_name_of_an_organisation_is_a_sure_match(matcher: Matcher) -> None:
    for text in (
        "University of Groningen",
        "Rijksuniversiteit Groningen",
        "RUG",
        "rijksuniversiteit groningen",
        "Groningen University",
    ):
        assert first(matcher, text) == ("rug", 100.0, True), text


def test_dutch_and_english_and_compounds(matcher: Matcher) -> None:
    assert first(matcher, "Hanze Hogeschool")[0] == "hanze"
    assert first(matcher, "Universitair Medisch Centrum Groningen") == ("umcg", 100.0, True)
    assert first(matcher, "Universiteit Twente")[2] is True


def test_a_typo_still_finds_the_organisation(matcher: Matcher) -> None:
    ident, score, _ = first(matcher, "Univrsity of Groningen")
    assert ident == "rug" and score >= THRESHOLD


def test_identifiers_are_exact_matches(matcher: Matcher) -> None:
    for text in ("012p63287", "https://ror.org/012p63287", "999989782"):
        assert first(matcher, text) == ("rug", 100.0, True), text
    assert first(matcher, "Q2057113") == ("umcg", 100.0, True)
    by_property = matcher.match(Query(constraints=(Constraint("ror", ("03cv38k47",)),)))
    assert by_property[0].entity.id == "umcg" and by_property[0].match


def test_namesakes_are_never_a_sure_match(matcher: Matcher) -> None:
    candidates = matcher.match(Query("Acme"))
    assert {c.entity.id for c in candidates[:2]} == {"acme-nl", "acme-de"}
    assert not any(c.match for c in candidates)


def test_country_and_city_decide_between_namesakes(matcher: Matcher) -> None:
    nl = matcher.match(Query("Acme", constraints=(Constraint("country", ("Netherlands",)),)))
    assert nl[0].entity.id == "acme-nl" and nl[0].match
    assert nl[0].features["country"] is True
    de = matcher.match(Query("Acme", constraints=(Constraint("city", ("Berlin",)),)))
    assert de[0].entity.id == "acme-de"
    assert first(matcher, "Acme (Netherlands)")[0] == "acme-nl"


def test_a_conflicting_identifier_lowers_the_score(matcher: Matcher) -> None:
    c = matcher.match(Query("RUG", constraints=(Constraint("ror", ("03cv38k47",)),)))
    assert c[0].entity.id == "umcg"  # the identifier wins over the acronym
    rug = next(x for x in c if x.entity.id == "rug")
    assert rug.score < THRESHOLD and rug.features["ror"] is False


def test_types_filter_candidates(matcher: Matcher) -> None:
    c = matcher.match(Query("Groningen", types=frozenset({"university"}), limit=10))
    assert [x.entity.id for x in c] == ["rug"]


def test_limit_and_order(matcher: Matcher) -> None:
    c = matcher.match(Query("University", limit=2))
    assert len(c) == 2
    assert c[0].score >= c[1].score


def test_unknown_property_and_bad_values_are_errors(matcher: Matcher) -> None:
    with pytest.raises(MatchError, match="unknown property 'mayor'"):
        matcher.match(Query("x", constraints=(Constraint("mayor", ("y",)),)))
    with pytest.raises(MatchError, match="Atlantis"):
        matcher.match(Query("x", constraints=(Constraint("country", ("Atlantis",)),)))
    with pytest.raises(MatchError, match="not a ror identifier"):
        matcher.match(Query("", constraints=(Constraint("ror", ("nope",)),)))


def test_suggest_by_prefix_word_and_identifier(matcher: Matcher) -> None:
    assert [e.id for e in matcher.suggest("hanz")] == ["hanze"]
    assert {e.id for e in matcher.suggest("gron")} == {"rug", "umcg", "hanze"}
    assert [e.id for e in matcher.suggest("03cv38k47")] == ["umcg"]
    assert matcher.suggest("") == []
    assert len(matcher.suggest("u", limit=2)) == 2


def test_identifier_forms() -> None:
    assert canonical_id("ror", "https://ror.org/03CV38K47") == "03cv38k47"
    assert canonical_id("wikidata", "http://www.wikidata.org/entity/q2057113") == "Q2057113"
    assert canonical_id("pic", "12345") is None
    assert identifiers_in("999989782") == [("pic", "999989782")]
    assert identifiers_in("University") == []


def test_a_single_respelled_word_is_never_a_sure_match() -> None:
    m = Matcher([org("ortec", "ORTEC"), org("philips", "Philips")])
    c = m.match(Query("Hortec"))
    assert c[0].entity.id == "ortec" and not c[0].match
    assert m.match(Query("Ortec"))[0].match


def test_a_query_of_common_words_lists_candidates_and_is_never_sure() -> None:
    """CORDIS gives one participant the abbreviation "Universidad" (key: university):
    the query "University" names no one organisation, so it lists several, none sure."""
    many = [org(f"u{i}", f"University of Place{i}") for i in range(450)]
    odd = org("pucv", "Pontificia Universidad Católica de Valparaiso", ("Universidad", ACRONYM))
    m = Matcher([*many, odd, org("utwente", "University of Twente", ("UT", ACRONYM))])
    found = m.match(Query("University", limit=3))
    assert len(found) == 3
    assert not any(c.match for c in found)
    assert m.match(Query("University of Twente"))[0].entity.id == "utwente"
    assert m.match(Query("University of Twente"))[0].match
