"""Names as comparable keys: legal forms, Dutch/English variants, accents, compounds."""

from __future__ import annotations

import pytest

from helixgraph.matching.normalise import key, looks_like_acronym, plain, squashed

SAME = [
    ("Rijksuniversiteit Groningen", "University of Groningen"),
    ("Universiteit Twente", "University of Twente"),
    ("Univ. Twente", "University of Twente"),
    ("Hanzehogeschool Groningen", "Hanze University of Applied Sciences Groningen"),
    ("Hogeschool van Amsterdam", "Amsterdam University of Applied Sciences"),
    ("Universitair Medisch Centrum Groningen", "University Medical Center Groningen"),
    ("University Medical Centre Groningen", "University Medical Center Groningen"),
    ("Stichting Saxion", "Saxion"),
    ("Philips B.V.", "Philips"),
    ("PHILIPS N.V.", "philips"),
    ("Coöperatie FrieslandCampina U.A.", "Cooperatie FrieslandCampina"),
    ("Technische Universiteit Eindhoven", "Eindhoven University of Technology"),
    ("Provincie Fryslân", "PROVINCIE FRYSLAN"),
    ("Philips (Netherlands)", "Philips"),
    ("Koninklijke Nederlandse Akademie", "Royal Netherlands Akademie"),
]
DIFFERENT = [
    ("University of Groningen", "University Medical Center Groningen"),
    ("Hanze University of Applied Sciences", "HAN University of Applied Sciences"),
    ("Gemeente Groningen", "Provincie Groningen"),
    ("University of Twente", "Saxion University of Applied Sciences"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_variants_of_a_name_have_one_key(a: str, b: str) -> None:
    assert key(a) == key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_organisations_keep_different_keys(a: str, b: str) -> None:
    assert key(a) != key(b)


def test_a_name_that_is_only_a_legal_form_keeps_its_words() -> None:
    assert key("Stichting") == "stichting"
    assert key("B.V.") != ""


def test_acronyms() -> None:
    for text in ("UMCG", "TU/e", "TNO", "RUG", "KNAW", "NHL"):
        assert looks_like_acronym(text), text
    for text in ("Saxion", "University of Twente", "groningen", "Philips"):
        assert not looks_like_acronym(text), text
    assert squashed("U.M.C.G.") == squashed("UMCG") == "umcg"
    assert squashed("TU/e") == "tue"


def test_plain_keeps_the_words_in_order_without_legal_forms() -> None:
    assert plain("HANZEHOGESCHOOL GRONINGEN STICHTING") == "hanzehogeschool groningen"
    assert plain("Lode B.V.") == plain("LODE BV") == plain("Lode B.V") == "lode"
    assert plain("Université de Genève") == "universite de geneve"
    assert plain("Research & Development GmbH") == "research and development"
    assert plain("B.V.") == "bv"  # a name that is only a legal form keeps it
